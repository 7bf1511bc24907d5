"""``anfrage check --quellen``: which facts of the catalogues lack a source, and which cited sources
cannot be found where ``fundstelle`` says.

Every catalogue entry should name a source (``quelle``) so that a reviewer can verify it; a fact that
no source gives belongs in the catalogue as null, which the draft shows as a placeholder. This check
lists what breaks that rule, as warnings with file, line and key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anfrage.errors import Problem
from anfrage.load.catalogue import Catalogue, Located

# Kind of record (as in Catalogue.where) → its German name in a message, and the catalogue attribute.
_KINDS: list[tuple[str, str, str]] = [
    ("ressort", "Ressort", "ressorts"),
    ("regierungsbezirk", "Regierungsbezirk", "regierungsbezirke"),
    ("region", "Region", "regionen"),
    ("gemeinde", "Gemeinde", "gemeinden"),
    ("landtagswahlkreis", "Landtagswahlkreis", "landtagswahlkreise"),
    ("gruppe", "Gruppe", "gruppen"),
    ("modellregion", "Modellregion", "modellregionen"),
    ("hub", "Hub", "hubs"),
    ("programm", "Programm", "programme"),
    ("handlungsfeld", "Handlungsfeld", "handlungsfelder"),
    ("projekt", "Projekt", "projekte"),
    ("idee", "Ruhridee", "ideen"),
]


def source_problems(cat: Catalogue) -> list[Problem]:
    """Warnings for catalogue entries, values and local relevances without ``quelle``, and for
    sources whose ``fundstelle`` does not exist (relative to the workspace)."""
    problems: list[Problem] = []
    for kind, label, attribute in _KINDS:
        records: dict[Any, Any] = getattr(cat, attribute, {})
        for ident, record in records.items():
            loc = cat.locate(kind, str(ident))
            if not record.quelle:
                name = getattr(record, "name", None) or getattr(record, "titel", None) or ident
                problems.append(_warn(loc, "quelle", f"{label} „{name}“ nennt keine Quelle."))
    for pid, programm in cat.programme.items():
        loc = cat.locate("programm", pid)
        for name, values in programm.werte.items():
            for i, value in enumerate(values):
                if not value.quelle:
                    problems.append(
                        _warn(loc, f"werte.{name}[{i}].quelle", f"Wert „{name}“ ({value.wert}) nennt keine Quelle.")
                    )
    for pid, projekt in cat.projekte.items():
        loc = cat.locate("projekt", pid)
        for place, bezug in projekt.bezug.items():
            if bezug.text and not bezug.quelle:
                problems.append(_warn(loc, f"bezug.{place}.quelle", f"Lokaler Bezug für „{place}“ nennt keine Quelle."))
    problems += fundstellen(cat)
    return problems


def fundstellen(cat: Catalogue) -> list[Problem]:
    """Sources whose ``fundstelle`` names a file that does not exist (relative to the workspace)."""
    problems: list[Problem] = []
    for qid, quelle in cat.quellen.items():
        if not quelle.fundstelle or "://" in quelle.fundstelle:
            continue  # none given, or a web address (not checked offline)
        path = Path(quelle.fundstelle)
        if not (path if path.is_absolute() else cat.root / path).exists():
            problems.append(
                _warn(
                    cat.locate("quelle", qid),
                    "fundstelle",
                    f"Fundstelle „{quelle.fundstelle}“ der Quelle „{qid}“ gibt es nicht "
                    "(Pfad relativ zum Arbeitsbereich, z. B. ../shared/seeds/…).",
                )
            )
    return problems


def _warn(loc: Located, key: str, message: str) -> Problem:
    return Problem(loc.file, loc.line, f"{loc.key}.{key}" if loc.key else key, message, "warnung")
