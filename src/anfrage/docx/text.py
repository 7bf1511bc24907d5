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
which show as ``{PAGE}`` etc., so that a new layout does not change the text. Text of
``mc:Fallback`` alternatives is left out.

Tracked changes and comments are never accepted or dropped silently:

* pending insertions (``w:ins``, also text moved here, ``w:moveTo``) show as ``{+…+}``, pending
  deletions (``w:del``, also text moved away, ``w:moveFrom``) as ``[-…-]``, in place; a paragraph
  mark inserted or deleted on its own (a paragraph split or joined) as ``{+¶+}`` / ``[-¶-]`` at the
  end of its line;
* every comment follows the line of the paragraph (or table row) that holds its reference mark, as
  ``[Kommentar von AUTOR zu „commented text“: text]`` (``(erledigt)`` after the commented text
  when it is marked as done in Word); comments anchored nowhere come last.

A file without tracked changes and comments gives the same text as before these markers existed.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from typing import Final, TypeAlias

from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type hints

from anfrage.docx.revisions import Comment, has_revisions, scan_comments
from anfrage.errors import UserError

__all__ = ["docx_to_text"]

# This module is the whole of ``anfrage text``, which git starts once per changed .docx (textconv).
# It reads the package with zipfile and lxml alone: python-docx (and anfrage.docx.wml, which imports
# it) would triple the start-up time. The names below repeat what python-docx and wml.py define.

#: An lxml element. lxml has no type hints, so mypy sees ``Any``; the alias says what is meant.
Element: TypeAlias = etree._Element

W_NS: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT: Final = _R_NS + "/officeDocument"
_NS: Final = {
    "w": W_NS,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
}


def qn(tag: str) -> str:
    """Clark notation of a ``w:`` name, e.g. ``qn("w:p")``."""
    prefix, local = tag.split(":")
    return f"{{{_NS[prefix]}}}{local}"


# The parser python-docx uses: no entities resolved, no network, whitespace between tags dropped.
_PARSER: Final = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
_TEXT_XPATH: Final = etree.XPath(
    "(.//w:t | .//w:tab | .//w:br | .//w:cr | .//w:noBreakHyphen | .//w:fldChar | .//w:instrText"
    " | .//w:fldSimple)[not(ancestor::mc:Fallback)][not(ancestor::w:pPr)]",
    namespaces=_NS,
)
# With pending revisions: also deleted text and deleted field instructions.
_REVISION_TEXT_XPATH: Final = etree.XPath(
    "(.//w:t | .//w:delText | .//w:tab | .//w:br | .//w:cr | .//w:noBreakHyphen | .//w:fldChar | .//w:instrText"
    " | .//w:delInstrText | .//w:fldSimple)[not(ancestor::mc:Fallback)][not(ancestor::w:pPr)]",
    namespaces=_NS,
)
# Fields whose result changes with every layout: shown by name, so textconv diffs stay quiet.
_VOLATILE_FIELDS: Final = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES"})
_DOCUMENT: Final = qn("w:document")
_BODY: Final = qn("w:body")
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
_TYPE: Final = qn("w:type")
_RID: Final = f"{{{_R_NS}}}id"
# Sections in document order, as python-docx finds them (``Document.sections``).
_SECTPR_XPATH: Final = etree.XPath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces=_NS)

# (reference element, w:type, label), in the order python-docx's Section properties were read.
_DELTEXT: Final = qn("w:delText")
_DELINSTRTEXT: Final = qn("w:delInstrText")
_PPR: Final = qn("w:pPr")
_RPR: Final = qn("w:rPr")
_COMMENT_REFERENCE: Final = qn("w:commentReference")
_ID: Final = qn("w:id")
#: Revision wrappers: "+" shows as {+…+}, "-" as [-…-].
_MARKS: Final = {qn("w:ins"): "+", qn("w:moveTo"): "+", qn("w:del"): "-", qn("w:moveFrom"): "-"}
_OPEN: Final = {"+": "{+", "-": "[-"}
_CLOSE: Final = {"+": "+}", "-": "-]"}
_COMMENTS_REL: Final = "/comments"
_COMMENTS_EXTENDED_REL: Final = "/commentsExtended"

_KINDS: Final = (
    ("headerReference", "first", "Kopfzeile erste Seite"),
    ("headerReference", "default", "Kopfzeile"),
    ("headerReference", "even", "Kopfzeile gerade Seiten"),
    ("footerReference", "first", "Fußzeile erste Seite"),
    ("footerReference", "default", "Fußzeile"),
    ("footerReference", "even", "Fußzeile gerade Seiten"),
)


def _field_name(instr: str) -> str:
    words = instr.split()
    return words[0].upper() if words else ""


@dataclass
class _Field:
    """An open complex field: its instruction so far, and whether its result is hidden."""

    instr: str = ""
    hidden: bool = False


def _mark_of(el: Element, p: Element) -> str:
    """ "+" or "-" when ``el`` lies in a pending insertion or deletion of paragraph ``p``, else ""."""
    for ancestor in el.iterancestors():
        if ancestor is p:
            return ""
        mark = _MARKS.get(ancestor.tag)
        if mark is not None:
            return mark
    return ""


def _paragraph_mark(p: Element) -> str:
    """ "+" or "-" when the paragraph mark itself is a pending insertion or deletion."""
    ppr = p.find(_PPR)
    rpr = ppr.find(_RPR) if ppr is not None else None
    if rpr is None:
        return ""
    for child in rpr:
        mark = _MARKS.get(child.tag)
        if mark is not None:
            return mark
    return ""


def _paragraph_text(p: Element, tracked: bool = False) -> str:
    """The text of a paragraph; with ``tracked``, pending insertions and deletions are marked."""
    pieces: list[tuple[str, str]] = []  # (mark, text)
    fields: list[_Field] = []  # open complex fields, innermost last
    hidden_simple: list[Element] = []  # fldSimple elements whose result is replaced by their name

    def add(el: Element, text: str) -> None:
        pieces.append((_mark_of(el, p) if tracked else "", text))

    for el in (_REVISION_TEXT_XPATH if tracked else _TEXT_XPATH)(p):
        tag = el.tag
        if tag == _FLDCHAR:
            kind = el.get(_FLDCHARTYPE)
            if kind == "begin":
                fields.append(_Field())
            elif kind == "separate" and fields:
                name = _field_name(fields[-1].instr)
                if name in _VOLATILE_FIELDS:
                    add(el, "{" + name + "}")
                    fields[-1].hidden = True
            elif kind == "end" and fields:
                fields.pop()
            continue
        if tag in (_INSTRTEXT, _DELINSTRTEXT):
            if fields:
                fields[-1].instr += el.text or ""
            continue
        if tag == _FLDSIMPLE:
            name = _field_name(el.get(_INSTR, ""))
            if name in _VOLATILE_FIELDS:
                add(el, "{" + name + "}")
                hidden_simple.append(el)
            continue
        if any(f.hidden for f in fields):
            continue
        if hidden_simple and any(a in hidden_simple for a in el.iterancestors(_FLDSIMPLE)):
            continue
        if tag in (_T, _DELTEXT):
            add(el, el.text or "")
        elif tag == _TAB:
            add(el, "\t")
        elif tag == _NBH:
            add(el, "-")
        else:  # w:br, w:cr
            add(el, "\n")
    if not tracked:
        return "".join(text for _, text in pieces)
    out: list[str] = []
    current = ""
    for mark, text in pieces:
        if not text:
            continue
        if mark != current:
            if current:
                out.append(_CLOSE[current])
            if mark:
                out.append(_OPEN[mark])
            current = mark
        out.append(text)
    if current:
        out.append(_CLOSE[current])
    mark = _paragraph_mark(p)
    if mark and not all(m == mark for m, text in pieces if text):
        out.append(_OPEN[mark] + "¶" + _CLOSE[mark])
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


@dataclass
class _View:
    """How to show a story: with revision marks, and which comments follow which line."""

    tracked: bool = False
    comments: dict[str, list[str]] | None = None  # comment id → its lines, taken when placed

    def comment_lines(self, block: Element) -> list[str]:
        if not self.comments:
            return []
        lines: list[str] = []
        for ref in block.iter(_COMMENT_REFERENCE):
            lines.extend(self.comments.pop(ref.get(_ID, ""), []))
        return lines


def _cell_text(tc: Element, view: _View) -> str:
    parts: list[str] = []
    for block in _blocks(tc):
        if block.tag == _P:
            parts.append(_paragraph_text(block, view.tracked))
        else:
            parts.extend(_row_text(tr, view) for tr in block.iter(_TR) if tr.getparent() is block)
    return " ".join(" ".join(parts).split("\n")).strip()


def _row_text(tr: Element, view: _View) -> str:
    cells: list[Element] = []
    for child in tr:
        if child.tag == _TC:
            cells.append(child)
        elif child.tag == _SDT:
            content = child.find(_SDTCONTENT)
            if content is not None:
                cells.extend(c for c in content if c.tag == _TC)
    return " | ".join(_cell_text(tc, view) for tc in cells)


def _lines(container: Element, view: _View) -> list[str]:
    lines: list[str] = []
    for block in _blocks(container):
        if block.tag == _P:
            lines.append(_paragraph_text(block, view.tracked))
            lines.extend(view.comment_lines(block))
        else:
            for tr in block:
                if tr.tag == _TR:
                    lines.append(_row_text(tr, view))
                    lines.extend(view.comment_lines(tr))
    return lines


def _comment_line(comment: Comment) -> str:
    """``[Kommentar von MAGS zu „commented text“: text]`` on one line."""
    author = " ".join(comment.author.split())
    anchor = " ".join(comment.commented_text.split())
    if len(anchor) > 80:
        anchor = anchor[:79].rstrip() + "…"
    head = "Kommentar" + (f" von {author}" if author else "") + (f" zu „{anchor}“" if anchor else "")
    if comment.done:
        head += " (erledigt)"
    text = " ".join(comment.text.split())
    return f"[{head}: {text}]" if text else f"[{head}]"


# What a broken package raises: not a zip or a damaged one (BadZipFile, zlib.error, EOFError,
# OSError), an encrypted member (RuntimeError), an unknown compression (NotImplementedError), a part
# or relationship missing (KeyError), XML that does not parse (etree.Error, ValueError).
_BROKEN: Final = (
    OSError,
    EOFError,
    KeyError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    zipfile.BadZipFile,
    zlib.error,
    etree.Error,
)


# Limits against a zip bomb (Apache POI's ZipSecureFile is the model): a real draft's parts are a few
# hundred KB and compress perhaps 10:1.
MAX_PART_BYTES: Final = 64 * 1024 * 1024  # uncompressed size of one part
MAX_TOTAL_BYTES: Final = 200 * 1024 * 1024  # all parts read together
MAX_RATIO: Final = 200  # uncompressed / compressed, for parts above 1 MB


class _TooBig(Exception):
    """A part of the package would expand beyond the limits."""


class _Package:
    """The parts of an OPC package (the zip of a DOCX) that reading its text needs."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self._zip = archive
        self._read_bytes = 0

    def _bytes(self, name: str) -> bytes:
        info = self._zip.getinfo(name)
        size = info.file_size
        ratio = size / max(1, info.compress_size)
        if size > MAX_PART_BYTES or (size > 1024 * 1024 and ratio > MAX_RATIO):
            raise _TooBig(name)
        self._read_bytes += size
        if self._read_bytes > MAX_TOTAL_BYTES:
            raise _TooBig(name)
        return self._zip.read(name)

    def xml(self, partname: str) -> Element:
        """The root element of part ``partname`` (``/word/document.xml``)."""
        return etree.fromstring(self._bytes(partname[1:]), _PARSER)

    def rels(self, partname: str) -> dict[str, tuple[str, str]]:
        """Internal relationships of a part: id → (type, target partname); none without a rels part."""
        folder, name = posixpath.split(partname)
        try:
            data = self._bytes(posixpath.join(folder, "_rels", name + ".rels")[1:])
        except KeyError:
            return {}
        found: dict[str, tuple[str, str]] = {}
        for rel in etree.fromstring(data, _PARSER).iterchildren(f"{{{_PKG_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(folder or "/", rel.get("Target", "")))
            found[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return found

    def related(self, rels: dict[str, tuple[str, str]], suffix: str) -> Element | None:
        """The XML of the part a relationship whose type ends in ``suffix`` points to, if any."""
        for kind, target in rels.values():
            if kind.endswith(suffix):
                try:
                    return self.xml(target)
                except (KeyError, etree.XMLSyntaxError):
                    return None
        return None


def _read(archive: zipfile.ZipFile) -> list[str]:
    package = _Package(archive)
    main = [target for kind, target in package.rels("/").values() if kind == _OFFICE_DOCUMENT]
    if len(main) != 1:
        raise KeyError("main document part")
    document = package.xml(main[0])
    body = document.find(_BODY)
    if document.tag != _DOCUMENT or body is None:
        raise KeyError("w:body")
    rels = package.rels(main[0])
    comment_lines: dict[str, list[str]] = {}
    comments_root = package.related(rels, _COMMENTS_REL)
    if comments_root is not None:
        extended = package.related(rels, _COMMENTS_EXTENDED_REL)
        for comment in scan_comments(comments_root, document, extended):
            comment_lines.setdefault(comment.id, []).append(_comment_line(comment))

    lines: list[str] = []
    seen: set[str] = set()
    for sect_pr in _SECTPR_XPATH(document):
        for reference, kind, label in _KINDS:
            ref = next((r for r in sect_pr.iterchildren(qn(f"w:{reference}")) if r.get(_TYPE) == kind), None)
            if ref is None:  # linked to the previous section: its header or footer is shown already
                continue
            partname = rels[ref.get(_RID, "")][1]
            if partname in seen:
                continue
            seen.add(partname)
            part = package.xml(partname)
            for line in _lines(part, _View(tracked=has_revisions(part))):
                if line.strip():
                    lines.append(f"[{label}] {line}")
    lines.extend(_lines(body, _View(tracked=has_revisions(body), comments=comment_lines)))
    for rest in comment_lines.values():  # comments whose reference mark is in no paragraph of the body
        lines.extend(rest)
    return lines


def docx_to_text(source: str | os.PathLike[str] | bytes) -> str:
    """Return the plain text of a DOCX (path or bytes), headers and footers first.

    Pending tracked changes show as ``{+…+}`` and ``[-…-]``, comments as lines
    ``[Kommentar von … zu „…“: …]`` after their paragraph (see the module docstring).
    Raises ``UserError`` when the file is missing, is not a readable DOCX or would unpack beyond
    the limits (a zip bomb).
    """
    if isinstance(source, (bytes, bytearray)):
        name = "Die Datei"
        stream: str | io.BytesIO = io.BytesIO(bytes(source))
    else:
        name = f"Die Datei „{os.fspath(source)}“"
        stream = os.fspath(source)
        if not os.path.isfile(stream):
            raise UserError(f"{name} gibt es nicht.")
    try:
        with zipfile.ZipFile(stream) as archive:
            lines = _read(archive)
    except _TooBig:
        raise UserError(
            f"{name} ist als Word-Datei zu groß oder ungewöhnlich stark gepackt (höchstens "
            f"{MAX_PART_BYTES // (1024 * 1024)} MB je Teil); sie wird nicht gelesen."
        ) from None
    except _BROKEN:
        raise UserError(f"{name} ist keine lesbare Word-Datei (DOCX).") from None
    return "\n".join(lines) + "\n"
