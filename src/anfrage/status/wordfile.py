"""Pending tracked changes in a Word file, found with zipfile and a regular expression.

Enough for the gate before sending: the answer must not leave the house with changes that nobody
accepted or rejected. The parts searched are the body, headers, footers, footnotes and endnotes.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from anfrage.errors import UserError

#: WordprocessingML elements of a pending change (any namespace prefix, usually ``w:``).
REVISION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(ins|del|moveFrom|moveTo|rPrChange|pPrChange)[\s/>]")
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_KINDS = {
    b"ins": "Einfügungen",
    b"del": "Löschungen",
    b"moveFrom": "Verschiebungen",
    b"moveTo": "Verschiebungen",
    b"rPrChange": "Formatierungen",
    b"pPrChange": "Formatierungen",
}
_MAX_PART = 50_000_000


def tracked_changes(docx: bytes, display: str) -> list[str]:
    """The kinds of pending tracked changes in a DOCX (German plural nouns), empty when there are none."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            found: list[str] = []
            for info in package.infolist():
                if not _PARTS.match(info.filename):
                    continue
                if info.file_size > _MAX_PART:
                    raise UserError(f"„{display}“ enthält einen zu großen Teil ({info.filename}).")
                for match in REVISION.finditer(package.read(info)):
                    kind = _KINDS[match.group(1)]
                    if kind not in found:
                        found.append(kind)
            return found
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        raise UserError(f"„{display}“ ist keine lesbare Word-Datei (DOCX).") from None
