"""The package: the prepared base document, core properties and a reproducible zip.

Same inputs, same bytes: core properties come from the front matter only (title = ``titel``,
author and last modified by = ``ressort``, created = modified = ``antwortdatum`` at 00:00 UTC,
revision 1) and the zip is written with fixed timestamps, entry order and compression. Batch runs
tell unchanged, updated and hand-edited files apart by their sha256 (the output manifest), and
git sees bytes: a DOCX that differed only in its zip dates would be "updated" on every run.
"""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from typing import Final

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.opc.spec import default_content_types
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from anfrage.docx.frontmatter import FrontMatter
from anfrage.docx.page import set_page_layout, unlink_headers
from anfrage.docx.styles import STYLE_ID, STYLE_TAG, ensure_styles
from anfrage.docx.wml import attr, esc, replace_children

__all__ = [
    "COMPATIBILITY_MODE",
    "STYLES_WITH_EFFECTS",
    "base_docx",
    "new_document",
    "package_bytes",
    "set_compatibility_mode",
    "set_core_properties",
]

_FIXED_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
#: Word 2010's copy of the styles; Word 2013 and later neither need nor write it.
STYLES_WITH_EFFECTS: Final = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

_APP_XML: Final = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>anfrage</Application><DocSecurity>0</DocSecurity></Properties>"
)

_KEEP_STYLE_IDS: Final = frozenset({"Normal", "DefaultParagraphFont", "TableNormal", "NoList"})

#: The look without a vorlage: Arial 11 pt, German, as the document default that every style inherits.
_DEFAULT_RPR: Final = (
    '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial" w:eastAsia="Arial"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="de-DE" w:eastAsia="en-US" w:bidi="ar-SA"/>'
)
_WORD_URI: Final = "http://schemas.microsoft.com/office/word"
#: Word 2013 and later; lower modes make Word open the file in "Kompatibilitätsmodus".
COMPATIBILITY_MODE: Final = 15
# The children of w:settings that the schema puts after w:compat.
_AFTER_COMPAT: Final = (
    "docVars rsids attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats "
    "doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType shapeDefaults "
    "doNotEmbedSmartTags decimalSymbol listSeparator"
)


def set_core_properties(doc: DocxDocument, fm: FrontMatter) -> None:
    """Replace all core properties by those of the front matter (no "now", nothing inherited)."""
    dates = ""
    if fm.antwortdatum is not None:
        when = fm.antwortdatum.strftime("%Y-%m-%dT00:00:00Z")
        dates = (
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        )
    title, author = esc(fm.titel), esc(fm.ressort)
    props = parse_xml(
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator>"
        f"<cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f"{dates}</cp:coreProperties>"
    )
    # python-docx has no public way to drop the properties it does not know of.
    replace_children(doc.core_properties._element, list(props))  # noqa: SLF001


def set_compatibility_mode(doc: DocxDocument) -> None:
    """Make the document a Word 2013+ document (``compatibilityMode`` 15) unless it is newer already."""
    settings = doc.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = parse_xml(f"<w:compat {nsdecls('w')}/>")
        # schema order: w:compat comes before these and before everything not in the w namespace
        later = {qn(f"w:{t}") for t in _AFTER_COMPAT.split()}
        w_ns = qn("w:x")[:-1]
        follower = next((c for c in settings if c.tag in later or not str(c.tag).startswith(w_ns)), None)
        if follower is not None:
            follower.addprevious(compat)
        else:
            settings.append(compat)
    for setting in compat.iterchildren(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode" and setting.get(qn("w:uri")) == _WORD_URI:
            value = setting.get(qn("w:val"), "")
            if not value.isdigit() or int(value) < COMPATIBILITY_MODE:
                setting.set(qn("w:val"), str(COMPATIBILITY_MODE))
            return
    compat.append(
        parse_xml(
            f'<w:compatSetting {nsdecls("w")} w:name="compatibilityMode" w:uri="{_WORD_URI}" '
            f'w:val="{COMPATIBILITY_MODE}"/>'
        )
    )


@functools.cache
def base_docx() -> bytes:
    """python-docx's default document, trimmed and prepared once per process.

    Drops what makes loading slow or carries foreign data (438 KB of unused styles, twice, the
    thumbnail of a Mac Word document, customXml, numbering, rsids), sets A4, margins, Arial 11 pt
    and German as the document default, compatibility mode 15, creates the styles and both header
    parts. Every draft starts from these bytes.
    """
    doc = Document()
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, STYLES_WITH_EFFECTS, RT.NUMBERING):
            del doc.part.rels[rid]
    styles = doc.styles.element
    for el in list(styles.iterchildren(STYLE_TAG)):
        if el.get(STYLE_ID) not in _KEEP_STYLE_IDS:
            styles.remove(el)
    rpr_default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr_default is not None:
        replace_children(
            rpr_default,
            list(parse_xml(f"<w:rPr {nsdecls('w')}>{_DEFAULT_RPR}</w:rPr>")),
        )
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "de-DE")
    for tag in ("w:rsids", "w:proofState", "w:attachedTemplate"):
        found = settings.find(qn(tag))
        if found is not None:
            settings.remove(found)
    set_compatibility_mode(doc)
    section = doc.sections[0]
    set_page_layout(section)
    ensure_styles(doc)
    unlink_headers(section)
    return package_bytes(doc, replace={"docProps/app.xml": _APP_XML})


@functools.cache
def _base_document() -> DocxDocument:
    return Document(io.BytesIO(base_docx()))


def new_document() -> DocxDocument:
    """A fresh copy of the prepared base document (a deep copy is four times faster than
    reading the zip again)."""
    return copy.deepcopy(_base_document())


def _content_types(parts: list[Part]) -> bytes:
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
    xml += [f'<Default Extension="{attr(e)}" ContentType="{attr(c)}"/>' for e, c in sorted(defaults.items())]
    xml += [f'<Override PartName="{attr(p)}" ContentType="{attr(c)}"/>' for p, c in sorted(overrides.items())]
    xml.append("</Types>")
    return "".join(xml).encode("utf-8")


def package_bytes(doc: DocxDocument, *, replace: dict[str, bytes] | None = None) -> bytes:
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
