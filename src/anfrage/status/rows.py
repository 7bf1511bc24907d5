"""``anfrage status``: one row per registered Kleine Anfrage, sorted by urgency.

What a row says and where it comes from:

* ``eingang``, ``frist``, ``freigabe``, ``tage`` – the four-week clock (``clock.py``) at ``heute``;
* ``platzhalter``, ``bearbeitet``, ``wortlaut`` – the draft in the output folder as it is on disk
  (``drafts.py``); the draft of an Anfrage is the one of its first region, ``SERIE-REGION.md``;
  what was read before and has not changed since comes from the cache (``cache.py``);
* ``mitzeichnung`` – each Ressort of the Einvernehmen of the answer in effect
  (``select.effective_antwort``) with the date recorded under ``mitzeichnung:``, or None;
* ``zustand`` – see :func:`zustand`;
* ``antwort_drucksache`` – the answer's Drucksache once known (``antwort: drucksache:``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from anfrage import models as m
from anfrage.errors import AnfrageError, CatalogueError, Problem
from anfrage.german import aufzaehlung
from anfrage.load.catalogue import QUELLEN, REGIONS, RESSORTS, TEMPLATES, Catalogue
from anfrage.load.series import ANFRAGEN, Bundle, LoadedAnfrage, load_bundle, resolve_series
from anfrage.output import OutputFolder
from anfrage.select import effective_antwort
from anfrage.status.cache import StatusCache, stat_of
from anfrage.status.clock import FAELLIG_TAGE, Fristen, eingang, fristen_ab
from anfrage.status.drafts import DraftState, read_draft


class Zustand(StrEnum):
    ENTWURF = "Entwurf"
    IN_MITZEICHNUNG = "in Mitzeichnung"
    MITGEZEICHNET = "mitgezeichnet"
    VERSANDT = "versandt"


def mitzeichnende(antwort: m.Antwort) -> list[str]:
    """Ids of the co-signing Ressorts: the Einvernehmen entries that name a Ressort, in order."""
    found: list[str] = []
    for entry in antwort.einvernehmen:
        if entry.ressort is not None and entry.ressort not in found:
            found.append(entry.ressort)
    return found


def zustand(versandt: dt.date | None, mitzeichnung: Mapping[str, dt.date], ressorts: Sequence[str]) -> Zustand:
    """The state of an Anfrage, from its file alone (the draft does not change it):

    1. ``versandt`` – the Anfrage has ``versandt: DATUM``;
    2. ``mitgezeichnet`` – the Einvernehmen names at least one Ressort and every one of them has a
       date under ``mitzeichnung:``;
    3. ``in Mitzeichnung`` – some, but not all, of these Ressorts have a date;
    4. ``Entwurf`` – otherwise: no co-signature recorded yet, or the answer needs none.
    """
    if versandt is not None:
        return Zustand.VERSANDT
    signed = [r for r in ressorts if r in mitzeichnung]
    if ressorts and len(signed) == len(ressorts):
        return Zustand.MITGEZEICHNET
    if signed:
        return Zustand.IN_MITZEICHNUNG
    return Zustand.ENTWURF


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


@dataclass
class Eintrag:
    """What status needs of one Anfrage and its series; kept in the cache as JSON."""

    serie: str
    nummer: int
    drucksache: str | None
    regionen: list[str]
    titel: str
    datei: str  # the Anfrage's file, relative to the workspace
    eingang: dt.date | None  # ``eingang:``, else ``datum:``
    ressorts: list[str]  # the co-signing Ressorts of the Einvernehmen
    mitzeichnung: dict[str, dt.date]
    versandt: dt.date | None
    antwort_drucksache: str | None
    fragen: list[tuple[int, str]]
    warnungen: list[Problem] = field(default_factory=list)

    @classmethod
    def of(cls, bundle: Bundle, item: LoadedAnfrage) -> Eintrag:
        a = item.anfrage
        antwort = effective_antwort(bundle.serie, a)
        ressorts = mitzeichnende(antwort)
        return cls(
            serie=bundle.serie.id,
            nummer=a.nummer,
            drucksache=a.drucksache,
            regionen=list(a.regionen),
            titel=a.titel,
            datei=item.file,
            eingang=eingang(a),
            ressorts=ressorts,
            mitzeichnung=dict(a.mitzeichnung),
            versandt=a.versandt,
            antwort_drucksache=antwort.drucksache,
            fragen=[(f.nr, f.text) for f in a.fragen],
            warnungen=_strangers(item, ressorts),
        )

    @property
    def entwurf(self) -> str:
        """File stem of the Anfrage's draft: the one of its first region."""
        return f"{self.serie}-{self.regionen[0]}"

    @property
    def fragen_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.fragen, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]

    def to_json(self) -> dict[str, Any]:
        return {
            "serie": self.serie,
            "nummer": self.nummer,
            "drucksache": self.drucksache,
            "regionen": self.regionen,
            "titel": self.titel,
            "datei": self.datei,
            "eingang": self.eingang.isoformat() if self.eingang else None,
            "ressorts": self.ressorts,
            "mitzeichnung": {r: d.isoformat() for r, d in self.mitzeichnung.items()},
            "versandt": self.versandt.isoformat() if self.versandt else None,
            "antwort_drucksache": self.antwort_drucksache,
            "fragen": self.fragen,
            "warnungen": [[p.file, p.line, p.key, p.message, p.severity] for p in self.warnungen],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Eintrag:
        return cls(
            serie=data["serie"],
            nummer=data["nummer"],
            drucksache=data["drucksache"],
            regionen=data["regionen"],
            titel=data["titel"],
            datei=data["datei"],
            eingang=_date(data["eingang"]),
            ressorts=data["ressorts"],
            mitzeichnung={r: dt.date.fromisoformat(d) for r, d in data["mitzeichnung"].items()},
            versandt=_date(data["versandt"]),
            antwort_drucksache=data["antwort_drucksache"],
            fragen=[(int(nr), str(text)) for nr, text in data["fragen"]],
            warnungen=[Problem(*p) for p in data["warnungen"]],
        )


@dataclass
class Zeile:
    """One registered Kleine Anfrage as ``anfrage status`` shows it."""

    eintrag: Eintrag
    thema: str  # the names of its regions, for people
    fristen: Fristen | None
    tage: int | None
    entwurf: DraftState
    zustand: Zustand

    @property
    def serie(self) -> str:
        return self.eintrag.serie

    @property
    def nummer(self) -> int:
        return self.eintrag.nummer

    @property
    def titel(self) -> str:
        return self.eintrag.titel

    @property
    def mitzeichnung(self) -> dict[str, dt.date | None]:
        """Every co-signing Ressort with the date of its co-signature, or None."""
        return {r: self.eintrag.mitzeichnung.get(r) for r in self.eintrag.ressorts}

    @property
    def offen(self) -> bool:
        return self.zustand is not Zustand.VERSANDT

    @property
    def ueberfaellig(self) -> bool:
        return self.offen and self.tage is not None and self.tage < 0

    @property
    def faellig(self) -> bool:
        """Open and within the release period (today ≥ Freigabe), not yet overdue."""
        return self.offen and self.tage is not None and 0 <= self.tage <= FAELLIG_TAGE

    def sort_key(self) -> tuple[Any, ...]:
        """Most urgent first: open before sent, known deadlines by days left, then unknown ones."""
        return (not self.offen, self.tage is None, self.tage or 0, self.serie, self.nummer)

    def as_json(self) -> dict[str, Any]:
        e, f = self.eintrag, self.fristen
        return {
            "serie": e.serie,
            "nummer": e.nummer,
            "drucksache": e.drucksache,
            "region": e.regionen[0],
            "eingang": f.eingang.isoformat() if f else None,
            "frist": f.frist.isoformat() if f else None,
            "freigabe": f.freigabe.isoformat() if f else None,
            "tage": self.tage,
            "platzhalter": self.entwurf.platzhalter,
            "bearbeitet": self.entwurf.bearbeitet,
            "wortlaut": None if self.entwurf.wortlaut is None else not self.entwurf.wortlaut,
            "mitzeichnung": {r: d.isoformat() if d else None for r, d in self.mitzeichnung.items()},
            "zustand": self.zustand.value,
            "antwort_drucksache": e.antwort_drucksache,
        }


@dataclass
class StatusResult:
    heute: dt.date
    entwuerfe: Path
    zeilen: list[Zeile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ohne_entwuerfe: bool = False  # the output folder does not exist

    @property
    def unusable(self) -> bool:
        """A series could not be read (its problems are in ``problems``)."""
        return any(p.severity == "fehler" for p in self.problems)


def make_row(cat: Catalogue, e: Eintrag, draft: DraftState, heute: dt.date) -> Zeile:
    """The status row of one Anfrage at ``heute``."""
    clock = fristen_ab(e.eingang)
    names = [cat.regionen[r].name if r in cat.regionen else r for r in e.regionen]
    return Zeile(
        eintrag=e,
        thema=aufzaehlung(names),
        fristen=clock,
        tage=clock.tage(heute) if clock else None,
        entwurf=draft,
        zustand=zustand(e.versandt, e.mitzeichnung, e.ressorts),
    )


def _strangers(item: LoadedAnfrage, ressorts: list[str]) -> list[Problem]:
    """Co-signatures recorded for a Ressort outside the Einvernehmen: not counted, a warning."""
    problems = []
    for rid in item.anfrage.mitzeichnung:
        if rid not in ressorts:
            expected = ", ".join(ressorts) or "keines"
            problems.append(
                Problem(
                    item.file,
                    item.doc.line_of(("mitzeichnung", rid)),
                    f"mitzeichnung.{rid}",
                    f"Ressort „{rid}“ gehört nicht zum Einvernehmen der Antwort (mitzeichnende Ressorts: "
                    f"{expected}); diese Mitzeichnung zählt nicht.",
                    "warnung",
                )
            )
    return problems


def _entries(cat: Catalogue, path: Path, cache: StatusCache, result: StatusResult, strict: bool) -> list[Eintrag]:
    """The records of the series at ``path``: from the cache, or loaded (and validated) afresh."""
    name = cat.rel(path)
    cached = cache.series(name)
    if cached is not None:
        try:
            return [Eintrag.from_json(record) for record in cached]
        except (KeyError, TypeError, ValueError):
            pass  # a cache of another shape: read the files
    try:
        bundle = load_bundle(cat, path)
    except CatalogueError as exc:
        if strict:
            raise
        result.problems += exc.problems
        return []
    except AnfrageError as exc:
        if strict:
            raise
        result.problems.append(Problem(exc.file or name, exc.line, exc.key, exc.message))
        return []
    if bundle.single:  # an Anfrage file was named: its whole series
        return _entries(cat, cat.root / bundle.file, cache, result, strict)
    entries = [Eintrag.of(bundle, item) for item in bundle.anfragen]
    depends = [name, f"{TEMPLATES}/{bundle.serie.vorlage}", QUELLEN, RESSORTS, REGIONS]
    cache.put_series(name, depends + [item.file for item in bundle.anfragen], [e.to_json() for e in entries])
    return entries


def _draft(folder: OutputFolder, e: Eintrag, cache: StatusCache) -> DraftState:
    name = e.entwurf
    md, docx, base = folder.folder / f"{name}.md", folder.folder / f"{name}.docx", folder.base_path(name)
    key = {
        "dateien": {"md": stat_of(md), "docx": stat_of(docx), "basis": stat_of(base)},
        "manifest": [folder.records.get(f"{name}.md"), folder.records.get(f"{name}.docx")],
        "fragen": e.fragen_hash,
    }
    cached = cache.draft(name, key)
    if cached is not None:
        try:
            return DraftState.from_json(name, cached)
        except (KeyError, TypeError, ValueError):
            pass
    state = read_draft(folder, name, e.fragen)
    cache.put_draft(name, key, state.to_json())
    return state


def collect_status(cat: Catalogue, serie: str | None, entwuerfe: Path, heute: dt.date) -> StatusResult:
    """The rows of every registered Anfrage of every series (or of ``serie``), most urgent first.

    With ``serie`` a broken series raises (``CatalogueError``); without, the problems of a broken
    series are collected in the result and the other series are shown.
    """
    result = StatusResult(heute, entwuerfe)
    folder: OutputFolder | None = None
    if entwuerfe.is_dir():
        folder = OutputFolder(entwuerfe)
    else:
        result.ohne_entwuerfe = True
    cache = StatusCache(folder.folder if folder is not None else None, cat.root)
    if serie is not None:
        paths = [resolve_series(cat, serie)]
    else:
        paths = sorted(p for p in (cat.root / ANFRAGEN).glob("*.yaml") if p.is_file())
    for path in paths:
        for e in _entries(cat, path, cache, result, strict=serie is not None):
            draft = _draft(folder, e, cache) if folder is not None else DraftState(e.entwurf)
            result.zeilen.append(make_row(cat, e, draft, heute))
            result.problems += draft.problems + e.warnungen
    cache.save()
    result.zeilen.sort(key=Zeile.sort_key)
    result.problems.sort()
    return result
