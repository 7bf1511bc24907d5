"""DOCX → draft Markdown: the inverse of ``docx/writer.py``, so that edits made in Word can be merged.

``docx_to_markdown`` rebuilds the body of a draft from the paragraph styles and runs of a DOCX that
anfrage wrote (and a clerk may have edited in Word or LibreOffice). An unedited file reads back to the
exact bytes of its draft; edited text comes back in the draft's conventions, so that a three-way merge
with the Markdown sees a sentence changed in Word as one changed line.

Mapping (by style *name*, the contract of ``docs/design.md``; Word and LibreOffice may rename style ids):

* ``Kopf`` (the page-1 block) → not part of the body; it gives ``wahlperiode``, ``drucksache`` and
  ``datum`` (see front matter below).
* ``Titel Antwort`` → ``#``; ``Zwischenüberschrift`` → ``##``; ``Zwischenüberschrift 2`` → ``###``
  (also Word's ``heading 1``/``2``/``3``… and ``Title``); their bold is the style's, so bold runs in a
  heading (Word often repeats the style's bold on them) give no ``**``.
* ``Titelblock`` → one paragraph whose lines are joined by hard breaks (``\\`` at the line end).
* ``Titel Anfrage`` → ``**…**``; ``Frage`` → ``N. **…**`` (the number from the "N." + tab the writer
  puts at its start; a question added in Word without a number gets the next number).
* ``Aufzählung`` → ``- …`` for "•" + tab, ``N. …`` for "N." + tab (also paragraphs with Word
  numbering, ``w:numPr``); a paragraph of this style without marker continues the list above it,
  unless it is indented with a first line offset of zero (the writer's further paragraph of an item),
  which makes it a paragraph.
* every other paragraph (``Antwort``, ``Link``, ``Tabelle Text``, ``Normal``, …) → a paragraph; an empty
  one is left out, an empty one with a bottom border is ``---``.
* tables → GFM tables; the first row is the header row (its bold is the header's, not ``**``); cell
  alignment (centre, right) of the first row gives ``:-:`` and ``--:``; cells are joined by spaces
  when they hold several paragraphs or line breaks; merged cells give empty cells.
* runs: bold → ``**``, italic → ``*`` (direct formatting or a character style); ``w:hyperlink`` and
  HYPERLINK fields → ``<url>`` when the text is the URL, ``[text](url)`` otherwise; line break →
  hard break; text is escaped with ``markdown.escape``, line starts that Markdown would read as
  structure are protected (as ``markdown.escape_block`` does), and the result goes through
  ``markdown.normalise`` (one sentence per line).

Word's noise is ignored: runs split anywhere (rsid, ``w:proofErr``, bookmarks, language), ``w:smartTag``,
``w:customXml``, content controls (``w:sdt``), fields (their result is read; a HYPERLINK field is a link),
``w:lastRenderedPageBreak``, page and column breaks, drawings, footnote references.

Front matter: the YAML front matter is not in the DOCX. With ``front_matter`` (the front matter block
of the last generated draft, or the whole draft) the result starts with that block, except that
``wahlperiode``, ``drucksache`` and ``datum`` are updated from the page-1 block when a clerk changed
them in Word (only single-line values are updated). Without it, the front matter is rebuilt from what
the DOCX gives: ``wahlperiode``, ``drucksache`` and ``datum`` from the page-1 block, ``titel`` and
``ressort`` from the document properties (title, author) and ``antwortdatum`` from the creation date;
``serie``, ``region`` and ``anfrage`` are not in the DOCX. ``front_matter=""`` gives the body alone.

Tracked changes (``aenderungen``): ``"fehler"`` (default) raises ``UserError`` when the document (body,
headers, footers, footnotes) holds any pending change, naming the count per author; ``"annehmen"`` reads
the document as if all changes were accepted (insertions kept, deletions dropped, new formatting),
``"ablehnen"`` as if all were rejected. A paragraph mark that the chosen view removes joins its
paragraph to the next one; a row that it removes is left out.

Comments (``kommentare``): ``"platzhalter"`` (default) puts every open comment after the paragraph
(or table) it is anchored in, as a paragraph ``[[PRÜFEN: Kommentar von A zu „…“: text]]``, so the
draft keeps it and ``anfrage check`` counts it; comments marked as done in Word are left out.
``"ignorieren"`` leaves comments out (callers show ``comments()``), ``"fehler"`` raises ``UserError``
when there are open comments.

Limits: what Markdown cannot say is lost (page breaks, images and text boxes, footnotes, colours,
indents, fonts); the running header and footers are not read (the page-1 block is); code blocks and
block quotes, which the writer prints as plain ``Antwort`` text, come back as paragraphs; nested lists
come back flat (``markdown.normalise`` does not keep them either); a question that is wholly italic
(``***…***``) no longer reads as a question.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any, Final, Literal

import yaml
from lxml import etree  # type: ignore[import-untyped,unused-ignore]
from markdown_it.common.normalize_url import normalizeLinkText

from anfrage.docx.revisions import (
    WRAPPERS,
    Comment,
    Revision,
    comments_message,
    has_revisions,
    revisions_message,
    scan_comments,
    scan_revisions,
)
from anfrage.draft import front_matter as dump_front_matter
from anfrage.draft import front_matter_block
from anfrage.errors import UserError
from anfrage.markdown import escape, normalise

__all__ = [
    "Aenderungen",
    "Comment",
    "Kommentare",
    "Revision",
    "comments",
    "docx_to_markdown",
    "revisions",
]

Aenderungen = Literal["fehler", "annehmen", "ablehnen"]
Kommentare = Literal["platzhalter", "ignorieren", "fehler"]

# --------------------------------------------------------------------------------------------------
# names

W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_R_ID: Final = "{" + _R_NS + "}id"
_PKG_RELS_NS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MC: Final = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DC: Final = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS: Final = "{http://purl.org/dc/terms/}"

# Strict Open XML (Word: "Strict Open XML Document") uses other namespaces for the same vocabulary.
_STRICT: Final = (
    (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", _R_NS.encode()),
)

_BODY: Final = W + "body"
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
_DEL: Final = W + "del"
_MOVEFROM: Final = W + "moveFrom"
_MOVETO: Final = W + "moveTo"

# Inline containers whose content is read as if they were not there.
_TRANSPARENT: Final = frozenset(W + t for t in ("smartTag", "customXml", "bdo", "dir", "fldSimple", "hyperlink"))
_BLOCK_TRANSPARENT: Final = frozenset((W + "customXml",))

_MAX_FILE: Final = 256 * 1024 * 1024
_MAX_PART: Final = 64 * 1024 * 1024
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# Paragraph roles, by style name (lower case). Unknown styles are paragraphs; see _Styles.role.
_KOPF, _H1, _H2, _H3, _TITELBLOCK, _TITEL_ANFRAGE, _FRAGE, _PUNKT, _ABSATZ = (
    "kopf",
    "h1",
    "h2",
    "h3",
    "titelblock",
    "titel_anfrage",
    "frage",
    "punkt",
    "absatz",
)
_ROLES: Final = {
    "kopf": _KOPF,
    "titel antwort": _H1,
    "titelblock": _TITELBLOCK,
    "titel anfrage": _TITEL_ANFRAGE,
    "zwischenüberschrift": _H2,
    "zwischenüberschrift 2": _H3,
    "frage": _FRAGE,
    "antwort": _ABSATZ,
    "link": _ABSATZ,
    "aufzählung": _PUNKT,
    "tabelle text": _ABSATZ,
    "title": _H1,
    "titel": _H1,
    "heading 1": _H1,
    "überschrift 1": _H1,
    "heading 2": _H2,
    "überschrift 2": _H2,
    **{f"{word} {n}": _H3 for word in ("heading", "überschrift") for n in range(3, 10)},
    "list bullet": _PUNKT,
    "aufzählungszeichen": _PUNKT,
    "list number": _PUNKT,
    "listennummer": _PUNKT,
}
#: The style names whose meaning this module knows (the writer's ``STYLE_NAMES`` are among them).
KNOWN_STYLE_NAMES: Final = frozenset(_ROLES)

_MODES: Final = ("fehler", "annehmen", "ablehnen")
_COMMENT_MODES: Final = ("platzhalter", "ignorieren", "fehler")

# --------------------------------------------------------------------------------------------------
# the package


class _Package:
    """A DOCX opened with zipfile and lxml; every way it can be broken is a ``UserError``."""

    def __init__(self, source: bytes | bytearray | str | os.PathLike[str]) -> None:
        if isinstance(source, (bytes, bytearray)):
            self.label = "Die Word-Datei"  # for messages about the content
            self.subject = "Die übergebenen Daten sind"  # for messages about the file itself
            data = bytes(source)
        else:
            path = Path(source)
            self.label = f"Die Word-Datei „{path}“"
            self.subject = f"Die Datei „{path}“ ist"
            if not path.is_file():
                raise UserError(f"Die Datei „{path}“ gibt es nicht.")
            try:
                if path.stat().st_size > _MAX_FILE:
                    raise UserError(f"{self.subject} für eine Word-Datei zu groß.")
                data = path.read_bytes()
            except OSError:
                raise UserError(f"Die Datei „{path}“ lässt sich nicht lesen.") from None
        if len(data) > _MAX_FILE:
            raise UserError(f"{self.subject} für eine Word-Datei zu groß.")
        if data.startswith(_OLE_MAGIC):
            raise UserError(
                f"{self.subject} keine DOCX-Datei, sondern eine ältere Word-Datei (.doc) oder eine "
                "verschlüsselte Datei; bitte in Word ohne Kennwort als „Word-Dokument (*.docx)“ speichern."
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise self.broken() from None
        self.cache: dict[str, Any] = {}
        # no entities, no DTD, no network, no huge trees; one parser per package (lxml parsers are
        # not thread-safe)
        self.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        self.main = self._main_part()
        root = self.xml(self.main)
        if root is None or root.tag != W + "document" or root.find(_BODY) is None:
            raise self.broken()
        self.document = root
        self.rels = self.relationships(self.main)

    def broken(self) -> UserError:
        return UserError(f"{self.subject} keine lesbare Word-Datei (DOCX).")

    def read(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        try:
            info = self.zip.getinfo(name)
            if info.file_size > _MAX_PART:
                raise self.too_big(name)
            with self.zip.open(info) as stream:
                data = stream.read(_MAX_PART + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
            raise self.broken() from None
        if len(data) > _MAX_PART:
            raise self.too_big(name)
        return data

    def too_big(self, name: str) -> UserError:
        return UserError(f"{self.subject} zu groß: der Teil {name} hat entpackt mehr als 64 MB.")

    def xml(self, name: str) -> Any:
        """The parsed part, or None when the package lacks it."""
        if name in self.cache:
            return self.cache[name]
        data = self.read(name)
        root = None
        if data is not None:
            if b"purl.oclc.org/ooxml" in data:
                for strict, transitional in _STRICT:
                    data = data.replace(strict, transitional)
            try:
                root = etree.fromstring(data, self.parser)
            except (etree.XMLSyntaxError, ValueError):
                raise self.broken() from None
        self.cache[name] = root
        return root

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """rId → (type, target); internal targets resolved to part names."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        rels: dict[str, tuple[str, str]] = {}
        if root is None:
            return rels
        for rel in root.iter(_PKG_RELS_NS + "Relationship"):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") != "External":
                target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            rels[rel.get("Id") or ""] = (rel.get("Type") or "", target)
        return rels

    def _main_part(self) -> str:
        for kind, target in self.relationships("").values():
            if kind.endswith("/officeDocument"):
                return target
        if "word/document.xml" in self.names:
            return "word/document.xml"
        raise self.broken()

    def related(self, suffix: str) -> list[str]:
        """Part names of the main document's relationships whose type ends with ``suffix``."""
        return [target for kind, target in self.rels.values() if kind.endswith(suffix)]

    def related_xml(self, suffix: str) -> Any:
        names = self.related(suffix)
        return self.xml(names[0]) if names else None

    def story_parts(self) -> list[str]:
        """The main document, then headers, footers, footnotes and endnotes."""
        parts = [self.main]
        for suffix in ("/header", "/footer", "/footnotes", "/endnotes"):
            parts += [p for p in self.related(suffix) if p not in parts]
        return parts

    def revisions(self) -> list[Revision]:
        found: list[Revision] = []
        for part in self.story_parts():
            root = self.xml(part)
            if root is not None:
                found += scan_revisions(root, part)
        return found

    def any_revisions(self) -> bool:
        return any(root is not None and has_revisions(root) for root in (self.xml(part) for part in self.story_parts()))

    def comments(self) -> list[Comment]:
        return scan_comments(self.related_xml("/comments"), self.document, self.related_xml("/commentsExtended"))


# --------------------------------------------------------------------------------------------------
# styles and numbering


def _on(element: Any) -> bool:
    """A toggle property (``w:b``, ``w:i``): on unless ``w:val`` says false."""
    return element.get(_VAL, "true").lower() not in ("0", "false", "off", "none")


class _Styles:
    """Style id → role (paragraph styles) and bold/italic (character styles), following ``w:basedOn``."""

    def __init__(self, root: Any) -> None:
        self.names: dict[str, str] = {}
        self.based: dict[str, str] = {}
        self.rpr: dict[str, Any] = {}
        self.numpr: dict[str, Any] = {}
        self.default_paragraph = ""
        self._roles: dict[str, str] = {}
        self._formats: dict[str, tuple[bool | None, bool | None]] = {}
        if root is None:
            return
        for style in root.iter(W + "style"):
            sid = style.get(W + "styleId") or ""
            name = style.find(W + "name")
            self.names[sid] = (name.get(_VAL, "") if name is not None else sid).strip().lower()
            based = style.find(W + "basedOn")
            if based is not None:
                self.based[sid] = based.get(_VAL, "")
            rpr = style.find(_RPR)
            if rpr is not None:
                self.rpr[sid] = rpr
            ppr = style.find(_PPR)
            numpr = ppr.find(W + "numPr") if ppr is not None else None
            if numpr is not None:
                self.numpr[sid] = numpr
            if style.get(W + "type") == "paragraph" and _on_attr(style.get(W + "default")):
                self.default_paragraph = sid

    def chain(self, sid: str) -> list[str]:
        seen: list[str] = []
        while sid and sid not in seen and len(seen) < 32:
            seen.append(sid)
            sid = self.based.get(sid, "")
        return seen

    def role(self, sid: str | None) -> str:
        sid = sid or self.default_paragraph
        cached = self._roles.get(sid)
        if cached is None:
            cached = _ABSATZ
            for s in self.chain(sid):
                found = _ROLES.get(self.names.get(s, s.lower()))
                if found is not None:
                    cached = found
                    break
            self._roles[sid] = cached
        return cached

    def style_numpr(self, sid: str | None) -> Any:
        for s in self.chain(sid or self.default_paragraph):
            if s in self.numpr:
                return self.numpr[s]
        return None

    def char_format(self, sid: str) -> tuple[bool | None, bool | None]:
        cached = self._formats.get(sid)
        if cached is None:
            bold: bool | None = None
            italic: bool | None = None
            for s in self.chain(sid):
                rpr = self.rpr.get(s)
                if rpr is None:
                    continue
                b, i = rpr.find(W + "b"), rpr.find(W + "i")
                if bold is None and b is not None:
                    bold = _on(b)
                if italic is None and i is not None:
                    italic = _on(i)
            cached = (bold, italic)
            self._formats[sid] = cached
        return cached


def _on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


class _Numbering:
    """numId/ilvl → whether Word's automatic numbering is a bullet, and its start value."""

    def __init__(self, root: Any) -> None:
        self.levels: dict[tuple[str, str], tuple[bool, int]] = {}
        if root is None:
            return
        abstract: dict[str, dict[str, tuple[bool, int]]] = {}
        for an in root.iter(W + "abstractNum"):
            levels: dict[str, tuple[bool, int]] = {}
            for lvl in an.iter(W + "lvl"):
                fmt = lvl.find(W + "numFmt")
                start = lvl.find(W + "start")
                value = start.get(_VAL, "1") if start is not None else "1"
                bullet = fmt is not None and fmt.get(_VAL) in ("bullet", "none")
                levels[lvl.get(W + "ilvl", "0")] = (bullet, int(value) if value.isdigit() else 1)
            abstract[an.get(W + "abstractNumId", "")] = levels
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            levels = abstract.get(ref.get(_VAL, "") if ref is not None else "", {})
            for ilvl, info in levels.items():
                self.levels[(num.get(W + "numId", ""), ilvl)] = info

    def get(self, num_id: str, ilvl: str) -> tuple[bool, int]:
        return self.levels.get((num_id, ilvl), (True, 1))


# --------------------------------------------------------------------------------------------------
# reading paragraphs


@dataclass(frozen=True, slots=True)
class _Span:
    """Text with uniform formatting; ``\\n`` is a line break, ``\\t`` a tab."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


@dataclass
class _Para:
    role: str
    spans: list[_Span]
    comments: list[str]
    numbering: tuple[str, str] | None = None  # (numId, ilvl) of Word's automatic numbering
    rule: bool = False  # a bottom border (an empty one is a thematic break)
    joins_next: bool = False  # its paragraph mark is gone in the chosen view of the changes
    align: str = ""
    continuation: bool = False  # indented without hanging marker: a further paragraph of a list item

    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass
class _Table:
    rows: list[list[list[_Para]]]  # row → cell → paragraphs
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


class _Reader:
    """Reads paragraphs and tables of the body in one view of the tracked changes."""

    def __init__(self, pkg: _Package, mode: Aenderungen) -> None:
        self.pkg = pkg
        self.accept = mode != "ablehnen"
        self.styles = _Styles(pkg.related_xml("/styles"))
        self._numbering: _Numbering | None = None
        self.fields: list[_Field] = []

    @property
    def numbering(self) -> _Numbering:
        if self._numbering is None:
            self._numbering = _Numbering(self.pkg.related_xml("/numbering"))
        return self._numbering

    def visible(self, tag: str) -> bool:
        """Whether content wrapped in ``tag`` (w:ins, w:del, w:moveTo, w:moveFrom) is in the view."""
        if tag in (_INS, _MOVETO):
            return self.accept
        return not self.accept

    # -- blocks -------------------------------------------------------------------------------------

    def blocks(self, container: Any) -> list[_Para | _Table]:
        out: list[_Para | _Table] = []
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

    def table(self, tbl: Any) -> _Table:
        rows: list[list[list[_Para]]] = []
        comments: list[str] = []
        kopf = False
        for tr in self._children(tbl, _TR):
            trpr = tr.find(_TRPR)
            if trpr is not None and any(c.tag in WRAPPERS and not self.visible(c.tag) for c in trpr):
                continue  # a row inserted (rejected view) or deleted (accepted view)
            cells: list[list[_Para]] = []
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
                    kopf = kopf or p.role == _KOPF
                if merged:
                    comments += [c for p in self._cell_paragraphs(tc) for c in p.comments]
                cells.append(paragraphs)
                cells += [[] for _ in range(span - 1)]
            rows.append(cells)
        return _Table(rows, comments, kopf)

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

    def _cell_paragraphs(self, tc: Any) -> list[_Para]:
        out: list[_Para] = []
        for block in self.blocks(tc):
            if isinstance(block, _Para):
                out.append(block)
            else:  # a nested table: its cells' paragraphs in reading order
                for row in block.rows:
                    for cell in row:
                        out += cell
        return out

    # -- paragraphs ---------------------------------------------------------------------------------

    def paragraph(self, p: Any) -> _Para:
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
        spans: list[_Span] = []
        comments: list[str] = []
        self.inline(p, None, spans, comments)
        # a field may show its result over several paragraphs (a table of contents), but its
        # instruction ends in its paragraph: a field left open there is broken and must not hide the rest
        self.fields = [f for f in self.fields if f.in_result]
        return _Para(role, spans, comments, numbering, rule, joins_next, align, continuation)

    def inline(self, element: Any, href: str | None, spans: list[_Span], comments: list[str]) -> None:
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
            elif tag == _MC + "AlternateContent":
                choice = child.find(_MC + "Choice")
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

    def run(self, r: Any, href: str | None, spans: list[_Span], comments: list[str]) -> None:
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
                bold = _on(b_el)
            if i_el is not None:
                italic = _on(i_el)
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
            spans.append(_Span(text, bold, italic, self.field_href() or href))

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


# --------------------------------------------------------------------------------------------------
# Markdown


_BREAK: Final = "\x00"  # a line break while inline Markdown is built
_LINE_HAZARD: Final = re.compile(r"^(#{1,6}(\s|$)|[-+*](\s|$)|\d{1,9}[.)](\s|$)|>|=+\s*$|-+\s*$|\|)")
_ORDINAL_START: Final = re.compile(r"^(\d{1,9})([.)])")
_AUTOLINK: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>\x00-\x20]*")
_EMAIL: Final = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)
_PLAIN_DESTINATION: Final = re.compile(r"[^\s()<>\\\x00-\x1f]+")
_QUESTION_MARKER: Final = re.compile(r"^[ \t]*(\d{1,9})([.)])(?:[ \t]+|$)")
_ITEM_MARKER: Final = re.compile(r"^[ \t]*(?:(\d{1,9})([.)])|([•·▪◦‣∙●○■□➢➤►–—*+-]))(?:[ \t]+|$)")


def _protect(line: str) -> str:
    """Escape a line start that Markdown would read as structure (as ``markdown.escape_block`` does)."""
    if _LINE_HAZARD.match(line):
        match = _ORDINAL_START.match(line)
        if match:
            return f"{match.group(1)}\\{match.group(2)}{line[match.end() :]}"
        return "\\" + line
    return line


def _tidy(spans: list[_Span], *, no_bold: bool = False) -> list[_Span]:
    """Merge neighbours with equal formatting; whitespace between equal neighbours takes their formatting."""
    out: list[_Span] = []
    for s in spans:
        if not s.text:
            continue
        if no_bold and s.bold:
            s = _Span(s.text, False, s.italic, s.href)
        out.append(s)
    for k in range(1, len(out) - 1):
        s, before, after = out[k], out[k - 1], out[k + 1]
        if not s.text.strip() and (before.bold, before.italic, before.href) == (after.bold, after.italic, after.href):
            out[k] = _Span(s.text, before.bold, before.italic, before.href)
    merged: list[_Span] = []
    for s in out:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (s.bold, s.italic, s.href):
            merged[-1] = _Span(merged[-1].text + s.text, s.bold, s.italic, s.href)
        else:
            merged.append(s)
    return merged


def _escape(text: str) -> str:
    return escape(text).replace("\n", _BREAK)


def _wrap(inner: str, marker: str) -> str:
    """``marker`` around ``inner``, with its outer whitespace outside (else the emphasis would not close)."""
    core = inner.strip(" \t" + _BREAK)
    if not core:
        return inner
    start = inner.index(core)
    return inner[:start] + marker + core + marker + inner[start + len(core) :]


def _link(text: str, href: str) -> str:
    if _AUTOLINK.fullmatch(href) and (text == href or normalizeLinkText(href) == text):
        return f"<{href}>"
    if href.startswith("mailto:") and text == href[7:] and _EMAIL.fullmatch(text):
        return f"<{text}>"
    label = _escape(text).replace("[", "\\[").replace("]", "\\]")
    if _PLAIN_DESTINATION.fullmatch(href):
        return f"[{label}]({href})"
    return "[" + label + "](<" + href.replace("<", "%3C").replace(">", "%3E").replace("\n", "") + ">)"


def _inline(spans: list[_Span], *, no_bold: bool = False) -> str:
    """Inline Markdown of spans; line breaks come out as ``_BREAK``."""
    out: list[str] = []
    for bold, bold_group in groupby(_tidy(spans, no_bold=no_bold), key=lambda s: s.bold):
        parts: list[str] = []
        for italic, italic_group in groupby(bold_group, key=lambda s: s.italic):
            pieces: list[str] = []
            for href, link_group in groupby(italic_group, key=lambda s: s.href):
                text = "".join(s.text for s in link_group)
                if href is None:
                    pieces.append(_escape(text))
                else:
                    core = text.strip()
                    start = text.index(core) if core else 0
                    pieces.append(_escape(text[:start]) + _link(core, href) + _escape(text[start + len(core) :]))
            inner = "".join(pieces)
            parts.append(_wrap(inner, "*") if italic else inner)
        inner = "".join(parts)
        out.append(_wrap(inner, "**") if bold else inner)
    return "".join(out)


def _lines(markdown: str) -> str:
    """Hard breaks as Markdown (``\\`` + line end), every line start protected, outer whitespace gone."""
    lines = [line.strip(" \t") for line in markdown.strip(" \t" + _BREAK).split(_BREAK)]
    return "\\\n".join(_protect(line) for line in lines if line)


def _one_line(markdown: str) -> str:
    return " ".join(markdown.replace(_BREAK, " ").split())


def _strip_prefix(spans: list[_Span], n: int) -> list[_Span]:
    out: list[_Span] = []
    for s in spans:
        if n <= 0:
            out.append(s)
        elif len(s.text) <= n:
            n -= len(s.text)
        else:
            out.append(_Span(s.text[n:], s.bold, s.italic, s.href))
            n = 0
    return out


def _comment_placeholder(comment: Comment) -> str:
    def clean(text: str) -> str:
        return " ".join(text.replace("[", "(").replace("]", ")").split())

    author = clean(comment.author) or "unbekannt"
    anchor = clean(comment.commented_text)
    if len(anchor) > 80:
        anchor = anchor[:79].rstrip() + "…"
    about = f" zu „{anchor}“" if anchor else ""
    text = clean(comment.text)
    return _protect(escape(f"[[PRÜFEN: Kommentar von {author}{about}" + (f": {text}" if text else "") + "]]"))


@dataclass
class _Builder:
    """Collects the Markdown blocks of the body in the draft's conventions."""

    reader: _Reader
    comments: dict[str, Comment]
    blocks: list[str] = field(default_factory=list)
    kopf: list[list[str]] = field(default_factory=list)  # the page-1 block: cell → paragraph texts
    item: str | None = None  # marker of the list item last written ("-", "3." …), None outside lists
    question: int = 0
    counters: dict[tuple[str, str], int] = field(default_factory=dict)
    pending_comments: list[str] = field(default_factory=list)
    placed: set[str] = field(default_factory=set)

    def block(self, markdown: str) -> None:
        self.blocks.append(markdown)
        self.item = None

    def list_item(self, marker: str, content: str) -> None:
        line = f"{marker} {_protect(content)}" if content else marker
        if self.item is not None and self.blocks:
            self.blocks[-1] += "\n" + line
        else:
            self.blocks.append(line)
        self.item = marker

    def place_comments(self, ids: list[str]) -> None:
        for cid in ids:
            comment = self.comments.get(cid)
            if comment is None or cid in self.placed:
                continue
            self.placed.add(cid)
            self.block(_comment_placeholder(comment))

    def add(self, block: _Para | _Table) -> None:
        if isinstance(block, _Table):
            if block.kopf:
                self.kopf = [[p.text() for p in cell] for row in block.rows for cell in row]
                self.pending_comments += block.comments
                return
            self.table(block)
            self.place_comments(self.pending_comments + block.comments)
            self.pending_comments = []
            return
        self.paragraph(block)
        self.place_comments(self.pending_comments + block.comments)
        self.pending_comments = []

    def paragraph(self, p: _Para) -> None:
        role = p.role
        if role == _KOPF:
            self.kopf.append([p.text()])
            return
        spans = p.spans
        if role in (_H1, _H2, _H3):  # bold is the style's: explicit bold runs (Word adds them) mean nothing
            text = _one_line(_inline(spans, no_bold=True))
            if text:
                self.block({_H1: "#", _H2: "##", _H3: "###"}[role] + " " + text)
            return
        if role == _TITEL_ANFRAGE:
            text = _one_line(_inline(spans, no_bold=True))
            if text:
                self.block(f"**{text}**")
            return
        if role == _FRAGE:
            self.question_paragraph(spans)
            return
        if role == _PUNKT or p.numbering is not None:
            self.item_paragraph(p)
            return
        text = _lines(_inline(spans))
        if text:
            self.block(text)
        elif p.rule:
            self.block("---")

    def question_paragraph(self, spans: list[_Span]) -> None:
        raw = "".join(s.text for s in spans)
        match = _QUESTION_MARKER.match(raw)
        if match:
            number, delimiter = int(match.group(1)), match.group(2)
            spans = _strip_prefix(spans, match.end())
        else:
            number, delimiter = self.question + 1, "."
        text = _one_line(_inline(spans, no_bold=True))
        if not text:
            return
        self.question = number
        self.block(f"{number}{delimiter} **{text}**")

    def item_paragraph(self, p: _Para) -> None:
        raw = p.text()
        match = _ITEM_MARKER.match(raw)
        spans = p.spans
        if match:
            spans = _strip_prefix(spans, match.end())
            marker = f"{match.group(1)}{match.group(2)}" if match.group(1) else "-"
        elif p.numbering is not None:
            bullet, start = self.reader.numbering.get(*p.numbering)
            if bullet:
                marker = "-"
            else:
                number = self.counters.get(p.numbering, start - 1) + 1
                self.counters[p.numbering] = number
                marker = f"{number}."
        elif p.continuation:  # the writer's further paragraph of a list item (Markdown: loose item)
            text = _lines(_inline(spans))
            if text:
                self.block(text)
            return
        elif self.item is not None and self.item != "-":  # continues a numbered list
            marker = f"{int(self.item[:-1]) + 1}{self.item[-1]}"
        else:
            marker = "-"
        text = _one_line(_inline(spans))
        if text:
            self.list_item(marker, text)

    def table(self, table: _Table) -> None:
        rows = [row for row in table.rows if row]
        if not rows:
            return
        ncols = max(len(row) for row in rows)
        lines: list[str] = []
        for index, row in enumerate(rows):
            cells = [self.cell(paragraphs, header=index == 0) for paragraphs in row]
            cells += [""] * (ncols - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                aligns = [self.align(paragraphs) for paragraphs in row] + [""] * (ncols - len(row))
                lines.append("|" + "|".join({"center": ":-:", "right": "--:"}.get(a, "---") for a in aligns) + "|")
        self.block("\n".join(lines))

    @staticmethod
    def cell(paragraphs: list[_Para], *, header: bool) -> str:
        parts = [_one_line(_inline(p.spans, no_bold=header)) for p in paragraphs]
        return " ".join(part for part in parts if part)

    @staticmethod
    def align(paragraphs: list[_Para]) -> str:
        for p in paragraphs:
            if p.align in ("center", "right", "end"):
                return "right" if p.align == "end" else p.align
        return ""


def _body_blocks(reader: _Reader, body: Any) -> list[_Para | _Table]:
    """The body's blocks, with paragraphs whose mark is gone joined to the paragraph after them."""
    out: list[_Para | _Table] = []
    carry: _Para | None = None
    for block in reader.blocks(body):
        if isinstance(block, _Para):
            if carry is not None:
                block = _Para(
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


# --------------------------------------------------------------------------------------------------
# front matter


_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KOPF_FIELDS: Final = ("wahlperiode", "drucksache", "datum")


def _kopf_fields(kopf: list[list[str]]) -> dict[str, str]:
    """wahlperiode, drucksache and datum as the page-1 block shows them (left: Landtag, Wahlperiode;
    right: Drucksache, date)."""
    found: dict[str, str] = {}
    texts = [" ".join(t.split()) for cell in kopf for t in cell]
    for text in texts:
        m = re.fullmatch(r"(.+?)\.\s*Wahlperiode", text)
        if m and "wahlperiode" not in found:
            found["wahlperiode"] = m.group(1).strip()
        m = re.fullmatch(r"Drucksache\s+(.+)", text)
        if m and "drucksache" not in found:
            found["drucksache"] = m.group(1).strip()
    if len(kopf) >= 2 and len(kopf[1]) >= 2:
        datum = " ".join(kopf[1][-1].split())
        if datum:
            found["datum"] = datum
    return found


def _display(value: Any) -> str:
    """A front matter value as the writer shows it in the DOCX."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def _given_front_matter(front_matter: str) -> str:
    """The front matter block ``---`` … ``---`` of the text the caller gave (a block, a draft or raw YAML)."""
    if not front_matter.strip():
        return ""
    text = front_matter.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    raw, rest, _ = front_matter_block(text)
    if raw is not None:
        block = text[: len(text) - len(rest)]
        return block if block.endswith("\n") else block + "\n"
    return "---\n" + text.strip("\n") + "\n---\n"


def _sync_front_matter(block: str, shown: dict[str, str]) -> str:
    """Update wahlperiode, drucksache and datum in the block where the DOCX shows other values."""
    try:
        data = yaml.load(block.strip().removeprefix("---").removesuffix("---"), Loader=_YamlLoader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return block
    if not isinstance(data, dict):
        return block
    for key in _KOPF_FIELDS:
        new = shown.get(key)
        if not new or _display(data.get(key)) == new:
            continue
        value: object = int(new) if key == "wahlperiode" and new.isdigit() else new
        line = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10_000).rstrip("\n")
        if "\n" in line:
            continue
        pattern = re.compile(rf"^{re.escape(key)}:[^\n]*\n(?![ \t])", re.M)
        block = pattern.sub(line.replace("\\", "\\\\") + "\n", block, count=1)
    return block


def _rebuilt_front_matter(pkg: _Package, shown: dict[str, str]) -> str:
    data: dict[str, object] = {}
    if "wahlperiode" in shown:
        wp = shown["wahlperiode"]
        data["wahlperiode"] = int(wp) if wp.isdigit() else wp
    for key in ("drucksache", "datum"):
        if key in shown:
            data[key] = shown[key]
    core_names = [t for k, t in pkg.relationships("").values() if k.endswith("/core-properties")]
    core = pkg.xml(core_names[0]) if core_names else None
    if core is not None:
        for key, tag in (("titel", _DC + "title"), ("ressort", _DC + "creator")):
            el = core.find(tag)
            if el is not None and el.text and el.text.strip():
                data[key] = el.text.strip()
        created = core.find(_DCTERMS + "created")
        if created is not None and created.text:
            m = re.match(r"\d{4}-\d{2}-\d{2}", created.text.strip())
            if m:
                data["antwortdatum"] = m.group(0)
    return dump_front_matter(data) if data else ""


# --------------------------------------------------------------------------------------------------
# public functions


def revisions(source: bytes | str | os.PathLike[str]) -> list[Revision]:
    """The pending tracked changes of a DOCX (body, headers, footers, footnotes, endnotes).

    Neighbouring pieces of the same kind, author and date count as one change. Raises ``UserError``
    when the file is not a readable DOCX.
    """
    return _Package(source).revisions()


def comments(source: bytes | str | os.PathLike[str]) -> list[Comment]:
    """The comments of a DOCX with the text each is anchored to (``UserError`` for an unreadable file)."""
    return _Package(source).comments()


def docx_to_markdown(
    source: bytes | str | os.PathLike[str],
    *,
    front_matter: str | None = None,
    aenderungen: Aenderungen = "fehler",
    kommentare: Kommentare = "platzhalter",
) -> str:
    """Read a DOCX written by anfrage (and maybe edited in Word) back into the draft Markdown.

    ``front_matter``: the front matter block of the last generated draft (or that draft); None rebuilds
    what the DOCX gives, ``""`` leaves the front matter out (see the module docstring).
    ``aenderungen``: ``"fehler"`` raises ``UserError`` on pending tracked changes; ``"annehmen"`` /
    ``"ablehnen"`` read the document with all of them accepted / rejected.
    ``kommentare``: ``"platzhalter"`` keeps open comments as ``[[PRÜFEN: …]]`` paragraphs,
    ``"ignorieren"`` leaves them out, ``"fehler"`` raises ``UserError`` when there are any.
    Raises ``UserError`` when the file is not a readable DOCX.
    """
    if aenderungen not in _MODES:
        raise UserError(f"Unbekannter Wert „{aenderungen}“ für --aenderungen: erlaubt sind annehmen und ablehnen.")
    if kommentare not in _COMMENT_MODES:
        raise UserError(
            f"Unbekannter Wert „{kommentare}“ für --kommentare: erlaubt sind platzhalter, ignorieren und fehler."
        )
    pkg = _Package(source)
    if aenderungen == "fehler" and pkg.any_revisions():
        raise UserError(revisions_message(pkg.revisions(), pkg.label))
    open_comments: dict[str, Comment] = {}
    if kommentare != "ignorieren" and pkg.related("/comments"):
        found = [c for c in pkg.comments() if not c.done]
        if kommentare == "fehler" and found:
            raise UserError(comments_message(found, pkg.label))
        open_comments = {c.id: c for c in found}

    reader = _Reader(pkg, aenderungen)
    builder = _Builder(reader, open_comments)
    for item in _body_blocks(reader, pkg.document.find(_BODY)):
        builder.add(item)
    builder.place_comments(builder.pending_comments + list(open_comments))  # anchored nowhere in the body
    body = normalise("\n\n".join(builder.blocks) + "\n")

    shown = _kopf_fields(builder.kopf)
    if front_matter is None:
        block = _rebuilt_front_matter(pkg, shown)
    else:
        block = _sync_front_matter(_given_front_matter(front_matter), shown)
    if not block:
        return body
    head = "\n".join(line.rstrip() for line in block.rstrip("\n").split("\n"))
    return head + "\n\n" + body
