"""What ``anfrage uebernehmen`` found per changed paragraph, and where a correction goes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from anfrage.origin import (
    Origin,
)

# What happens to a changed paragraph.
KATALOG: Final = "katalog"  # can be written into a catalogue entry
VORLAGE_ZIEL: Final = "vorlage"  # can be written into the series' template
REGIONAL: Final = "regional"  # region-specific: stays in this draft
OFFEN: Final = "offen"  # cannot be placed: reported

_JINJA: Final = re.compile(r"\{[{%#]|[}%#]\}")


@dataclass
class _YamlEdit:
    file: str
    entry: str
    start: int  # value offsets of the replaced text
    end: int
    new: str


@dataclass
class _TemplateEdit:
    file: str
    first: int  # 1-based file lines replaced (inclusive)
    last: int
    lines: list[str]


@dataclass
class Change:
    """One changed paragraph of a draft."""

    alt: list[str]  # the paragraph as generated (empty: added by hand)
    neu: list[str]  # as the clerk left it (empty: deleted)
    zeile_alt: int  # first line in the base (0: none)
    zeile_neu: int  # first line in the draft (0: none)
    ziel: str  # KATALOG, VORLAGE_ZIEL, REGIONAL or OFFEN
    herkunft: Origin | None
    grund: str  # German: where it goes, or why it stays / cannot be placed
    anzahl: int = 0  # drafts of the series with the same paragraph
    von: int = 0  # drafts of the series
    edit: _YamlEdit | _TemplateEdit | None = None
    geschrieben: str = ""  # after apply: "data/programmes.yaml, Zeilen 45–47"


@dataclass
class Takeover:
    draft: str
    serie: str
    region: str
    changes: list[Change] = field(default_factory=list)
    root: Path = Path()
    written: list[str] = field(default_factory=list)
