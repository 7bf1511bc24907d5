"""Inline content: markdown-it inline tokens → spans → ``w:r`` runs and ``w:hyperlink`` elements.

Spans are the one intermediate form: formatting is flattened first, placeholders are marked on
the joined text (a placeholder may cross bold or link boundaries), and neighbours with the same
formatting are merged, so that a sentence is one run and a diff of the XML stays readable.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Final

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from markdown_it.token import Token

from anfrage.docx.wml import attr, check_chars, esc
from anfrage.draft import CONFLICT_START, PLACEHOLDER

__all__ = ["RunWriter", "Span", "inline_spans", "run_xml"]


@dataclass(frozen=True, slots=True)
class Span:
    """Text with uniform formatting; ``\\n`` in ``text`` is a line break, ``\\t`` a tab."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    placeholder: bool = False


def inline_spans(children: list[Token] | None, *, bold: bool = False) -> list[Span]:
    """Flatten markdown-it inline tokens to spans (escapes and entities are already resolved)."""
    spans: list[Span] = []
    b = 1 if bold else 0
    i = 0
    href: str | None = None
    for tok in children or ():
        t = tok.type
        if t == "text":
            if tok.content:
                spans.append(Span(tok.content, b > 0, i > 0, href))
        elif t == "softbreak":
            spans.append(Span(" ", b > 0, i > 0, href))
        elif t == "hardbreak":
            spans.append(Span("\n", b > 0, i > 0, href))
        elif t == "strong_open":
            b += 1
        elif t == "strong_close":
            b -= 1
        elif t == "em_open":
            i += 1
        elif t == "em_close":
            i -= 1
        elif t == "link_open":
            target = tok.attrs.get("href")
            href = str(target) if target else None
        elif t == "link_close":
            href = None
        elif t == "image":
            for s in inline_spans(tok.children, bold=b > 0):
                spans.append(Span(s.text, s.bold, s.italic or i > 0, href))
        elif tok.content:  # code_inline, text_special, html_inline, …
            spans.append(Span(tok.content, b > 0, i > 0, href))
    return spans


def _conflict_ranges(text: str) -> list[tuple[int, int]]:
    """A conflict block of the merge, highlighted like a placeholder.

    In the Markdown the block is one line whose brackets inside the quoted versions are escaped;
    here that escaping is already resolved, so the block runs from ``[[KONFLIKT:`` to the last
    ``]]`` of the paragraph (a block is always one paragraph or one table cell).
    """
    out: list[tuple[int, int]] = []
    for match in CONFLICT_START.finditer(text):
        end = text.rfind("]]", match.end())
        out.append((match.start(), end + 2 if end >= 0 else len(text)))
    return out


def _mark_placeholders(spans: list[Span]) -> list[Span]:
    """Split spans at placeholder boundaries and flag the parts inside a placeholder."""
    joined = "".join(s.text for s in spans)
    if "[[" not in joined:
        return spans
    ranges = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(joined)]
    ranges += _conflict_ranges(joined)
    if not ranges:
        return spans
    cuts = sorted({c for r in ranges for c in r})
    out: list[Span] = []
    pos = 0
    for s in spans:
        start, end = pos, pos + len(s.text)
        pos = end
        points = [start, *(c for c in cuts if start < c < end), end]
        for a, z in itertools.pairwise(points):
            inside = any(r0 <= a and z <= r1 for r0, r1 in ranges)
            out.append(Span(s.text[a - start : z - start], s.bold, s.italic, s.href, inside))
    return out


def _merge(spans: list[Span]) -> list[Span]:
    """Join neighbours with the same formatting, so a sentence is one run."""
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if out:
            p = out[-1]
            if p.bold == s.bold and p.italic == s.italic and p.href == s.href and p.placeholder == s.placeholder:
                out[-1] = Span(p.text + s.text, p.bold, p.italic, p.href, p.placeholder)
                continue
        out.append(s)
    return out


_PIECES_RE: Final = re.compile(r"(\t|\n)")


def _t(text: str) -> str:
    if text != text.strip() or "  " in text:
        return f'<w:t xml:space="preserve">{esc(text)}</w:t>'
    return f"<w:t>{esc(text)}</w:t>"


def run_xml(text: str, *, style: str | None = None, bold: bool = False, italic: bool = False) -> str:
    """One ``w:r``; tabs and line feeds in ``text`` become ``w:tab`` and ``w:br``."""
    rpr = ""
    if style or bold or italic:
        rpr = (
            "<w:rPr>"
            + (f'<w:rStyle w:val="{attr(style)}"/>' if style else "")
            + ("<w:b/>" if bold else "")
            + ("<w:i/>" if italic else "")
            + "</w:rPr>"
        )
    if "\t" not in text and "\n" not in text:
        return f"<w:r>{rpr}{_t(text)}</w:r>"
    body = []
    for piece in _PIECES_RE.split(text):
        if piece == "\t":
            body.append("<w:tab/>")
        elif piece == "\n":
            body.append("<w:br/>")
        elif piece:
            body.append(_t(piece))
    return f"<w:r>{rpr}{''.join(body)}</w:r>"


class RunWriter:
    """Runs and paragraphs of one document: style keys resolved to its styleIds, links related.

    The body writer and the page header block both write through one instance, so a link target
    gets one relationship however often it occurs.
    """

    def __init__(self, doc: DocxDocument, styles: dict[str, str]):
        self.doc = doc
        self.styles = styles
        self.rids: dict[str, str] = {}

    def rid(self, href: str) -> str:
        """The relationship id of an external hyperlink (one relationship per distinct URL)."""
        rid = self.rids.get(href)
        if rid is None:
            check_chars(href, "Ein Link im Entwurf")
            rid = self.doc.part.relate_to(href, RT.HYPERLINK, is_external=True)
            self.rids[href] = rid
        return rid

    def runs(self, spans: list[Span]) -> str:
        """The runs of ``spans``; consecutive runs with the same link share one ``w:hyperlink``."""
        out: list[str] = []
        link: list[str] | None = None
        link_href: str | None = None
        placeholder = self.styles["Platzhalter"]
        hyperlink = self.styles["Hyperlink"]
        for s in _merge(_mark_placeholders(spans)):
            if s.href != link_href and link is not None:
                out.append("".join(link) + "</w:hyperlink>")
                link = None
            link_href = s.href
            style = placeholder if s.placeholder else (hyperlink if s.href is not None else None)
            r = run_xml(s.text, style=style, bold=s.bold, italic=s.italic)
            if s.href is None:
                out.append(r)
            else:
                if link is None:
                    link = [f'<w:hyperlink r:id="{attr(self.rid(s.href))}" w:history="1">']
                link.append(r)
        if link is not None:
            out.append("".join(link) + "</w:hyperlink>")
        return "".join(out)

    def p_xml(self, style_key: str, spans: list[Span], ppr: str = "") -> str:
        """A paragraph; ``ppr`` is direct paragraph formatting in schema order after pStyle."""
        sid = attr(self.styles[style_key])
        return f'<w:p><w:pPr><w:pStyle w:val="{sid}"/>{ppr}</w:pPr>{self.runs(spans)}</w:p>'
