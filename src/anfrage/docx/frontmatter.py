"""The front matter as the DOCX needs it: five display texts and the answer date, or a refusal.

``anfrage.draft`` finds the block (``front_matter_block``) and reads it leniently for the report
and ``anfrage check`` (``split_front_matter``: unreadable YAML counts as empty). A Word file
cannot be written from an empty header block, so the writer reads the same block strictly here:
broken YAML, missing fields and values that are not text are refused with a German message that
says what to fix, with the line where YAML knows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

import yaml

from anfrage.docx.wml import check_chars
from anfrage.draft import front_matter_block
from anfrage.errors import UserError

__all__ = ["REQUIRED_FRONT_MATTER", "FrontMatter", "read_front_matter"]

REQUIRED_FRONT_MATTER: Final = ("wahlperiode", "drucksache", "datum", "titel", "ressort")

_MAX_FRONT_MATTER: Final = 64 * 1024

# libyaml where PyYAML was built with it; both are safe loaders.
_YAML_LOADER: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class FrontMatter:
    """The front-matter fields the DOCX needs, as display text (``antwortdatum`` as a date)."""

    wahlperiode: str
    drucksache: str
    datum: str
    titel: str
    ressort: str
    antwortdatum: dt.date | None  # unknown answer date: no dates in the document properties


def _field_text(key: str, value: object) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise UserError(f"Vorspann des Entwurfs: „{key}“ muss ein Text oder eine Zahl sein.")
    text = str(value)
    check_chars(text, f"Der Vorspann-Eintrag „{key}“")
    return text


def _answer_date(value: object) -> dt.date | None:
    """``antwortdatum`` as a date: a YAML date, or a string in ISO form; absent is ``None``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass  # refused below, like any other value that is not a date
    raise UserError("Vorspann des Entwurfs: „antwortdatum“ muss ein Datum wie 2018-11-28 sein.")


def read_front_matter(markdown: str) -> tuple[FrontMatter, str]:
    """Split a draft into its checked front matter and the Markdown body after it."""
    raw, body, _ = front_matter_block(markdown)
    if raw is None:
        raise UserError("Der Entwurf beginnt nicht mit einem Vorspann (YAML zwischen zwei Zeilen „---“).")
    if len(raw) > _MAX_FRONT_MATTER:
        raise UserError("Der Vorspann des Entwurfs ist zu groß.")
    try:
        data = yaml.load(raw, Loader=_YAML_LOADER)  # a SafeLoader (C or Python)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f" (Zeile {mark.line + 2})" if mark is not None else ""  # + 1 for 1-based, + 1 for "---"
        raise UserError(
            f"Der Vorspann des Entwurfs ist kein gültiges YAML{at}. Werte mit „: “ "
            "oder „[[…]]“ müssen in Anführungszeichen stehen."
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        # ValueError: e.g. a date like 2018-13-01
        raise UserError(
            "Der Vorspann des Entwurfs enthält einen ungültigen Wert (z. B. ein Datum, das es nicht gibt)."
        ) from None
    if not isinstance(data, dict):
        raise UserError("Der Vorspann des Entwurfs muss aus Einträgen „schlüssel: wert“ bestehen.")
    missing = [k for k in REQUIRED_FRONT_MATTER if data.get(k) is None]
    if missing:
        raise UserError("Im Vorspann des Entwurfs fehlt: " + ", ".join(missing) + ".")
    antwortdatum = _answer_date(data.get("antwortdatum"))
    fm = FrontMatter(
        wahlperiode=_field_text("wahlperiode", data["wahlperiode"]),
        drucksache=_field_text("drucksache", data["drucksache"]),
        datum=_field_text("datum", data["datum"]),
        titel=_field_text("titel", data["titel"]),
        ressort=_field_text("ressort", data["ressort"]),
        antwortdatum=antwortdatum,
    )
    return fm, body
