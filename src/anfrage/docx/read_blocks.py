"""Reading the blocks of a DOCX body for ``reader``: paragraphs, tables and runs in one view of the
tracked changes.

A paragraph comes out as its role (``read_styles``), its numbering, its text in spans with bold,
italic and link, and the comments anchored in it. Word's noise is looked through: runs split
anywhere, ``w:smartTag``, ``w:customXml``, content controls (``w:sdt``; one that shows its prompt
text counts as empty), fields (their result is read; a HYPERLINK field is a link; an instruction
left open at the end of its paragraph is broken and hides nothing after it), page and column
breaks, drawings, footnote references. Tracked changes are read as accepted or as rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, Literal

from anfrage.docx.read_package import MC, R_NS, Package, W
from anfrage.docx.read_styles import KOPF, Numbering, Styles, on
from anfrage.docx.revisions import WRAPPERS

__all__ = ["Aenderungen", "BlockReader", "Para", "Span", "Table", "body_blocks"]

Aenderungen = Literal["fehler", "annehmen", "ablehnen"]

_R_ID: Final = "{" + R_NS + "}id"
_P: Final = W + "p"
_R: Final = W + "r"
_T: Final = W + "t"
_DELTEXT: Final = W + "delText"
_TBL: Final = W + "tbl"
_TR: Final = W + "tr"
_TC: Final = W + "tc"
_PPR: Final = W + "pPr"
_RPR: Final = W + "rPr"
_TRPR: Final = W + "trPr"
_TCPR: Final = W + "tcPr"
_PSTYLE: Final = W + "pStyle"
_RSTYLE: Final = W + "rStyle"
_VAL: Final = W + "val"
_SDT: Final = W + "sdt"
_SDTCONTENT: Final = W + "sdtContent"
_HYPERLINK: Final = W + "hyperlink"
_FLDSIMPLE: Final = W + "fldSimple"
_FLDCHAR: Final = W + "fldChar"
_INSTRTEXT: Final = W + "instrText"
_DELINSTRTEXT: Final = W + "delInstrText"
_COMMENT_START: Final = W + "commentRangeStart"
_COMMENT_REF: Final = W + "commentReference"
_ID: Final = W + "id"
_INS: Final = W + "ins"
_MOVETO: Final = W + "moveTo"

# Inline containers whose content is read as if they were not there.
_TRANSPARENT: Final = frozenset(W + t for t in ("smartTag", "customXml", "bdo", "dir", "fldSimple", "hyperlink"))
_BLOCK_TRANSPARENT: Final = frozenset((W + "customXml",))


@dataclass(frozen=True, slots=True)
class Span:
    """Text with uniform formatting; ``\\n`` is a line break, ``\\t`` a tab."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass
class Para:
    role: str
    spans: list[Span]
    comments: list[str]
    numbering: tuple[str, str] | None = None  # (numId, ilvl) of Word's automatic numbering
    rule: bool = False  # a bottom border (an empty one is a thematic break)
    joins_next: bool = False  # its paragraph mark is gone in the chosen view of the changes
    align: str = ""
    continuation: bool = False  # indented without hanging marker: a further paragraph of a list item

    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass
class Table:
    rows: list[list[list[Para]]]  # row → cell → paragraphs
    comments: list[str]
    kopf: bool


@dataclass
class _Field:
    instruction: str = ""
    in_result: bool = False
    href: str | None = None


def _sdt_content(sdt: Any) -> Any:
    """The content of a content control; None while it shows its prompt text (``w:showingPlcHdr``)."""
    props = sdt.find(W + "sdtPr")
    if props is not None and props.find(W + "showingPlcHdr") is not None:
        return None
    return sdt.find(_SDTCONTENT)


_HYPERLINK_ARG: Final = re.compile(r'"([^"]*)"|(\S+)')


def _hyperlink_field(instruction: str) -> str | None:
    """The target of a HYPERLINK field (``HYPERLINK "url" \\l "anchor"``), None for other fields."""
    words = [m.group(1) if m.group(1) is not None else m.group(2) for m in _HYPERLINK_ARG.finditer(instruction)]
    if not words or words[0].upper() != "HYPERLINK":
        return None
    url, anchor = "", ""
    i = 1
    while i < len(words):
        word = words[i]
        if word.lower() == "\\l" and i + 1 < len(words):
            anchor = words[i + 1]
            i += 2
            continue
        if word.startswith("\\"):
            i += 2 if word.lower() in ("\\o", "\\t") else 1
            continue
        if not url:
            url = word
        i += 1
    if not url:
        return None  # a link to a bookmark in the document: plain text
    return f"{url}#{anchor}" if anchor and "#" not in url else url


class BlockReader:
    """Reads paragraphs and tables of the body in one view of the tracked changes."""

    def __init__(self, pkg: Package, mode: Aenderungen) -> None:
        self.pkg = pkg
        self.accept = mode != "ablehnen"
        self.styles = Styles(pkg.related_xml("/styles"))
        self._numbering: Numbering | None = None
        self.fields: list[_Field] = []

    @property
    def numbering(self) -> Numbering:
        if self._numbering is None:
            self._numbering = Numbering(self.pkg.related_xml("/numbering"))
        return self._numbering

    def visible(self, tag: str) -> bool:
        """Whether content wrapped in ``tag`` (w:ins, w:del, w:moveTo, w:moveFrom) is in the view."""
        if tag in (_INS, _MOVETO):
            return self.accept
        return not self.accept

    # -- blocks -------------------------------------------------------------------------------------

    def blocks(self, container: Any) -> list[Para | Table]:
        out: list[Para | Table] = []
        for child in container:
            tag = child.tag
            if tag == _P:
                out.append(self.paragraph(child))
            elif tag == _TBL:
                out.append(self.table(child))
            elif tag == _SDT:
                content = _sdt_content(child)
                if content is not None:
                    out += self.blocks(content)
            elif tag in _BLOCK_TRANSPARENT or (tag in WRAPPERS and self.visible(tag)):  # rare: changed blocks
                out += self.blocks(child)
        return out

    def table(self, tbl: Any) -> Table:
        rows: list[list[list[Para]]] = []
        comments: list[str] = []
        kopf = False
        for tr in self._children(tbl, _TR):
            trpr = tr.find(_TRPR)
            if trpr is not None and any(c.tag in WRAPPERS and not self.visible(c.tag) for c in trpr):
                continue  # a row inserted (rejected view) or deleted (accepted view)
            cells: list[list[Para]] = []
            for tc in self._children(tr, _TC):
                tcpr = tc.find(_TCPR)
                span = 1
                merged = False
                if tcpr is not None:
                    if tcpr.find(W + ("cellDel" if self.accept else "cellIns")) is not None:
                        continue
                    grid = tcpr.find(W + "gridSpan")
                    value = grid.get(_VAL, "1") if grid is not None else "1"
                    span = max(1, min(int(value), 64)) if value.isdigit() else 1
                    vmerge = tcpr.find(W + "vMerge")
                    merged = vmerge is not None and vmerge.get(_VAL, "continue") == "continue"
                paragraphs = [p for p in self._cell_paragraphs(tc) if not merged]
                for p in paragraphs:
                    comments += p.comments
                    kopf = kopf or p.role == KOPF
                if merged:
                    comments += [c for p in self._cell_paragraphs(tc) for c in p.comments]
                cells.append(paragraphs)
                cells += [[] for _ in range(span - 1)]
            rows.append(cells)
        return Table(rows, comments, kopf)

    def _children(self, element: Any, tag: str) -> list[Any]:
        """Direct children with ``tag``, looking through content controls and custom XML."""
        out: list[Any] = []
        for child in element:
            if child.tag == tag:
                out.append(child)
            elif child.tag == _SDT:
                content = _sdt_content(child)
                if content is not None:
                    out += self._children(content, tag)
            elif child.tag in _BLOCK_TRANSPARENT:
                out += self._children(child, tag)
        return out

    def _cell_paragraphs(self, tc: Any) -> list[Para]:
        out: list[Para] = []
        for block in self.blocks(tc):
            if isinstance(block, Para):
                out.append(block)
            else:  # a nested table: its cells' paragraphs in reading order
                for row in block.rows:
                    for cell in row:
                        out += cell
        return out

    # -- paragraphs ---------------------------------------------------------------------------------

    def paragraph(self, p: Any) -> Para:
        ppr = p.find(_PPR)
        props = ppr
        joins_next = False
        if ppr is not None:
            if not self.accept:
                change = ppr.find(W + "pPrChange")
                if change is not None:
                    props = change.find(_PPR)
            mark = ppr.find(_RPR)
            if mark is not None:
                joins_next = any(c.tag in WRAPPERS and not self.visible(c.tag) for c in mark)
        style = None
        numpr = None
        rule = False
        align = ""
        continuation = False
        if props is not None:
            pstyle = props.find(_PSTYLE)
            style = pstyle.get(_VAL) if pstyle is not None else None
            numpr = props.find(W + "numPr")
            border = props.find(W + "pBdr")
            rule = border is not None and border.find(W + "bottom") is not None
            jc = props.find(W + "jc")
            align = jc.get(_VAL, "") if jc is not None else ""
            ind = props.find(W + "ind")
            # the writer's "left, firstLine 0"; LibreOffice saves it as "left, hanging 0"
            continuation = ind is not None and "0" in (ind.get(W + "firstLine"), ind.get(W + "hanging"))
        role = self.styles.role(style)
        if numpr is None:
            numpr = self.styles.style_numpr(style)
        numbering = None
        if numpr is not None:
            num_id = numpr.find(W + "numId")
            ilvl = numpr.find(W + "ilvl")
            nid = num_id.get(_VAL, "") if num_id is not None else ""
            if nid and nid != "0":
                numbering = (nid, ilvl.get(_VAL, "0") if ilvl is not None else "0")
        spans: list[Span] = []
        comments: list[str] = []
        self.inline(p, None, spans, comments)
        # a field may show its result over several paragraphs (a table of contents), but its
        # instruction ends in its paragraph: a field left open there is broken and must not hide the rest
        self.fields = [f for f in self.fields if f.in_result]
        return Para(role, spans, comments, numbering, rule, joins_next, align, continuation)

    def inline(self, element: Any, href: str | None, spans: list[Span], comments: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag == _R:
                self.run(child, href, spans, comments)
            elif tag in _TRANSPARENT:
                inner = href
                if tag == _HYPERLINK:
                    inner = self.hyperlink_target(child)
                elif tag == _FLDSIMPLE:
                    inner = _hyperlink_field(child.get(W + "instr", "")) or href
                self.inline(child, inner, spans, comments)
            elif tag in WRAPPERS:
                if self.visible(tag):
                    self.inline(child, href, spans, comments)
            elif tag == _SDT:
                content = _sdt_content(child)
                if content is not None:
                    self.inline(content, href, spans, comments)
            elif tag == _COMMENT_START:
                comments.append(child.get(_ID, ""))
            elif tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                if choice is not None:
                    self.inline(choice, href, spans, comments)

    def hyperlink_target(self, link: Any) -> str | None:
        rid = link.get(_R_ID)
        anchor = link.get(W + "anchor")
        if rid:
            target = self.pkg.rels.get(rid, ("", ""))[1]
            if target:
                return f"{target}#{anchor}" if anchor and "#" not in target else target
        return None  # an internal link (bookmark): plain text

    def run(self, r: Any, href: str | None, spans: list[Span], comments: list[str]) -> None:
        rpr = r.find(_RPR)
        if rpr is not None and not self.accept:
            change = rpr.find(W + "rPrChange")
            if change is not None:
                rpr = change.find(_RPR)
        bold = italic = False
        if rpr is not None:
            rstyle = rpr.find(_RSTYLE)
            if rstyle is not None:
                b, i = self.styles.char_format(rstyle.get(_VAL, ""))
                bold, italic = bool(b), bool(i)
            b_el, i_el = rpr.find(W + "b"), rpr.find(W + "i")
            if b_el is not None:
                bold = on(b_el)
            if i_el is not None:
                italic = on(i_el)
        for child in r:
            tag = child.tag
            if tag in (_T, _DELTEXT):
                text = child.text or ""
            elif tag in (W + "tab", W + "ptab"):
                text = "\t"
            elif tag == W + "br":
                if child.get(W + "type") in ("page", "column"):
                    continue
                text = "\n"
            elif tag == W + "cr":
                text = "\n"
            elif tag == W + "noBreakHyphen":
                text = "-"
            elif tag == W + "sym":
                code = child.get(W + "char", "")
                try:
                    value = int(code, 16)
                except ValueError:
                    continue
                if value >= 0xF000 or value < 0x20:  # a glyph of a symbol font: no character to give
                    continue
                text = chr(value)
            elif tag == _FLDCHAR:
                self.field_char(child.get(W + "fldCharType"))
                continue
            elif tag in (_INSTRTEXT, _DELINSTRTEXT):
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].instruction += child.text or ""
                continue
            elif tag == _COMMENT_REF:
                comments.append(child.get(_ID, ""))
                continue
            else:
                continue
            if any(not f.in_result for f in self.fields):
                continue  # inside a field instruction
            spans.append(Span(text, bold, italic, self.field_href() or href))

    def field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            top = self.fields[-1]
            top.in_result = True
            top.href = _hyperlink_field(top.instruction)
        elif kind == "end" and self.fields:
            self.fields.pop()

    def field_href(self) -> str | None:
        for f in reversed(self.fields):
            if f.href:
                return f.href
        return None


def body_blocks(reader: BlockReader, body: Any) -> list[Para | Table]:
    """The body's blocks, with paragraphs whose mark is gone joined to the paragraph after them."""
    out: list[Para | Table] = []
    carry: Para | None = None
    for block in reader.blocks(body):
        if isinstance(block, Para):
            if carry is not None:
                block = Para(
                    block.role,
                    carry.spans + block.spans,
                    carry.comments + block.comments,
                    block.numbering,
                    block.rule,
                    block.joins_next,
                    block.align,
                    block.continuation,
                )
                carry = None
            if block.joins_next:
                carry = block
                continue
        elif carry is not None:
            out.append(carry)
            carry = None
        out.append(block)
    if carry is not None:
        out.append(carry)
    return out
