"""Writing drafts safely: atomic files, the base of every draft, a manifest, no lost hand edits.

An output folder holds, besides the drafts (``NAME.md`` and its twin ``NAME.docx``):

* ``.anfrage/basis/NAME.md`` – the Markdown anfrage generated last time for the draft, the *base*
  of the three-way merge when the draft was edited by hand (see ``update.py``). It belongs in git
  with the drafts, so that a fresh clone can still tell a hand edit from an old render;
* ``.anfrage-manifest.json`` – the sha256 of every file as anfrage wrote it, so an unchanged Word
  file is recognised without reading it back.

Every write is atomic (temporary file in the same folder, ``fsync``, rename), new files get the
permissions the umask gives and an existing file keeps its mode. The two twins of a draft are one
unit (:meth:`OutputFolder.commit`): if one cannot be replaced – on Windows a file Word holds open
cannot – the other is restored, so the twins never say different things.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from anfrage.errors import EXIT_PROBLEMS, AnfrageError, FileError, UserError
from anfrage.process import HOST, alive

MANIFEST = ".anfrage-manifest.json"
STATE = ".anfrage"
BASIS = f"{STATE}/basis"
LOCK = f"{STATE}/sperre"
LOCK_WAIT_SECONDS = 30.0  # the lock is held only while the manifest is updated
# Temporary files: ".NAME.HOST-PID.RANDOM.tmp", so the next run can tell a killed run's from a live one's.
_TMP = re.compile(r"^\..+\.(?P<host>[0-9a-f]{8})-(?P<pid>\d+)\.[^.]+\.tmp$")


class Status(StrEnum):
    NEU = "neu"
    AKTUALISIERT = "aktualisiert"
    UNVERAENDERT = "unverändert"
    ZUSAMMENGEFUEHRT = "zusammengeführt"
    KONFLIKT = "Konflikt"
    BEARBEITET = "bearbeitet – übersprungen"
    GESICHERT = "bearbeitet – gesichert und ersetzt"
    GESPERRT = "geöffnet – nicht ersetzt"
    AENDERUNGEN = "Word-Änderungen offen – übersprungen"


@dataclass
class Written:
    path: Path
    status: Status
    backup: Path | None = None


class DraftLocked(AnfrageError):
    """A file of a draft is held open by another program (on Windows: Word) and was not replaced."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, path: Path):
        super().__init__(
            f"„{path.name}“ ist geöffnet, z. B. in Word – nicht ersetzt; bitte schließen und erneut ausführen.",
            file=path,
        )
        self.path = path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_of(data: bytes) -> str:
    """A draft's text as anfrage compares it: UTF-8 without BOM, LF line endings.

    Git for Windows checks Markdown out with CRLF and Notepad may add a BOM; neither is an edit.
    """
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


def _mode_for(path: Path) -> int:
    """An existing file keeps its mode; a new one gets what the umask gives (0644 under 022)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_UMASK


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename, so no half-written file remains."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{HOST}-{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def remove_stale_temp_files(folder: Path) -> list[Path]:
    """Temporary files of runs that were killed mid-write (same machine, process gone); not those
    of a run that is still writing."""
    removed: list[Path] = []
    for directory in (folder, folder / BASIS):
        if not directory.is_dir():
            continue
        for path in directory.glob(".*.tmp"):
            match = _TMP.match(path.name)
            if match and match["host"] == HOST and not alive(int(match["pid"])):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Exclusive lock of an output folder (``.anfrage/sperre``: holder's pid and machine).

    A lock whose process is gone (same machine) is taken over; a live one is waited for, then
    ``UserError``. Created with ``O_EXCL``, as git creates its ``*.lock`` files.
    """
    path = folder / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    me = json.dumps({"pid": os.getpid(), "rechner": HOST}).encode("utf-8")
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileNotFoundError:  # another run removed the empty state folder just now
            path.parent.mkdir(parents=True, exist_ok=True)
            continue
        except FileExistsError:
            holder = _lock_holder(path)
            if holder is not None and holder[1] == HOST and not alive(holder[0]):
                with contextlib.suppress(OSError):  # stale: its process is gone
                    stale = path.with_name(f"{path.name}.{os.getpid()}.alt")
                    os.replace(path, stale)
                    stale.unlink()
                continue
            if time.monotonic() >= deadline:
                who = f"Prozess {holder[0]}" if holder else "ein anderer Lauf"
                raise UserError(
                    f"Der Ausgabeordner „{folder}“ wird gerade von {who} benutzt (Sperre {path.name} in "
                    f"{STATE}/). Bitte warten und erneut ausführen; läuft sicher kein anderer Lauf mehr, "
                    "die Sperrdatei löschen."
                ) from None
            time.sleep(0.05)
            continue
        break
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(me)
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):  # a folder with only a report keeps no empty .anfrage/
            path.parent.rmdir()


def _lock_holder(path: Path) -> tuple[int, str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return int(data["pid"]), str(data["rechner"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _writable_folder(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _held_open(path: Path) -> bool:
    """Whether another program holds ``path`` so that it cannot be replaced (Windows sharing)."""
    if not path.exists():
        return False
    try:
        with open(path, "r+b"):
            return False
    except PermissionError:
        return True
    except OSError:
        return False


@dataclass
class OnDisk:
    """What the folder holds of one draft before it is written again."""

    name: str
    md: bytes | None = None
    docx: bytes | None = None
    base: str | None = None
    md_recorded: str | None = None  # sha256 in the manifest
    docx_recorded: str | None = None

    @property
    def md_text(self) -> str | None:
        return text_of(self.md) if self.md is not None else None


@dataclass
class Commit:
    """What to write for one draft: files by suffix, the new base, backups of edited files."""

    name: str
    status: Status
    files: dict[str, bytes] = field(default_factory=dict)  # "md"/"docx" → bytes
    base: str | None = None
    backups: dict[str, bytes] = field(default_factory=dict)  # suffix → edited bytes to keep
    conflicts: int = 0
    markdown: str | None = None  # the text both twins hold after the commit (None: left alone)
    clerks: set[str] = field(default_factory=set)  # suffixes whose bytes are the clerk's: never recorded
    old: dict[str, bytes] = field(default_factory=dict)  # suffix → bytes on disk before (for rollback)


class OutputFolder:
    """An output folder with its manifest and bases. Call :meth:`save` once after all writes."""

    def __init__(self, folder: Path):
        self.folder = folder
        if folder.exists() and not folder.is_dir():
            raise UserError(f"Ausgabeordner „{folder}“ ist eine Datei, kein Ordner.")
        if folder.is_symlink() and not folder.exists():
            raise UserError(f"Ausgabeordner „{folder}“ ist eine Verknüpfung, deren Ziel es nicht gibt.")
        self.manifest_path = folder / MANIFEST
        self.records: dict[str, str] = self._read_manifest()
        self._changed: dict[str, str] = {}  # what this run recorded, merged into the manifest on save

    def _read_manifest(self) -> dict[str, str]:
        if not self.manifest_path.exists():
            return {}
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            return {str(k): str(v["sha256"]) for k, v in data.get("dateien", {}).items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise UserError(
                f"Das Verzeichnis der geschriebenen Entwürfe ({self.manifest_path}) ist beschädigt. "
                "Bitte löschen; anfrage erkennt unveränderte Entwürfe danach an ihrer Basis "
                f"({BASIS}/) oder daran, dass sie dem neuen Entwurf gleichen."
            ) from None

    def clean_up(self) -> list[Path]:
        """Remove temporary files that a killed run left (called once before a run writes)."""
        return remove_stale_temp_files(self.folder)

    # --- reading -------------------------------------------------------------------------------

    def base_path(self, name: str) -> Path:
        return self.folder / BASIS / f"{name}.md"

    def inspect(self, name: str) -> OnDisk:
        """The files of draft ``name`` as they are now (no writing)."""
        _check_name(f"{name}.md")
        state = OnDisk(name)
        md, docx, base = self.folder / f"{name}.md", self.folder / f"{name}.docx", self.base_path(name)
        path = md
        try:
            state.md = md.read_bytes() if md.is_file() else None
            path = docx
            state.docx = docx.read_bytes() if docx.is_file() else None
            path = base
            state.base = text_of(base.read_bytes()) if base.is_file() else None
        except OSError as exc:
            raise FileError(path, exc, "gelesen") from None
        state.md_recorded = self.records.get(f"{name}.md")
        state.docx_recorded = self.records.get(f"{name}.docx")
        return state

    # --- writing a draft -----------------------------------------------------------------------

    def commit(self, commit: Commit) -> list[Written]:
        """Write the twins of one draft and its base as a unit; backups first.

        Raises :class:`DraftLocked` when a twin is held open by another program and ``FileError``
        for any other failure of the disk; in both cases the draft's files are as they were.
        """
        if not commit.files:  # an edited draft left alone: report its files
            return [Written(self.folder / f"{commit.name}.{s}", commit.status) for s in sorted(commit.old)]
        paths = {suffix: self.folder / f"{commit.name}.{suffix}" for suffix in commit.files}
        for suffix in sorted(paths):
            if _held_open(paths[suffix]):
                raise DraftLocked(paths[suffix])
        backups: dict[str, Path] = {}
        for suffix, data in commit.backups.items():
            backup = self.folder / f"{commit.name}.bearbeitet-{sha256(data)[:8]}.{suffix}"
            try:
                if not backup.exists():
                    atomic_write(backup, data)
            except OSError as exc:
                raise FileError(backup, exc) from None
            backups[suffix] = backup
        done: list[str] = []
        target = self.folder
        base = self.base_path(commit.name)
        old_base = base.read_bytes() if base.is_file() else None
        try:
            for suffix in sorted(paths):  # docx before md: Word holds the .docx, not the .md
                target = paths[suffix]
                data = commit.files[suffix]
                if target.is_file() and target.read_bytes() == data:
                    continue
                atomic_write(target, data)
                done.append(suffix)
            if commit.base is not None:
                target = base
                encoded = commit.base.encode("utf-8")
                if old_base != encoded:
                    atomic_write(base, encoded)
        except OSError as exc:
            self._roll_back(commit, paths, done)
            if isinstance(exc, PermissionError) and target.is_file() and _writable_folder(target.parent):
                raise DraftLocked(target) from None  # the folder is writable: another program holds the file
            raise FileError(target, exc) from None
        for suffix, data in commit.files.items():
            if suffix not in commit.clerks:  # the manifest says what anfrage wrote, nothing else
                self._record(f"{commit.name}.{suffix}", data)
        return [Written(paths[s], commit.status, backups.get(s)) for s in sorted(paths)]

    def _roll_back(self, commit: Commit, paths: dict[str, Path], done: list[str]) -> None:
        """Restore the twins already replaced, so that no twin is updated alone."""
        for suffix in done:
            old = commit.old.get(suffix)
            with contextlib.suppress(OSError):
                if old is None:
                    paths[suffix].unlink()
                else:
                    atomic_write(paths[suffix], old)

    # --- single files (the review report) ------------------------------------------------------

    def write(self, name: str, data: bytes, force: bool = False) -> Written:
        """Write ``name`` unless a clerk edited it since anfrage wrote it (``FileError`` on disk errors)."""
        _check_name(name)
        try:
            return self._write(name, data, force)
        except OSError as exc:
            raise FileError(self.folder / name, exc) from None

    def _write(self, name: str, data: bytes, force: bool) -> Written:
        path = self.folder / name
        new_hash = sha256(data)
        if path.exists():
            old = path.read_bytes()
            old_hash = sha256(old)
            if old_hash == new_hash:
                self._record(name, data)
                return Written(path, Status.UNVERAENDERT)
            if self.records.get(name) != old_hash:
                if not force:
                    return Written(path, Status.BEARBEITET)
                backup = path.with_name(f"{path.stem}.bearbeitet-{old_hash[:8]}{path.suffix}")
                atomic_write(backup, old)
                atomic_write(path, data)
                self._record(name, data)
                return Written(path, Status.GESICHERT, backup)
            atomic_write(path, data)
            self._record(name, data)
            return Written(path, Status.AKTUALISIERT)
        atomic_write(path, data)
        self._record(name, data)
        return Written(path, Status.NEU)

    def _record(self, name: str, data: bytes) -> None:
        digest = sha256(data)
        if self.records.get(name) != digest:
            self.records[name] = digest
            self._changed[name] = digest

    def save(self) -> None:
        """Merge what this run wrote into the manifest on disk, under the folder's lock.

        Read, modify, write: a second run writing into the same folder at the same time keeps its
        records too.
        """
        if not self._changed:
            return
        try:
            with folder_lock(self.folder):
                records = self._read_manifest()
                records.update(self._changed)
                data = {"version": 1, "dateien": {k: {"sha256": v} for k, v in sorted(records.items())}}
                encoded = (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
                atomic_write(self.manifest_path, encoded)
        except OSError as exc:
            # A manifest that lags behind the drafts would call them edited; without one, anfrage
            # tells an unchanged draft by its base. So an unwritable manifest is removed if it can be.
            with contextlib.suppress(OSError):
                self.manifest_path.unlink()
            raise FileError(self.manifest_path, exc) from None
        self.records = records
        self._changed = {}


def _check_name(name: str) -> None:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise UserError(f"Ungültiger Dateiname „{name}“.")
