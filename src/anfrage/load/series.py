"""Series and their Kleine Anfragen: loading, cross references, and the one series resolver.

A *bundle* is a series with its Anfragen, or one Anfrage with its series. :func:`resolve_series`
is the only place that turns what a clerk typed (a path, relative to the current folder or the
workspace, or a series id) into a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from anfrage import models as m
from anfrage.errors import AnfrageError, CatalogueError, Problem, UserError
from anfrage.load.catalogue import QUELLEN, REGIONS, RESSORTS, TEMPLATES, Catalogue, validate
from anfrage.yamlio import Document, format_path, load_yaml

T = TypeVar("T", bound=BaseModel)

ANFRAGEN = "data/anfragen"


def find_series_file(cat: Catalogue, ref: str | Path, cwd: Path | None = None) -> Path | None:
    """The file named by ``ref``, or None: the one resolver of series (and Anfrage) references.

    A relative path is tried in ``cwd`` (default: the current folder), then in the workspace; a
    bare id (no folder, no suffix) also names ``data/anfragen/<id>.yaml``.
    """
    raw = str(ref)
    path = Path(raw)
    if path.is_absolute():
        return path if path.exists() else None
    candidates = [(cwd or Path.cwd()) / path, cat.root / path]
    if "/" not in raw and "\\" not in raw and not path.suffix:
        candidates.append(cat.root / ANFRAGEN / f"{raw}.yaml")
    return next((c for c in candidates if c.is_file()), None)


def resolve_series(cat: Catalogue, ref: str | Path) -> Path:
    """The file of a series or Anfrage named by a path or a series id (``digitalisierung-2018``)."""
    found = find_series_file(cat, ref)
    if found is None:
        raise UserError(
            f"Datei „{ref}“ nicht gefunden (erwartet eine Serie oder eine Kleine Anfrage, "
            "z. B. data/anfragen/digitalisierung-2018.yaml)."
        )
    return found


def open_bundle(cat: Catalogue, ref: str | Path) -> Bundle:
    """A series or Anfrage by path or series id, loaded and cross-checked."""
    return load_bundle(cat, resolve_series(cat, ref))


def open_series(cat: Catalogue, ref: str | Path) -> tuple[Bundle, Path]:
    """The whole series named by ``ref`` and its absolute file.

    Given one Kleine Anfrage of a series instead, the whole series is taken (a batch always
    covers the series with all its Anfragen).
    """
    bundle = open_bundle(cat, ref)
    series_file = (cat.root / bundle.file).resolve()
    if bundle.single:
        bundle = load_bundle(cat, series_file)
    return bundle, series_file


@dataclass
class LoadedAnfrage:
    anfrage: m.Anfrage
    file: str
    doc: Document


@dataclass
class Bundle:
    """A series with its Anfragen, or a single Anfrage with its series."""

    serie: m.Serie
    file: str
    anfragen: list[LoadedAnfrage]
    doc: Document
    single: bool = False  # loaded from one Anfrage file: holds only that Anfrage of its series

    def anfrage_for(self, region_id: str) -> LoadedAnfrage | None:
        for item in self.anfragen:
            if region_id in item.anfrage.regionen:
                return item
        return None


def _read_doc(cat: Catalogue, path: Path) -> Document:
    display = cat.rel(path)
    doc = load_yaml(path, display)
    if doc.problems:
        raise CatalogueError(doc.problems)
    if not isinstance(doc.data, dict):
        raise UserError("erwartet eine Serie (mit „vorlage:“) oder eine Kleine Anfrage (mit „fragen:“).", file=display)
    return doc


def _validated(model: type[T], doc: Document) -> T:
    problems: list[Problem] = []
    record = validate(model, doc.data, doc, (), problems)
    if record is None:
        raise CatalogueError(problems)
    return record


def load_bundle(cat: Catalogue, path: Path) -> Bundle:
    """Load ANFRAGE_ODER_SERIE: a series file with its Anfragen, or one Anfrage file and its series."""
    doc = _read_doc(cat, path)
    if "fragen" in doc.data and "vorlage" not in doc.data:
        anfrage = _validated(m.Anfrage, doc)
        if not anfrage.serie:
            raise UserError(
                "Die Kleine Anfrage nennt keine Serie („serie:“); ohne Serie ist keine Antwortvorlage bekannt.",
                file=doc.file,
                line=1,
                key="serie",
            )
        series_path = cat.data_dir / "anfragen" / f"{anfrage.serie}.yaml"
        if not series_path.exists():
            raise UserError(
                f"Serie „{anfrage.serie}“ nicht gefunden ({cat.rel(series_path)}).", file=doc.file, key="serie"
            )
        series_doc = _read_doc(cat, series_path)
        serie = _validated(m.Serie, series_doc)
        bundle = Bundle(serie, series_doc.file, [LoadedAnfrage(anfrage, doc.file, doc)], series_doc, single=True)
    else:
        serie = _validated(m.Serie, doc)
        bundle = Bundle(serie, doc.file, [], doc)
        problems: list[Problem] = []
        base = cat.data_dir / "anfragen"
        for i, rel in enumerate(serie.anfragen):
            target = (base / rel).resolve()
            if base.resolve() not in target.parents:
                problems.append(
                    Problem(
                        doc.file,
                        doc.line_of(("anfragen", i)),
                        f"anfragen[{i}]",
                        "Pfad liegt außerhalb von data/anfragen/.",
                    )
                )
                continue
            if not target.exists():
                problems.append(
                    Problem(doc.file, doc.line_of(("anfragen", i)), f"anfragen[{i}]", f"Datei „{rel}“ nicht gefunden.")
                )
                continue
            try:
                adoc = _read_doc(cat, target)
                bundle.anfragen.append(LoadedAnfrage(_validated(m.Anfrage, adoc), adoc.file, adoc))
            except CatalogueError as exc:
                problems.extend(exc.problems)
            except AnfrageError as exc:
                problems.append(Problem(exc.file or rel, exc.line, exc.key, exc.message))
        if problems:
            # Cross references of the valid Anfragen too, so that one run shows every problem.
            try:
                problems += check_bundle(cat, bundle)
            except CatalogueError as exc:
                problems += exc.problems
            raise CatalogueError(problems)
    check_bundle(cat, bundle)
    return bundle


def check_bundle(cat: Catalogue, bundle: Bundle) -> list[Problem]:
    """Cross references of a series and its Anfragen; raises CatalogueError on errors, returns warnings."""
    problems: list[Problem] = []
    serie = bundle.serie
    template = cat.templates_dir / serie.vorlage
    if not template.is_file():
        problems.append(
            Problem(
                bundle.file,
                bundle.doc.line_of(("vorlage",)),
                "vorlage",
                f"Vorlage „{serie.vorlage}“ nicht gefunden in {TEMPLATES}/.",
            )
        )
    if serie.antwort.drucksache is not None:
        path: tuple[str | int, ...] = ("antwort", "drucksache")
        problems.append(
            Problem(
                bundle.file,
                bundle.doc.line_of(path),
                format_path(path),
                f"Die Nummer der Antwort-Drucksache („{serie.antwort.drucksache}“) gehört nicht in die Serie: "
                "Jede Antwort hat ihre eigene, sonst trügen alle Entwürfe dieselbe Nummer. In die Datei der "
                "beantworteten Kleinen Anfrage verschieben (antwort: {drucksache: …}).",
            )
        )
    answers = [(bundle.doc, serie.antwort)] + [(a.doc, a.anfrage.antwort) for a in bundle.anfragen if a.anfrage.antwort]
    for doc, antwort in answers:
        offices: list[tuple[tuple[str | int, ...], str | None]] = []
        if antwort.federfuehrend:
            offices.append((("antwort", "federfuehrend", "ressort"), antwort.federfuehrend.ressort))
        offices += [(("antwort", "einvernehmen", i, "ressort"), e.ressort) for i, e in enumerate(antwort.einvernehmen)]
        for path, ressort in offices:
            if (
                ressort is not None
                and ressort not in cat.ressorts
                and ressort not in cat.invalid_ids
                and RESSORTS not in cat.unreadable
            ):
                problems.append(
                    Problem(doc.file, doc.line_of(path), format_path(path), f"unbekanntes Ressort „{ressort}“.")
                )
    problems += _scope_problems(cat, bundle)
    seen: dict[str, str] = {}
    for item in bundle.anfragen:
        a = item.anfrage
        line = item.doc.line_of
        if a.serie and a.serie != serie.id:
            problems.append(
                Problem(item.file, line(("serie",)), "serie", f"gehört zur Serie „{a.serie}“, nicht zu „{serie.id}“.")
            )
        if not a.regionen:
            problems.append(Problem(item.file, line(("regionen",)), "regionen", "keine Region angegeben."))
        for rid in a.regionen:
            if REGIONS in cat.unreadable or rid in cat.invalid_ids:
                continue
            unknown = _not_of_series(cat, serie, rid)
            if unknown:
                problems.append(Problem(item.file, line(("regionen",)), "regionen", unknown))
            elif rid in seen:
                problems.append(
                    Problem(
                        item.file, line(("regionen",)), "regionen", f"Region „{rid}“ ist schon Teil von {seen[rid]}."
                    )
                )
            else:
                seen[rid] = item.file
        for q in a.quelle:
            if q not in cat.quellen and q not in cat.invalid_ids and QUELLEN not in cat.unreadable:
                problems.append(Problem(item.file, line(("quelle",)), "quelle", f"unbekannte Quelle „{q}“."))
        for rid in a.mitzeichnung:
            if rid not in cat.ressorts and rid not in cat.invalid_ids and RESSORTS not in cat.unreadable:
                key = ("mitzeichnung", rid)
                problems.append(Problem(item.file, line(key), format_path(key), f"unbekanntes Ressort „{rid}“."))
        answered = (a.antwort.over(serie.antwort) if a.antwort else serie.antwort).datum
        if a.datum and answered and a.datum > answered:
            own = a.antwort is not None and "datum" in a.antwort.model_fields_set
            problems.append(
                Problem(
                    item.file,
                    line(("datum",)),
                    "datum",
                    "Die Kleine Anfrage ist jünger als die Antwort "
                    f"({'ihr Antwortdatum' if own else 'Antwortdatum der Serie'}).",
                )
            )
    errors = [p for p in problems if p.severity == "fehler"]
    if errors:
        raise CatalogueError(problems)
    return problems


def _scope_problems(cat: Catalogue, bundle: Bundle) -> list[Problem]:
    """``geltungsbereich`` and ``fakten`` of a series must name known regions, groups or Bezirke."""
    problems: list[Problem] = []
    serie, doc = bundle.serie, bundle.doc
    scope = serie.geltungsbereich
    if REGIONS in cat.unreadable:
        return problems
    if isinstance(scope, list):
        for i, rid in enumerate(scope):
            unknown = _not_of_series(cat, serie, rid)
            if unknown:
                path = ("geltungsbereich", i)
                problems.append(Problem(bundle.file, doc.line_of(path), format_path(path), unknown))
    elif scope.startswith("regbez:"):
        if scope.split(":", 1)[1] not in cat.regierungsbezirke:
            known = ", ".join(f"regbez:{b}" for b in cat.regierungsbezirke)
            problems.append(
                Problem(
                    bundle.file,
                    doc.line_of(("geltungsbereich",)),
                    "geltungsbereich",
                    f"unbekannter Regierungsbezirk „{scope}“ (bekannt: {known}).",
                )
            )
    elif scope != "alle" and scope not in cat.gruppen and scope not in cat.einheiten:
        problems.append(
            Problem(
                bundle.file,
                doc.line_of(("geltungsbereich",)),
                "geltungsbereich",
                f"unbekannter Geltungsbereich „{scope}“: erwartet „alle“, eine Gruppe (z. B. ruhrgebiet), "
                "„regbez:…“ oder eine Liste von Regionen.",
            )
        )
    for rid in serie.fakten:
        unknown = _not_of_series(cat, serie, rid)
        if unknown:
            fakt: tuple[str | int, ...] = ("fakten", rid)
            problems.append(Problem(bundle.file, doc.line_of(fakt), format_path(fakt), unknown))
    return problems


def _not_of_series(cat: Catalogue, serie: m.Serie, ident: str) -> str | None:
    """Why ``ident`` cannot be a subject of the series (German), or None: unknown, or of another kind."""
    einheit = cat.einheiten.get(ident)
    if einheit is None:
        if serie.einheit == "region":
            return f"unbekannte Region „{ident}“."
        return f"unbekannte Einheit „{ident}“ (erwartet: {m.EINHEIT_NAMEN[serie.einheit]} aus den Katalogen in data/)."
    if einheit.einheit != serie.einheit:
        return (
            f"„{einheit.name}“ ist {_a(einheit.einheit)}; die Serie „{serie.id}“ handelt je "
            f"{m.EINHEIT_NAMEN[serie.einheit]} (Schlüssel „einheit“ der Serie)."
        )
    return None


def _a(art: str) -> str:
    return {"region": "ein Kreis oder eine kreisfreie Stadt", "gemeinde": "eine Gemeinde"}.get(
        art, f"ein {m.EINHEIT_NAMEN.get(art, art)}"
    )
