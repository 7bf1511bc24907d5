"""The Anfrage record: assembled from header and body, checked for what is missing, written as YAML.

The record is a plain dict in the key order of an Anfrage file (design.md), typed as
:class:`AnfrageRecord`. It is deliberately not a :class:`anfrage.models.Anfrage`: an import may lack
what the model requires (no Abgeordneten line found, no Fraktion), and the clerk completes such a
file by hand, while the model would refuse it outright; ``anfrage check`` and the series loader
validate the file against the model once it is in the workspace.

What the text does not give stays empty (None, ``[]`` or ``""``) and is named in the list of
problems that comes with the record (:class:`ImportResult`): the importer never fills a field from
something that is not that field.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple, NotRequired, TypedDict

import yaml

from anfrage.errors import AnfrageError, DrucksacheError, Problem
from anfrage.importer.clean import Doc, normalise
from anfrage.importer.header import AbgeordneteRecord, read_header
from anfrage.importer.questions import FrageRecord, read_body
from anfrage.importer.reflow import reflow
from anfrage.importer.regions import Regions, find_regions
from anfrage.importer.source import read_text


class AnfrageRecord(TypedDict):
    """An imported Kleine Anfrage, keys in the order of an Anfrage file (see :class:`anfrage.models.Anfrage`).

    ``datum`` is an ISO date string (JSON has no dates); ``serie`` is set by the caller, not the parser.
    A value the text does not give is None (``abgeordnete`` and ``fragen``: empty, ``vorbemerkung``: "").
    """

    serie: NotRequired[str]
    wahlperiode: int | None
    nummer: int | None
    drucksache: str | None
    datum: str | None
    abgeordnete: list[AbgeordneteRecord]
    fraktion: str | None
    titel: str | None
    vorbemerkung: str
    fragen: list[FrageRecord]
    regionen: list[str]


class ImportResult(NamedTuple):
    """A record and what it lacks: one :class:`~anfrage.errors.Problem` per field the text does not
    give (severity "fehler"), or whose value is a guess (severity "warnung"). No problems: complete."""

    record: AnfrageRecord
    problems: list[Problem]

    @property
    def complete(self) -> bool:
        """True when no field is missing (warnings allowed)."""
        return not any(p.severity == "fehler" for p in self.problems)


# What is missing, in the key order of the record; (key, message).
_MISSING = {
    "wahlperiode": "Wahlperiode nicht gefunden (weder „NN. Wahlperiode“ noch Drucksachennummer oder Datum)",
    "nummer": "Nummer der Kleinen Anfrage nicht gefunden (erwartet: „Kleine Anfrage N“)",
    "drucksache": "Drucksachennummer der Kleinen Anfrage nicht gefunden (erwartet: „Drucksache NN/NNNN“)",
    "datum": "Datum der Kleinen Anfrage nicht gefunden",
    "abgeordnete": "Abgeordnete nicht gefunden (erwartet: „des Abgeordneten …“ oder „der Abgeordneten …“)",
    "fraktion": "Fraktion nicht gefunden",
    "titel": "Titel der Kleinen Anfrage nicht gefunden",
    "fragen": "Fragen nicht gefunden (erwartet: nummerierte Fragen wie „1. Welche …?“)",
}
_TITLE_GUESSED = "Ende des Titels im einzeiligen Text nur vermutet – bitte prüfen"
_NAMES_GUESSED = "Namen der Abgeordneten ohne Fraktion im einzeiligen Text nur vermutet – bitte prüfen"
# read_drucksache refuses records without these (what the parser has always required)
_ESSENTIAL = ("nummer", "titel", "fragen", "wahlperiode")


def import_drucksache(path: Path, regions: Regions = ()) -> ImportResult:
    """Read a Kleine Anfrage (or its answer) from a PDF or UTF-8 text file: the record with what the
    text gives, and a problem for each field it does not give.

    Raises :class:`DrucksacheError` only for unusable input: no file, not text (binary, Office,
    scanned PDF, another encoding), no text at all, or no trace of a Kleine Anfrage in it.
    ``regions`` lists ``(id, [names and aliases])``, e.g. from
    :func:`~anfrage.importer.regions.default_regions`.
    """
    path = Path(path)
    text = read_text(path)
    try:
        return parse_drucksache(text, regions, source=str(path))
    except AnfrageError:
        raise
    except Exception as exc:  # pragma: no cover - safety net: bad input must never crash the CLI
        raise DrucksacheError(
            f"Drucksache nicht verstanden (interner Fehler {type(exc).__name__}: {exc})", file=path
        ) from exc


def read_drucksache(path: Path, regions: Regions = ()) -> AnfrageRecord:
    """The record of :func:`import_drucksache`, or a :class:`DrucksacheError` when it lacks the
    number, the title, the questions or the Wahlperiode (date, Drucksache and MdL may be None)."""
    result = import_drucksache(path, regions)
    for problem in result.problems:
        if problem.key in _ESSENTIAL and problem.severity == "fehler":
            raise DrucksacheError(problem.message, file=problem.file)
    return result.record


def parse_drucksache(text: str, regions: Regions = (), source: str = "<text>") -> ImportResult:
    """Parse the text of a Kleine Anfrage or answer Drucksache into a record and its problems.

    The text may keep its lines (pdftotext, pypdf), be flattened to one line (a database export, a
    copy from a browser's PDF viewer) or lack the Drucksache header (a question text from an MdL's
    website). Raises :class:`DrucksacheError` (``file=source``) for text without any content or
    without any trace of a Kleine Anfrage (no number, no Abgeordnete, no title, no question).
    """
    normalised = normalise(text)
    if not normalised.strip():
        raise DrucksacheError("Text ist leer", file=source)
    flowed = reflow(normalised)
    doc = Doc(flowed.text)
    head = read_header(doc)
    body = read_body(doc, head)
    if head.nummer is None and head.titel is None and not head.abgeordnete and not body.fragen:
        raise DrucksacheError(
            "keine Kleine Anfrage erkannt (weder Nummer, Abgeordnete, Titel noch Fragen gefunden)", file=source
        )
    # Regions are looked for in title and questions only: a Vorbemerkung often compares with others.
    search = "\n".join([head.titel or ""] + [f["text"] for f in body.fragen])
    record: AnfrageRecord = {
        "wahlperiode": head.wahlperiode,
        "nummer": head.nummer,
        "drucksache": head.drucksache,
        "datum": head.datum,
        "abgeordnete": head.abgeordnete,
        "fraktion": head.fraktion,
        "titel": head.titel,
        "vorbemerkung": body.vorbemerkung,
        "fragen": body.fragen,
        "regionen": find_regions(search, regions),
    }
    values: Mapping[str, object] = record
    problems = [Problem(source, 0, key, message) for key, message in _MISSING.items() if values[key] in (None, [])]
    if flowed.names_guessed and head.abgeordnete:
        problems.append(Problem(source, 0, "abgeordnete", _NAMES_GUESSED, severity="warnung"))
    if flowed.title_guessed and head.titel is not None:
        problems.append(Problem(source, 0, "titel", _TITLE_GUESSED, severity="warnung"))
    return ImportResult(record, problems)


# --------------------------------------------------------------------------------------------------
# YAML


class _Flow(dict[str, Any]):
    """A mapping written in flow style ({name: …, geschlecht: …})."""


class _Literal(str):
    """A string written as a literal block (|)."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper with the layout of hand-written Anfrage files (flow items, literal blocks, null)."""


def _repr_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _repr_literal(dumper: yaml.SafeDumper, data: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")


def _repr_none(dumper: yaml.SafeDumper, data: None) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_Dumper.add_representer(_Flow, _repr_flow)
_Dumper.add_representer(_Literal, _repr_literal)
_Dumper.add_representer(type(None), _repr_none)

_KEY_ORDER = [
    "serie",
    "wahlperiode",
    "nummer",
    "drucksache",
    "datum",
    "abgeordnete",
    "fraktion",
    "titel",
    "vorbemerkung",
    "fragen",
    "regionen",
    "quelle",
    "antwort",
]


def record_to_yaml(record: Mapping[str, Any], serie: str | None = None) -> str:
    """The record as deterministic YAML in the key order of design.md (what ``anfrage import -o``
    writes). ``datum`` becomes a YAML date; ``vorbemerkung`` a literal block (``|``), which gives it
    one final newline when read back, as in hand-written Anfrage files."""
    data: dict[str, Any] = {}
    if serie is None:
        serie = record.get("serie")
    if serie is not None:
        data["serie"] = serie
    keys = [k for k in _KEY_ORDER if k in record and k != "serie"]
    keys += [k for k in record if k not in _KEY_ORDER]
    for key in keys:
        value = record[key]
        if key == "datum" and isinstance(value, str):
            with contextlib.suppress(ValueError):  # not an ISO date: written as the text it is
                value = dt.date.fromisoformat(value)
        elif key in ("abgeordnete", "fragen") and isinstance(value, list):
            value = [_Flow(v) if isinstance(v, dict) else v for v in value]
        elif key == "vorbemerkung" and isinstance(value, str) and value.strip():
            value = _Literal(value.rstrip("\n") + "\n")
        data[key] = value
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=False,
    )
