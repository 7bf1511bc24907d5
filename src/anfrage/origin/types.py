"""What ``anfrage herkunft`` says about a line: its origin, and a render that knows them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from anfrage import models as m
from anfrage.load.catalogue import Catalogue
from anfrage.load.series import Bundle
from anfrage.render import Rendered, Renderer

TEXTBAUSTEIN: Final = "textbaustein"
VORLAGE: Final = "vorlage"
ANFRAGE: Final = "anfrage"
MUSTER: Final = "mustertext"
KOPF: Final = "kopf"
HAND: Final = "von Hand"
UNBEKANNT: Final = "unbekannt"

_LINE_BREAKS: Final = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_UNESCAPE: Final = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG: Final = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_EXPR: Final = re.compile(r"\{\{.*?\}\}", re.S)
_BLOCK_KEY: Final = re.compile(
    r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[\w-]+):\s*(?P<style>[|>])(?P<chomp>[+-]?)\s*(?:#.*)?$"
)


def unescape(text: str) -> str:
    """Undo Markdown backslash escapes (``\\*`` → ``*``): the data text behind a draft's text."""
    return _UNESCAPE.sub(r"\1", text)


@dataclass(frozen=True)
class Origin:
    """Where a line came from. ``datei`` is workspace-relative; ``eintrag`` a catalogue id where there
    is one; ``quellzeile`` the line in ``datei``; ``daten``: the line mixes fixed text with data (a
    region's name, a value), so it cannot be written back as it stands."""

    art: str
    datei: str | None = None
    eintrag: str | None = None
    quellzeile: int | None = None
    hinweis: str = ""
    daten: bool = False


@dataclass(frozen=True)
class TracedLine:
    zeile: int
    text: str
    origin: Origin
    geaendert: bool = False  # differs from the render: a hand edit of the line whose origin is given


@dataclass
class Render:
    """A fresh render of one draft with the origin of each of its lines."""

    cat: Catalogue
    renderer: Renderer
    bundle: Bundle
    region: m.Region
    rendered: Rendered
    text: str
    lines: list[str]
    origins: list[Origin | None]
