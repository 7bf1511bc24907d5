"""Styles and numbering of a DOCX as ``reader`` needs them: paragraph roles and Word's list numbers.

Roles are found by style *name* (the contract of ``docs/design.md``; Word and LibreOffice may rename
style ids), following ``w:basedOn``: the first style of the chain whose name is known decides.

Numbering follows Word: a paragraph's ``w:numPr`` (or its style's) names a ``w:num``, which takes its
levels from a ``w:abstractNum`` and may override a level's start (``w:startOverride``) or the whole
level. Numbers count in document order; the ``w:num`` instances of one ``w:abstractNum`` are one
list that an override restarts where the instance is first used (LibreOffice writes a list that
restarts at 1 this way), and a number at one level starts the deeper levels anew.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from anfrage.docx.read_package import W

__all__ = [
    "ABSATZ",
    "FRAGE",
    "H1",
    "H2",
    "H3",
    "KNOWN_STYLE_NAMES",
    "KOPF",
    "PUNKT",
    "TITELBLOCK",
    "TITEL_ANFRAGE",
    "Level",
    "Numbering",
    "Styles",
    "on",
]

_VAL: Final = W + "val"
_PPR: Final = W + "pPr"
_RPR: Final = W + "rPr"

# Paragraph roles, by style name (lower case). Unknown styles are paragraphs; see Styles.role.
KOPF, H1, H2, H3, TITELBLOCK, TITEL_ANFRAGE, FRAGE, PUNKT, ABSATZ = (
    "kopf",
    "h1",
    "h2",
    "h3",
    "titelblock",
    "titel_anfrage",
    "frage",
    "punkt",
    "absatz",
)
_ROLES: Final = {
    "kopf": KOPF,
    "titel antwort": H1,
    "titelblock": TITELBLOCK,
    "titel anfrage": TITEL_ANFRAGE,
    "zwischenüberschrift": H2,
    "zwischenüberschrift 2": H3,
    "frage": FRAGE,
    "antwort": ABSATZ,
    "link": ABSATZ,
    "aufzählung": PUNKT,
    "tabelle text": ABSATZ,
    "title": H1,
    "titel": H1,
    "heading 1": H1,
    "überschrift 1": H1,
    "heading 2": H2,
    "überschrift 2": H2,
    **{f"{word} {n}": H3 for word in ("heading", "überschrift") for n in range(3, 10)},
    "list bullet": PUNKT,
    "aufzählungszeichen": PUNKT,
    "list number": PUNKT,
    "listennummer": PUNKT,
}
#: The style names whose meaning the reader knows (the writer's ``STYLE_NAMES`` are among them).
KNOWN_STYLE_NAMES: Final = frozenset(_ROLES)


def on(element: Any) -> bool:
    """A toggle property (``w:b``, ``w:i``): on unless ``w:val`` says false."""
    return element.get(_VAL, "true").lower() not in ("0", "false", "off", "none")


class Styles:
    """Style id → role (paragraph styles) and bold/italic (character styles), following ``w:basedOn``."""

    def __init__(self, root: Any) -> None:
        self.names: dict[str, str] = {}
        self.based: dict[str, str] = {}
        self.rpr: dict[str, Any] = {}
        self.numpr: dict[str, Any] = {}
        self.default_paragraph = ""
        self._roles: dict[str, str] = {}
        self._formats: dict[str, tuple[bool | None, bool | None]] = {}
        if root is None:
            return
        for style in root.iter(W + "style"):
            sid = style.get(W + "styleId") or ""
            name = style.find(W + "name")
            self.names[sid] = (name.get(_VAL, "") if name is not None else sid).strip().lower()
            based = style.find(W + "basedOn")
            if based is not None:
                self.based[sid] = based.get(_VAL, "")
            rpr = style.find(_RPR)
            if rpr is not None:
                self.rpr[sid] = rpr
            ppr = style.find(_PPR)
            numpr = ppr.find(W + "numPr") if ppr is not None else None
            if numpr is not None:
                self.numpr[sid] = numpr
            if style.get(W + "type") == "paragraph" and _on_attr(style.get(W + "default")):
                self.default_paragraph = sid

    def chain(self, sid: str) -> list[str]:
        seen: list[str] = []
        while sid and sid not in seen and len(seen) < 32:
            seen.append(sid)
            sid = self.based.get(sid, "")
        return seen

    def role(self, sid: str | None) -> str:
        sid = sid or self.default_paragraph
        cached = self._roles.get(sid)
        if cached is None:
            cached = ABSATZ
            for s in self.chain(sid):
                found = _ROLES.get(self.names.get(s, s.lower()))
                if found is not None:
                    cached = found
                    break
            self._roles[sid] = cached
        return cached

    def style_numpr(self, sid: str | None) -> Any:
        for s in self.chain(sid or self.default_paragraph):
            if s in self.numpr:
                return self.numpr[s]
        return None

    def char_format(self, sid: str) -> tuple[bool | None, bool | None]:
        cached = self._formats.get(sid)
        if cached is None:
            bold: bool | None = None
            italic: bool | None = None
            for s in self.chain(sid):
                rpr = self.rpr.get(s)
                if rpr is None:
                    continue
                b, i = rpr.find(W + "b"), rpr.find(W + "i")
                if bold is None and b is not None:
                    bold = on(b)
                if italic is None and i is not None:
                    italic = on(i)
            cached = (bold, italic)
            self._formats[sid] = cached
        return cached


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


@dataclass(frozen=True, slots=True)
class Level:
    """How Word numbers the paragraphs of one level of a list."""

    bullet: bool  # a bullet (or no marker): "-" in Markdown
    start: int
    delimiter: str  # "." or ")" after the number


_DEFAULT_LEVEL: Final = Level(True, 1, ".")


def _level(lvl: Any, start: int | None = None) -> Level:
    fmt = lvl.find(W + "numFmt")
    text = lvl.find(W + "lvlText")
    begin = lvl.find(W + "start")
    value = begin.get(_VAL, "1") if begin is not None else "1"
    shown = text.get(_VAL, "") if text is not None else ""
    return Level(
        bullet=fmt is not None and fmt.get(_VAL) in ("bullet", "none"),
        start=start if start is not None else int(value) if value.isdigit() else 1,
        delimiter=")" if re.search(r"%\d\)\s*$", shown) else ".",
    )


class Numbering:
    """numId/ilvl → the ``Level`` of Word's numbering, and the numbers in document order (``number``)."""

    def __init__(self, root: Any) -> None:
        self.levels: dict[tuple[str, str], Level] = {}
        self.lists: dict[str, str] = {}  # numId → the abstractNum whose count it shares
        self.restarts: set[tuple[str, str]] = set()  # (numId, ilvl) with a start of their own
        self.counts: dict[str, dict[int, int]] = {}  # abstractNum → level → last number
        self.started: set[tuple[str, str]] = set()
        if root is None:
            return
        abstract: dict[str, dict[str, Level]] = {}
        for an in root.iter(W + "abstractNum"):
            levels = {lvl.get(W + "ilvl", "0"): _level(lvl) for lvl in an.iter(W + "lvl")}
            abstract[an.get(W + "abstractNumId", "")] = levels
        for num in root.iter(W + "num"):
            num_id = num.get(W + "numId", "")
            ref = num.find(W + "abstractNumId")
            abstract_id = ref.get(_VAL, "") if ref is not None else ""
            self.lists[num_id] = abstract_id
            for ilvl, level in abstract.get(abstract_id, {}).items():
                self.levels[(num_id, ilvl)] = level
            for override in num.iter(W + "lvlOverride"):
                ilvl = override.get(W + "ilvl", "0")
                own = override.find(W + "lvl")
                start = override.find(W + "startOverride")
                value = start.get(_VAL, "") if start is not None else ""
                begin = int(value) if value.isdigit() else None
                base = self.levels.get((num_id, ilvl), _DEFAULT_LEVEL)
                if own is not None:
                    self.levels[(num_id, ilvl)] = _level(own, begin)
                elif begin is not None:
                    self.levels[(num_id, ilvl)] = Level(base.bullet, begin, base.delimiter)
                if begin is not None or own is not None:
                    self.restarts.add((num_id, ilvl))

    def get(self, num_id: str, ilvl: str) -> Level:
        return self.levels.get((num_id, ilvl), _DEFAULT_LEVEL)

    def number(self, num_id: str, ilvl: str) -> int:
        """The number Word shows for the next paragraph of this list and level.

        The ``w:num`` instances of one ``w:abstractNum`` are one list: a number counts on from the
        last one of that list and level, except for the first paragraph of an instance that
        overrides the level, which starts anew; a number starts the deeper levels anew.
        """
        level = self.get(num_id, ilvl)
        depth = int(ilvl) if ilvl.isdigit() else 0
        counts = self.counts.setdefault(self.lists.get(num_id, "n" + num_id), {})
        for deeper in [d for d in counts if d > depth]:
            del counts[deeper]
        key = (num_id, ilvl)
        if key in self.restarts and key not in self.started:
            self.started.add(key)
            counts[depth] = level.start
        else:
            counts[depth] = counts.get(depth, level.start - 1) + 1
        return counts[depth]
