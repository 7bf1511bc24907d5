"""The Vorbemerkung of a Kleine Anfrage as paragraphs, from lines whose blank lines cannot be trusted.

PDF extraction in layout mode keeps the gaps between paragraphs as blank lines, plain extraction
drops them, and a page break may fall anywhere. So a paragraph ends at a blank line only after a
sentence end, and without blank lines at a sentence end in a line clearly shorter than the full lines
of justified text. The closing "Ich frage die Landesregierung:" belongs to the questions, not here.
"""

from __future__ import annotations

import re

from anfrage.importer.clean import PAGE_BREAK, ends_sentence, join_wrapped
from anfrage.importer.patterns import STOP_LINE_RE

_BULLET_RE = re.compile(r"^[•▪◦●■□➢►·]\s")
_LIST_ITEM_RE = re.compile(r"^(?:\d{1,2}\.|[a-z]\))\s+[A-ZÄÖÜ„\"(]")
# The closing sentence that introduces the questions ("Daher frage ich die Landesregierung:").
_CLOSING_INTRO_RE = re.compile(r"(?:^|(?<=[.!?“”\"]\s))([^.!?]*\bfragen?\b[^.!?]*:)$", re.IGNORECASE)


def vorbemerkung(lines: list[str]) -> str:
    """Paragraphs (one blank line between, wraps joined) without the closing "… frage(n) …:" line."""
    texts = [join_wrapped(p) for p in _paragraphs(lines)]
    return "\n\n".join(_without_closing_intro([t for t in texts if t]))


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """The content lines grouped into paragraphs (headings such as "Begründung" dropped)."""
    content = [x for x in lines if x not in ("", PAGE_BREAK)]
    if not content:
        return []
    longest = max(len(x) for x in content)
    # Without any blank line (plain PDF extraction) a paragraph can only be told by its last line:
    # it ends a sentence and is clearly shorter than the full lines of justified text.
    first = next(i for i, x in enumerate(lines) if x not in ("", PAGE_BREAK))
    last = max(i for i, x in enumerate(lines) if x not in ("", PAGE_BREAK))
    no_blanks = len(content) >= 3 and not _has_blank_run(lines[first:last])
    paragraphs: list[list[str]] = []
    current: list[str] = []
    pending: str | None = None  # what lies between the previous content line and this one
    for line in lines:
        if line in ("", PAGE_BREAK):
            if line == PAGE_BREAK or pending is None:
                pending = "page" if line == PAGE_BREAK else "blank"
            continue
        if STOP_LINE_RE.match(line):
            pending = "blank"
            continue
        if current and _starts_paragraph(line, current, pending, no_blanks=no_blanks, longest=longest):
            paragraphs.append(current)
            current = []
        current.append(line)
        pending = None
    if current:
        paragraphs.append(current)
    return paragraphs


def _starts_paragraph(line: str, current: list[str], pending: str | None, *, no_blanks: bool, longest: int) -> bool:
    """Whether ``line`` starts a new paragraph after the lines ``current`` of the one before.

    ``pending`` is "blank" or "page" when a blank line or a page break came in between.
    """
    ends = ends_sentence(join_wrapped(current[-6:])) or current[-1].endswith(":")
    # a list item starts a paragraph of its own: "• …", or "2. Anbindung …" after ",", ";", ":" …
    split = bool(_BULLET_RE.match(line)) or (
        bool(_LIST_ITEM_RE.match(line)) and current[-1].endswith((",", ";", ":", ".", "!", "?"))
    )
    if pending == "blank":
        return split or ends
    if pending == "page" or no_blanks:
        return split or (ends and len(current[-1]) < 0.8 * longest)
    if (_BULLET_RE.match(current[0]) or _LIST_ITEM_RE.match(current[0])) and ends:
        return True
    return split


def _has_blank_run(lines: list[str]) -> bool:
    """True when some run of empty lines is not part of a page break."""
    run: list[str] = []
    for line in [*lines, "x"]:
        if line in ("", PAGE_BREAK):
            run.append(line)
            continue
        if run and PAGE_BREAK not in run:
            return True
        run = []
    return False


def _without_closing_intro(texts: list[str]) -> list[str]:
    """The paragraphs without the sentence introducing the questions at the end of the last one."""
    if not texts:
        return texts
    last = texts[-1]
    offset = max(0, len(last) - 240)  # the closing sentence is short: look at the end only
    m = _CLOSING_INTRO_RE.search(last[offset:])
    if m and (offset == 0 or m.start(1) > 0):
        cut = last[: offset + m.start(1)].rstrip()
        return texts[:-1] + ([cut] if cut else [])
    return texts
