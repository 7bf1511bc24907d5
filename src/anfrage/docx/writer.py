"""Draft Markdown → DOCX in the layout of an answer Drucksache of the Landtag NRW.

The DOCX says exactly what the Markdown says: the draft is parsed with markdown-it-py and every
token becomes WordprocessingML in a python-docx document (styles, headers, relationships and core
properties through python-docx). There is no second template.

Layout (without ``vorlage``): A4, margins 2.5 cm left/right, Arial 11 pt. Page 1 starts with the
block "LANDTAG NORDRHEIN-WESTFALEN / {wahlperiode}. Wahlperiode" left and "Drucksache {drucksache}
/ {datum}" right (paragraphs in style ``Kopf`` in a borderless two-column table with a rule
below, so that a long placeholder in the number wraps in its own column). From page 2 on a running
header, built the same way: "LANDTAG NORDRHEIN-WESTFALEN - {wahlperiode}. Wahlperiode" left,
"Drucksache {drucksache}" right, the page number (PAGE field) centred below; page 1 has an empty
first-page header ("different first page").

Mapping (style names are the contract of ``docs/design.md``):

* ``#`` → ``Titel Antwort``; the paragraph after it → ``Titelblock`` (unless it is all bold); the
  next all-bold paragraph → ``Titel Anfrage``.
* ``##`` → ``Zwischenüberschrift``; ``###`` and deeper → ``Zwischenüberschrift 2``.
* an ordered-list item whose only content is one all-bold paragraph → ``Frage`` ("N." + tab,
  hanging indent); other list items → ``Aufzählung`` with "•" or "N." + tab (literal text, no
  numbering.xml, so the numbers are exactly those of the Markdown).
* a paragraph of autolinks only → ``Link``; every link becomes a ``w:hyperlink`` with an external
  relationship and character style ``Hyperlink``; other paragraphs → ``Antwort``.
* GFM tables → table style ``Tabelle Drucksache``; the header row is bold and repeats on every page
  (``w:tblHeader``); rows are not split across pages (``w:cantSplit``); cells use ``Tabelle Text``.
* ``[[ERGÄNZEN: …]]``, ``[[MUSTERTEXT: …]]``, ``[[PRÜFEN: …]]`` → character style ``Platzhalter``.
* soft break → space, hard break → line break, tab → tab; code spans, code blocks, block quotes
  and images (alt text) come out as plain text in ``Antwort``; ``---`` → an empty ``Antwort``
  paragraph with a bottom rule.

``vorlage`` works like pandoc's reference document: the DOCX is opened, its body is emptied, its
styles, page setup, headers and footers are kept, and only the styles it lacks are created. When it
already has a default page header with content, that header is kept as it is; otherwise the running
header above is written.

Same inputs, same bytes: core properties come from the front matter only (title = ``titel``,
author and last modified by = ``ressort``, created = modified = ``antwortdatum`` at 00:00 UTC,
revision 1) and the zip is written with fixed timestamps, entry order and compression.

Characters XML cannot carry (C0 controls other than tab/line feed/carriage return, DEL, C1
controls, lone surrogates, U+FFFE, U+FFFF) are refused with a ``UserError`` (with the line where
possible); they are never dropped silently, since the DOCX must say what the Markdown says.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml
from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.spec import default_content_types
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from markdown_it import MarkdownIt
from markdown_it.token import Token

from anfrage.draft import front_matter_block, is_question_inline
from anfrage.errors import UserError

__all__ = [
    "FrontMatter",
    "PLACEHOLDER_RE",
    "REQUIRED_FRONT_MATTER",
    "STYLE_NAMES",
    "markdown_to_docx",
    "split_front_matter",
]

# --------------------------------------------------------------------------------------------------
# constants

REQUIRED_FRONT_MATTER: Final = ("wahlperiode", "drucksache", "datum", "titel", "ressort")

PLACEHOLDER_RE: Final = re.compile(r"\[\[(ERGÄNZEN|MUSTERTEXT|PRÜFEN): [^\]]*\]\]")

# Characters that XML 1.0 forbids, plus DEL and C1 controls (legal XML, but Word may reject them).
_FORBIDDEN_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_MAX_FRONT_MATTER: Final = 64 * 1024

_W_NS: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# A4, margins (twips; 1 cm = 567 twips, 1 twip = 635 EMU).
_PAGE_W: Final = 11906
_PAGE_H: Final = 16838
_MARGIN_LR: Final = 1417
_TEXT_WIDTH_DEFAULT: Final = _PAGE_W - 2 * _MARGIN_LR
_HANG: Final = 425  # 0.75 cm hanging indent of questions and list items
_QUOTE_INDENT: Final = 567

_FIXED_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
_STYLESWITHEFFECTS_RT: Final = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

_STYLE = qn("w:style")
_NAME = qn("w:name")
_VAL = qn("w:val")
_STYLEID = qn("w:styleId")
_TYPE = qn("w:type")
_DEFAULT = qn("w:default")
_SECTPR = qn("w:sectPr")
_T = qn("w:t")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


# --------------------------------------------------------------------------------------------------
# styles


@dataclass(frozen=True)
class _StyleDef:
    """One style the writer needs: created in the document when no style of that name exists."""

    key: str  # logical name used in this module
    name: str  # w:name
    style_id: str  # preferred ASCII styleId
    kind: str  # paragraph | character | table
    inner: str  # XML after w:name/w:basedOn (uiPriority, pPr, rPr, tblPr)
    aliases: tuple[str, ...] = ()  # other names (lower case) that count as this style


_FONT = '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/>'
_SIZE11 = '<w:sz w:val="22"/><w:szCs w:val="22"/>'


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
    return f'<w:rPr>{_FONT}{b}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'


_BODY_SPACING = '<w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/>'
_HANG_TAB = f'<w:tabs><w:tab w:val="left" w:pos="{_HANG}"/></w:tabs>'
_HANG_IND = f'<w:ind w:left="{_HANG}" w:hanging="{_HANG}"/>'
_Q = '<w:uiPriority w:val="1"/><w:qFormat/>'

STYLE_DEFS: Final[tuple[_StyleDef, ...]] = (
    _StyleDef(
        "Kopf",
        "Kopf",
        "Kopf",
        "paragraph",
        _Q + _ppr(spacing='<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>') + _rpr(),
    ),
    _StyleDef(
        "Titel Antwort",
        "Titel Antwort",
        "TitelAntwort",
        "paragraph",
        _Q
        + _ppr(keep=True, spacing='<w:spacing w:before="600" w:after="120" w:line="240" w:lineRule="auto"/>')
        + _rpr(bold=True, size=28),
    ),
    _StyleDef(
        "Titelblock",
        "Titelblock",
        "Titelblock",
        "paragraph",
        _Q + _ppr(keep=True, spacing='<w:spacing w:before="0" w:after="240" w:line="276" w:lineRule="auto"/>') + _rpr(),
    ),
    _StyleDef(
        "Titel Anfrage",
        "Titel Anfrage",
        "TitelAnfrage",
        "paragraph",
        _Q
        + _ppr(keep=True, spacing='<w:spacing w:before="120" w:after="360" w:line="276" w:lineRule="auto"/>')
        + _rpr(bold=True),
    ),
    _StyleDef(
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
    _StyleDef(
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
    _StyleDef(
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
    _StyleDef("Antwort", "Antwort", "Antwort", "paragraph", _Q + _ppr(spacing=_BODY_SPACING) + _rpr()),
    _StyleDef("Link", "Link", "Link", "paragraph", _Q + _ppr(spacing=_BODY_SPACING) + _rpr()),
    _StyleDef(
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
    _StyleDef(
        "Tabelle Text",
        "Tabelle Text",
        "TabelleText",
        "paragraph",
        _Q + _ppr(spacing='<w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/>') + _rpr(),
    ),
    # Word's built-in header style ("Kopfzeile" in a German Word).
    _StyleDef(
        "header",
        "header",
        "Header",
        "paragraph",
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        + _ppr(spacing='<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
        + _rpr(),
        aliases=("header", "kopfzeile"),
    ),
    _StyleDef(
        "Platzhalter",
        "Platzhalter",
        "Platzhalter",
        "character",
        '<w:uiPriority w:val="1"/><w:qFormat/><w:rPr><w:highlight w:val="yellow"/>'
        '<w:shd w:val="clear" w:color="auto" w:fill="FFFF00"/></w:rPr>',
    ),
    _StyleDef(
        "Hyperlink",
        "Hyperlink",
        "Hyperlink",
        "character",
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>',
        aliases=("hyperlink",),
    ),
    _StyleDef(
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


def _style_name(el: Any) -> str:
    name = el.find(_NAME)
    return name.get(_VAL, "") if name is not None else ""


def _ensure_styles(doc: DocxDocument) -> dict[str, str]:
    """Return logical name → styleId, creating every style the document lacks.

    A style counts as present when a style of the same type has the same name (or, for Word's
    built-in styles, one of their names in lower case). Existing styles are never changed.
    """
    styles = doc.styles.element
    by_name: dict[tuple[str, str], str] = {}
    by_name_lower: dict[tuple[str, str], str] = {}
    ids: set[str] = set()
    default_ids: dict[str, str] = {}
    for el in styles.iterchildren(_STYLE):
        sid = el.get(_STYLEID, "")
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
            based_xml = f'<w:basedOn w:val="{_attr(based)}"/>' if based else ""
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


# --------------------------------------------------------------------------------------------------
# front matter


@dataclass(frozen=True)
class FrontMatter:
    """The front-matter fields the DOCX needs, as display text (``antwortdatum`` as a date)."""

    wahlperiode: str
    drucksache: str
    datum: str
    titel: str
    ressort: str
    antwortdatum: dt.date | None  # unknown answer date: no dates in the document properties


_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_chars(text: str, where: str) -> None:
    """Raise ``UserError`` when ``text`` holds a character a DOCX cannot carry."""
    m = _FORBIDDEN_RE.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        at = f" in Zeile {line}" if "\n" in text else ""
        raise UserError(
            f"{where} enthält{at} das Steuerzeichen U+{ord(m.group()):04X}, das in Word-Dateien "
            "nicht vorkommen darf. Bitte entfernen."
        )


def _field_text(key: str, value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise UserError(f"Vorspann des Entwurfs: „{key}“ muss ein Text oder eine Zahl sein.")
    text = str(value)
    _check_chars(text, f"Der Vorspann-Eintrag „{key}“")
    return text


def split_front_matter(markdown: str) -> tuple[FrontMatter, str]:
    """Split a draft into its parsed front matter and the Markdown body after it."""
    raw, body, _ = front_matter_block(markdown)
    if raw is None:
        raise UserError("Der Entwurf beginnt nicht mit einem Vorspann (YAML zwischen zwei Zeilen „---“).")
    if len(raw) > _MAX_FRONT_MATTER:
        raise UserError("Der Vorspann des Entwurfs ist zu groß.")
    try:
        data = yaml.load(raw, Loader=_YamlLoader)  # a SafeLoader (C or Python)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f" (Zeile {mark.line + 2})" if mark is not None else ""
        raise UserError(
            f"Der Vorspann des Entwurfs ist kein gültiges YAML{at}. Werte mit „: “ "
            "oder „[[…]]“ müssen in Anführungszeichen stehen."
        ) from None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
        # ValueError: e.g. a date like 2018-13-01
        raise UserError(
            "Der Vorspann des Entwurfs enthält einen ungültigen Wert (z. B. ein Datum, das es nicht gibt)."
        ) from None
    if not isinstance(data, dict):
        raise UserError("Der Vorspann des Entwurfs muss aus Einträgen „schlüssel: wert“ bestehen.")
    missing = [k for k in REQUIRED_FRONT_MATTER if data.get(k) is None]
    if missing:
        raise UserError("Im Vorspann des Entwurfs fehlt: " + ", ".join(missing) + ".")
    antwortdatum: Any = data.get("antwortdatum")
    if isinstance(antwortdatum, dt.datetime):
        antwortdatum = antwortdatum.date()
    elif isinstance(antwortdatum, str):
        try:
            antwortdatum = dt.date.fromisoformat(antwortdatum.strip())
        except ValueError:
            antwortdatum = "ungültig"  # reported below
    if antwortdatum is not None and not isinstance(antwortdatum, dt.date):
        raise UserError("Vorspann des Entwurfs: „antwortdatum“ muss ein Datum wie 2018-11-28 sein.")
    fm = FrontMatter(
        wahlperiode=_field_text("wahlperiode", data["wahlperiode"]),
        drucksache=_field_text("drucksache", data["drucksache"]),
        datum=_field_text("datum", data["datum"]),
        titel=_field_text("titel", data["titel"]),
        ressort=_field_text("ressort", data["ressort"]),
        antwortdatum=antwortdatum,
    )
    return fm, body


# --------------------------------------------------------------------------------------------------
# inline content


@dataclass(frozen=True, slots=True)
class _Span:
    """Text with uniform formatting; ``\\n`` in ``text`` is a line break, ``\\t`` a tab."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None
    placeholder: bool = False


def _inline_spans(children: list[Token] | None, *, bold: bool = False) -> list[_Span]:
    """Flatten markdown-it inline tokens to spans (escapes and entities are already resolved)."""
    spans: list[_Span] = []
    b = 1 if bold else 0
    i = 0
    href: str | None = None
    for tok in children or ():
        t = tok.type
        if t == "text":
            if tok.content:
                spans.append(_Span(tok.content, b > 0, i > 0, href))
        elif t == "softbreak":
            spans.append(_Span(" ", b > 0, i > 0, href))
        elif t == "hardbreak":
            spans.append(_Span("\n", b > 0, i > 0, href))
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
            for s in _inline_spans(tok.children, bold=b > 0):
                spans.append(_Span(s.text, s.bold, s.italic or i > 0, href))
        elif tok.content:  # code_inline, text_special, html_inline, …
            spans.append(_Span(tok.content, b > 0, i > 0, href))
    return spans


def _mark_placeholders(spans: list[_Span]) -> list[_Span]:
    """Split spans at placeholder boundaries and flag the parts inside a placeholder."""
    joined = "".join(s.text for s in spans)
    if "[[" not in joined:
        return spans
    ranges = [(m.start(), m.end()) for m in PLACEHOLDER_RE.finditer(joined)]
    if not ranges:
        return spans
    cuts = sorted({c for r in ranges for c in r})
    out: list[_Span] = []
    pos = 0
    for s in spans:
        start, end = pos, pos + len(s.text)
        pos = end
        points = [start, *(c for c in cuts if start < c < end), end]
        for a, z in zip(points, points[1:]):
            inside = any(r0 <= a and z <= r1 for r0, r1 in ranges)
            out.append(_Span(s.text[a - start : z - start], s.bold, s.italic, s.href, inside))
    return out


def _merge(spans: list[_Span]) -> list[_Span]:
    """Join neighbours with the same formatting, so a sentence is one run."""
    out: list[_Span] = []
    for s in spans:
        if not s.text:
            continue
        if out:
            p = out[-1]
            if p.bold == s.bold and p.italic == s.italic and p.href == s.href and p.placeholder == s.placeholder:
                out[-1] = _Span(p.text + s.text, p.bold, p.italic, p.href, p.placeholder)
                continue
        out.append(s)
    return out


def _is_all_bold(children: list[Token] | None) -> bool:
    """True when every visible character of an inline token list lies inside ``**…**``."""
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


_PIECES_RE: Final = re.compile(r"(\t|\n)")


def _t(text: str) -> str:
    if text != text.strip() or "  " in text:
        return f'<w:t xml:space="preserve">{_esc(text)}</w:t>'
    return f"<w:t>{_esc(text)}</w:t>"


def _run_xml(text: str, *, style: str | None = None, bold: bool = False, italic: bool = False) -> str:
    """One ``w:r``; tabs and line feeds in ``text`` become ``w:tab`` and ``w:br``."""
    rpr = ""
    if style or bold or italic:
        rpr = (
            "<w:rPr>"
            + (f'<w:rStyle w:val="{_attr(style)}"/>' if style else "")
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


def _border_bottom(size: int, space: int) -> str:
    return f'<w:pBdr><w:bottom w:val="single" w:sz="{size}" w:space="{space}" w:color="auto"/></w:pBdr>'


# --------------------------------------------------------------------------------------------------
# the body writer


@dataclass
class _Item:
    """An open list item: its marker is written with its first paragraph."""

    marker: str
    question: bool
    level: int
    pending: bool = True


@dataclass
class _ListCtx:
    ordered: bool
    number: int


@dataclass
class _Table:
    rows: list[tuple[bool, list[tuple[Token | None, str]]]] = field(default_factory=list)


class _Writer:
    """Walks the token stream of one draft and collects WordprocessingML for the body."""

    def __init__(self, doc: DocxDocument, styles: dict[str, str], text_width: int):
        self.doc = doc
        self.styles = styles
        self.text_width = text_width
        self.out: list[str] = []
        self.last_table = False
        self.lists: list[_ListCtx] = []
        self.items: list[_Item] = []
        self.quote = 0
        self.after_title = 0
        self.table: _Table | None = None
        self.row: list[tuple[Token | None, str]] | None = None
        self.rids: dict[str, str] = {}

    # -- paragraphs and runs ---------------------------------------------------------------------

    def rid(self, href: str) -> str:
        """The relationship id of an external hyperlink (one relationship per distinct URL)."""
        rid = self.rids.get(href)
        if rid is None:
            _check_chars(href, "Ein Link im Entwurf")
            rid = self.doc.part.relate_to(href, RT.HYPERLINK, is_external=True)
            self.rids[href] = rid
        return rid

    def runs(self, spans: list[_Span]) -> str:
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
            r = _run_xml(s.text, style=style, bold=s.bold, italic=s.italic)
            if s.href is None:
                out.append(r)
            else:
                if link is None:
                    link = [f'<w:hyperlink r:id="{_attr(self.rid(s.href))}" w:history="1">']
                link.append(r)
        if link is not None:
            out.append("".join(link) + "</w:hyperlink>")
        return "".join(out)

    def p_xml(self, style_key: str, spans: list[_Span], ppr: str = "") -> str:
        """A paragraph; ``ppr`` is direct paragraph formatting in schema order after pStyle."""
        sid = _attr(self.styles[style_key])
        return f'<w:p><w:pPr><w:pStyle w:val="{sid}"/>{ppr}</w:pPr>{self.runs(spans)}</w:p>'

    def emit(self, xml: str, *, table: bool = False) -> None:
        self.out.append(xml)
        self.last_table = table

    def paragraph(
        self,
        style_key: str,
        spans: list[_Span],
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

    def item_paragraph(self, spans: list[_Span]) -> None:
        item = self.items[-1]
        if item.pending:
            item.pending = False
            style = "Frage" if item.question else "Aufzählung"
            body = [_Span(item.marker + "\t"), *spans]
            if item.level == 0:
                self.paragraph(style, body)
            else:
                self.paragraph(style, body, left=_HANG * (item.level + 1), hanging=_HANG)
        else:  # a further paragraph of the same item, aligned with the item's text
            self.paragraph("Aufzählung", spans, left=_HANG * (item.level + 1), first_line=0)

    def text_block(self, spans: list[_Span]) -> None:
        """Code blocks and the like: plain ``Antwort`` text where they stand."""
        self.after_title = 0
        if self.items:
            self.item_paragraph(spans)
        elif self.quote:
            self.paragraph("Antwort", spans, left=_QUOTE_INDENT * self.quote)
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
                self.paragraph(style, _inline_spans(nxt.children if nxt is not None else None))
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
                self.text_block([_Span(text)])
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
        if ctx.ordered:
            number = tok.info if tok.info.isdigit() else str(ctx.number)
            marker = number + (tok.markup or ".")
            ctx.number = int(number) + 1
            question = (
                idx + 4 < len(tokens)
                and tokens[idx + 1].type == "paragraph_open"
                and tokens[idx + 3].type == "paragraph_close"
                and tokens[idx + 4].type == "list_item_close"
                and is_question_inline(tokens[idx + 2].children or [])
            )
        else:
            marker = "•"
            question = False
        self.items.append(_Item(marker, question, max(0, len(self.lists) - 1)))

    def paragraph_token(self, children: list[Token] | None) -> None:
        spans = _inline_spans(children)
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
                self.paragraph("Titel Anfrage", spans)
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
        cell_style = _attr(self.styles["Tabelle Text"])
        parts = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{_attr(self.styles["Tabelle Drucksache"])}"/>'
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
                spans = _inline_spans(inline.children if inline is not None else None, bold=header)
                parts.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                    f'<w:p><w:pPr><w:pStyle w:val="{cell_style}"/>{jc}</w:pPr>'
                    f"{self.runs(spans)}</w:p></w:tc>"
                )
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        self.emit("".join(parts), table=True)


# --------------------------------------------------------------------------------------------------
# document level


def _layout_table(w: _Writer, left: list[str], right: list[str], left_share: float) -> str:
    """A borderless two-column table with a rule below (page-1 block and running header).

    A table rather than tab stops, so a long placeholder in the Drucksache number wraps inside
    its right-aligned column instead of running under the left text.
    """
    lw = int(w.text_width * left_share)
    rw = w.text_width - lw
    borders = (
        '<w:top w:val="nil"/><w:left w:val="nil"/>'  # schema order: top left bottom right …
        '<w:bottom w:val="single" w:sz="6" w:space="0" w:color="auto"/>'
        '<w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/>'
    )
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{w.text_width}" w:type="dxa"/><w:tblBorders>{borders}'
        '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" '
        'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{lw}"/><w:gridCol w:w="{rw}"/></w:tblGrid><w:tr>'
        f'<w:tc><w:tcPr><w:tcW w:w="{lw}" w:type="dxa"/></w:tcPr>{"".join(left)}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="{rw}" w:type="dxa"/></w:tcPr>{"".join(right)}</w:tc>'
        "</w:tr></w:tbl>"
    )


_LAST_LINE: Final = '<w:spacing w:after="80"/>'
_RIGHT: Final = '<w:jc w:val="right"/>'


def _page1_block(w: _Writer, fm: FrontMatter) -> None:
    left = [
        w.p_xml("Kopf", [_Span("LANDTAG NORDRHEIN-WESTFALEN", bold=True)]),
        w.p_xml("Kopf", [_Span(f"{fm.wahlperiode}. Wahlperiode")], _LAST_LINE),
    ]
    right = [
        w.p_xml("Kopf", [_Span(f"Drucksache {fm.drucksache}", bold=True)], _RIGHT),
        w.p_xml("Kopf", [_Span(fm.datum)], _LAST_LINE + _RIGHT),
    ]
    w.emit(_layout_table(w, left, right, 0.55), table=True)


def _fragment(xml_parts: list[str], where: str) -> list[Any]:
    """Parse body XML built as text into elements (one parse for the whole body)."""
    xml = "".join(xml_parts)
    _check_chars(xml, where)  # catches characters that came from entities such as &#12;
    root = parse_xml(f'<w:body xmlns:w="{_W_NS}" xmlns:r="{_R_NS}">{xml}</w:body>')
    return list(root)


def _has_content(element: Any) -> bool:
    """True when a header/footer part shows anything (text, field, picture)."""
    for t in element.iter(_T):
        if t.text and t.text.strip():
            return True
    for tag in ("w:drawing", "w:pict", "w:fldSimple", "w:instrText", "w:object"):
        if next(element.iter(qn(tag)), None) is not None:
            return True
    return False


def _replace_children(element: Any, children: list[Any]) -> None:
    for child in list(element):
        element.remove(child)
    for child in children:
        element.append(child)


def _write_headers(doc: DocxDocument, w: _Writer, fm: FrontMatter, *, keep_existing: bool) -> None:
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
        _replace_children(first.part.element, _fragment([empty], "Der Vorspann"))
    header.is_linked_to_previous = False
    table = _layout_table(
        w,
        [w.p_xml("header", [_Span(f"LANDTAG NORDRHEIN-WESTFALEN - {fm.wahlperiode}. Wahlperiode")], _LAST_LINE)],
        [w.p_xml("header", [_Span(f"Drucksache {fm.drucksache}")], _LAST_LINE + _RIGHT)],
        0.65,
    )
    page = (
        f'<w:p><w:pPr><w:pStyle w:val="{_attr(w.styles["header"])}"/>'
        '<w:spacing w:before="120" w:after="240"/><w:jc w:val="center"/></w:pPr>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple></w:p>'
    )
    _replace_children(header.part.element, _fragment([table, page], "Der Vorspann"))


def _text_width(doc: DocxDocument) -> int:
    try:
        s = doc.sections[-1]
        if s.page_width and s.left_margin is not None and s.right_margin is not None:
            width = int((s.page_width - s.left_margin - s.right_margin) / 635)  # EMU → twips
            if width > 1000:
                return width
    except (IndexError, ValueError, TypeError):
        pass
    return _TEXT_WIDTH_DEFAULT


def _set_core_properties(doc: DocxDocument, fm: FrontMatter) -> None:
    """Replace all core properties by those of the front matter (no "now", nothing inherited)."""
    dates = ""
    if fm.antwortdatum is not None:
        when = fm.antwortdatum.strftime("%Y-%m-%dT00:00:00Z")
        dates = (
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        )
    title, author = _esc(fm.titel), _esc(fm.ressort)
    props = parse_xml(
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
        f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f"{dates}</cp:coreProperties>"
    )
    _replace_children(doc.core_properties._element, list(props))  # noqa: SLF001


_APP_XML: Final = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>anfrage</Application><DocSecurity>0</DocSecurity></Properties>"
)

_KEEP_STYLE_IDS: Final = frozenset({"Normal", "DefaultParagraphFont", "TableNormal", "NoList"})


@functools.cache
def _base_docx() -> bytes:
    """python-docx's default document, trimmed and prepared once per process.

    Drops what makes loading slow or carries foreign data (438 KB of unused styles, twice, the
    thumbnail of a Mac Word document, customXml, numbering, rsids), sets A4, margins, Arial 11 pt
    and German, creates the styles and both header parts. Every draft starts from these bytes.
    """
    doc = Document()
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, _STYLESWITHEFFECTS_RT, RT.NUMBERING):
            del doc.part.rels[rid]
    styles = doc.styles.element
    for el in list(styles.iterchildren(_STYLE)):
        if el.get(_STYLEID) not in _KEEP_STYLE_IDS:
            styles.remove(el)
    rpr_default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr_default is not None:
        _replace_children(
            rpr_default,
            list(
                parse_xml(
                    f"<w:rPr {nsdecls('w')}>{_FONT}{_SIZE11}"
                    '<w:lang w:val="de-DE" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr>'
                )
            ),
        )
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(_VAL, "de-DE")
    for tag in ("w:rsids", "w:proofState", "w:attachedTemplate"):
        found = settings.find(qn(tag))
        if found is not None:
            settings.remove(found)
    section = doc.sections[0]
    section.page_width = _PAGE_W * 635
    section.page_height = _PAGE_H * 635
    section.left_margin = section.right_margin = _MARGIN_LR * 635
    section.top_margin = 1417 * 635
    section.bottom_margin = 1134 * 635
    section.header_distance = 709 * 635
    section.footer_distance = 709 * 635
    _ensure_styles(doc)
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False
    return _package_bytes(doc, replace={"docProps/app.xml": _APP_XML})


def _content_types(parts: list[Any]) -> bytes:
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides: dict[str, str] = {}
    for part in parts:
        ext = part.partname.ext.lower()
        if (ext, part.content_type) in default_content_types:
            defaults[ext] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    xml = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    ]
    xml += [f'<Default Extension="{_attr(e)}" ContentType="{_attr(c)}"/>' for e, c in sorted(defaults.items())]
    xml += [f'<Override PartName="{_attr(p)}" ContentType="{_attr(c)}"/>' for p, c in sorted(overrides.items())]
    xml.append("</Types>")
    return "".join(xml).encode("utf-8")


def _package_bytes(doc: DocxDocument, *, replace: dict[str, bytes] | None = None) -> bytes:
    """Write the package as a zip with fixed timestamps, entry order and compression.

    Does what python-docx's ``save`` does (content types, package rels, parts and their rels),
    without the current time in the zip entries. ``replace``: new content for existing entries.
    """
    pkg = doc.part.package
    parts = list(pkg.iter_parts())
    entries: dict[str, bytes] = {}
    for part in parts:
        entries[part.partname.membername] = part.blob
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = _as_bytes(part.rels.xml)
    for name, blob in (replace or {}).items():
        if name in entries:
            entries[name] = blob
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(_zipinfo("[Content_Types].xml"), _content_types(parts), compresslevel=6)
        z.writestr(_zipinfo("_rels/.rels"), _as_bytes(pkg.rels.xml), compresslevel=6)
        for name in sorted(entries):
            z.writestr(_zipinfo(name), entries[name], compresslevel=6)
    return out.getvalue()


def _as_bytes(xml: str | bytes) -> bytes:
    return xml.encode("utf-8") if isinstance(xml, str) else xml


def _zipinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    return info


def check_vorlage(vorlage: Path) -> None:
    """The one check of a Word template: it exists, is a .docx/.dotx and opens (``UserError``)."""
    _open_vorlage(vorlage)


def _open_vorlage(vorlage: Path) -> DocxDocument:
    if not vorlage.is_file():
        raise UserError(f"Word-Vorlage „{vorlage}“ nicht gefunden.")
    if vorlage.suffix.lower() not in (".docx", ".dotx"):
        raise UserError(f"Word-Vorlage „{vorlage}“ ist keine .docx-Datei.")
    try:
        return Document(str(vorlage))
    except Exception:  # python-docx, zipfile and lxml raise many kinds for broken files
        raise UserError(f"Die Word-Vorlage „{vorlage}“ ist keine lesbare Word-Datei (.docx).") from None


def _empty_body(doc: DocxDocument) -> Any:
    """Remove all body content except the final section properties; return those."""
    body = doc.element.body
    for child in list(body):
        if child.tag != _SECTPR:
            body.remove(child)
    return body.get_or_add_sectPr()


def _drop_unused_rels(doc: DocxDocument) -> None:
    """Drop the hyperlink and image relationships of the vorlage's removed body content."""
    used = set(doc.element.xpath("//@r:id | //@r:embed | //@r:link"))
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.HYPERLINK, RT.IMAGE) and rid not in used:
            del doc.part.rels[rid]


@functools.cache
def _base_document() -> DocxDocument:
    return Document(io.BytesIO(_base_docx()))


def _new_document() -> DocxDocument:
    """A fresh copy of the prepared base document (a deep copy is four times faster than
    reading the zip again)."""
    return copy.deepcopy(_base_document())


@functools.cache
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_to_docx(markdown: str, *, vorlage: Path | None = None) -> bytes:
    """Render a draft (Markdown with YAML front matter) as the bytes of a DOCX file.

    ``vorlage``: a DOCX whose styles, page setup, headers and footers are used (its body is
    removed); styles it lacks are created. Raises ``UserError`` for a missing or broken front
    matter, for characters a DOCX cannot carry and for an unreadable vorlage. The same inputs
    give the same bytes.
    """
    if not isinstance(markdown, str):
        raise UserError("Der Entwurf muss Text sein.")
    if markdown.startswith("\ufeff"):
        markdown = markdown[1:]
    if "\r" in markdown:
        markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")
    _check_chars(markdown, "Der Entwurf")
    fm, body = split_front_matter(markdown)
    tokens = _md().parse(body)

    doc = _new_document() if vorlage is None else _open_vorlage(Path(vorlage))
    sect_pr = _empty_body(doc)
    if vorlage is not None:
        _drop_unused_rels(doc)
    writer = _Writer(doc, _ensure_styles(doc), _text_width(doc))
    _page1_block(writer, fm)
    writer.walk(tokens)
    if writer.last_table:  # Word wants a paragraph after a table at the end of the body
        writer.emit(writer.p_xml("Antwort", []))
    for el in _fragment(writer.out, "Der Entwurf"):
        sect_pr.addprevious(el)
    _write_headers(doc, writer, fm, keep_existing=vorlage is not None)
    _set_core_properties(doc, fm)
    return _package_bytes(doc)
