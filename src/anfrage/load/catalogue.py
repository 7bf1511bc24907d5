"""Load and validate a workspace (``data/``, ``templates/``) into a :class:`Catalogue`.

Validation collects every problem of every file in one pass (file, line, key path, German message),
then the caller decides: ``anfrage check`` lists them, render and batch abort before writing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from anfrage import german
from anfrage import models as m
from anfrage.errors import AnfrageError, CatalogueError, Problem, UserError
from anfrage.templating import Grenzen, describe_error, make_environment
from anfrage.yamlio import Document, format_path, load_yaml, read_text

T = TypeVar("T", bound=BaseModel)

DATA = "data"
TEMPLATES = "templates"


@dataclass
class Located:
    """Where a record was defined, for messages about it later."""

    file: str
    line: int
    key: str


@dataclass
class Catalogue:
    """Everything loaded from a workspace, keyed by id, in file order."""

    root: Path
    quellen: dict[str, m.Quelle] = field(default_factory=dict)
    ressorts: dict[str, m.Ressort] = field(default_factory=dict)
    regierungsbezirke: dict[str, m.Regierungsbezirk] = field(default_factory=dict)
    regionen: dict[str, m.Region] = field(default_factory=dict)
    gemeinden: dict[str, m.Gemeinde] = field(default_factory=dict)
    landtagswahlkreise: dict[str, m.Landtagswahlkreis] = field(default_factory=dict)
    gruppen: dict[str, m.Gruppe] = field(default_factory=dict)
    modellregionen: dict[str, m.Modellregion] = field(default_factory=dict)
    hubs: dict[str, m.Hub] = field(default_factory=dict)
    programme: dict[str, m.Programm] = field(default_factory=dict)
    themen: dict[str, m.Thema] = field(default_factory=dict)
    handlungsfelder: dict[str, m.Handlungsfeld] = field(default_factory=dict)
    projekte: dict[str, m.Projekt] = field(default_factory=dict)
    ideen: dict[int, m.Ruhridee] = field(default_factory=dict)
    where: dict[tuple[str, str], Located] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    grenzen: Grenzen = field(default_factory=Grenzen)  # limits for running templates
    # Files that could not be read at all (missing, empty, YAML syntax, hostile): references to
    # their records are not checked, so one broken file does not bury its error under hundreds of
    # "unknown …" follow-ups.
    unreadable: set[str] = field(default_factory=set)
    # Ids of records that failed validation: references to them are not reported again.
    invalid_ids: set[str] = field(default_factory=set)
    # What a draft can be about: the regions, Gemeinden, Landtagswahlkreise and projects, by id.
    einheiten: dict[str, m.Einheit] = field(default_factory=dict)

    @property
    def data_dir(self) -> Path:
        return self.root / DATA

    @property
    def templates_dir(self) -> Path:
        return self.root / TEMPLATES

    def rel(self, path: Path) -> str:
        """A path as the clerk sees it: relative to the workspace where possible."""
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)

    def locate(self, kind: str, ident: str) -> Located:
        return self.where.get((kind, ident), Located("", 0, ""))

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "fehler"]


# --- pydantic errors in German ---------------------------------------------------------------

_PATTERN_MESSAGES = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "keine gültige Kennung (nur Kleinbuchstaben a–z, Ziffern und Bindestriche)",
    '^https?://[^\\s<>\\"]+$': "keine gültige URL (muss mit http:// oder https:// beginnen, ohne Leerzeichen)",
    "^05\\d{3}$": "kein gültiger Kreisschlüssel (fünf Ziffern, beginnend mit 05)",
    "^05[1-9]$": "kein gültiger Schlüssel eines Regierungsbezirks (z. B. 059)",
    "^\\d{2}/\\d{1,6}$": "keine gültige Drucksachennummer (z. B. 17/11212)",
    "^\\d{2}-\\d{2}$": "keine gültige Projektnummer (z. B. 13-01)",
}


def german_message(error: ErrorDetails) -> str:
    """Translate one pydantic error into a German sentence for the clerk."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "Pflichtangabe fehlt."
    if kind == "extra_forbidden":
        return "unbekannter Schlüssel (Tippfehler?)."
    if kind == "string_pattern_mismatch":
        return _PATTERN_MESSAGES.get(ctx.get("pattern", ""), "hat nicht das erwartete Format") + "."
    if kind == "string_too_short":
        return "darf nicht leer sein."
    if kind == "string_too_long":
        return f"ist zu lang (höchstens {ctx.get('max_length')} Zeichen)."
    if kind in ("string_type", "str_type"):
        return "muss ein Text sein."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "muss eine ganze Zahl sein."
    if kind in ("float_type", "float_parsing"):
        return "muss eine Zahl sein."
    if kind.startswith("date") or kind.startswith("datetime"):
        return "kein gültiges Datum (Form JJJJ-MM-TT, z. B. 2018-11-28)."
    if kind == "literal_error":
        # pydantic says "'a', 'b' or 'c'": German list, no Python quotes
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"unzulässiger Wert; erlaubt sind: {german.aufzaehlung(allowed, 'oder')}."
    if kind == "list_type":
        return "muss eine Liste sein."
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "muss ein Eintrag mit Schlüsseln sein."
    if kind == "too_short":
        return f"zu wenige Einträge (mindestens {ctx.get('min_length')})."
    if kind == "too_long":
        return f"zu viele Einträge (höchstens {ctx.get('max_length')})."
    if kind in ("greater_than_equal", "greater_than"):
        return f"Wert zu klein (mindestens {ctx.get('ge', ctx.get('gt'))})."
    if kind in ("less_than_equal", "less_than"):
        return f"Wert zu groß (höchstens {ctx.get('le', ctx.get('lt'))})."
    if kind == "bool_type":
        return "muss ja oder nein (true/false) sein."
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])).removeprefix("Value error, ") + "."
    return f"ungültiger Wert ({error['msg']})."


def validate(
    model: type[T], data: Any, doc: Document, path: tuple[str | int, ...], problems: list[Problem]
) -> T | None:
    """Validate ``data`` (found at ``path`` in ``doc``) into ``model``; record problems, return None on error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = path + tuple(error["loc"])
            problems.append(Problem(doc.file, doc.line_of(loc), format_path(loc), german_message(error)))
        return None


def _load(root: Path, relpath: str, problems: list[Problem], required: bool, unreadable: set[str]) -> Document | None:
    path = root / relpath
    if not path.exists():
        if required:
            problems.append(Problem(relpath, 0, "", "Datei fehlt."))
            unreadable.add(relpath)
        return None
    try:
        doc = load_yaml(path, relpath)
    except CatalogueError as exc:
        problems.extend(exc.problems)
        unreadable.add(relpath)
        return None
    except AnfrageError as exc:
        problems.append(Problem(exc.file or relpath, exc.line, exc.key, exc.message))
        unreadable.add(relpath)
        return None
    problems.extend(doc.problems)
    return doc


def _records(
    doc: Document | None,
    key: str,
    model: type[T],
    kind: str,
    cat: Catalogue,
    required: bool = True,
    ident: str = "id",
) -> dict[Any, T]:
    """Validate the list under ``key`` into a dict by id, reporting duplicates and empty lists."""
    out: dict[Any, T] = {}
    if doc is None:
        return out
    data = doc.data
    if data is None:
        if doc.file not in cat.unreadable:
            cat.problems.append(Problem(doc.file, 1, "", "Datei ist leer."))
        cat.unreadable.add(doc.file)
        return out
    if not isinstance(data, dict):
        if doc.file not in cat.unreadable:
            cat.problems.append(Problem(doc.file, 1, "", f"erwartet einen Schlüssel „{key}:“ mit einer Liste."))
        cat.unreadable.add(doc.file)
        return out
    items = data.get(key)
    if items is None:
        if required:
            cat.problems.append(Problem(doc.file, 1, key, "Pflichtangabe fehlt (Liste der Einträge)."))
        return out
    if not isinstance(items, list):
        cat.problems.append(Problem(doc.file, doc.line_of((key,)), key, "muss eine Liste sein."))
        return out
    if not items and required:
        cat.problems.append(Problem(doc.file, doc.line_of((key,)), key, "enthält keine Einträge."))
    for i, item in enumerate(items):
        record = validate(model, item, doc, (key, i), cat.problems)
        if record is None:
            rid = item.get(ident) if isinstance(item, dict) else None
            if isinstance(rid, (str, int)):
                cat.invalid_ids.update({str(rid), str(rid).casefold()})
            continue
        rid = getattr(record, ident)
        if rid in out:
            first = cat.where[(kind, str(rid))]
            cat.problems.append(
                Problem(
                    doc.file,
                    doc.line_of((key, i, ident)),
                    f"{key}[{i}].{ident}",
                    f"Kennung „{rid}“ doppelt (zuerst in Zeile {first.line}).",
                )
            )
            continue
        out[rid] = record
        cat.where[(kind, str(rid))] = Located(doc.file, doc.line_of((key, i)), f"{key}[{i}]")
    return out


def load_catalogue(root: Path) -> Catalogue:
    """Load every catalogue of a workspace. Problems are collected in ``catalogue.problems``."""
    root = Path(root)
    cat = Catalogue(root=root)
    if not (root / DATA).is_dir():
        raise UserError(
            f"Kein Arbeitsbereich: Ordner „{DATA}/“ fehlt in {root}. "
            "Im Arbeitsbereich aufrufen oder --workspace angeben."
        )
    p = cat.problems
    quellen = _load(root, f"{DATA}/quellen.yaml", p, required=True, unreadable=cat.unreadable)
    ressorts = _load(root, f"{DATA}/ressorts.yaml", p, required=True, unreadable=cat.unreadable)
    regions = _load(root, f"{DATA}/regions.yaml", p, required=True, unreadable=cat.unreadable)
    programmes = _load(root, f"{DATA}/programmes.yaml", p, required=True, unreadable=cat.unreadable)
    projects = _load(root, f"{DATA}/projects.yaml", p, required=False, unreadable=cat.unreadable)
    ideas = _load(root, f"{DATA}/ruhrideen.yaml", p, required=False, unreadable=cat.unreadable)
    themen = _load(root, THEMEN, p, required=False, unreadable=cat.unreadable)
    settings = _load(root, f"{DATA}/einstellungen.yaml", p, required=False, unreadable=cat.unreadable)
    if settings is not None and settings.data is not None:
        loaded = validate(m.Einstellungen, settings.data, settings, (), cat.problems)
        if loaded is not None:
            cat.grenzen = Grenzen(**loaded.grenzen.model_dump())

    cat.quellen = _records(quellen, "quellen", m.Quelle, "quelle", cat)
    cat.ressorts = _records(ressorts, "ressorts", m.Ressort, "ressort", cat)
    cat.regierungsbezirke = _records(regions, "regierungsbezirke", m.Regierungsbezirk, "regierungsbezirk", cat)
    cat.regionen = _records(regions, "regionen", m.Region, "region", cat)
    cat.gemeinden = _records(regions, "gemeinden", m.Gemeinde, "gemeinde", cat, required=False)
    cat.landtagswahlkreise = _records(
        regions, "landtagswahlkreise", m.Landtagswahlkreis, "landtagswahlkreis", cat, required=False
    )
    cat.gruppen = _records(regions, "gruppen", m.Gruppe, "gruppe", cat, required=False)
    cat.modellregionen = _records(regions, "modellregionen", m.Modellregion, "modellregion", cat, required=False)
    cat.hubs = _records(regions, "hubs", m.Hub, "hub", cat, required=False)
    cat.programme = _records(programmes, "programme", m.Programm, "programm", cat)
    cat.handlungsfelder = _records(projects, "handlungsfelder", m.Handlungsfeld, "handlungsfeld", cat)
    cat.projekte = _records(projects, "projekte", m.Projekt, "projekt", cat)
    cat.ideen = _records(ideas, "ideen", m.Ruhridee, "idee", cat, ident="nr")
    cat.themen = _records(themen, "themen", m.Thema, "thema", cat)
    _check_references(cat, themen_known=themen is not None)
    _check_templates(cat)
    cat.einheiten = einheiten(cat)
    return cat


def einheiten(cat: Catalogue) -> dict[str, m.Einheit]:
    """Everything a draft can be about, by id: regions first, then Gemeinden, Landtagswahlkreise and
    projects (an id used twice is reported by :func:`_check_references`; the first one wins)."""
    out: dict[str, m.Einheit] = {}

    def add(einheit: m.Einheit) -> None:
        out.setdefault(einheit.id, einheit)

    for r in cat.regionen.values():
        bez = cat.regierungsbezirke.get(r.regierungsbezirk)
        nominativ = german.region_nominativ(r.name, r.art)
        add(
            m.Einheit(
                r.id,
                r.name,
                r.art,
                "region",
                r.formen,
                nominativ,
                r.kreisschluessel,
                r.ags,
                bez.id if bez else r.regierungsbezirk,
                (r.id,),
                tuple(r.aliase),
            )
        )
    for g in cat.gemeinden.values():
        kreis = cat.regionen.get(g.kreis) if g.kreis else None
        formen = _formen(german.formen_gemeinde(g.name, g.art), g.formen)
        add(
            m.Einheit(
                g.id,
                g.name,
                g.art or "Gemeinde",
                "gemeinde",
                formen[0],
                formen[1],
                regierungsbezirk=kreis.regierungsbezirk if kreis else None,
                regionen=(kreis.id,) if kreis else (),
                aliase=tuple(g.aliase),
            )
        )
    for w in cat.landtagswahlkreise.values():
        formen = _formen(german.formen_landtagswahlkreis(w.nummer, w.name), w.formen)
        inside = tuple(r for r in w.regionen or [] if r in cat.regionen)
        bezirke = {cat.regionen[r].regierungsbezirk for r in inside}
        add(
            m.Einheit(
                w.id,
                w.titel,
                "Landtagswahlkreis",
                "landtagswahlkreis",
                formen[0],
                formen[1],
                regierungsbezirk=bezirke.pop() if len(bezirke) == 1 else None,
                regionen=inside,
                aliase=(w.name, str(w.nummer), *w.aliase),
            )
        )
    for p in cat.projekte.values():
        formen = _formen(german.formen_projekt(p.name), None)
        inside = tuple(r for r in p.verankerung if r in cat.regionen)
        add(m.Einheit(p.id, p.name, "Projekt", "projekt", formen[0], formen[1], regionen=inside))
    return out


def _formen(derived: dict[str, str], given: m.Formen | None) -> tuple[m.Formen, str]:
    """The forms of a name: those given in the catalogue, else the derived ones; and the nominative."""
    if given is not None:
        return given, derived["nominativ"]
    forms = {key: value for key, value in derived.items() if key != "nominativ"}
    return m.Formen.model_validate(forms), derived["nominativ"]


_UNKNOWN = {
    "Ressort": "unbekanntes",
    "Handlungsfeld": "unbekanntes",
    "Regierungsbezirk": "unbekannter",
    "Thema": "unbekanntes",
}
QUELLEN, RESSORTS, REGIONS, PROJECTS = (
    f"{DATA}/{name}.yaml" for name in ("quellen", "ressorts", "regions", "projects")
)
THEMEN = f"{DATA}/themen.yaml"
_DEFINED_IN = {"Quelle": QUELLEN, "Ressort": RESSORTS, "Handlungsfeld": PROJECTS, "Thema": THEMEN}


def _ref(cat: Catalogue, kind: str, ident: str, field_name: str, value: str, allowed: set[str], what: str) -> None:
    if value in allowed or value in cat.invalid_ids or _DEFINED_IN.get(what, REGIONS) in cat.unreadable:
        return
    loc = cat.locate(kind, ident)
    adjective = _UNKNOWN.get(what, "unbekannte")  # the article agrees with the noun
    hint = ""
    if what == "Thema":  # topics are a list a clerk extends: say where
        hint = f" (bekannt: {german.aufzaehlung(sorted(allowed))}; neue Themen in {THEMEN} eintragen)"
    cat.problems.append(Problem(loc.file, loc.line, f"{loc.key}.{field_name}", f"{adjective} {what} „{value}“{hint}."))


def _check_references(cat: Catalogue, themen_known: bool = True) -> None:
    sources = set(cat.quellen)
    regions = set(cat.regionen)
    places = regions | set(cat.gemeinden)
    anchors = places | set(cat.gruppen) | set(cat.regierungsbezirke) | {"land"}

    def sources_of(kind: str, records: dict[Any, Any]) -> None:
        for rid, rec in records.items():
            for q in rec.quelle:
                _ref(cat, kind, str(rid), "quelle", q, sources, "Quelle")

    all_records: list[tuple[str, dict[Any, Any]]] = [
        ("ressort", cat.ressorts),
        ("regierungsbezirk", cat.regierungsbezirke),
        ("region", cat.regionen),
        ("gemeinde", cat.gemeinden),
        ("gruppe", cat.gruppen),
        ("modellregion", cat.modellregionen),
        ("hub", cat.hubs),
        ("programm", cat.programme),
        ("handlungsfeld", cat.handlungsfelder),
        ("projekt", cat.projekte),
        ("idee", cat.ideen),
    ]
    for kind, records in all_records:
        sources_of(kind, records)

    names: dict[str, str] = {}
    for rid, region in cat.regionen.items():
        _ref(
            cat,
            "region",
            rid,
            "regierungsbezirk",
            region.regierungsbezirk,
            set(cat.regierungsbezirke),
            "Regierungsbezirk",
        )
        for label in [region.name, *region.aliase, region.kreisschluessel]:
            other = names.setdefault(label.casefold(), rid)
            if other != rid:
                loc = cat.locate("region", rid)
                cat.problems.append(
                    Problem(loc.file, loc.line, loc.key, f"Name oder Alias „{label}“ gehört schon zu „{other}“.")
                )
    for gid, gemeinde in cat.gemeinden.items():
        if gemeinde.kreis is not None:
            _ref(cat, "gemeinde", gid, "kreis", gemeinde.kreis, regions, "Region")
        if gid in regions:
            loc = cat.locate("gemeinde", gid)
            cat.problems.append(Problem(loc.file, loc.line, f"{loc.key}.id", f"Kennung „{gid}“ ist schon eine Region."))
    for wid, wahlkreis in cat.landtagswahlkreise.items():
        for rid in wahlkreis.regionen or []:
            _ref(cat, "landtagswahlkreis", wid, "regionen", rid, regions, "Region")
        for gid in wahlkreis.gemeinden or []:
            _ref(cat, "landtagswahlkreis", wid, "gemeinden", gid, set(cat.gemeinden), "Gemeinde")
        if wid in places:
            loc = cat.locate("landtagswahlkreis", wid)
            cat.problems.append(
                Problem(loc.file, loc.line, f"{loc.key}.id", f"Kennung „{wid}“ ist schon eine Region oder Gemeinde.")
            )
    for gid, gruppe in cat.gruppen.items():
        for member in gruppe.mitglieder:
            _ref(cat, "gruppe", gid, "mitglieder", member, regions, "Region")
    for mid, modell in cat.modellregionen.items():
        for member in [modell.leitkommune, *modell.partner]:
            _ref(cat, "modellregion", mid, "partner", member, places, "Region oder Gemeinde")
    for hid, hub in cat.hubs.items():
        for member in hub.regionen:
            _ref(cat, "hub", hid, "regionen", member, regions, "Region")
    for pid, prog in cat.programme.items():
        if prog.ressort:
            _ref(cat, "programm", pid, "ressort", prog.ressort, set(cat.ressorts), "Ressort")
        for thema in prog.themen if themen_known else []:  # without data/themen.yaml any topic goes
            _ref(cat, "programm", pid, "themen", thema, set(cat.themen), "Thema")
        for name, values in prog.werte.items():
            for value in values:
                for q in value.quelle:
                    _ref(cat, "programm", pid, f"werte.{name}.quelle", q, sources, "Quelle")
    for pid, proj in cat.projekte.items():
        _ref(cat, "projekt", pid, "handlungsfeld", proj.handlungsfeld, set(cat.handlungsfelder), "Handlungsfeld")
        if proj.ressort:
            _ref(cat, "projekt", pid, "ressort", proj.ressort, set(cat.ressorts), "Ressort")
        for anchor in proj.verankerung:
            _ref(cat, "projekt", pid, "verankerung", anchor, anchors, "Region, Gruppe oder Regierungsbezirk")
        for place, bezug in proj.bezug.items():
            _ref(cat, "projekt", pid, "bezug", place, places, "Region oder Gemeinde")
            for q in bezug.quelle:
                _ref(cat, "projekt", pid, f"bezug.{place}.quelle", q, sources, "Quelle")


def _check_templates(cat: Catalogue) -> None:
    """Compile every template and every Textbaustein so syntax errors surface with file and line."""
    env = make_environment(cat.templates_dir, cat.grenzen)
    if not cat.templates_dir.is_dir():
        cat.problems.append(Problem(TEMPLATES, 0, "", "Ordner der Vorlagen fehlt."))
        return
    for path in sorted(cat.templates_dir.rglob("*.j2")):
        name = path.relative_to(cat.templates_dir).as_posix()
        display = f"{TEMPLATES}/{name}"
        try:
            # the same limits as for data files: size, UTF-8, characters a DOCX cannot hold
            env.parse(read_text(path, display), name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            cat.problems.append(Problem(display, exc.lineno or 0, "", describe_error(exc, "vorlage")))
        except AnfrageError as exc:
            cat.problems.append(Problem(exc.file or display, exc.line, exc.key, exc.message))
        except RecursionError:  # parsing, not running: nesting is the only cause
            cat.problems.append(Problem(display, 0, "", "Die Vorlage ist zu tief verschachtelt."))
    for pid, prog in cat.programme.items():
        loc = cat.locate("programm", pid)
        try:
            env.parse(prog.text)
        except (jinja2.TemplateSyntaxError, RecursionError) as exc:
            cat.problems.append(Problem(loc.file, loc.line, f"{loc.key}.text", describe_error(exc, "textbaustein")))
