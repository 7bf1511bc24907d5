"""Recording the progress of an answer in its Anfrage's file: co-signatures and the day it was sent.

Both are one diffable line in ``data/anfragen/SERIE/ka-….yaml``, written by a surgical edit
(``yamledit``) that keeps the file's layout and comments::

    mitzeichnung:
      mags: 2018-11-20
    versandt: 2018-11-28

Neither changes a draft: the minister line ("im Einvernehmen mit …") comes from the answer data
(``antwort: einvernehmen:``), not from the co-signatures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from anfrage import german
from anfrage import models as m
from anfrage.errors import CatalogueError, Problem, UserError
from anfrage.load.catalogue import Catalogue, validate
from anfrage.load.series import Bundle, LoadedAnfrage
from anfrage.output import atomic_write
from anfrage.select import effective_antwort
from anfrage.status.rows import mitzeichnende
from anfrage.status.yamledit import set_entry, set_scalar
from anfrage.yamlio import parse_yaml, read_text

_BOM = b"\xef\xbb\xbf"


@dataclass
class Edit:
    """New bytes for an Anfrage file, checked but not yet written."""

    path: Path
    display: str
    data: bytes
    changed: bool

    def write(self) -> None:
        if self.changed:
            atomic_write(self.path, self.data)


def _prepare(cat: Catalogue, item: LoadedAnfrage, new_text: str, old_text: str, bom: bool) -> Edit:
    """Validate the edited text as an Anfrage; nothing is written when it does not validate."""
    doc = parse_yaml(new_text, item.file)
    problems: list[Problem] = list(doc.problems)
    if not problems:
        validate(m.Anfrage, doc.data, doc, (), problems)
    if problems:
        raise CatalogueError(problems)
    data = (_BOM if bom else b"") + new_text.encode("utf-8")
    return Edit(cat.root / item.file, item.file, data, new_text != old_text)


def _read(cat: Catalogue, item: LoadedAnfrage) -> tuple[str, bool]:
    path = cat.root / item.file
    return read_text(path, item.file), path.read_bytes().startswith(_BOM)


def anfrage_for(cat: Catalogue, bundle: Bundle, region: m.Region) -> LoadedAnfrage:
    """The registered Anfrage of ``region`` in the series, or ``UserError``."""
    item = bundle.anfrage_for(region.id)
    if item is None:
        raise UserError(
            f"Für {region.name} ist in der Serie „{bundle.serie.id}“ keine Kleine Anfrage erfasst "
            "(„anfrage import“ erfasst sie)."
        )
    return item


def find_ressort(cat: Catalogue, query: str) -> m.Ressort:
    """A Ressort by its id (case-insensitive), or ``UserError`` naming the known ones."""
    key = query.strip().casefold()
    if key in cat.ressorts:
        return cat.ressorts[key]
    known = ", ".join(cat.ressorts)
    shown = "".join(ch if ch.isprintable() else "?" for ch in query)[:40]
    raise UserError(f"Unbekanntes Ressort „{shown}“ (bekannt aus data/ressorts.yaml: {known}).")


@dataclass
class Mitzeichnung:
    """What ``anfrage mitzeichnung`` did."""

    anfrage: m.Anfrage
    ressort: m.Ressort
    vorher: dt.date | None
    nachher: dt.date | None
    edit: Edit


def mitzeichnung(
    cat: Catalogue,
    bundle: Bundle,
    region: m.Region,
    ressort_id: str,
    datum: dt.date,
    *,
    zuruecknehmen: bool = False,
    heute: dt.date | None = None,
) -> Mitzeichnung:
    """Record (or withdraw) the co-signature of a Ressort of the Einvernehmen; returns the edit, unwritten.

    ``UserError`` for an unknown Ressort, a Ressort outside the Einvernehmen of the answer, a date
    in the future, or withdrawing a co-signature that is not recorded.
    """
    item = anfrage_for(cat, bundle, region)
    a = item.anfrage
    ressort = find_ressort(cat, ressort_id)
    vorher = a.mitzeichnung.get(ressort.id)
    if zuruecknehmen:
        if vorher is None:
            raise UserError(
                f"Für die Kleine Anfrage {a.nummer} ({region.name}) ist keine Mitzeichnung von „{ressort.id}“ "
                f"eingetragen ({item.file})."
            )
        new_value: str | None = None
    else:
        antwort = effective_antwort(bundle.serie, a)
        ressorts = mitzeichnende(antwort)
        if ressort.id not in ressorts:
            raise UserError(_outside(cat, a, ressort, antwort, ressorts))
        if datum > (heute or dt.date.today()):
            raise UserError(
                f"--datum {datum.isoformat()} liegt in der Zukunft; eine Mitzeichnung ist ein erledigter Schritt."
            )
        new_value = datum.isoformat()
    text, bom = _read(cat, item)
    new_text = set_entry(text, "mitzeichnung", ressort.id, new_value, item.file)
    edit = _prepare(cat, item, new_text, text, bom)
    return Mitzeichnung(a, ressort, vorher, None if zuruecknehmen else datum, edit)


def _outside(cat: Catalogue, a: m.Anfrage, ressort: m.Ressort, antwort: m.Antwort, ressorts: list[str]) -> str:
    if antwort.federfuehrend is not None and antwort.federfuehrend.ressort == ressort.id:
        return (
            f"„{ressort.id}“ ({ressort.name}) ist federführend für die Antwort auf die Kleine Anfrage {a.nummer} "
            "und zeichnet nicht mit."
        )
    if not ressorts:
        return (
            f"Die Antwort auf die Kleine Anfrage {a.nummer} nennt im Einvernehmen kein Ressort "
            "(„antwort: einvernehmen:“); es gibt keine Mitzeichnung einzutragen."
        )
    listed = german.aufzaehlung(
        [f"„{r}“ ({cat.ressorts[r].name})" if r in cat.ressorts else f"„{r}“" for r in ressorts]
    )
    return (
        f"„{ressort.id}“ ({ressort.name}) gehört nicht zum Einvernehmen der Antwort auf die Kleine Anfrage "
        f"{a.nummer}; mitzeichnende Ressorts: {listed}."
    )


def versandt(cat: Catalogue, item: LoadedAnfrage, datum: dt.date) -> Edit:
    """The edit that marks the Anfrage ``versandt: DATUM`` (unwritten)."""
    text, bom = _read(cat, item)
    new_text = set_scalar(text, "versandt", datum.isoformat(), item.file)
    return _prepare(cat, item, new_text, text, bom)
