"""The style sheet of an answer Drucksache: every style the writer uses, by name.

The style names are the contract of ``docs/design.md``: clerks format by them, and a ``vorlage``
may bring its own styles of the same names, which then win as they are (fonts, sizes, bold). So
styles are looked up by name and only created when missing; an existing style is never changed.

A created style names no font and (but for ``Titel Antwort``) no size: it is based on the
document's ``Normal`` and so writes in the vorlage's font, or in Arial 11 pt, which the base
document sets as its default (``package.base_docx``). Emphasis lives in the styles (``Frage`` and
``Titel Anfrage`` are bold), not on the runs, so a vorlage's ``Frage`` decides whether questions are
bold.

The three headings are based on Word's built-in ``heading 1``–``heading 3`` and carry the outline
level: Word's navigation pane, pandoc and mammoth see them as headings. Created ones take the
style ids ``Heading1``–``Heading3`` (what mammoth matches) where the document has not given those
ids to other styles; their visible names stay the German ones of the contract. A built-in heading
that the vorlage formats in its own way (colour, theme font, numbering, …) is only their base for
the outline: what it sets and the created style does not is reset to the vorlage's ``Normal``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Final

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from anfrage.docx.wml import Element, attr

__all__ = [
    "HANG",
    "QUOTE_INDENT",
    "STYLE_DEFS",
    "STYLE_ID",
    "STYLE_NAMES",
    "STYLE_TAG",
    "StyleDef",
    "ensure_styles",
    "paragraph_indent",
]

HANG: Final = 425  # 0.75 cm hanging indent of questions and list items (twips)
QUOTE_INDENT: Final = 567

STYLE_TAG: Final = qn("w:style")
STYLE_ID: Final = qn("w:styleId")
_NAME: Final = qn("w:name")
_VAL: Final = qn("w:val")
_TYPE: Final = qn("w:type")
_DEFAULT: Final = qn("w:default")
_BASED_ON: Final = qn("w:basedOn")
_PPR: Final = qn("w:pPr")
_RPR: Final = qn("w:rPr")
_SZ: Final = qn("w:sz")


@dataclass(frozen=True)
class StyleDef:
    """One style the writer needs: created in the document when no style of that name exists."""

    key: str  # logical name the writer's modules use
    name: str  # w:name
    style_id: str  # preferred ASCII styleId
    kind: str  # paragraph | character | table
    inner: str  # XML after w:name … w:qFormat (pPr, rPr, tblPr)
    aliases: tuple[str, ...] = ()  # other names (lower case) that count as this style
    heading: int = 0  # 1–3: based on Word's built-in "heading N"
    next_key: str = ""  # the style Word gives the paragraph after it (Enter)
    grow: int = 0  # half-points above the size of Normal (only Titel Antwort)
    ui: str = '<w:uiPriority w:val="1"/><w:qFormat/>'


def _ppr(keep: bool = False, tabs: str = "", spacing: str = "", ind: str = "", outline: int | None = None) -> str:
    parts = ["<w:pPr>"]
    if keep:
        parts.append("<w:keepNext/><w:keepLines/>")
    parts += [tabs, spacing, ind]
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    parts.append("</w:pPr>")
    return "".join(parts)


def _spacing(before: int, after: int, line: int = 276) -> str:
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="auto"/>'


_BOLD: Final = "<w:rPr><w:b/><w:bCs/></w:rPr>"
_HANG_TAB: Final = f'<w:tabs><w:tab w:val="left" w:pos="{HANG}"/></w:tabs>'
_HANG_IND: Final = f'<w:ind w:left="{HANG}" w:hanging="{HANG}"/>'

STYLE_DEFS: Final[tuple[StyleDef, ...]] = (
    StyleDef("Kopf", "Kopf", "Kopf", "paragraph", _ppr(spacing=_spacing(0, 0, 240))),
    StyleDef(
        "Titel Antwort",
        "Titel Antwort",
        "Heading1",
        "paragraph",
        _ppr(keep=True, spacing=_spacing(600, 120, 240), outline=0) + _BOLD,
        heading=1,
        next_key="Titelblock",
        grow=6,
    ),
    StyleDef("Titelblock", "Titelblock", "Titelblock", "paragraph", _ppr(keep=True, spacing=_spacing(0, 240))),
    StyleDef(
        "Titel Anfrage",
        "Titel Anfrage",
        "TitelAnfrage",
        "paragraph",
        _ppr(keep=True, spacing=_spacing(120, 360)) + _BOLD,
        next_key="Antwort",
    ),
    StyleDef(
        "Zwischenüberschrift",
        "Zwischenüberschrift",
        "Heading2",
        "paragraph",
        _ppr(keep=True, spacing=_spacing(360, 120), outline=1) + _BOLD,
        heading=2,
        next_key="Antwort",
    ),
    StyleDef(
        "Zwischenüberschrift 2",
        "Zwischenüberschrift 2",
        "Heading3",
        "paragraph",
        _ppr(keep=True, spacing=_spacing(240, 120), outline=2) + _BOLD,
        heading=3,
        next_key="Antwort",
    ),
    StyleDef(
        "Frage",
        "Frage",
        "Frage",
        "paragraph",
        _ppr(keep=True, tabs=_HANG_TAB, spacing=_spacing(240, 120), ind=_HANG_IND) + _BOLD,
        next_key="Antwort",
    ),
    StyleDef("Antwort", "Antwort", "Antwort", "paragraph", _ppr(spacing=_spacing(0, 120))),
    StyleDef("Link", "Link", "Link", "paragraph", _ppr(spacing=_spacing(0, 120))),
    StyleDef(
        "Aufzählung",
        "Aufzählung",
        "Aufzaehlung",
        "paragraph",
        _ppr(tabs=_HANG_TAB, spacing=_spacing(0, 60), ind=_HANG_IND),
    ),
    StyleDef("Tabelle Text", "Tabelle Text", "TabelleText", "paragraph", _ppr(spacing=_spacing(40, 40, 240))),
    # Word's built-in header style ("Kopfzeile" in a German Word).
    StyleDef(
        "header",
        "header",
        "Header",
        "paragraph",
        _ppr(spacing=_spacing(0, 0, 240)),
        aliases=("header", "kopfzeile"),
        ui='<w:uiPriority w:val="99"/><w:unhideWhenUsed/>',
    ),
    # Shading, not w:highlight: the schema has no highlight in a style's run properties.
    StyleDef(
        "Platzhalter",
        "Platzhalter",
        "Platzhalter",
        "character",
        '<w:rPr><w:shd w:val="clear" w:color="auto" w:fill="FFFF00"/></w:rPr>',
    ),
    StyleDef(
        "Hyperlink",
        "Hyperlink",
        "Hyperlink",
        "character",
        '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>',
        aliases=("hyperlink",),
        ui='<w:uiPriority w:val="99"/><w:unhideWhenUsed/>',
    ),
    StyleDef(
        "Tabelle Drucksache",
        "Tabelle Drucksache",
        "TabelleDrucksache",
        "table",
        f"<w:pPr>{_spacing(0, 0, 240)}</w:pPr><w:tblPr><w:tblBorders>"
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + '</w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/>'
        '<w:left w:w="85" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/>'
        '<w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>',
        ui='<w:uiPriority w:val="1"/>',
    ),
)

STYLE_NAMES: Final = tuple(d.name for d in STYLE_DEFS)


# Child order of w:pPr and w:rPr in the schema (a created style must follow it).
def _tags(names: str) -> tuple[str, ...]:
    """Clark names of the w: elements named, space-separated, in ``names``."""
    return tuple(qn(f"w:{name}") for name in names.split())


_PPR_ORDER: Final = _tags(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle"
)
_RPR_ORDER: Final = _tags(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
_TOGGLES: Final = frozenset(
    _tags("b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint vanish webHidden")
)
# What a property of a vorlage's built-in heading is reset to when Normal does not set it.
_NEUTRAL: Final = {
    qn("w:color"): '<w:color w:val="auto"/>',
    qn("w:spacing"): '<w:spacing w:val="0"/>',
    qn("w:w"): '<w:w w:val="100"/>',
    qn("w:kern"): '<w:kern w:val="0"/>',
    qn("w:position"): '<w:position w:val="0"/>',
    qn("w:u"): '<w:u w:val="none"/>',
    qn("w:effect"): '<w:effect w:val="none"/>',
    qn("w:bdr"): '<w:bdr w:val="nil"/>',
    qn("w:vertAlign"): '<w:vertAlign w:val="baseline"/>',
    qn("w:em"): '<w:em w:val="none"/>',
    qn("w:pageBreakBefore"): '<w:pageBreakBefore w:val="0"/>',
    qn("w:numPr"): '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>',
    qn("w:ind"): '<w:ind w:left="0" w:right="0" w:firstLine="0"/>',
    qn("w:jc"): '<w:jc w:val="left"/>',
    qn("w:contextualSpacing"): '<w:contextualSpacing w:val="0"/>',
}


def _style_name(el: Element) -> str:
    """The ``w:name`` of a ``w:style`` element ("" without one: the name is optional in the schema)."""
    name = el.find(_NAME)
    return name.get(_VAL, "") if name is not None else ""


def _w(xml: str) -> Element:
    """One element from WordprocessingML text without a namespace declaration."""
    root = parse_xml(f"<w:x {nsdecls('w')}>{xml}</w:x>")
    return root[0]


class _Sheet:
    """The document's styles by type and name, id and default, as ``ensure_styles`` needs them."""

    def __init__(self, styles: Element) -> None:
        self.root = styles
        self.by_name: dict[tuple[str, str], str] = {}
        self.by_name_lower: dict[tuple[str, str], str] = {}
        self.by_id: dict[str, Element] = {}
        self.defaults: dict[str, str] = {}
        for el in styles.iterchildren(STYLE_TAG):
            sid = el.get(STYLE_ID, "")
            kind = el.get(_TYPE, "paragraph")
            self.by_id.setdefault(sid, el)
            name = _style_name(el)
            self.by_name.setdefault((kind, name), sid)
            self.by_name_lower.setdefault((kind, name.lower()), sid)
            if el.get(_DEFAULT) in ("1", "true", "on"):
                self.defaults.setdefault(kind, sid)

    def free_id(self, preferred: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
        """``preferred``, or ``preferred`` with the first number that makes it unused."""
        sid, n = preferred, 1
        while sid in self.by_id or sid in taken:
            n += 1
            sid = f"{preferred}{n}"
        return sid

    def add(self, xml: str) -> None:
        el = parse_xml(xml)
        self.root.append(el)
        sid = el.get(STYLE_ID, "")
        self.by_id[sid] = el
        kind, name = el.get(_TYPE, "paragraph"), _style_name(el)
        self.by_name.setdefault((kind, name), sid)
        self.by_name_lower.setdefault((kind, name.lower()), sid)

    def chain(self, sid: str) -> list[Element]:
        """The style and the styles it is based on, nearest first."""
        out: list[Element] = []
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id and len(out) < 32:
            seen.add(sid)
            el = self.by_id[sid]
            out.append(el)
            based = el.find(_BASED_ON)
            sid = based.get(_VAL, "") if based is not None else ""
        return out

    def normal_props(self, tag: str) -> dict[str, Element]:
        """The run (``w:rPr``) or paragraph (``w:pPr``) properties of Normal, defaults included."""
        props: dict[str, Element] = {}
        default = self.root.find(f"{qn('w:docDefaults')}/{qn('w:' + tag + 'Default')}/{qn('w:' + tag)}")
        layers = [default] if default is not None else []
        layers += [s.find(qn("w:" + tag)) for s in reversed(self.chain(self.defaults.get("paragraph", "")))]
        for layer in layers:
            if layer is not None:
                for child in layer:
                    props[child.tag] = child
        return props

    def normal_size(self) -> int:
        sz = self.normal_props("rPr").get(_SZ)
        value = sz.get(_VAL, "") if sz is not None else ""
        return int(value) if value.isdigit() else 20  # Word's default: 10 pt


def _ensure_heading(sheet: _Sheet, level: int) -> str:
    """The style id of the built-in ``heading N``, created (bold, outline level) when missing."""
    sid = sheet.by_name_lower.get(("paragraph", f"heading {level}"))
    if sid is not None:
        return sid
    sid = sheet.free_id(f"Ueberschrift{level}")
    normal = sheet.defaults.get("paragraph", "")
    based = f'<w:basedOn w:val="{attr(normal)}"/><w:next w:val="{attr(normal)}"/>' if normal else ""
    sheet.add(
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{sid}"><w:name w:val="heading {level}"/>'
        f'{based}<w:uiPriority w:val="9"/><w:unhideWhenUsed/><w:qFormat/>'
        f'<w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val="{level - 1}"/></w:pPr>{_BOLD}</w:style>'
    )
    return sid


def _reset_to_normal(sheet: _Sheet, base: str, props: Element, tag: str) -> None:
    """Add to ``props`` (the created style's pPr/rPr) what the vorlage's heading sets and it does not,
    with the value of Normal, so the created heading looks like the rest of the vorlage's text."""
    normal_sid = sheet.defaults.get("paragraph", "")
    heading: dict[str, list[Element]] = {}
    for style in sheet.chain(base):
        if style.get(STYLE_ID) == normal_sid:
            break
        layer = style.find(qn("w:" + tag))
        for child in layer if layer is not None else ():
            heading.setdefault(child.tag, []).append(child)
    normal = sheet.normal_props(tag)
    own = {child.tag for child in props}
    for prop, found in heading.items():
        if prop in own:
            continue
        if prop in normal:
            new = copy.deepcopy(normal[prop])
        elif prop in _TOGGLES:
            new = _w(f'<w:{prop.split("}")[1]} w:val="0"/>')
        elif prop == qn("w:pBdr"):
            sides = [side.tag.split("}")[1] for el in found for side in el]
            new = _w("<w:pBdr>" + "".join(f'<w:{s} w:val="nil"/>' for s in dict.fromkeys(sides)) + "</w:pBdr>")
        elif prop == qn("w:tabs"):
            stops = [t.get(qn("w:pos"), "") for el in found for t in el]
            new = _w("<w:tabs>" + "".join(f'<w:tab w:val="clear" w:pos="{p}"/>' for p in stops if p) + "</w:tabs>")
        elif prop == qn("w:shd"):
            new = _w('<w:shd w:val="clear" w:color="auto" w:fill="auto"/>')
        elif prop in (qn("w:sz"), qn("w:szCs")):
            new = _w(f'<w:{prop.split("}")[1]} w:val="{sheet.normal_size()}"/>')
        elif prop in _NEUTRAL:
            new = _w(_NEUTRAL[prop])
        else:
            continue  # language, hyphenation and the like: harmless
        props.append(new)
    _sort(props, _PPR_ORDER if tag == "pPr" else _RPR_ORDER)


def _sort(props: Element, order: tuple[str, ...]) -> None:
    rank = {t: i for i, t in enumerate(order)}
    props[:] = sorted(props, key=lambda child: rank.get(child.tag, len(rank)))


def _create(sheet: _Sheet, d: StyleDef, sid: str, ids: dict[str, str]) -> None:
    """Create the style ``d`` with id ``sid``; ``ids``: logical name → id of the styles known so far."""
    heading = _ensure_heading(sheet, d.heading) if d.heading else ""
    based = heading or (sheet.defaults.get(d.kind, "") if d.kind in ("paragraph", "table") else "")
    parts = [f'<w:name w:val="{attr(d.name)}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{attr(based)}"/>')
    if d.next_key and d.next_key in ids:
        parts.append(f'<w:next w:val="{attr(ids[d.next_key])}"/>')
    custom = "" if d.aliases else ' w:customStyle="1"'
    sheet.add(
        f'<w:style {nsdecls("w")} w:type="{d.kind}"{custom} w:styleId="{attr(sid)}">'
        f"{''.join(parts)}{d.ui}{d.inner}</w:style>"
    )
    style = sheet.by_id[sid]
    rpr = style.find(_RPR)
    if d.grow:
        if rpr is None:
            rpr = _w("<w:rPr/>")
            style.append(rpr)
        size = sheet.normal_size() + d.grow
        rpr.append(_w(f'<w:sz w:val="{size}"/>'))
        rpr.append(_w(f'<w:szCs w:val="{size}"/>'))
        _sort(rpr, _RPR_ORDER)
    if heading:
        for tag in ("pPr", "rPr"):
            props = style.find(qn("w:" + tag))
            if props is None:
                props = _w(f"<w:{tag}/>")
                style.append(props)
            _reset_to_normal(sheet, heading, props, tag)
            if len(props) == 0:
                style.remove(props)


def ensure_styles(doc: DocxDocument) -> dict[str, str]:
    """Return logical name → styleId, creating every style the document lacks.

    A style counts as present when a style of the same type has the same name (or, for Word's
    built-in styles, one of their names in lower case). Existing styles are never changed.
    """
    sheet = _Sheet(doc.styles.element)
    ids: dict[str, str] = {}
    missing: list[StyleDef] = []
    for d in STYLE_DEFS:
        sid = sheet.by_name.get((d.kind, d.name))
        for alias in d.aliases:
            if sid is None:
                sid = sheet.by_name_lower.get((d.kind, alias))
        if sid is None:
            missing.append(d)
        else:
            ids[d.key] = sid
    for d in missing:  # the built-in headings first: their ids must not be taken by ours
        if d.heading:
            _ensure_heading(sheet, d.heading)
    reserved: set[str] = set()
    for d in missing:  # ids first, so that w:next can name styles created later
        sid = d.style_id
        if sid in sheet.by_id or sid in reserved:
            sid = sheet.free_id(d.name.replace("ü", "ue").replace("ä", "ae").replace(" ", ""), reserved)
        reserved.add(sid)
        ids[d.key] = sid
    for d in missing:
        _create(sheet, d, ids[d.key], ids)
    return ids


def paragraph_indent(doc: DocxDocument, sid: str) -> tuple[int, int]:
    """(left, hanging) indent in twips of a paragraph style, following ``w:basedOn``; (HANG, HANG)
    when the style sets no hanging indent (a list needs one for its numbers)."""
    sheet = _Sheet(doc.styles.element)
    for style in sheet.chain(sid):
        ppr = style.find(_PPR)
        ind = ppr.find(qn("w:ind")) if ppr is not None else None
        if ind is None:
            continue
        left = ind.get(qn("w:left")) or ind.get(qn("w:start")) or "0"
        hanging = ind.get(qn("w:hanging")) or "0"
        if left.isdigit() and hanging.isdigit() and int(hanging) > 0:
            return int(left), int(hanging)
        break
    return HANG, HANG
