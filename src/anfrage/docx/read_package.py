"""Reading a DOCX package for ``reader``: zip and XML access with every failure a ``UserError``.

Parts are parsed with lxml without entities, DTDs or network, with limits on the file and on every
unpacked part (a zip bomb is refused). Strict Open XML ("Strict Open XML Document") is read as
transitional: its namespaces are mapped to the transitional ones before parsing.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
import zlib
from pathlib import Path
from typing import Any, Final

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from anfrage.docx.revisions import Comment, Revision, has_revisions, scan_comments, scan_revisions
from anfrage.errors import UserError

__all__ = ["DC", "DCTERMS", "MC", "R_NS", "W", "Package"]

W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC: Final = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DC: Final = "{http://purl.org/dc/elements/1.1/}"
DCTERMS: Final = "{http://purl.org/dc/terms/}"
_PKG_RELS_NS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Strict Open XML (Word: "Strict Open XML Document") uses other namespaces for the same vocabulary.
_STRICT: Final = (
    (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", R_NS.encode()),
)

_BODY: Final = W + "body"
_MAX_FILE: Final = 256 * 1024 * 1024
_MAX_PART: Final = 64 * 1024 * 1024
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Package:
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
