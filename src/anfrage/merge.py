"""Three-way merge of a hand-edited draft with a new render, like ``git merge-file`` or copier's update.

``base`` is the Markdown anfrage wrote last time (kept in the output folder), ``ours`` the clerk's
edited draft, ``theirs`` the new render from the changed catalogue. Drafts hold one sentence per
line, so the merge is line based: :mod:`merge3` (bzr's diff3, maintained as a library) finds the
regions that changed on one side, on both sides alike, or on both sides differently.

Rules, in this order:

* The inputs are normalised first (:func:`normalise_text`): a BOM, CRLF/CR line ends and a missing
  final line end are never edits.
* A change on one side only is taken; the same change on both sides is taken once.
* A region that both sides changed differently is looked at line by line (``difflib`` against the
  base, the matcher merge3 uses, here without its "popular line" heuristic): if the two sides
  touched different lines, both changes are applied, even when the lines are adjacent
  (``git merge-file`` would report a conflict; in drafts with one sentence per line two
  neighbouring sentences are independent edits). Two insertions at the same place, or edits of
  the same line, remain a conflict.
* A conflict is written into the Markdown as one conflict block on one line (below). Nothing the
  clerk typed is lost: the clerk's lines are in the block, and :func:`find_conflicts` gives them
  back exactly.
* Front matter (the YAML between the ``---`` lines) is merged on its own. Where both sides changed
  the same line, the new render's lines are used, so that the front matter stays YAML, and a
  conflict block after the front matter shows both versions. When merging the two sides' changes
  gave front matter that is no longer a valid YAML mapping (e.g. the same key added on both sides),
  the new render's front matter is used as a whole, with the clerk's whole front matter in the block.

The conflict block::

    [[KONFLIKT: Ihre Fassung: „…“ | Neue Fassung aus dem Katalog: „…“ | Bitte eine der beiden …]]

* ``Ihre Fassung`` is the clerk's version, ``Neue Fassung aus dem Katalog`` the new render's; a
  version that deleted the lines reads ``(gestrichen)`` instead of a quotation. Several lines of a
  version are joined by `` ⏎ ``. For front matter the block starts ``Kopfdaten – Ihre Fassung:``.
* Inside the quotation marks the lines are verbatim except for one Markdown escape: each ``[``,
  ``]``, ``|`` and ``⏎`` gets a backslash, and a run of k backslashes right before such a character
  becomes 2k+1. So the block contains no ``[[`` or ``]]`` but its own, :data:`CONFLICT` finds it
  whole, ``draft.PLACEHOLDER`` finds no placeholder inside it (the block is one open item; the
  placeholders of the version the clerk keeps count again once it is resolved), Markdown and Word
  show brackets and bars as they stand in the ``.md`` file, and the escape can be undone exactly
  (:func:`find_conflicts`). A clerk who keeps a version by hand in the ``.md`` file should remove
  these backslashes.
* The block takes the place of the conflicting lines and keeps the Markdown around it intact: it
  inherits the line start of the first conflicting line (list marker, heading hashes,
  indentation) and a hard break (a final backslash) of the last; inside a table it is one row
  ``| … |`` (every ``|`` in it escaped once more, so the row has one cell); blank lines keep it
  apart where the versions start or end a block. A conflict that touches a table's header or
  delimiter row spans the whole table.

``MergeResult.conflicts`` counts the blocks this merge wrote; :func:`count_conflicts` counts the
open blocks of any text (including one left over from an earlier merge). Pure functions; no I/O.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import cast

import merge3

from anfrage.draft import front_matter_block, split_front_matter

__all__ = [
    "CONFLICT",
    "Conflict",
    "MergeResult",
    "count_conflicts",
    "find_conflicts",
    "merge_drafts",
    "normalise_text",
]

KEYWORD = "KONFLIKT"
OURS = "Ihre Fassung"
THEIRS = "Neue Fassung aus dem Katalog"
FRONT_MATTER = "Kopfdaten – "
THEIRS_FRONT_MATTER = " (steht schon in den Kopfdaten)"
DELETED = "(gestrichen)"
LINE_BREAK = "⏎"
HINT = "Bitte eine der beiden Fassungen übernehmen und diesen Konflikthinweis löschen."
HINT_FRONT_MATTER = (
    "Soll Ihre Fassung gelten, bitte sie in die Kopfdaten am Dateianfang übernehmen; "
    "dann diesen Konflikthinweis löschen."
)
HINT_LINES = f"{LINE_BREAK} trennt die Zeilen. "

#: A conflict block: ``[[KONFLIKT: `` up to the first ``]]`` that no backslash escapes. The body
#: has no bare ``[`` or ``]`` (see the module docstring), so nested placeholders never end it early.
CONFLICT = re.compile(r"\[\[KONFLIKT: (?:[^\\\[\]]|\\.)*\]\]", re.DOTALL)

_OPENING = re.compile(r"\[\[KONFLIKT\b")
_SPECIAL = re.compile(r"(\\*)([\[\]|⏎])")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?=[ \t]|$)")
_ITEM = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)")
_INDENT = re.compile(r"^[ \t]+(?=\S)")
_ROW = re.compile(r"^ {0,3}\|")
_DELIMITER_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def normalise_text(text: str) -> str:
    """Strip a leading BOM, turn CRLF and CR into LF, end a non-empty text with a line end."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if text and not text.endswith("\n"):
        text += "\n"
    return text


def count_conflicts(text: str) -> int:
    """Open conflict blocks in a draft, counting a damaged one (``[[KONFLIKT`` without its end) too."""
    return len(_OPENING.findall(text))


@dataclass(frozen=True)
class MergeResult:
    """The merged Markdown (LF, final line end), the number of conflict blocks this merge wrote."""

    text: str
    conflicts: int
    clean: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "clean", self.conflicts == 0)


@dataclass(frozen=True)
class Conflict:
    """A conflict block read back: where it is in the text and both versions' exact lines."""

    start: int
    end: int
    ours: tuple[str, ...]
    theirs: tuple[str, ...]
    front_matter: bool


def find_conflicts(text: str) -> list[Conflict]:
    """The well-formed conflict blocks of a text with their versions (escapes undone)."""
    found = []
    for match in CONFLICT.finditer(text):
        conflict = _parse_block(match.group(0), match.start(), match.end())
        if conflict is not None:
            found.append(conflict)
    return found


def merge_drafts(base: str, ours: str, theirs: str) -> MergeResult:
    """Three-way merge of drafts; see the module docstring for the rules and the conflict block."""
    base_fm, base_body = _split(normalise_text(base))
    ours_fm, ours_body = _split(normalise_text(ours))
    theirs_fm, theirs_body = _split(normalise_text(theirs))

    front, notes = _merge_front_matter(base_fm, ours_fm, theirs_fm)
    body, conflicts = _render(_chunks(base_body, ours_body, theirs_body))

    lines = list(front)
    for note_ours, note_theirs in notes:
        lines += ["", _block(note_ours, note_theirs, front_matter=True)]
    if notes and body and body[0].strip():
        lines.append("")
    lines += body
    return MergeResult("\n".join(lines) + "\n" if lines else "", conflicts + len(notes))


# --- the conflict block ------------------------------------------------------------------------------


def _escape(line: str) -> str:
    return _SPECIAL.sub(lambda m: "\\" * (2 * len(m.group(1)) + 1) + m.group(2), line)


def _unescape(text: str) -> str:
    return _SPECIAL.sub(lambda m: "\\" * ((len(m.group(1)) - 1) // 2) + m.group(2), text)


def _version(lines: Sequence[str]) -> str:
    if not lines:
        return DELETED
    return "„" + f" {LINE_BREAK} ".join(_escape(line) for line in lines) + "“"


def _block(ours: Sequence[str], theirs: Sequence[str], *, front_matter: bool = False) -> str:
    legend = HINT_LINES if len(ours) > 1 or len(theirs) > 1 else ""
    if front_matter:
        return (
            f"[[{KEYWORD}: {FRONT_MATTER}{OURS}: {_version(ours)} | {THEIRS}{THEIRS_FRONT_MATTER}: "
            f"{_version(theirs)} | {legend}{HINT_FRONT_MATTER}]]"
        )
    return f"[[{KEYWORD}: {OURS}: {_version(ours)} | {THEIRS}: {_version(theirs)} | {legend}{HINT}]]"


def _table_row(block: str) -> str:
    """The block as a table row of one cell: one more backslash before every ``|``."""
    return "| " + block.replace("|", "\\|") + " |"


def _split_bare(text: str, char: str) -> list[str]:
    """Split at each ``char`` that an even run of backslashes (or none) precedes."""
    parts: list[str] = []
    start = 0
    run = 0
    for index, c in enumerate(text):
        if c == char and run % 2 == 0:
            parts.append(text[start:index])
            start = index + 1
        run = run + 1 if c == "\\" else 0
    parts.append(text[start:])
    return parts


def _between(parts: list[str], gap: str = " ") -> list[str] | None:
    """Parts split at ``" X "``: drop the one space the writer put on each side of each separator."""
    out = []
    for index, part in enumerate(parts):
        if index > 0:
            if not part.startswith(gap):
                return None
            part = part[len(gap) :]
        if index < len(parts) - 1:
            if not part.endswith(gap):
                return None
            part = part[: -len(gap)]
        out.append(part)
    return out


def _read_version(text: str) -> tuple[str, ...] | None:
    if text == DELETED:
        return ()
    if len(text) < 2 or not text.startswith("„") or not text.endswith("“"):
        return None
    lines = _between(_split_bare(text[1:-1], LINE_BREAK))
    if lines is None or any(_escape(_unescape(line)) != line for line in lines):
        return None
    return tuple(_unescape(line) for line in lines)


def _parse_block(block: str, start: int, end: int) -> Conflict | None:
    body = block[len(f"[[{KEYWORD}: ") : -2]
    if not re.search(r"(?<!\\)\|", body):  # a table row: every "|" got one more backslash
        body = body.replace("\\|", "|")
    parts = _between(_split_bare(body, "|"))
    if parts is None or len(parts) < 2:
        return None
    front_matter = parts[0].startswith(FRONT_MATTER)
    ours_label = f"{FRONT_MATTER}{OURS}: " if front_matter else f"{OURS}: "
    theirs_label = f"{THEIRS}{THEIRS_FRONT_MATTER}: " if front_matter else f"{THEIRS}: "
    if not parts[0].startswith(ours_label) or not parts[1].startswith(theirs_label):
        return None
    ours = _read_version(parts[0][len(ours_label) :])
    theirs = _read_version(parts[1][len(theirs_label) :])
    if ours is None or theirs is None:
        return None
    return Conflict(start, end, ours, theirs, front_matter)


# --- merging -----------------------------------------------------------------------------------------


class _LineMatcher(difflib.SequenceMatcher[str]):
    """difflib's matcher without the "popular element" heuristic: blank lines must anchor the diff."""

    def __init__(
        self,
        isjunk: Callable[[str], bool] | None = None,
        a: Sequence[str] = (),
        b: Sequence[str] = (),
        autojunk: bool = False,
    ) -> None:
        super().__init__(isjunk, a, b, autojunk=False)


@dataclass
class _Chunk:
    """A stretch of the merge: both sides' lines and the merged lines (``None``: a conflict)."""

    ours: list[str]
    theirs: list[str]
    merged: list[str] | None
    rendered: list[str] | None = None  # a conflict's lines in the output, once placed


def _split(text: str) -> tuple[list[str], list[str]]:
    """Lines (without line ends) of the front matter block and of the body."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    _raw, _body, count = front_matter_block(text)
    return lines[:count], lines[count:]


def _chunks(base: list[str], ours: list[str], theirs: list[str]) -> list[_Chunk]:
    """merge3's regions (the classification of ``Merge3.merge_regions``, with all three ranges)."""
    matcher = cast("type[merge3.SequenceMatcherProtocol[str]]", _LineMatcher)  # difflib's Match is a tuple
    merger = merge3.Merge3(base, ours, theirs, sequence_matcher=matcher)
    chunks: list[_Chunk] = []
    iz = ia = ib = 0
    for zmatch, zend, amatch, aend, bmatch, bend in merger.find_sync_regions():
        z, a, b = base[iz:zmatch], ours[ia:amatch], theirs[ib:bmatch]
        if a or b:
            if a == b or b == z:
                chunks.append(_Chunk(a, b, a))
            elif a == z:
                chunks.append(_Chunk(a, b, b))
            else:
                chunks.append(_Chunk(a, b, _combine(z, a, b)))
        chunks.extend(_Chunk([line], [line], [line]) for line in base[zmatch:zend])
        iz, ia, ib = zend, aend, bend
    return chunks


def _edits(base: list[str], side: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    opcodes = _LineMatcher(None, base, side).get_opcodes()
    return [(i1, i2, tuple(side[j1:j2])) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"]


def _clash(x: tuple[int, int], y: tuple[int, int]) -> bool:
    (i1, i2), (k1, k2) = x, y
    if i1 == i2 and k1 == k2:
        return i1 == k1  # two insertions at one place: their order is unknown
    if i1 == i2:
        return k1 < i1 < k2
    if k1 == k2:
        return i1 < k1 < i2
    return i1 < k2 and k1 < i2


def _combine(base: list[str], ours: list[str], theirs: list[str]) -> list[str] | None:
    """Both sides' edits of a region that merge3 calls a conflict, if they touch different lines."""
    ours_edits, theirs_edits = _edits(base, ours), _edits(base, theirs)
    for edit in ours_edits:
        for other in theirs_edits:
            if edit != other and _clash(edit[:2], other[:2]):
                return None
    out: list[str] = []
    pos = 0
    for i1, i2, lines in sorted(set(ours_edits) | set(theirs_edits)):
        out += base[pos:i1]
        out += lines
        pos = i2
    return out + base[pos:]


def _merge_front_matter(
    base: list[str], ours: list[str], theirs: list[str]
) -> tuple[list[str], list[tuple[list[str], list[str]]]]:
    """Merged front matter lines (the new render's where both changed) and the conflicts to show."""
    lines: list[str] = []
    notes: list[tuple[list[str], list[str]]] = []
    for chunk in _chunks(base, ours, theirs):
        if chunk.merged is None:
            lines += chunk.theirs
            notes.append((chunk.ours, chunk.theirs))
        else:
            lines += chunk.merged
    if lines not in (ours, theirs) and not _front_matter_ok(lines) and _front_matter_ok(theirs):
        return theirs, [(ours, theirs)]
    return lines, notes


def _front_matter_ok(lines: list[str]) -> bool:
    if not lines:
        return True
    text = "\n".join(lines) + "\n"
    raw, _body, count = front_matter_block(text)
    return raw is not None and count == len(lines) and bool(split_front_matter(text)[0])


# --- placing conflict blocks -------------------------------------------------------------------------


def _output(chunk: _Chunk) -> list[str]:
    if chunk.merged is not None:
        return chunk.merged
    return chunk.rendered if chunk.rendered is not None else [f"[[{KEYWORD}"]


def _lines_before(chunks: list[_Chunk], index: int) -> Iterator[str]:
    for chunk in reversed(chunks[:index]):
        yield from reversed(_output(chunk))


def _line_after(chunks: list[_Chunk], index: int) -> str | None:
    for chunk in chunks[index + 1 :]:
        lines = _output(chunk)
        if lines:
            return lines[0]
    return None


def _table_established(chunks: list[_Chunk], index: int) -> bool:
    """Whether the table rows right before chunk ``index`` include the delimiter row."""
    for line in _lines_before(chunks, index):
        if not _ROW.match(line) or not line.strip():
            return False
        if _DELIMITER_ROW.match(line) and "|" in line:
            return True
    return False


def _inherited_prefix(ours: list[str], theirs: list[str]) -> str:
    """The line start (list marker, heading, indentation) that all versions' first lines share."""
    firsts = [next((line for line in v if line.strip()), "") for v in (ours, theirs) if v]
    starts = []
    for line in firsts:
        for kind, pattern in (("heading", _HEADING), ("item", _ITEM), ("indent", _INDENT)):
            match = pattern.match(line)
            if match:
                starts.append((kind, match.group(0) if kind == "indent" else match.group(0).rstrip() + " "))
                break
        else:
            return ""
    return starts[0][1] if starts and len({kind for kind, _ in starts}) == 1 else ""


def _edge_lines(chunk: _Chunk) -> list[str]:
    """Lines that stand for a chunk when looking for the rows of a table."""
    if chunk.merged is not None or chunk.rendered is not None:
        return _output(chunk)
    return next((v for v in (chunk.ours, chunk.theirs) if v), [])


def _widen(chunks: list[_Chunk], index: int, *, back: bool) -> int:
    """Merge the conflict at ``index`` with the table rows around it; return its new index (-1: none)."""
    first, last = index, index + 1
    while back and first > 0:
        lines = _edge_lines(chunks[first - 1])
        if lines and not _ROW.match(lines[-1]):
            break
        first -= 1
        if lines and not _ROW.match(lines[0]):
            break
    while last < len(chunks):
        lines = _edge_lines(chunks[last])
        if lines and not _ROW.match(lines[0]):
            break
        last += 1
        if lines and not _ROW.match(lines[-1]):
            break
    if (first, last) == (index, index + 1):
        return -1
    ours = [line for chunk in chunks[first:last] for line in chunk.ours]
    theirs = [line for chunk in chunks[first:last] for line in chunk.theirs]
    chunks[first:last] = [_Chunk(ours, theirs, None)]
    return first


def _place(chunks: list[_Chunk], index: int) -> int:
    """Render the conflict at ``index``; return the index to look at next."""
    chunk = chunks[index]
    before = next((line for line in _lines_before(chunks, index)), None)
    after = _line_after(chunks, index)
    versions = [v for v in (chunk.ours, chunk.theirs) if v]
    opens = bool(before and before.strip()) and all(v[0].strip() for v in versions)
    closes = bool(after and after.strip()) and all(v[-1].strip() for v in versions)
    block = _block(chunk.ours, chunk.theirs)
    lines: list[str]
    widened = -1
    if opens and before is not None and _ROW.match(before):
        if _table_established(chunks, index):
            lines = [_table_row(block)]
            if after is not None and after.strip() and not closes:
                lines.append("")
            chunk.rendered = lines
            return index + 1
        widened = _widen(chunks, index, back=True)
    elif closes and after is not None and _ROW.match(after):
        widened = _widen(chunks, index, back=False)
    if widened >= 0:
        return widened
    lines = []
    if before is not None and before.strip() and not opens:
        lines.append("")
    hard_break = closes and all((len(v[-1]) - len(v[-1].rstrip("\\"))) % 2 for v in versions)
    lines.append(_inherited_prefix(chunk.ours, chunk.theirs) + block + ("\\" if hard_break else ""))
    if after is not None and after.strip() and not closes:
        lines.append("")
    chunk.rendered = lines
    return index + 1


def _render(chunks: list[_Chunk]) -> tuple[list[str], int]:
    index = 0
    while index < len(chunks):
        index = _place(chunks, index) if chunks[index].merged is None else index + 1
    out: list[str] = []
    conflicts = 0
    for chunk in chunks:
        out += _output(chunk)
        conflicts += chunk.merged is None
    return out, conflicts
