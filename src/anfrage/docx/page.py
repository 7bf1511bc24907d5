"""The page: A4 setup, the header block on page 1 and the running header from page 2 on.

Layout (without ``vorlage``): A4, margins 2.5 cm left/right, Arial 11 pt. Page 1 starts with the
block "LANDTAG NORDRHEIN-WESTFALEN / {wahlperiode}. Wahlperiode" left and "Drucksache {drucksache}
/ {datum}" right (paragraphs in style ``Kopf`` in a borderless two-column table with a rule
below, so that a long placeholder in the number wraps in its own column). From page 2 on a running
header, built the same way: "LANDTAG NORDRHEIN-WESTFALEN - {wahlperiode}. Wahlperiode" left,
"Drucksache {drucksache}" right, the page number (PAGE field) centred below; page 1 has an empty
first-page header ("different first page").
"""

from __future__ import annotations

from typing import Final

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Twips

from anfrage.docx.frontmatter import FrontMatter
from anfrage.docx.inline import RunWriter, Span
from anfrage.docx.wml import Element, attr, parse_fragment, replace_children

__all__ = ["page1_block", "set_page_layout", "text_width", "unlink_headers", "write_headers"]

# A4, margins (twips; 1 cm = 567 twips, 1 twip = 635 EMU).
_PAGE_W: Final = 11906
_PAGE_H: Final = 16838
_MARGIN_LR: Final = 1417
_TEXT_WIDTH_DEFAULT: Final = _PAGE_W - 2 * _MARGIN_LR

_T: Final = qn("w:t")
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
    """True when a header/footer part shows anything (text, field, picture)."""
    for t in element.iter(_T):
        if t.text and t.text.strip():
            return True
    for tag in ("w:drawing", "w:pict", "w:fldSimple", "w:instrText", "w:object"):
        if next(element.iter(qn(tag)), None) is not None:
            return True
    return False


def write_headers(doc: DocxDocument, w: RunWriter, fm: FrontMatter, width: int, *, keep_existing: bool) -> None:
    """Running header from page 2 on; an empty first-page header for page 1."""
    section = doc.sections[-1]
    header = section.header
    if keep_existing and not header.is_linked_to_previous and _has_content(header.part.element):
        return  # the vorlage brings its own running header
    empty = w.p_xml("header", [])
    section.different_first_page_header_footer = True
    first = section.first_page_header
    if first.is_linked_to_previous or not keep_existing:
        first.is_linked_to_previous = False
        replace_children(first.part.element, parse_fragment([empty], "Der Vorspann"))
    header.is_linked_to_previous = False
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
    replace_children(header.part.element, parse_fragment([table, page], "Der Vorspann"))
