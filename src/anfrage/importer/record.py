"""The Anfrage record: assembled from header and body, and written as the YAML of an Anfrage file.

The record is a plain dict in the key order of an Anfrage file (design.md), typed as
:class:`AnfrageRecord`. It is deliberately not a :class:`anfrage.models.Anfrage`: an import may lack
what the model requires (no Abgeordneten line found, no Fraktion), and the clerk completes such a
file by hand, while the model would refuse it outright; ``anfrage check`` and the series loader
validate the file against the model once it is in the workspace.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NotRequired, TypedDict

import yaml

from anfrage.errors import AnfrageError, DrucksacheError
from anfrage.importer.clean import Doc, normalise
from anfrage.importer.header import AbgeordneteRecord, read_header
from anfrage.importer.questions import FrageRecord, read_body
from anfrage.importer.regions import Regions, find_regions
from anfrage.importer.source import read_text


class AnfrageRecord(TypedDict):
    """An imported Kleine Anfrage, keys in the order of an Anfrage file (see :class:`anfrage.models.Anfrage`).

    ``datum`` is an ISO date string (JSON has no dates); ``serie`` is set by the caller, not the parser.
    """

    serie: NotRequired[str]
    wahlperiode: int
    nummer: int
    drucksache: str | None
    datum: str | None
    abgeordnete: list[AbgeordneteRecord]
    fraktion: str | None
    titel: str
    vorbemerkung: str
    fragen: list[FrageRecord]
    regionen: list[str]


def read_drucksache(path: Path, regions: Regions = ()) -> AnfrageRecord:
    """Read a Kleine Anfrage (or its answer) from a PDF or UTF-8 text file into an Anfrage record.

    ``regions`` lists ``(id, [names and aliases])``, e.g. the workspace's from
    :func:`~anfrage.importer.regions.default_regions`. Raises :class:`DrucksacheError` for anything
    that is not a readable Kleine Anfrage.
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


def parse_drucksache(text: str, regions: Regions = (), source: str = "<text>") -> AnfrageRecord:
    """Parse the text of a Kleine Anfrage or answer Drucksache into an Anfrage record.

    Raises :class:`DrucksacheError` (with ``file=source``) when no number, no title, no question or
    no Wahlperiode can be found, in that order.
    """
    doc = Doc(normalise(text))
    head = read_header(doc, source)
    body = read_body(doc, head, source)
    if head.wahlperiode is None:
        raise DrucksacheError("keine Wahlperiode gefunden (weder „NN. Wahlperiode“ noch ein Datum)", file=source)
    # Regions are looked for in title and questions only: a Vorbemerkung often compares with others.
    search = "\n".join([head.titel] + [f["text"] for f in body.fragen])
    return {
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
