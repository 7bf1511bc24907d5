"""The body: the markdown-it token stream of a draft → WordprocessingML paragraphs and tables.

Mapping (style names are the contract of ``docs/design.md``):

* ``#`` → ``Titel Antwort``; the paragraph after it → ``Titelblock`` (unless it is all bold); the
  next all-bold paragraph → ``Titel Anfrage``.
* ``##`` → ``Zwischenüberschrift``; ``###`` and deeper → ``Zwischenüberschrift 2``.
* an ordered-list item whose only content is one all-bold paragraph → ``Frage``; other list items
  → ``Aufzählung``. Both are Word lists (``numbering.ListNumbering``: "•", "N." or "N)" with the
  Markdown's numbers); their bold is the style's, so a question's runs carry no bold of their own
  (nor do the runs of ``Titel Anfrage``). A further paragraph of an item is an ``Aufzählung``
  paragraph without number, indented like the item's text.
* a paragraph of autolinks only → ``Link``; every link becomes a ``w:hyperlink`` with an external
  relationship and character style ``Hyperlink``; other paragraphs → ``Antwort``.
* GFM tables → table style ``Tabelle Drucksache``; the header row is bold and repeats on every page
  (``w:tblHeader``); rows are not split across pages (``w:cantSplit``); cells use ``Tabelle Text``.
* ``[[ERGÄNZEN: …]]``, ``[[MUSTERTEXT: …]]``, ``[[PRÜFEN: …]]`` → character style ``Platzhalter``.
* soft break → space, hard break → line break, tab → tab; code spans, code blocks, block quotes
  and images (alt text) come out as plain text in ``Antwort``; ``---`` → an empty ``Antwort``
  paragraph with a bottom rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.document import Document as DocxDocument
from markdown_it.token import Token

from anfrage.docx.inline import RunWriter, Span, inline_spans
from anfrage.docx.numbering import Kind, ListNumbering
from anfrage.docx.styles import QUOTE_INDENT
from anfrage.docx.wml import attr
from anfrage.draft import is_question_inline

__all__ = ["BodyWriter"]


def _is_all_bold(children: list[Token] | None) -> bool:
    """True when every visible character of an inline token list lies inside ``**…**``.

    Looser than ``draft.is_question_inline`` (several bold spans count): it only picks the style
    of the title lines, which the guard does not compare.
    """
    depth = 0
    seen_bold = False
    for tok in children or ():
        t = tok.type
        if t == "strong_open":
            depth += 1
        elif t == "strong_close":
            depth -= 1
        elif t == "softbreak" or t == "hardbreak":
            continue
        elif tok.content.strip() or t == "image":
            if depth <= 0:
                return False
            seen_bold = True
    return seen_bold


def _is_link_paragraph(children: list[Token] | None) -> bool:
    """True for a paragraph made only of autolinks and the breaks between them."""
    links = 0
    in_link = False
    for tok in children or ():
        t = tok.type
        if t == "link_open":
            if tok.markup != "autolink":
                return False
            in_link = True
            links += 1
        elif t == "link_close":
            in_link = False
        elif t == "softbreak" or t == "hardbreak":
            continue
        elif t == "text":
            if not in_link and tok.content.strip():
                return False
        else:
            return False
    return links > 0


def _unbold(spans: list[Span]) -> list[Span]:
    """The spans without bold: a paragraph whose style is bold (its Markdown is all bold)."""
    return [Span(s.text, False, s.italic, s.href, s.placeholder) for s in spans]


def _border_bottom(size: int, space: int) -> str:
    return f'<w:pBdr><w:bottom w:val="single" w:sz="{size}" w:space="{space}" w:color="auto"/></w:pBdr>'


@dataclass
class _Item:
    """An open list item: its number is written with its first paragraph."""

    kind: Kind
    number: int
    delimiter: str
    level: int
    first: bool  # the first item of its list
    pending: bool = True


@dataclass
class _ListCtx:
    ordered: bool
    number: int
    items: int = 0


@dataclass
class _Table:
    rows: list[tuple[bool, list[tuple[Token | None, str]]]] = field(default_factory=list)


class BodyWriter(RunWriter):
    """Walks the token stream of one draft and collects WordprocessingML for the body.

    ``last_table`` is read by the caller too: Word merges two adjacent tables into one (the page-1
    block is a table) and wants a paragraph after a table that ends the body.
    """

    def __init__(self, doc: DocxDocument, styles: dict[str, str], text_width: int, numbering: ListNumbering):
        super().__init__(doc, styles)
        self.text_width = text_width
        self.numbering = numbering
        self.out: list[str] = []
        self.last_table = False
        self.lists: list[_ListCtx] = []
        self.items: list[_Item] = []
        self.quote = 0
        self.after_title = 0
        self.table: _Table | None = None
        self.row: list[tuple[Token | None, str]] | None = None

    # -- paragraphs ------------------------------------------------------------------------------

    def emit(self, xml: str, *, table: bool = False) -> None:
        self.out.append(xml)
        self.last_table = table

    def paragraph(
        self,
        style_key: str,
        spans: list[Span],
        *,
        left: int | None = None,
        hanging: int | None = None,
        first_line: int | None = None,
    ) -> None:
        ppr = ""
        if left is not None:
            if hanging is not None:
                ppr = f'<w:ind w:left="{left}" w:hanging="{hanging}"/>'
            elif first_line is not None:
                ppr = f'<w:ind w:left="{left}" w:firstLine="{first_line}"/>'
            else:
                ppr = f'<w:ind w:left="{left}"/>'
        self.emit(self.p_xml(style_key, spans, ppr))

    # -- list items ------------------------------------------------------------------------------

    def flush_marker(self) -> None:
        """An item that starts with something other than a paragraph: write its marker alone."""
        if self.items and self.items[-1].pending:
            self.item_paragraph([])

    def item_paragraph(self, spans: list[Span]) -> None:
        item = self.items[-1]
        if item.pending:
            item.pending = False
            num_pr = self.numbering.num_pr(item.kind, item.level, item.number, item.delimiter, first=item.first)
            if item.kind == "question":  # the Frage style is bold, the runs are not
                self.emit(self.p_xml("Frage", _unbold(spans), num_pr))
            else:
                self.emit(self.p_xml("Aufzählung", spans, num_pr))
        else:  # a further paragraph of the same item, aligned with the item's text
            kind: Kind = "bullet" if item.kind == "bullet" else "ordered"
            self.paragraph("Aufzählung", spans, left=self.numbering.text_left(kind, item.level), first_line=0)

    def text_block(self, spans: list[Span]) -> None:
        """Code blocks and the like: plain ``Antwort`` text where they stand."""
        self.after_title = 0
        if self.items:
            self.item_paragraph(spans)
        elif self.quote:
            self.paragraph("Antwort", spans, left=QUOTE_INDENT * self.quote)
        else:
            self.paragraph("Antwort", spans)

    # -- walking ---------------------------------------------------------------------------------

    def walk(self, tokens: list[Token]) -> None:
        n = len(tokens)
        for idx, tok in enumerate(tokens):
            t = tok.type
            nxt = tokens[idx + 1] if idx + 1 < n else None
            if t == "paragraph_open":
                self.paragraph_token(nxt.children if nxt is not None else None)
            elif t == "heading_open":
                self.flush_marker()
                level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 6
                style = (
                    "Titel Antwort" if level == 1 else "Zwischenüberschrift" if level == 2 else "Zwischenüberschrift 2"
                )
                self.paragraph(style, inline_spans(nxt.children if nxt is not None else None))
                self.after_title = 1 if level == 1 else 0
            elif t == "bullet_list_open" or t == "ordered_list_open":
                self.flush_marker()
                self.after_title = 0
                start = str(tok.attrs.get("start", 1))
                self.lists.append(_ListCtx(t == "ordered_list_open", int(start) if start.isdigit() else 1))
            elif t == "bullet_list_close" or t == "ordered_list_close":
                if self.lists:
                    self.lists.pop()
            elif t == "list_item_open":
                self.list_item(tokens, idx)
            elif t == "list_item_close":
                self.flush_marker()
                if self.items:
                    self.items.pop()
            elif t == "blockquote_open":
                self.flush_marker()
                self.quote += 1
            elif t == "blockquote_close":
                self.quote = max(0, self.quote - 1)
            elif t == "fence" or t == "code_block" or t == "html_block":
                self.flush_marker()
                text = tok.content[:-1] if tok.content.endswith("\n") else tok.content
                self.text_block([Span(text)])
            elif t == "hr":
                self.flush_marker()
                self.after_title = 0
                self.emit(self.p_xml("Antwort", [], _border_bottom(4, 1)))
            elif t == "table_open":
                self.flush_marker()
                self.after_title = 0
                self.table = _Table()
            elif t == "tr_open":
                if self.table is not None:
                    self.row = []
                    self.table.rows.append((tokens[idx - 1].type == "thead_open", self.row))
            elif t == "th_open" or t == "td_open":
                style = str(tok.attrs.get("style", ""))
                align = style.removeprefix("text-align:")
                if self.row is not None:
                    self.row.append((nxt if nxt is not None and nxt.type == "inline" else None, align))
            elif t == "table_close":
                if self.table is not None:
                    self.table_xml(self.table)
                self.table = None
                self.row = None

    def list_item(self, tokens: list[Token], idx: int) -> None:
        tok = tokens[idx]
        ctx = self.lists[-1] if self.lists else _ListCtx(False, 1)
        level = max(0, len(self.lists) - 1)
        first = ctx.items == 0
        ctx.items += 1
        if not ctx.ordered:
            self.items.append(_Item("bullet", 0, "", level, first))
            return
        number = int(tok.info) if tok.info.isdigit() else ctx.number
        ctx.number = number + 1
        question = (
            idx + 4 < len(tokens)
            and tokens[idx + 1].type == "paragraph_open"
            and tokens[idx + 3].type == "paragraph_close"
            and tokens[idx + 4].type == "list_item_close"
            and is_question_inline(tokens[idx + 2].children or [])
        )
        delimiter = ")" if tok.markup == ")" else "."
        self.items.append(_Item("question" if question else "ordered", number, delimiter, level, first))

    def paragraph_token(self, children: list[Token] | None) -> None:
        spans = inline_spans(children)
        if self.items:
            self.after_title = 0
            self.item_paragraph(spans)
            return
        if self.quote:
            self.text_block(spans)
            return
        if self.after_title:
            state = self.after_title
            self.after_title = 0
            if _is_all_bold(children):
                self.paragraph("Titel Anfrage", _unbold(spans))  # the style is bold
                return
            if state == 1:
                self.paragraph("Titelblock", spans)
                self.after_title = 2
                return
        self.paragraph("Link" if _is_link_paragraph(children) else "Antwort", spans)

    def table_xml(self, table: _Table) -> None:
        if not table.rows:
            return
        ncols = max(len(cells) for _, cells in table.rows) or 1
        if self.last_table:  # two tables in a row would merge into one in Word
            self.emit(self.p_xml("Antwort", []))
        width = self.text_width // ncols
        cell_style = attr(self.styles["Tabelle Text"])
        parts = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{attr(self.styles["Tabelle Drucksache"])}"/>'
            '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>',
            f'<w:gridCol w:w="{width}"/>' * ncols,
            "</w:tblGrid>",
        ]
        for header, cells in table.rows:
            parts.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
            for inline, align in [*cells, *([(None, "")] * (ncols - len(cells)))]:
                jc = f'<w:jc w:val="{align}"/>' if align in ("center", "right") else ""
                spans = inline_spans(inline.children if inline is not None else None, bold=header)
                parts.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                    f'<w:p><w:pPr><w:pStyle w:val="{cell_style}"/>{jc}</w:pPr>'
                    f"{self.runs(spans)}</w:p></w:tc>"
                )
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self.emit("".join(parts), table=True)
