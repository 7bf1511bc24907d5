"""What ``anfrage status`` read last time, so that a year's worth of Anfragen shows in well under a second.

Reading and validating 1,411 Anfrage files and comparing the questions of 1,411 drafts takes about
two seconds; most of them have not changed since the last ``anfrage status``. The cache lives in
the output folder, ``.anfrage/cache/status.json``; the folder ignores itself in git (a
``.gitignore`` with ``*``, as pytest's cache does).

An entry is used only while every file it was read from has the same size and modification time
(in nanoseconds) – as git's index does – and while the code that computed it is the same (the
stat of the modules that decide a row). A file modified less than two seconds before the cache is
written is not cached (git's "racy" case: a second change within the timestamp's resolution could
go unnoticed). A cache that cannot be read or written is ignored; status is then only slower.

Entries:

* ``serien``: per series file, the stat of the files its rows depend on (the series, its
  template, the catalogue files the cross references use, every Anfrage file) and one record per
  Anfrage (``rows.Eintrag``);
* ``entwuerfe``: per draft, the stat of its .md, .docx and base, their sha256 in the manifest and a
  hash of the Anfrage's questions, and what was found (``drafts.DraftState``).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from anfrage.output import STATE, atomic_write

VERSION = 1
RACY_NS = 2_000_000_000
CACHE = f"{STATE}/cache"
FILE = "status.json"

Stat = list[int] | None


def stat_of(path: Path) -> Stat:
    """Size and modification time (ns) of a file; None when it does not exist."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


#: The modules whose code decides a row: a change of any of them empties the cache.
_MODULES = ("draft", "guard", "markdown", "models", "select", "load/catalogue", "load/series") + tuple(
    f"status/{name}" for name in ("clock", "drafts", "rows")
)


def _code() -> dict[str, Stat]:
    package = Path(__file__).resolve().parent.parent
    return {name: stat_of(package / f"{name}.py") for name in _MODULES}


class StatusCache:
    """The cache of one output folder for one workspace; :meth:`save` once after a run."""

    def __init__(self, folder: Path | None, root: Path):
        self.root = root
        self.path = folder / CACHE / FILE if folder is not None else None
        self.head: dict[str, Any] = {"version": VERSION, "workspace": str(root.resolve()), "code": _code()}
        self.old: dict[str, Any] = {"serien": {}, "entwuerfe": {}}
        self.new: dict[str, Any] = {"serien": {}, "entwuerfe": {}}
        self.started = time.time_ns()
        if self.path is None or not self.path.is_file():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and all(data.get(k) == v for k, v in self.head.items()):
            self.old = {k: data.get(k) if isinstance(data.get(k), dict) else {} for k in ("serien", "entwuerfe")}

    # --- entries ---------------------------------------------------------------------------

    def _valid(self, stats: dict[str, Stat]) -> bool:
        return all(stat_of(self.root / name) == stat for name, stat in stats.items())

    def series(self, name: str) -> list[dict[str, Any]] | None:
        """The cached records of series file ``name`` (relative to the workspace), if still valid."""
        entry = self.old["serien"].get(name)
        if not isinstance(entry, dict) or not self._valid(entry.get("dateien", {})):
            return None
        self.new["serien"][name] = entry
        records: list[dict[str, Any]] = entry["eintraege"]
        return records

    def put_series(self, name: str, files: list[str], records: list[dict[str, Any]]) -> None:
        stats = {f: stat_of(self.root / f) for f in files}
        if all(s is not None and s[1] < self.started - RACY_NS for s in stats.values()):
            self.new["serien"][name] = {"dateien": stats, "eintraege": records}

    def draft(self, name: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """The cached state of draft ``name`` if ``key`` (stats, manifest records, questions) is unchanged."""
        entry = self.old["entwuerfe"].get(name)
        if not isinstance(entry, dict) or entry.get("schluessel") != key:
            return None
        self.new["entwuerfe"][name] = entry
        state: dict[str, Any] = entry["zustand"]
        return state

    def put_draft(self, name: str, key: dict[str, Any], state: dict[str, Any]) -> None:
        stats = [s for s in key.get("dateien", {}).values() if s is not None]
        if all(s[1] < self.started - RACY_NS for s in stats):
            self.new["entwuerfe"][name] = {"schluessel": key, "zustand": state}

    # --- writing ----------------------------------------------------------------------------

    def save(self) -> None:
        """Write the entries of this run (stale ones are dropped); errors are ignored."""
        if self.path is None or self.new == self.old:
            return
        folder = self.path.parent
        data = {**self.head, **self.new}
        with contextlib.suppress(OSError):
            if not (folder / ".gitignore").exists():
                atomic_write(folder / ".gitignore", b"# Cache von anfrage status; nicht in git.\n*\n")
            atomic_write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
