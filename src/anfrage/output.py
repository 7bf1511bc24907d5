"""Writing drafts safely: atomic files, a manifest of what was written, no lost hand edits.

Every output folder holds ``.anfrage-manifest.json`` with the sha256 of each file as anfrage wrote
it. A file whose bytes differ from that record was edited by someone and is never overwritten
silently: it is skipped (“bearbeitet – übersprungen”), or with ``force`` first kept as a backup.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from anfrage.errors import UserError

MANIFEST = ".anfrage-manifest.json"


class Status(StrEnum):
    NEU = "neu"
    AKTUALISIERT = "aktualisiert"
    UNVERAENDERT = "unverändert"
    BEARBEITET = "bearbeitet – übersprungen"
    GESICHERT = "bearbeitet – gesichert und ersetzt"


@dataclass
class Written:
    path: Path
    status: Status
    backup: Path | None = None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename, so no half-written file remains."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class OutputFolder:
    """An output folder with its manifest. Call :meth:`save` once after all writes."""

    def __init__(self, folder: Path):
        self.folder = folder
        if folder.exists() and not folder.is_dir():
            raise UserError(f"Ausgabeordner „{folder}“ ist eine Datei, kein Ordner.")
        self.manifest_path = folder / MANIFEST
        self.records: dict[str, str] = {}
        if self.manifest_path.exists():
            try:
                data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
                self.records = {str(k): str(v["sha256"]) for k, v in data.get("dateien", {}).items()}
            except (ValueError, KeyError, TypeError, AttributeError):
                raise UserError(
                    f"Das Verzeichnis der geschriebenen Entwürfe ({self.manifest_path}) ist beschädigt. "
                    "Bitte löschen; danach gelten alle vorhandenen Entwürfe als bearbeitet."
                ) from None
        self._dirty = False

    def write(self, name: str, data: bytes, force: bool = False) -> Written:
        """Write ``name`` unless a clerk edited it since anfrage wrote it."""
        if "/" in name or "\\" in name or name.startswith("."):
            raise UserError(f"Ungültiger Dateiname „{name}“.")
        path = self.folder / name
        new_hash = sha256(data)
        if path.exists():
            old = path.read_bytes()
            old_hash = sha256(old)
            if old_hash == new_hash:
                if self.records.get(name) != new_hash:
                    self.records[name] = new_hash
                    self._dirty = True
                return Written(path, Status.UNVERAENDERT)
            if self.records.get(name) != old_hash:
                if not force:
                    return Written(path, Status.BEARBEITET)
                backup = path.with_name(f"{path.stem}.bearbeitet-{old_hash[:8]}{path.suffix}")
                atomic_write(backup, old)
                atomic_write(path, data)
                self.records[name] = new_hash
                self._dirty = True
                return Written(path, Status.GESICHERT, backup)
            atomic_write(path, data)
            self.records[name] = new_hash
            self._dirty = True
            return Written(path, Status.AKTUALISIERT)
        atomic_write(path, data)
        self.records[name] = new_hash
        self._dirty = True
        return Written(path, Status.NEU)

    def save(self) -> None:
        if not self._dirty:
            return
        data = {"version": 1, "dateien": {k: {"sha256": v} for k, v in sorted(self.records.items())}}
        atomic_write(self.manifest_path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        self._dirty = False
