"""A folded or literal YAML block scalar (``text: >-``) as lines: where each sentence of a
Textbaustein stands in its catalogue file."""

from __future__ import annotations

from dataclasses import dataclass, field

from anfrage.origin.types import _BLOCK_KEY

# --------------------------------------------------------------------------------------------------
# YAML block scalars (the folded ``text: >-`` of a Textbaustein)


@dataclass
class BlockScalar:
    """A block scalar (``key: >-`` or ``key: |``) as it stands in its file, with the value YAML reads.

    ``rows`` are the content lines without the block's indentation ("" for an empty line);
    ``starts[i]`` is where row ``i`` begins in ``value`` (None for an empty row).
    """

    key_line: int  # 1-based
    first_line: int  # 1-based line of rows[0]
    indent: int
    style: str  # ">" or "|"
    chomp: str  # "", "-" or "+"
    rows: list[str]
    value: str = ""
    starts: list[int | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts: list[str] = []
        length = 0
        starts: list[int | None] = []
        seen = False
        blank = 0
        for row in self.rows:
            if not row:
                blank += 1
                starts.append(None)
                if self.style == "|":
                    parts.append("\n")
                    length += 1
                continue
            if self.style == ">":
                sep = ("\n" * blank if blank else " ") if seen else "\n" * blank
            else:
                sep = "\n" if seen else ""
            parts.append(sep)
            length += len(sep)
            starts.append(length)
            parts.append(row)
            length += len(row)
            seen = True
            blank = 0
        value = "".join(parts)
        if self.chomp != "-" and value:
            value += "\n"
        self.value = value
        self.starts = starts

    def line_at(self, offset: int) -> int:
        """The file line (1-based) holding value offset ``offset``."""
        line = self.first_line
        for i, start in enumerate(self.starts):
            if start is not None and start <= offset:
                line = self.first_line + i
        return line

    def rows_spanning(self, start: int, end: int) -> tuple[int, int]:
        """Indices of the first and last row that hold value offsets ``start`` … ``end`` (end inclusive)."""
        first = last = None
        for i, (row, row_start) in enumerate(zip(self.rows, self.starts, strict=True)):
            if row_start is None:
                continue
            row_end = row_start + len(row)
            if first is None and row_end >= start:
                first = i
            if row_start <= end:
                last = i
        if first is None or last is None:
            raise ValueError("offset outside the block")
        return first, max(first, last)


def block_scalar(lines: list[str], key_line: int, key: str, expected: str | None = None) -> BlockScalar | None:
    """The block scalar of ``key`` on file line ``key_line`` (1-based), or None when it is no plain
    folded or literal block (quoted or plain scalar, more-indented lines, explicit indentation) or does
    not give ``expected``."""
    if not 1 <= key_line <= len(lines):
        return None
    match = _BLOCK_KEY.match(lines[key_line - 1])
    if match is None or match.group("key") != key:
        return None
    key_indent = len(match.group("indent"))
    rows: list[str] = []
    indent: int | None = None
    first = key_line + 1
    for number in range(key_line + 1, len(lines) + 1):
        raw = lines[number - 1]
        if not raw.strip():
            rows.append("")
            continue
        this = len(raw) - len(raw.lstrip(" "))
        if this <= key_indent or "\t" in raw[:this]:
            break
        if indent is None:
            indent = this
            first = number
            rows = []  # empty lines before the first content line are not part of the value here
        if this < indent:
            break
        if this > indent and match.group("style") == ">":
            return None  # more-indented lines keep their line breaks: not handled
        rows.append(raw[indent:].rstrip("\n"))
    while rows and not rows[-1]:
        rows.pop()
    if indent is None:
        return None
    block = BlockScalar(key_line, first, indent, match.group("style"), match.group("chomp"), rows)
    if any(row != row.rstrip() for row in rows):
        return None  # trailing spaces: a rewrap could not keep them
    if expected is not None and block.value != expected:
        return None
    return block
