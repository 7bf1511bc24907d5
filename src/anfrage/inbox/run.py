"""From a folder of Drucksachen to a series: ``anfrage serie neu`` and ``anfrage import … --serie``.

Each Drucksache is read by the importer (:func:`anfrage.importer.read_drucksache`), its subject found
(:mod:`anfrage.inbox.subjects`), written to ``data/anfragen/<serie>/ka-<nr>-<subject>.yaml`` and
registered in the series. A file that cannot be read or registered is reported and the others go on.
An Anfrage is never registered when that would break its series: the series file is read back after
the edit and restored if it no longer loads.
"""

from __future__ import annotations

import datetime as dt
import glob
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from anfrage import german
from anfrage import models as m
from anfrage.errors import AnfrageError, CatalogueError, UserError
from anfrage.importer import read_drucksache, record_to_yaml
from anfrage.inbox.register import append_to_list
from anfrage.inbox.skeleton import Amt, SerieEntwurf, series_yaml, template
from anfrage.inbox.subjects import find_subjects
from anfrage.inbox.suggest import suggest
from anfrage.load.catalogue import Catalogue, german_message, load_catalogue
from anfrage.load.series import ANFRAGEN, Bundle, load_bundle
from anfrage.output import atomic_write
from anfrage.select import in_scope

SUFFIXES = (".pdf", ".txt")


@dataclass
class Optionen:
    """What the Anfragen do not say, given on the command line (used when a series is created)."""

    titel: str | None = None
    federfuehrend: str | None = None  # "mags" or "mags:w"
    einvernehmen: Sequence[str] = ()
    einheit: m.EinheitArt | None = None  # None: as found in the first Anfrage
    force: bool = False  # overwrite Anfrage files written earlier


@dataclass
class Datei:
    """What happened to one Drucksache."""

    quelle: str
    ok: bool
    meldung: str  # German, one line: what was found and done, or why not
    ziel: Path | None = None


@dataclass
class Bericht:
    serie: str
    neu: bool = False  # the series was created
    dateien: list[Datei] = field(default_factory=list)
    geschrieben: list[Path] = field(default_factory=list)  # series file and template, when created
    hinweise: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.dateien)


@dataclass
class _Anfrage:
    """One Drucksache read and its subject found, not yet written."""

    quelle: str
    record: dict[str, Any]
    art: m.EinheitArt | None
    fehlt: list[str]  # why it cannot be registered as it is (German)
    rel: str = ""  # path below data/anfragen/
    schon: bool = False  # registered in the series already (the same file): nothing to do


# --- arguments --------------------------------------------------------------------------------


def expand(arguments: Sequence[str | Path], cwd: Path) -> tuple[list[Path], list[Datei]]:
    """Files named by the arguments: files, folders (their PDF and text files) and glob patterns
    (``eingang/*.pdf``, for shells that do not expand them). Arguments that name nothing are
    reported, not raised."""
    files: list[Path] = []
    missing: list[Datei] = []
    for argument in arguments:
        raw = str(argument)
        path = Path(raw) if Path(raw).is_absolute() else cwd / raw
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not found:
                missing.append(Datei(raw, False, "Ordner ohne PDF- oder Textdateien."))
        elif any(ch in raw for ch in "*?["):
            found = sorted(Path(p) for p in glob.glob(str(path)) if Path(p).is_file())
            if not found:
                missing.append(Datei(raw, False, "keine Datei passt zu diesem Muster."))
        elif not path.is_file():
            missing.append(Datei(raw, False, "Datei nicht gefunden."))
            continue
        else:
            found = [path]
        files += [p for p in found if p not in files]
    return files, missing


def _office(cat: Catalogue, spec: str) -> Amt:
    ressort, _, geschlecht = spec.strip().partition(":")
    if ressort not in cat.ressorts:
        known = ", ".join(cat.ressorts)
        raise UserError(f"Unbekanntes Ressort „{ressort}“ (bekannt aus data/ressorts.yaml: {known}).")
    if geschlecht not in ("", "m", "w"):
        raise UserError(f"„{spec}“: nach dem Doppelpunkt m oder w (Geschlecht der Amtsinhaberin/des Amtsinhabers).")
    return Amt(ressort, geschlecht or None)


# --- reading ----------------------------------------------------------------------------------


def _read(cat: Catalogue, path: Path, serie_id: str, art: m.EinheitArt | None) -> _Anfrage:
    regions = [(r.id, [r.name, *r.aliase]) for r in cat.regionen.values()]
    record: dict[str, Any] = dict(read_drucksache(path, regions))
    search = "\n".join([str(record.get("titel") or "")] + [f["text"] for f in record.get("fragen", [])])
    found = find_subjects(cat, search, art)
    record["serie"] = serie_id
    record["regionen"] = found.ids
    if found.wortlaut:
        record["formen"] = found.wortlaut
    fehlt: list[str] = []
    if not found.ids:
        kind = m.EINHEIT_NAMEN[art] if art else "Region, Gemeinde, Landtagswahlkreis oder Projekt"
        fehlt.append(f"keine {kind} des Katalogs in Titel und Fragen erkannt (regionen: ergänzen)")
    try:
        m.Anfrage.model_validate({k: v for k, v in record.items() if k != "regionen"})
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            fehlt.append(f"{where}: {german_message(error).rstrip('.')}")
    anfrage = _Anfrage(str(path), record, found.art, fehlt)
    anfrage.rel = f"{serie_id}/{_filename(anfrage)}"
    return anfrage


def _describe(cat: Catalogue, a: _Anfrage) -> str:
    r = a.record
    datum = r.get("datum")
    when = (
        f" vom {german.datum(dt.date.fromisoformat(datum))}" if isinstance(datum, str) and datum[:4].isdigit() else ""
    )
    names = [cat.einheiten[i].name for i in r.get("regionen", []) if i in cat.einheiten]
    subject = f", {german.aufzaehlung(names)}" if names else ""
    fragen = german.anzahl(len(r.get("fragen", [])), "Frage", "Fragen")
    return f"Kleine Anfrage {r.get('nummer')}{when}, {fragen}{subject}"


def _filename(a: _Anfrage) -> str:
    ids = a.record.get("regionen") or []
    subject = "-".join(ids[:2]) if ids else "ohne-einheit"
    return f"ka-{a.record.get('nummer')}-{subject}.yaml"


def _yaml(a: _Anfrage) -> str:
    head = (
        f"# Kleine Anfrage {a.record.get('nummer')}, eingelesen mit „anfrage import“ aus {Path(a.quelle).name}.\n"
        "# Titel, Vorbemerkung und Fragen wörtlich aus der Drucksache – bitte mit dem Original vergleichen.\n"
    )
    if a.fehlt:
        head += "# Noch zu ergänzen: " + "; ".join(a.fehlt) + "\n"
    return head + record_to_yaml(a.record, a.record["serie"])


def _read_all(
    cat: Catalogue, files: list[Path], serie_id: str, art: m.EinheitArt | None, bericht: Bericht
) -> list[_Anfrage]:
    read: list[_Anfrage] = []
    for path in files:
        try:
            read.append(_read(cat, path, serie_id, art))
        except AnfrageError as exc:
            bericht.dateien.append(Datei(str(path), False, f"nicht eingelesen: {exc.message}"))
    return read


# --- writing ----------------------------------------------------------------------------------


def _write_anfrage(cat: Catalogue, serie_id: str, a: _Anfrage, force: bool) -> tuple[Path, bool]:
    """Write the Anfrage file; (its path, whether an existing file was kept)."""
    target = cat.data_dir / "anfragen" / a.rel
    if target.exists() and not force:
        return target, True
    atomic_write(target, _yaml(a).encode("utf-8"))
    return target, False


def serie_neu(root: Path, serie_id: str, sources: Sequence[str | Path], optionen: Optionen, cwd: Path) -> Bericht:
    """Create a series from Drucksachen: Anfrage files, the series file and the skeleton template.

    Raises ``UserError`` (nothing written) when the series exists, an option is wrong, or no file
    gives an Anfrage that can be registered.
    """
    cat = _catalogue(root)
    series_file = cat.data_dir / "anfragen" / f"{serie_id}.yaml"
    template_file = cat.templates_dir / f"{serie_id}.md.j2"
    m.Serie.model_validate({"id": serie_id, "titel": "x", "vorlage": "x.j2"})  # the id is a slug
    for existing in (series_file, template_file):
        if existing.exists():
            raise UserError(
                f"„{cat.rel(existing)}“ gibt es schon. Weitere Anfragen: anfrage import DATEI … --serie {serie_id}"
            )
    federfuehrend = _office(cat, optionen.federfuehrend) if optionen.federfuehrend else None
    einvernehmen = [_office(cat, spec) for spec in optionen.einvernehmen if spec.strip()]
    files, bericht_dateien = expand(sources, cwd)
    bericht = Bericht(serie_id, neu=True, dateien=bericht_dateien)
    read = _read_all(cat, files, serie_id, optionen.einheit, bericht)
    found = [a.art for a in read if a.art is not None]
    art: m.EinheitArt = optionen.einheit or (found[0] if found else "region")
    chosen = _choose(cat, read, art, None, bericht)
    if not chosen:
        reasons = "; ".join(f"{Path(d.quelle).name}: {d.meldung}" for d in bericht.dateien) or "keine Datei angegeben"
        raise UserError(f"Keine Kleine Anfrage ließ sich in die neue Serie aufnehmen – nichts geschrieben ({reasons}).")
    for a in read:
        target, kept = _write_anfrage(cat, serie_id, a, optionen.force)
        registered = a in chosen
        text = _describe(cat, a) + f" → {cat.rel(target)}" + (" (vorhanden, nicht überschrieben)" if kept else "")
        if registered:
            bericht.dateien.append(Datei(a.quelle, True, text + ", in die Serie eingetragen.", target))
        else:
            bericht.dateien.append(
                Datei(a.quelle, False, text + f" – nicht eingetragen: {'; '.join(a.fehlt)}.", target)
            )
    entwurf = _entwurf(cat, serie_id, chosen, art, optionen, federfuehrend, einvernehmen)
    fragen, immer = _questions(chosen)
    programme = list(cat.programme.values())
    vorschlaege = suggest([text for _, text in fragen], programme, cat.themen)
    atomic_write(template_file, template(serie_id, fragen, vorschlaege, immer).encode("utf-8"))
    atomic_write(series_file, series_yaml(entwurf).encode("utf-8"))
    bericht.geschrieben = [series_file, template_file]
    bericht.hinweise += entwurf.hinweise
    return bericht


def import_in_serie(root: Path, serie_id: str, sources: Sequence[str | Path], optionen: Optionen, cwd: Path) -> Bericht:
    """Import Drucksachen into a series, creating it (``serie neu``) if it does not exist yet."""
    cat = _catalogue(root)
    series_file = cat.data_dir / "anfragen" / f"{serie_id}.yaml"
    if not series_file.exists():
        return serie_neu(root, serie_id, sources, optionen, cwd)
    bundle = load_bundle(cat, series_file)  # a broken series is the clerk's to fix first (exit 2)
    files, dateien = expand(sources, cwd)
    bericht = Bericht(serie_id, dateien=dateien)
    read = _read_all(cat, files, serie_id, optionen.einheit or bundle.serie.einheit, bericht)
    chosen = _choose(cat, read, bundle.serie.einheit, bundle, bericht)
    for a in read:
        target, kept = _write_anfrage(cat, serie_id, a, optionen.force)
        text = _describe(cat, a) + f" → {cat.rel(target)}" + (" (vorhanden, nicht überschrieben)" if kept else "")
        if a.schon:
            bericht.dateien.append(Datei(a.quelle, True, text + ", schon in der Serie eingetragen.", target))
            continue
        if a not in chosen:
            bericht.dateien.append(
                Datei(a.quelle, False, text + f" – nicht eingetragen: {'; '.join(a.fehlt)}.", target)
            )
            continue
        why = _register(cat, series_file, bundle, a)
        if why:
            bericht.dateien.append(Datei(a.quelle, False, text + f" – nicht eingetragen: {why}", target))
        else:
            bundle = load_bundle(cat, series_file)
            bericht.dateien.append(Datei(a.quelle, True, text + ", in die Serie eingetragen.", target))
            scope = bundle.serie.geltungsbereich
            outside = [i for i in a.record["regionen"] if not in_scope(cat, bundle.serie, cat.einheiten[i])]
            if outside and not isinstance(scope, list):
                bericht.hinweise.append(
                    f"{', '.join(outside)} liegt außerhalb des Geltungsbereichs „{scope}“ der Serie – "
                    "„geltungsbereich:“ in der Serie anpassen, sonst entsteht kein Entwurf."
                )
    return bericht


def _catalogue(root: Path) -> Catalogue:
    cat = load_catalogue(root)
    if cat.errors():
        raise CatalogueError(cat.problems)
    return cat


def _choose(
    cat: Catalogue, read: list[_Anfrage], art: m.EinheitArt, bundle: Bundle | None, bericht: Bericht
) -> list[_Anfrage]:
    """The Anfragen that can be registered: complete, of the series' kind, each subject and number once."""
    taken: dict[str, str] = {}
    numbers: dict[int, str] = {}
    if bundle is not None:
        for item in bundle.anfragen:
            numbers[item.anfrage.nummer] = item.file
            taken.update(dict.fromkeys(item.anfrage.regionen, item.file))
    chosen: list[_Anfrage] = []
    for a in read:
        nummer = a.record.get("nummer")
        if a.art is not None and a.art != art and a.record.get("regionen"):
            a.fehlt.append(f"handelt von {m.EINHEIT_DATIV[a.art]}; die Serie ist je {m.EINHEIT_NAMEN[art]} angelegt")
        if isinstance(nummer, int) and nummer in numbers:
            if numbers[nummer] == f"{ANFRAGEN}/{a.rel}":
                a.schon = True
                continue
            a.fehlt.append(f"Kleine Anfrage {nummer} ist schon erfasst ({numbers[nummer]})")
        for ident in a.record.get("regionen", []):
            if ident in taken and not a.fehlt:
                a.fehlt.append(f"{cat.einheiten[ident].name} ist schon Teil von {taken[ident]}")
        if a.fehlt:
            continue
        chosen.append(a)
        if isinstance(nummer, int):
            numbers[nummer] = a.quelle
        taken.update(dict.fromkeys(a.record["regionen"], a.quelle))
    return chosen


def _register(cat: Catalogue, series_file: Path, bundle: Bundle, a: _Anfrage) -> str | None:
    """Append the Anfrage (and its subjects, where the scope is a list) to the series file; restore the
    file and say why when the series would not load afterwards."""
    before = series_file.read_text(encoding="utf-8")
    display = cat.rel(series_file)
    try:
        text = append_to_list(before, "anfragen", a.rel, display)
        scope = bundle.serie.geltungsbereich
        if isinstance(scope, list):
            for ident in a.record["regionen"]:
                if ident not in scope:
                    text = append_to_list(text, "geltungsbereich", ident, display)
    except UserError as exc:
        return exc.message
    atomic_write(series_file, text.encode("utf-8"))
    try:
        load_bundle(cat, series_file)
    except AnfrageError as exc:
        atomic_write(series_file, before.encode("utf-8"))
        problems = exc.problems if isinstance(exc, CatalogueError) else []
        detail = "; ".join(str(p) for p in problems[:3]) or str(exc)
        return f"die Serie ließe sich danach nicht laden ({detail})."
    return None


def _general_title(cat: Catalogue, record: dict[str, Any]) -> str:
    """The title of an Anfrage with its subject left out ("… in der Pflege im Kreis Kleve?" → "… in der Pflege …?")."""
    title = str(record["titel"])
    for ident in record.get("regionen", []):
        einheit = cat.einheiten.get(ident)
        wortlaut = record.get("formen", {}).get("in")
        phrases = [wortlaut] if wortlaut else []
        phrases += [einheit.formen.in_, einheit.formen.genitiv, einheit.name] if einheit else []
        for phrase in phrases:
            if phrase and phrase in title:
                return title.replace(phrase, "…", 1)
    return title


def _entwurf(
    cat: Catalogue,
    serie_id: str,
    chosen: list[_Anfrage],
    art: m.EinheitArt,
    optionen: Optionen,
    federfuehrend: Amt | None,
    einvernehmen: list[Amt],
) -> SerieEntwurf:
    hinweise: list[str] = []
    wahlperioden = {a.record.get("wahlperiode") for a in chosen}
    fraktionen = {a.record.get("fraktion") for a in chosen}
    if len(wahlperioden) > 1:
        hinweise.append("Die Anfragen nennen verschiedene Wahlperioden – bitte „wahlperiode“ prüfen.")
    if len(fraktionen) > 1:
        hinweise.append("Die Anfragen stammen von verschiedenen Fraktionen – „fraktion“ bleibt leer.")
    first = chosen[0].record
    return SerieEntwurf(
        id=serie_id,
        titel=optionen.titel or _general_title(cat, first),
        titel_quelle="mit --titel angegeben"
        if optionen.titel
        else "Titel der ersten Anfrage ohne ihre Einheit; ändern",
        einheit=art,
        wahlperiode=wahlperioden.pop() if len(wahlperioden) == 1 else None,
        fraktion=fraktionen.pop() if len(fraktionen) == 1 else None,
        geltungsbereich=[i for a in chosen for i in a.record["regionen"]],
        anfragen=[a.rel for a in chosen],
        federfuehrend=federfuehrend,
        einvernehmen=einvernehmen,
        hinweise=hinweise,
    )


def _questions(chosen: list[_Anfrage]) -> tuple[list[tuple[int, str]], int]:
    """Every question number of the series with the wording of the first Anfrage that has it, and
    the number of questions every Anfrage has."""
    counts = [len(a.record["fragen"]) for a in chosen]
    wording: dict[int, str] = {}
    for a in chosen:
        for frage in a.record["fragen"]:
            wording.setdefault(int(frage["nr"]), str(frage["text"]))
    return sorted(wording.items()), min(counts)


__all__ = ["ANFRAGEN", "Bericht", "Datei", "Optionen", "expand", "import_in_serie", "serie_neu"]
