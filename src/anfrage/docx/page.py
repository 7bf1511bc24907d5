"""The page: A4 setup, the header block on page 1 and the running header from page 2 on.

Layout (without ``vorlage``): A4, margins 2.5 cm left/right, Arial 11 pt. Page 1 starts with the
block "LANDTAG NORDRHEIN-WESTFALEN / {wahlperiode}. Wahlperiode" left and "Drucksache {drucksache}
/ {datum}" right (paragraphs in style ``Kopf`` in a borderless two-column table with a rule
below, so that a long placeholder in the number wraps in its own column). From page 2 on a running
header, built the same way: "LANDTAG NORDRHEIN-WESTFALEN - {wahlperiode}. Wahlperiode" left,
"Drucksache {drucksache}" right, the page number (PAGE field) centred below; page 1 has an empty
first-page header ("different first page"). With a ``vorlage`` the running header follows the
vorlage's own header content (``write_headers``).
"""

from __future__ import annotations

import copy
import re
from typing import Final

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.section import Section, _BaseHeaderFooter
from docx.shared import Twips

from anfrage.docx.frontmatter import FrontMatter
from anfrage.docx.inline import RunWriter, Span
from anfrage.docx.wml import Element, attr, parse_fragment, replace_children

__all__ = ["has_own_page_numbers", "page1_block", "set_page_layout", "text_width", "unlink_headers", "write_headers"]

# A4, margins (twips; 1 cm = 567 twips, 1 twip = 635 EMU).
_PAGE_W: Final = 11906
_PAGE_H: Final = 16838
_MARGIN_LR: Final = 1417
_TEXT_WIDTH_DEFAULT: Final = _PAGE_W - 2 * _MARGIN_LR

_T: Final = qn("w:t")
_P: Final = qn("w:p")
_TBL: Final = qn("w:tbl")
_VISIBLE: Final = ("w:drawing", "w:pict", "w:fldSimple", "w:instrText", "w:object")
_PAGE_FIELD: Final = re.compile(r"\s*PAGE\b", re.IGNORECASE)
_R_NS: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_O_RELID: Final = "{urn:schemas-microsoft-com:office:office}relid"
_W14_IDS: Final = tuple(f"{{http://schemas.microsoft.com/office/word/2010/wordml}}{a}" for a in ("paraId", "textId"))
_LAST_LINE: Final = '<w:spacing w:after="80"/>'
_RIGHT: Final = '<w:jc w:val="right"/>'


def set_page_layout(section: Section) -> None:
    """A4 portrait with the margins of a Drucksache."""
    section.page_width = Twips(_PAGE_W)
    section.page_height = Twips(_PAGE_H)
    section.left_margin = section.right_margin = Twips(_MARGIN_LR)
    section.top_margin = Twips(1417)
    section.bottom_margin = Twips(1134)
    section.header_distance = Twips(709)
    section.footer_distance = Twips(709)


def unlink_headers(section: Section) -> None:
    """Give ``section`` its own first-page and default header parts, to be filled per draft."""
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False


def text_width(doc: DocxDocument) -> int:
    """Width between the margins of the last section in twips; A4's for an implausible vorlage."""
    try:
        s = doc.sections[-1]
        if s.page_width and s.left_margin is not None and s.right_margin is not None:
            width = int((s.page_width - s.left_margin - s.right_margin) / 635)  # EMU → twips
            if width > 1000:
                return width
    except (IndexError, ValueError, TypeError):
        pass
    return _TEXT_WIDTH_DEFAULT


def _layout_table(width: int, left: list[str], right: list[str], left_share: float) -> str:
    """A borderless two-column table with a rule below (page-1 block and running header).

    A table rather than tab stops, so a long placeholder in the Drucksache number wraps inside
    its right-aligned column instead of running under the left text.
    """
    lw = int(width * left_share)
    rw = width - lw
    borders = (
        '<w:top w:val="nil"/><w:left w:val="nil"/>'  # schema order: top left bottom right …
        '<w:bottom w:val="single" w:sz="6" w:space="0" w:color="auto"/>'
        '<w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/>'
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:tblBorders>{borders}'
        '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" '
        'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{lw}"/><w:gridCol w:w="{rw}"/></w:tblGrid><w:tr>'
        f'<w:tc><w:tcPr><w:tcW w:w="{lw}" w:type="dxa"/></w:tcPr>{"".join(left)}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="{rw}" w:type="dxa"/></w:tcPr>{"".join(right)}</w:tc>'
        "</w:tr></w:tbl>"
    )


def page1_block(w: RunWriter, fm: FrontMatter, width: int) -> str:
    """The header block at the top of page 1 (a table: the body must treat it as one)."""
    left = [
        w.p_xml("Kopf", [Span("LANDTAG NORDRHEIN-WESTFALEN", bold=True)]),
        w.p_xml("Kopf", [Span(f"{fm.wahlperiode}. Wahlperiode")], _LAST_LINE),
    ]
    right = [
        w.p_xml("Kopf", [Span(f"Drucksache {fm.drucksache}", bold=True)], _RIGHT),
        w.p_xml("Kopf", [Span(fm.datum)], _LAST_LINE + _RIGHT),
    ]
    return _layout_table(width, left, right, 0.55)


def _has_content(element: Element) -> bool:
    """True when a header/footer part (or one of its blocks) shows anything (text, field, picture)."""
    for t in element.iter(_T):
        if t.text and t.text.strip():
            return True
    return any(next(element.iter(qn(tag)), None) is not None for tag in _VISIBLE)


def _own_parts(section: Section) -> list[_BaseHeaderFooter]:
    """The headers and footers of ``section`` shown from page 2 on (default and even ones) that have
    a definition of their own (asking never creates one)."""
    kinds = [section.header, section.footer, section.even_page_header, section.even_page_footer]
    return [hf for hf in kinds if not hf.is_linked_to_previous]


def has_own_page_numbers(doc: DocxDocument) -> bool:
    """True when the last section's headers or footers from page 2 on show a page number (PAGE field)."""
    for hf in _own_parts(doc.sections[-1]):
        element = hf.part.element
        instructions = [f.get(qn("w:instr"), "") for f in element.iter(qn("w:fldSimple"))]
        instructions += [t.text or "" for t in element.iter(qn("w:instrText"))]
        if any(_PAGE_FIELD.match(i) for i in instructions):
            return True
    return False


def _copy_blocks(source: _BaseHeaderFooter, target: _BaseHeaderFooter) -> list[Element]:
    """Copies of the blocks of ``source`` for the part of ``target``: their relationships (pictures,
    links) related anew from there, without bookmarks and paragraph ids (which must be unique)."""
    blocks = [copy.deepcopy(child) for child in source.part.element]
    src, dst = source.part, target.part
    for block in blocks:
        for mark in [*block.iter(qn("w:bookmarkStart")), *block.iter(qn("w:bookmarkEnd"))]:
            mark.getparent().remove(mark)  # a bookmark name must be unique
        for el in block.iter():
            for name in _W14_IDS:
                el.attrib.pop(name, None)
            for name, value in list(el.attrib.items()):
                if not (name.startswith(_R_NS) or name == _O_RELID) or value not in src.rels:
                    continue
                rel = src.rels[value]
                new = (
                    dst.relate_to(rel.target_ref, rel.reltype, is_external=True)
                    if rel.is_external
                    else dst.relate_to(rel.target_part, rel.reltype)
                )
                el.set(name, new)
    return blocks


def _renumber_drawings(doc: DocxDocument, blocks: list[Element]) -> None:
    """Give the drawings in copied blocks ids no other drawing of the document has."""
    used = [0]
    parts = [doc.part] + [rel.target_part for rel in doc.part.rels.values() if not rel.is_external]
    for part in parts:
        element = getattr(part, "element", None)
        if element is not None:
            used += [int(v) for v in element.xpath("//wp:docPr/@id") if str(v).isdigit()]
    next_id = max(used) + 1
    for block in blocks:
        for doc_pr in block.iter(qn("wp:docPr")):
            doc_pr.set("id", str(next_id))
            next_id += 1


def _template_blocks(hf: _BaseHeaderFooter) -> list[Element]:
    """The vorlage's own blocks of a header, without the empty paragraphs at its end."""
    blocks = list(hf.part.element)
    while blocks and blocks[-1].tag == _P and not _has_content(blocks[-1]):
        blocks.pop()
    return blocks


def write_headers(doc: DocxDocument, w: RunWriter, fm: FrontMatter, width: int, *, vorlage: bool) -> None:
    """Running header from page 2 on; page 1 shows the page-1 block in the body instead.

    Without ``vorlage``: an empty first-page header. With one, its own header content stays and the
    running header follows it; page 1 keeps what the vorlage shows there (its first-page header and
    footer, or, when it has no different first page, copies of its header and footer). Where the
    vorlage numbers its pages itself, the running header gets no page number of its own
    (``vorlage.vorlage_warnings`` says so).
    """
    section = doc.sections[-1]
    own_page_numbers = vorlage and has_own_page_numbers(doc)

    def empty() -> list[Element]:
        return parse_fragment([w.p_xml("header", [])], "Der Vorspann")

    if vorlage and not section.different_first_page_header_footer:
        section.different_first_page_header_footer = True
        for every, first in ((section.header, section.first_page_header), (section.footer, section.first_page_footer)):
            if not every.is_linked_to_previous and _has_content(every.part.element):
                first.is_linked_to_previous = False
                blocks = _copy_blocks(every, first)
                _renumber_drawings(doc, blocks)
                replace_children(first.part.element, blocks)
            elif not first.is_linked_to_previous:  # defined, but not shown until now
                replace_children(first.part.element, parse_fragment(["<w:p/>"], "Die Vorlage"))
    section.different_first_page_header_footer = True
    first_header = section.first_page_header
    if first_header.is_linked_to_previous or not vorlage:
        first_header.is_linked_to_previous = False
        replace_children(first_header.part.element, empty())
    table = _layout_table(
        width,
        [w.p_xml("header", [Span(f"LANDTAG NORDRHEIN-WESTFALEN - {fm.wahlperiode}. Wahlperiode")], _LAST_LINE)],
        [w.p_xml("header", [Span(f"Drucksache {fm.drucksache}")], _LAST_LINE + _RIGHT)],
        0.65,
    )
    page = (
        f'<w:p><w:pPr><w:pStyle w:val="{attr(w.styles["header"])}"/>'
        '<w:spacing w:before="120" w:after="240"/><w:jc w:val="center"/></w:pPr>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple></w:p>'
    )
    running = [table, page if not own_page_numbers else w.p_xml("header", [])]
    headers = [section.header]
    if vorlage and doc.settings.odd_and_even_pages_header_footer:
        headers.append(section.even_page_header)
    for header in headers:
        kept: list[Element] = []
        if vorlage and not header.is_linked_to_previous:
            kept = _template_blocks(header)
            if kept and kept[-1].tag == _TBL:  # two tables in a row would merge into one
                kept += empty()
        header.is_linked_to_previous = False
        replace_children(header.part.element, kept + parse_fragment(running, "Der Vorspann"))
