"""Markdown for ``reader``: the blocks of a DOCX body in the draft's conventions.

Headings, the title lines, questions, list items, paragraphs and GFM tables; text is escaped with
``markdown.escape``, line starts that Markdown would read as structure are protected (as
``markdown.escape_block`` does), links come out as ``<url>`` or ``[text](url)``. The caller runs the
result through ``markdown.normalise`` (one sentence per line).

List markers: Word numbering (``w:numPr``) gives "-" for a bullet and the number Word shows with its
delimiter ("N." or "N)"); a typed marker ("•" + tab, "N." + tab, as older files have) is taken from
the text. A question without either gets the number after the previous question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby
from typing import Final

from markdown_it.common.normalize_url import normalizeLinkText

from anfrage.docx.read_blocks import BlockReader, Para, Span, Table
from anfrage.docx.read_styles import FRAGE, H1, H2, H3, KOPF, PUNKT, TITEL_ANFRAGE
from anfrage.docx.revisions import Comment
from anfrage.markdown import escape

__all__ = ["MarkdownBuilder", "comment_placeholder"]


_BREAK: Final = "\x00"  # a line break while inline Markdown is built
_LINE_HAZARD: Final = re.compile(r"^(#{1,6}(\s|$)|[-+*](\s|$)|\d{1,9}[.)](\s|$)|>|=+\s*$|-+\s*$|\|)")
_ORDINAL_START: Final = re.compile(r"^(\d{1,9})([.)])")
_AUTOLINK: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>\x00-\x20]*")
_EMAIL: Final = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
_PLAIN_DESTINATION: Final = re.compile(r"[^\s()<>\\\x00-\x1f]+")
_QUESTION_MARKER: Final = re.compile(r"^[ \t]*(\d{1,9})([.)])(?:[ \t]+|$)")
_ITEM_MARKER: Final = re.compile(r"^[ \t]*(?:(\d{1,9})([.)])|([•·▪◦‣∙●○■□➢➤►–—*+-]))(?:[ \t]+|$)")


def _protect(line: str) -> str:
    """Escape a line start that Markdown would read as structure (as ``markdown.escape_block`` does)."""
    if _LINE_HAZARD.match(line):
        match = _ORDINAL_START.match(line)
        if match:
            return f"{match.group(1)}\\{match.group(2)}{line[match.end() :]}"
        return "\\" + line
    return line


def _tidy(spans: list[Span], *, no_bold: bool = False) -> list[Span]:
    """Merge neighbours with equal formatting; whitespace between equal neighbours takes their formatting."""
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if no_bold and s.bold:
            s = Span(s.text, False, s.italic, s.href)
        out.append(s)
    for k in range(1, len(out) - 1):
        s, before, after = out[k], out[k - 1], out[k + 1]
        if not s.text.strip() and (before.bold, before.italic, before.href) == (after.bold, after.italic, after.href):
            out[k] = Span(s.text, before.bold, before.italic, before.href)
    merged: list[Span] = []
    for s in out:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (s.bold, s.italic, s.href):
            merged[-1] = Span(merged[-1].text + s.text, s.bold, s.italic, s.href)
        else:
            merged.append(s)
    return merged


def _escape(text: str) -> str:
    return escape(text).replace("\n", _BREAK)


def _wrap(inner: str, marker: str) -> str:
    """``marker`` around ``inner``, with its outer whitespace outside (else the emphasis would not close)."""
    core = inner.strip(" \t" + _BREAK)
    if not core:
        return inner
    start = inner.index(core)
    return inner[:start] + marker + core + marker + inner[start + len(core) :]


def _link(text: str, href: str) -> str:
    if _AUTOLINK.fullmatch(href) and (text == href or normalizeLinkText(href) == text):
        return f"<{href}>"
    if href.startswith("mailto:") and text == href[7:] and _EMAIL.fullmatch(text):
        return f"<{text}>"
    label = _escape(text).replace("[", "\\[").replace("]", "\\]")
    if _PLAIN_DESTINATION.fullmatch(href):
        return f"[{label}]({href})"
    return "[" + label + "](<" + href.replace("<", "%3C").replace(">", "%3E").replace("\n", "") + ">)"


def _inline(spans: list[Span], *, no_bold: bool = False) -> str:
    """Inline Markdown of spans; line breaks come out as ``_BREAK``."""
    out: list[str] = []
    for bold, bold_group in groupby(_tidy(spans, no_bold=no_bold), key=lambda s: s.bold):
        parts: list[str] = []
        for italic, italic_group in groupby(bold_group, key=lambda s: s.italic):
            pieces: list[str] = []
            for href, link_group in groupby(italic_group, key=lambda s: s.href):
                text = "".join(s.text for s in link_group)
                if href is None:
                    pieces.append(_escape(text))
                else:
                    core = text.strip()
                    start = text.index(core) if core else 0
                    pieces.append(_escape(text[:start]) + _link(core, href) + _escape(text[start + len(core) :]))
            inner = "".join(pieces)
            parts.append(_wrap(inner, "*") if italic else inner)
        inner = "".join(parts)
        out.append(_wrap(inner, "**") if bold else inner)
    return "".join(out)


def _lines(markdown: str) -> str:
    """Hard breaks as Markdown (``\\`` + line end), every line start protected, outer whitespace gone."""
    lines = [line.strip(" \t") for line in markdown.strip(" \t" + _BREAK).split(_BREAK)]
    return "\\\n".join(_protect(line) for line in lines if line)


def _one_line(markdown: str) -> str:
    return " ".join(markdown.replace(_BREAK, " ").split())


def _strip_prefix(spans: list[Span], n: int) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if n <= 0:
            out.append(s)
        elif len(s.text) <= n:
            n -= len(s.text)
        else:
            out.append(Span(s.text[n:], s.bold, s.italic, s.href))
            n = 0
    return out


def comment_placeholder(comment: Comment) -> str:
    def clean(text: str) -> str:
        return " ".join(text.replace("[", "(").replace("]", ")").split())

    author = clean(comment.author) or "unbekannt"
    anchor = clean(comment.commented_text)
    if len(anchor) > 80:
        anchor = anchor[:79].rstrip() + "…"
    about = f" zu „{anchor}“" if anchor else ""
    text = clean(comment.text)
    return _protect(escape(f"[[PRÜFEN: Kommentar von {author}{about}" + (f": {text}" if text else "") + "]]"))


@dataclass
class MarkdownBuilder:
    """Collects the Markdown blocks of the body in the draft's conventions."""

    reader: BlockReader
    comments: dict[str, Comment]
    blocks: list[str] = field(default_factory=list)
    kopf: list[list[str]] = field(default_factory=list)  # the page-1 block: cell → paragraph texts
    item: str | None = None  # marker of the list item last written ("-", "3." …), None outside lists
    question: int = 0
    pending_comments: list[str] = field(default_factory=list)
    placed: set[str] = field(default_factory=set)

    def block(self, markdown: str) -> None:
        self.blocks.append(markdown)
        self.item = None

    def list_item(self, marker: str, content: str) -> None:
        line = f"{marker} {_protect(content)}" if content else marker
        if self.item is not None and self.blocks:
            self.blocks[-1] += "\n" + line
        else:
            self.blocks.append(line)
        self.item = marker

    def place_comments(self, ids: list[str]) -> None:
        for cid in ids:
            comment = self.comments.get(cid)
            if comment is None or cid in self.placed:
                continue
            self.placed.add(cid)
            self.block(comment_placeholder(comment))

    def add(self, block: Para | Table) -> None:
        if isinstance(block, Table):
            if block.kopf:
                self.kopf = [[p.text() for p in cell] for row in block.rows for cell in row]
                self.pending_comments += block.comments
                return
            self.table(block)
            self.place_comments(self.pending_comments + block.comments)
            self.pending_comments = []
            return
        self.paragraph(block)
        self.place_comments(self.pending_comments + block.comments)
        self.pending_comments = []

    def paragraph(self, p: Para) -> None:
        role = p.role
        if role == KOPF:
            self.kopf.append([p.text()])
            return
        spans = p.spans
        if role in (H1, H2, H3):  # bold is the style's: explicit bold runs (Word adds them) mean nothing
            text = _one_line(_inline(spans, no_bold=True))
            if text:
                self.block({H1: "#", H2: "##", H3: "###"}[role] + " " + text)
            return
        if role == TITEL_ANFRAGE:
            text = _one_line(_inline(spans, no_bold=True))
            if text:
                self.block(f"**{text}**")
            return
        if role == FRAGE:
            self.question_paragraph(p)
            return
        if role == PUNKT or p.numbering is not None:
            self.item_paragraph(p)
            return
        text = _lines(_inline(spans))
        if text:
            self.block(text)
        elif p.rule:
            self.block("---")

    def question_paragraph(self, p: Para) -> None:
        spans = p.spans
        match = _QUESTION_MARKER.match(p.text()) if p.numbering is None else None
        number, delimiter = self.question + 1, "."
        if p.numbering is not None:  # Word numbering (what the writer makes)
            level = self.reader.numbering.get(*p.numbering)
            if not level.bullet:
                number, delimiter = self.reader.numbering.number(*p.numbering), level.delimiter
        elif match:  # a typed number ("1." + tab: older files, or typed in Word)
            number, delimiter = int(match.group(1)), match.group(2)
            spans = _strip_prefix(spans, match.end())
        text = _one_line(_inline(spans, no_bold=True))
        if not text:
            return
        self.question = number
        self.block(f"{number}{delimiter} **{text}**")

    def item_paragraph(self, p: Para) -> None:
        spans = p.spans
        match = _ITEM_MARKER.match(p.text()) if p.numbering is None else None
        if p.numbering is not None:  # Word numbering: the text has no marker of its own
            level = self.reader.numbering.get(*p.numbering)
            marker = "-" if level.bullet else f"{self.reader.numbering.number(*p.numbering)}{level.delimiter}"
        elif match:  # a typed marker ("•" + tab, "2." + tab)
            spans = _strip_prefix(spans, match.end())
            marker = f"{match.group(1)}{match.group(2)}" if match.group(1) else "-"
        elif p.continuation:  # the writer's further paragraph of a list item (Markdown: loose item)
            text = _lines(_inline(spans))
            if text:
                self.block(text)
            return
        elif self.item is not None and self.item != "-":  # continues a numbered list
            marker = f"{int(self.item[:-1]) + 1}{self.item[-1]}"
        else:
            marker = "-"
        text = _one_line(_inline(spans))
        if text:
            self.list_item(marker, text)

    def table(self, table: Table) -> None:
        rows = [row for row in table.rows if row]
        if not rows:
            return
        ncols = max(len(row) for row in rows)
        lines: list[str] = []
        for index, row in enumerate(rows):
            cells = [self.cell(paragraphs, header=index == 0) for paragraphs in row]
            cells += [""] * (ncols - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                aligns = [self.align(paragraphs) for paragraphs in row] + [""] * (ncols - len(row))
                lines.append("|" + "|".join({"center": ":-:", "right": "--:"}.get(a, "---") for a in aligns) + "|")
        self.block("\n".join(lines))

    @staticmethod
    def cell(paragraphs: list[Para], *, header: bool) -> str:
        parts = [_one_line(_inline(p.spans, no_bold=header)) for p in paragraphs]
        return " ".join(part for part in parts if part)

    @staticmethod
    def align(paragraphs: list[Para]) -> str:
        for p in paragraphs:
            if p.align in ("center", "right", "end"):
                return "right" if p.align == "end" else p.align
        return ""
