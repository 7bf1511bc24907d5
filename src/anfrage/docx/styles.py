"""The style sheet of an answer Drucksache: every style the writer uses, by name.

The style names are the contract of ``docs/design.md``: clerks format by them, and a ``vorlage``
may bring its own styles of the same names, which then win. So styles are looked up by name and
only created when missing; an existing style is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from anfrage.docx.wml import Element, attr

__all__ = [
    "FONT",
    "HANG",
    "QUOTE_INDENT",
    "SIZE11",
    "STYLE_DEFS",
    "STYLE_ID",
    "STYLE_NAMES",
    "STYLE_TAG",
    "StyleDef",
    "ensure_styles",
]

HANG: Final = 425  # 0.75 cm hanging indent of questions and list items (twips)
QUOTE_INDENT: Final = 567

STYLE_TAG: Final = qn("w:style")
STYLE_ID: Final = qn("w:styleId")
_NAME: Final = qn("w:name")
_VAL: Final = qn("w:val")
_TYPE: Final = qn("w:type")
_DEFAULT: Final = qn("w:default")


@dataclass(frozen=True)
class StyleDef:
    """One style the writer needs: created in the document when no style of that name exists."""

    key: str  # logical name the writer's modules use
    name: str  # w:name
    style_id: str  # preferred ASCII styleId
    kind: str  # paragraph | character | table
    inner: str  # XML after w:name/w:basedOn (uiPriority, pPr, rPr, tblPr)
    aliases: tuple[str, ...] = ()  # other names (lower case) that count as this style


FONT: Final = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/>'
SIZE11: Final = '<w:sz w:val="22"/><w:szCs w:val="22"/>'


def _ppr(keep: bool = False, tabs: str = "", spacing: str = "", ind: str = "", extra: str = "") -> str:
    parts = ["<w:pPr>"]
    if keep:
        parts.append("<w:keepNext/><w:keepLines/>")
    parts.append(tabs)
    parts.append(spacing)
    parts.append(ind)
    parts.append(extra)
    parts.append("</w:pPr>")
    return "".join(parts)


def _rpr(bold: bool = False, size: int = 22) -> str:
    b = "<w:b/><w:bCs/>" if bold else ""
    return f'<w:rPr>{FONT}{b}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


_BODY_SPACING = '<w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/>'
_HANG_TAB = f'<w:tabs><w:tab w:val="left" w:pos="{HANG}"/></w:tabs>'
_HANG_IND = f'<w:ind w:left="{HANG}" w:hanging="{HANG}"/>'
_Q = '<w:uiPriority w:val="1"/><w:qFormat/>'

STYLE_DEFS: Final[tuple[StyleDef, ...]] = (
    StyleDef(
        "Kopf",
        "Kopf",
        "Kopf",
        "paragraph",
        _Q + _ppr(spacing='<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>') + _rpr(),
    ),
    StyleDef(
        "Titel Antwort",
        "Titel Antwort",
        "TitelAntwort",
        "paragraph",
        _Q
        + _ppr(keep=True, spacing='<w:spacing w:before="600" w:after="120" w:line="240" w:lineRule="auto"/>')
        + _rpr(bold=True, size=28),
    ),
    StyleDef(
        "Titelblock",
        "Titelblock",
        "Titelblock",
        "paragraph",
        _Q + _ppr(keep=True, spacing='<w:spacing w:before="0" w:after="240" w:line="276" w:lineRule="auto"/>') + _rpr(),
    ),
    StyleDef(
        "Titel Anfrage",
        "Titel Anfrage",
        "TitelAnfrage",
        "paragraph",
        _Q
        + _ppr(keep=True, spacing='<w:spacing w:before="120" w:after="360" w:line="276" w:lineRule="auto"/>')
        + _rpr(bold=True),
    ),
    StyleDef(
        "Zwischenüberschrift",
        "Zwischenüberschrift",
        "Zwischenueberschrift",
        "paragraph",
        _Q
        + _ppr(
            keep=True,
            spacing='<w:spacing w:before="360" w:after="120" w:line="276" w:lineRule="auto"/>',
            extra='<w:outlineLvl w:val="0"/>',
        )
        + _rpr(bold=True),
    ),
    StyleDef(
        "Zwischenüberschrift 2",
        "Zwischenüberschrift 2",
        "Zwischenueberschrift2",
        "paragraph",
        _Q
        + _ppr(
            keep=True,
            spacing='<w:spacing w:before="240" w:after="120" w:line="276" w:lineRule="auto"/>',
            extra='<w:outlineLvl w:val="1"/>',
        )
        + _rpr(bold=True),
    ),
    StyleDef(
        "Frage",
        "Frage",
        "Frage",
        "paragraph",
        _Q
        + _ppr(
            keep=True,
            tabs=_HANG_TAB,
            spacing='<w:spacing w:before="240" w:after="120" w:line="276" w:lineRule="auto"/>',
            ind=_HANG_IND,
        )
        + _rpr(bold=True),
    ),
    StyleDef("Antwort", "Antwort", "Antwort", "paragraph", _Q + _ppr(spacing=_BODY_SPACING) + _rpr()),
    StyleDef("Link", "Link", "Link", "paragraph", _Q + _ppr(spacing=_BODY_SPACING) + _rpr()),
    StyleDef(
        "Aufzählung",
        "Aufzählung",
        "Aufzaehlung",
        "paragraph",
        _Q
        + _ppr(
            tabs=_HANG_TAB,
            spacing='<w:spacing w:before="0" w:after="60" w:line="276" w:lineRule="auto"/>',
            ind=_HANG_IND,
        )
        + _rpr(),
    ),
    StyleDef(
        "Tabelle Text",
        "Tabelle Text",
        "TabelleText",
        "paragraph",
        _Q + _ppr(spacing='<w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/>') + _rpr(),
    ),
    # Word's built-in header style ("Kopfzeile" in a German Word).
    StyleDef(
        "header",
        "header",
        "Header",
        "paragraph",
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        + _ppr(spacing='<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
        + _rpr(),
        aliases=("header", "kopfzeile"),
    ),
    StyleDef(
        "Platzhalter",
        "Platzhalter",
        "Platzhalter",
        "character",
        '<w:uiPriority w:val="1"/><w:qFormat/><w:rPr><w:highlight w:val="yellow"/>'
        '<w:shd w:val="clear" w:color="auto" w:fill="FFFF00"/></w:rPr>',
    ),
    StyleDef(
        "Hyperlink",
        "Hyperlink",
        "Hyperlink",
        "character",
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>',
        aliases=("hyperlink",),
    ),
    StyleDef(
        "Tabelle Drucksache",
        "Tabelle Drucksache",
        "TabelleDrucksache",
        "table",
        '<w:uiPriority w:val="1"/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        + _rpr()
        + "<w:tblPr><w:tblBorders>"
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/>'
        '<w:left w:w="85" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/>'
        '<w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>',
    ),
)

STYLE_NAMES: Final = tuple(d.name for d in STYLE_DEFS)


def _style_name(el: Element) -> str:
    """The ``w:name`` of a ``w:style`` element ("" without one: the name is optional in the schema)."""
    name = el.find(_NAME)
    return name.get(_VAL, "") if name is not None else ""


def ensure_styles(doc: DocxDocument) -> dict[str, str]:
    """Return logical name → styleId, creating every style the document lacks.

    A style counts as present when a style of the same type has the same name (or, for Word's
    built-in styles, one of their names in lower case). Existing styles are never changed.
    """
    styles = doc.styles.element
    by_name: dict[tuple[str, str], str] = {}
    by_name_lower: dict[tuple[str, str], str] = {}
    ids: set[str] = set()
    default_ids: dict[str, str] = {}
    for el in styles.iterchildren(STYLE_TAG):
        sid = el.get(STYLE_ID, "")
        kind = el.get(_TYPE, "paragraph")
        ids.add(sid)
        name = _style_name(el)
        by_name.setdefault((kind, name), sid)
        by_name_lower.setdefault((kind, name.lower()), sid)
        if el.get(_DEFAULT) in ("1", "true", "on"):
            default_ids.setdefault(kind, sid)
    result: dict[str, str] = {}
    for d in STYLE_DEFS:
        sid = by_name.get((d.kind, d.name))
        for alias in d.aliases:
            if sid is None:
                sid = by_name_lower.get((d.kind, alias))
        if sid is None:
            sid = d.style_id
            n = 1
            while sid in ids:
                n += 1
                sid = f"{d.style_id}{n}"
            ids.add(sid)
            based = default_ids.get(d.kind, "") if d.kind in ("paragraph", "table") else ""
            based_xml = f'<w:basedOn w:val="{attr(based)}"/>' if based else ""
            custom = "" if d.aliases else ' w:customStyle="1"'
            styles.append(
                parse_xml(
                    f'<w:style {nsdecls("w")} w:type="{d.kind}"{custom} w:styleId="{sid}">'
                    f'<w:name w:val="{d.name}"/>{based_xml}{d.inner}</w:style>'
                )
            )
            by_name[(d.kind, d.name)] = sid
        result[d.key] = sid
    return result
