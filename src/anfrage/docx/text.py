"""Plain text of a DOCX file, for ``anfrage text`` and as a git textconv driver.

Output, one item per line:

* first the page headers and footers of every section, each line marked with its kind, e.g.
  ``[Kopfzeile] LANDTAG NORDRHEIN-WESTFALEN - 17. Wahlperiode | Drucksache 17/4472``
  (kinds: ``Kopfzeile``, ``Kopfzeile erste Seite``, ``Kopfzeile gerade Seiten`` and the same for
  ``Fußzeile``; a part shared by several sections is shown once; empty lines are left out);
* then the body in document order: one line per paragraph (line breaks inside a paragraph stay
  line breaks, tabs stay tabs, empty paragraphs give empty lines), one line per table row with
  the cells separated by `` | `` (inside a cell, paragraphs and line breaks become spaces).

Fields show their last computed result, except page numbers (PAGE, NUMPAGES, SECTIONPAGES),
which show as ``{PAGE}`` etc., so that a new layout does not change the text. Text of deleted
revisions and of ``mc:Fallback`` alternatives is left out.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Final

from docx import Document
from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from anfrage.docx.wml import W_NS, Element
from anfrage.errors import UserError

__all__ = ["docx_to_text"]

_NS: Final = {
    "w": W_NS,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}
_TEXT_XPATH: Final = etree.XPath(
    "(.//w:t | .//w:tab | .//w:br | .//w:cr | .//w:noBreakHyphen | .//w:fldChar | .//w:instrText"
    " | .//w:fldSimple)[not(ancestor::mc:Fallback)][not(ancestor::w:pPr)]",
    namespaces=_NS,
)
# Fields whose result changes with every layout: shown by name, so textconv diffs stay quiet.
_VOLATILE_FIELDS: Final = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES"})
_P: Final = qn("w:p")
_TBL: Final = qn("w:tbl")
_TR: Final = qn("w:tr")
_TC: Final = qn("w:tc")
_SDT: Final = qn("w:sdt")
_SDTCONTENT: Final = qn("w:sdtContent")
_CUSTOMXML: Final = qn("w:customXml")
_T: Final = qn("w:t")
_TAB: Final = qn("w:tab")
_NBH: Final = qn("w:noBreakHyphen")
_FLDCHAR: Final = qn("w:fldChar")
_FLDCHARTYPE: Final = qn("w:fldCharType")
_INSTRTEXT: Final = qn("w:instrText")
_FLDSIMPLE: Final = qn("w:fldSimple")
_INSTR: Final = qn("w:instr")

_KINDS: Final = (
    ("first_page_header", "Kopfzeile erste Seite"),
    ("header", "Kopfzeile"),
    ("even_page_header", "Kopfzeile gerade Seiten"),
    ("first_page_footer", "Fußzeile erste Seite"),
    ("footer", "Fußzeile"),
    ("even_page_footer", "Fußzeile gerade Seiten"),
)


def _field_name(instr: str) -> str:
    words = instr.split()
    return words[0].upper() if words else ""


@dataclass
class _Field:
    """An open complex field: its instruction so far, and whether its result is hidden."""

    instr: str = ""
    hidden: bool = False


def _paragraph_text(p: Element) -> str:
    out: list[str] = []
    fields: list[_Field] = []  # open complex fields, innermost last
    hidden_simple: list[Element] = []  # fldSimple elements whose result is replaced by their name
    for el in _TEXT_XPATH(p):
        tag = el.tag
        if tag == _FLDCHAR:
            kind = el.get(_FLDCHARTYPE)
            if kind == "begin":
                fields.append(_Field())
            elif kind == "separate" and fields:
                name = _field_name(fields[-1].instr)
                if name in _VOLATILE_FIELDS:
                    out.append("{" + name + "}")
                    fields[-1].hidden = True
            elif kind == "end" and fields:
                fields.pop()
            continue
        if tag == _INSTRTEXT:
            if fields:
                fields[-1].instr += el.text or ""
            continue
        if tag == _FLDSIMPLE:
            name = _field_name(el.get(_INSTR, ""))
            if name in _VOLATILE_FIELDS:
                out.append("{" + name + "}")
                hidden_simple.append(el)
            continue
        if any(f.hidden for f in fields):
            continue
        if hidden_simple and any(a in hidden_simple for a in el.iterancestors(_FLDSIMPLE)):
            continue
        if tag == _T:
            out.append(el.text or "")
        elif tag == _TAB:
            out.append("\t")
        elif tag == _NBH:
            out.append("-")
        else:  # w:br, w:cr
            out.append("\n")
    return "".join(out)


def _blocks(container: Element) -> list[Element]:
    """Paragraphs and tables of a body, header or cell, looking through content controls."""
    found: list[Element] = []
    for child in container:
        if child.tag in (_P, _TBL):
            found.append(child)
        elif child.tag == _SDT:
            content = child.find(_SDTCONTENT)
            if content is not None:
                found.extend(_blocks(content))
        elif child.tag == _CUSTOMXML:
            found.extend(_blocks(child))
    return found


def _cell_text(tc: Element) -> str:
    parts: list[str] = []
    for block in _blocks(tc):
        if block.tag == _P:
            parts.append(_paragraph_text(block))
        else:
            parts.extend(_row_text(tr) for tr in block.iter(_TR) if tr.getparent() is block)
    return " ".join(" ".join(parts).split("\n")).strip()


def _row_text(tr: Element) -> str:
    cells: list[Element] = []
    for child in tr:
        if child.tag == _TC:
            cells.append(child)
        elif child.tag == _SDT:
            content = child.find(_SDTCONTENT)
            if content is not None:
                cells.extend(c for c in content if c.tag == _TC)
    return " | ".join(_cell_text(tc) for tc in cells)


def _lines(container: Element) -> list[str]:
    lines: list[str] = []
    for block in _blocks(container):
        if block.tag == _P:
            lines.append(_paragraph_text(block))
        else:
            for tr in block:
                if tr.tag == _TR:
                    lines.append(_row_text(tr))
    return lines


def docx_to_text(source: str | os.PathLike[str] | bytes) -> str:
    """Return the plain text of a DOCX (path or bytes), headers and footers first.

    Raises ``UserError`` when the file is missing or is not a readable DOCX.
    """
    if isinstance(source, (bytes, bytearray)):
        name = "Die Datei"
        stream: str | io.BytesIO = io.BytesIO(bytes(source))
    else:
        name = f"Die Datei {os.fspath(source)}"
        stream = os.fspath(source)
        if not os.path.isfile(stream):
            raise UserError(f"{name} gibt es nicht.")
    try:
        doc = Document(stream)
    except Exception:  # noqa: BLE001  # python-docx, zipfile and lxml raise many kinds for broken packages
        raise UserError(f"{name} ist keine lesbare Word-Datei (DOCX).") from None

    lines: list[str] = []
    seen: set[str] = set()
    for section in doc.sections:
        for attr, label in _KINDS:
            part_owner = getattr(section, attr)
            if part_owner.is_linked_to_previous:
                continue
            part = part_owner.part
            key = str(part.partname)
            if key in seen:
                continue
            seen.add(key)
            for line in _lines(part.element):
                if line.strip():
                    lines.append(f"[{label}] {line}")
    lines.extend(_lines(doc.element.body))
    return "\n".join(lines) + "\n"
