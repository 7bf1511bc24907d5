"""Reading a Drucksache file: a PDF through pypdf, or UTF-8 text.

Clerks pass whatever file they have at hand, so everything that is not a readable Drucksache (too
large, encrypted, scanned, a Word file, binary data, another encoding) is refused here with a German
:class:`~anfrage.errors.DrucksacheError` naming the file, before the parser sees any text.
"""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

from anfrage.errors import DrucksacheError, os_reason
from anfrage.importer.clean import CONTROL_RE

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PDF_PAGES = 300

_OFFICE_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # DOCX/ZIP and the old OLE formats


def read_text(path: Path) -> str:
    """The text of a Drucksache file: PDF pages joined by form feeds, or the decoded text file."""
    data = _read_bytes(path)
    if data.startswith(_OFFICE_MAGIC) and path.suffix.lower() == ".pdf":
        raise DrucksacheError("ist eine Word- oder ZIP-Datei mit der Endung .pdf, kein PDF", file=path)
    if data[:1024].lstrip().startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        return _pdf_text(data, path)
    return _decode(data, path)


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DrucksacheError(
                f"Datei zu groß ({size // (1024 * 1024)} MB, höchstens {MAX_FILE_BYTES // (1024 * 1024)} MB)",
                file=path,
            )
        return path.read_bytes()
    except OSError as exc:
        raise DrucksacheError(f"Datei nicht lesbar: {os_reason(exc)}", file=path) from None


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 text (with or without BOM); Office files, binary data and other encodings are refused."""
    if data.startswith(_OFFICE_MAGIC):
        raise DrucksacheError(
            "Word- oder Office-Datei: bitte die Drucksache als PDF oder Text (UTF-8) angeben",
            file=path,
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM (Notepad's "Unicode")
        try:
            return data.decode("utf-16").removeprefix("\ufeff")
        except UnicodeDecodeError:
            raise DrucksacheError("Text ist als UTF-16 gekennzeichnet, aber nicht lesbar", file=path) from None
    if b"\x00" in data:
        raise DrucksacheError("keine Textdatei (Binärdaten)", file=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DrucksacheError(
            f"Text ist nicht UTF-8-kodiert (ungültiges Byte an Stelle {exc.start})", file=path
        ) from exc
    controls = len(CONTROL_RE.findall(text)) - text.count("\t") - text.count("\r")
    if controls > max(8, len(text) // 200):
        raise DrucksacheError("keine Textdatei (zu viele Steuerzeichen)", file=path)
    return text


def _pdf_text(data: bytes, path: Path) -> str:
    """Text of a PDF, page by page (layout mode keeps paragraph gaps as blank lines)."""
    from pypdf import PdfReader  # imported lazily: only PDFs need it

    pages: list[str] = []
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL + 1)  # pypdf logs English warnings about damaged files
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            # "protected" PDFs often have an empty open password (AES needs the cryptography package)
            if reader.is_encrypted and not reader.decrypt(""):
                raise DrucksacheError(
                    "PDF ist mit einem Kennwort verschlüsselt; bitte eine Fassung ohne Kennwort oder den Text angeben",
                    file=path,
                )
            count = len(reader.pages)
            if count > MAX_PDF_PAGES:
                raise DrucksacheError(f"PDF hat {count} Seiten (höchstens {MAX_PDF_PAGES})", file=path)
            for page in reader.pages:
                try:
                    text = page.extract_text(extraction_mode="layout")
                except Exception:  # noqa: BLE001 - layout mode is fragile on odd fonts: fall back to plain mode
                    text = page.extract_text()
                pages.append(text or "")
        except DrucksacheError:
            raise
        except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged files
            raise DrucksacheError("PDF nicht lesbar (beschädigt oder kein PDF)", file=path) from None
        finally:
            quiet.setLevel(level)
    text = "\n\f\n".join(pages)
    if not text.strip():
        raise DrucksacheError("PDF enthält keinen Text (gescanntes Dokument?)", file=path)
    return text
