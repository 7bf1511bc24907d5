"""Two versions of a draft as one Word document with real tracked changes (``anfrage vergleich``).

The comparison itself is not ours: it is Docxodus (a .NET port of Open-XML-PowerTools' comparer,
"DocxDiff"), run through python-redlines, which ships the engine as a self-contained executable
inside the ``python-redlines-docxodus`` wheel – it works offline and needs no .NET installation.
See ``benchmarks/README.md`` for why this engine and not another.

* Each side is a DOCX (as it is) or a draft Markdown file, which anfrage's own writer turns into
  a DOCX first (``writer.markdown_to_docx``), so a ``.md`` compares like its twin.
* Pending tracked changes in an input are never taken in silently: without ``aenderungen`` such an
  input is refused; ``"annehmen"`` compares the version with all of them accepted (the engine's
  reading), ``"ablehnen"`` the version with all of them rejected (read back with
  ``reader.docx_to_markdown`` and written again; comments of that side are then left out).
* Reproducible: same inputs, same author and date → same bytes. The date of the revisions is
  ``datum`` when given, else the "last modified" date in the document properties of the new
  version (Word sets it on every save; anfrage's writer sets the answer date), else that of the old
  one; never "now" unless the caller passes it.

The engine is a 110 MB folder once unpacked. python-redlines unpacks it on first use into the
user's cache folder without guarding against a second process or an interrupted run (a half
unpacked folder would then be used for ever). anfrage therefore unpacks it itself, into a temporary
folder that is renamed into place when complete: ``ANFRAGE_CACHE`` if set, else the user cache
folder of anfrage (``%LOCALAPPDATA%\\anfrage\\Cache`` on Windows, ``~/.cache/anfrage`` on Linux),
subfolder ``docxodus/VERSION/PLATFORM``.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.resources
import io
import os
import platform
import shutil
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from anfrage.errors import UserError

__all__ = ["Redline", "compare", "engine_folder", "parse_datum"]

Aenderungen = Literal["annehmen", "ablehnen"] | None

_ENGINE_PACKAGE: Final = "python_redlines_docxodus"
_ENGINE_BINARY: Final = "redline"
_COMPLETE: Final = ".vollstaendig"  # written last into an unpacked engine folder
_CORE_RT: Final = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_PKG_RELS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_DCTERMS_MODIFIED: Final = "{http://purl.org/dc/terms/}modified"
_INSTALL_HINT: Final = (
    "Für „anfrage vergleich“ fehlt das Vergleichsprogramm (Paket python-redlines-docxodus); bitte anfrage "
    "neu installieren (pip install .). Es gibt es für Windows, Linux (x86-64, ARM) und macOS (Apple Silicon)."
)


@dataclass(frozen=True)
class Redline:
    """The comparison document and what it holds."""

    docx: bytes
    datum: dt.datetime
    autor: str


def parse_datum(value: str) -> dt.datetime:
    """``2025-05-12``, ``12.05.2025``, an ISO date-time or ``jetzt`` → an aware datetime (UTC)."""
    text = value.strip()
    if text.lower() in ("jetzt", "heute"):
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(
            f"Unbekanntes Datum „{value}“ für --datum: erwartet z. B. 2025-05-12, 12.05.2025 oder jetzt."
        ) from None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------------
# inputs


def _label(path: Path) -> str:
    return f"Die Word-Datei „{path}“"


def _side(path: Path, aenderungen: Aenderungen) -> bytes:
    """The DOCX bytes of one side of the comparison."""
    from anfrage.docx.reader import docx_to_markdown, revisions
    from anfrage.docx.revisions import revisions_message
    from anfrage.docx.writer import markdown_to_docx

    if not path.is_file():
        raise UserError(f"Die Datei „{path}“ gibt es nicht.")
    suffix = path.suffix.lower()
    if suffix == ".md":
        try:
            text = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        except (OSError, UnicodeDecodeError):
            raise UserError(f"Die Datei „{path}“ lässt sich nicht als UTF-8-Text lesen.") from None
        return markdown_to_docx(text.replace("\r\n", "\n"))
    if suffix != ".docx":
        raise UserError(f"„{path}“ ist weder ein Entwurf (.md) noch eine Word-Datei (.docx).")
    data = path.read_bytes()
    pending = revisions(data)  # also: a UserError for a file that is no readable DOCX
    if not pending:
        return data
    if aenderungen is None:
        raise UserError(revisions_message(pending, _label(path)))
    if aenderungen == "ablehnen":
        return markdown_to_docx(docx_to_markdown(data, aenderungen="ablehnen", kommentare="ignorieren"))
    return data  # the engine compares what the document says with all changes accepted


def modified_date(data: bytes) -> dt.datetime | None:
    """The "last modified" date of a DOCX's core properties (``dcterms:modified``), or None."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            target = "docProps/core.xml"
            if "_rels/.rels" in names:
                rels = etree.fromstring(z.read("_rels/.rels"), parser)
                for rel in rels.iter(_PKG_RELS):
                    if rel.get("Type") == _CORE_RT:
                        target = (rel.get("Target") or target).lstrip("/")
            if target not in names:
                return None
            core = etree.fromstring(z.read(target), parser)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, KeyError, ValueError):
        return None
    element = core.find(_DCTERMS_MODIFIED)
    if element is None or not element.text:
        return None
    try:
        when = dt.datetime.fromisoformat(element.text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------------------------------
# the engine


def _platform() -> tuple[str, str, str]:
    """(.NET runtime identifier, archive name, executable name) of this machine."""
    system = platform.system().lower()
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "arm64": "arm64", "aarch64": "arm64"}.get(machine)
    os_name = {"linux": "linux", "windows": "win", "darwin": "osx"}.get(system)
    if arch is None or os_name is None:
        raise UserError(_INSTALL_HINT)
    rid = f"{os_name}-{arch}"
    if os_name == "win":
        return rid, f"{rid}.zip", f"{_ENGINE_BINARY}.exe"
    return rid, f"{rid}.tar.gz", _ENGINE_BINARY


def cache_root() -> Path:
    """Where anfrage unpacks the engine: ``ANFRAGE_CACHE`` or the user's cache folder."""
    configured = os.environ.get("ANFRAGE_CACHE")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("anfrage", appauthor=False))


def engine_folder() -> Path:
    """The unpacked engine of this platform (unpacked once, atomically); returns its parent folder.

    python-redlines looks for ``<parent>/<rid>/redline``; the parent is what it calls ``target_path``.
    """
    rid, archive_name, binary = _platform()
    try:
        version = importlib.metadata.version(_ENGINE_PACKAGE.replace("_", "-"))
        archive = importlib.resources.files(_ENGINE_PACKAGE) / "_binaries" / archive_name
    except (importlib.metadata.PackageNotFoundError, ModuleNotFoundError):
        raise UserError(_INSTALL_HINT) from None
    parent = cache_root() / "docxodus" / version
    final = parent / rid
    if (final / _COMPLETE).is_file() and (final / binary).is_file():
        return parent
    if not archive.is_file():
        raise UserError(_INSTALL_HINT)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{rid}-", dir=parent))
    except OSError as exc:
        raise UserError(
            f"Der Ordner für das Vergleichsprogramm „{parent}“ lässt sich nicht anlegen ({exc.strerror}); "
            "mit der Umgebungsvariablen ANFRAGE_CACHE einen anderen Ordner angeben."
        ) from None
    try:
        with importlib.resources.as_file(archive) as path:
            if archive_name.endswith(".zip"):
                with zipfile.ZipFile(path) as z:
                    z.extractall(scratch)
            else:
                with tarfile.open(path, "r:gz") as tar:
                    tar.extractall(scratch, filter="data")
        if not (scratch / binary).is_file():
            raise UserError(_INSTALL_HINT)
        if os.name != "nt":
            os.chmod(scratch / binary, 0o755)
        (scratch / _COMPLETE).write_bytes(b"")
        if final.exists():  # left by an interrupted run of an older anfrage, or unpacked meanwhile
            if (final / _COMPLETE).is_file():
                return parent
            shutil.rmtree(final, ignore_errors=True)
        os.replace(scratch, final)
    except OSError:
        if not ((final / _COMPLETE).is_file() and (final / binary).is_file()):  # not another process's win
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return parent


def _run_engine(old: bytes, new: bytes, autor: str, datum: dt.datetime) -> bytes:
    try:
        from python_redlines import (  # type: ignore[import-untyped]  # no type hints
            DocxodusEngine,
            EngineExecutionError,
            EngineNotInstalledError,
        )
    except ImportError:
        raise UserError(_INSTALL_HINT) from None
    when = datum.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        engine: Any = DocxodusEngine(target_path=str(engine_folder()))
        result: tuple[bytes, str | None, str | None] = engine.run_redline(autor, old, new, date_time=when)
    except EngineNotInstalledError:
        raise UserError(_INSTALL_HINT) from None
    except EngineExecutionError as exc:
        detail = " ".join(str(exc.stderr or exc.stdout or "").split())[:300]
        raise UserError(
            f"Der Vergleich ist fehlgeschlagen: {detail or 'ohne Meldung des Vergleichsprogramms'}."
        ) from None
    except OSError as exc:
        raise UserError(f"Das Vergleichsprogramm lässt sich nicht starten: {exc.strerror or exc}.") from None
    return result[0]


def compare(
    alt: Path,
    neu: Path,
    *,
    autor: str = "anfrage",
    datum: dt.datetime | None = None,
    aenderungen: Aenderungen = None,
) -> Redline:
    """The Word document that shows ``neu`` as tracked changes of ``alt`` (each a .docx or a .md draft).

    Raises ``UserError`` for unreadable inputs, pending tracked changes without ``aenderungen``, a
    missing engine and a failed comparison.
    """
    if not autor.strip():
        raise UserError("--autor darf nicht leer sein.")
    old = _side(alt, aenderungen)
    new = _side(neu, aenderungen)
    when = datum or modified_date(new) or modified_date(old)
    if when is None:
        raise UserError(
            f"Keine der beiden Dateien nennt in ihren Eigenschaften ein Änderungsdatum; bitte --datum angeben "
            f"(z. B. --datum {dt.date.today().isoformat()} oder --datum jetzt)."
        )
    return Redline(_run_engine(old, new, autor.strip(), when), when, autor.strip())
