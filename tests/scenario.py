"""Bad-input scenarios: build a workspace from ``tests/fixtures/scenarios/<name>/`` and run the CLI.

A scenario folder holds ``expected.yaml`` and optionally ``files/`` (copied over the workspace, for
bytes that YAML cannot carry). ``expected.yaml``::

    description: what a clerk did wrong
    base: shipped            # shipped: a copy of data/ and templates/; empty: nothing
    edits:                   # applied in order; a replace must match exactly once
      - {file: data/regions.yaml, replace: "old", with: "new"}   # encoding: of "new" only
      - {file: data/x.yaml, write: "text", encoding: latin-1}   # encoding optional (utf-8)
      - {file: data/x.yaml, append: "text"}
      - {file: data/x.yaml, cut: ["from", "to"]}                # remove from "from" up to "to"
      - {file: data/x.yaml, delete: true}                       # a file or a folder
      - {file: data/x.yaml, pad_to: 2100000}                    # comment lines up to this size
      - {file: data/x.yaml, repeat: "[", times: 5000, then: "]"} # generated text
      - {file: entwuerfe/a.md, copy: tests/golden/a.md}          # a file of the repository
    runs:
      - args: [check]        # --workspace WS is added; render/batch also get --out OUT;
                             # "{ws}" in an argument is the workspace folder
        exit_code: 1
        messages: ["fragment", …]   # each must occur in the output
        absent: ["fragment", …]     # none may occur
        file: data/regions.yaml     # optional: "file:line" (or just the file) must occur
        line: 27

Also usable by hand: ``python tests/scenario.py NAME TARGET`` builds the workspace in TARGET.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = Path(__file__).resolve().parent / "fixtures" / "scenarios"


def load_expected(folder: Path) -> dict[str, Any]:
    return yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))


def build_workspace(folder: Path, target: Path) -> dict[str, Any]:
    """Create the scenario's workspace in ``target`` and return its expectations."""
    spec = load_expected(folder)
    target.mkdir(parents=True, exist_ok=True)
    if spec.get("base", "shipped") == "shipped":
        shutil.copytree(ROOT / "data", target / "data")
        shutil.copytree(ROOT / "templates", target / "templates")
    overlay = folder / "files"
    if overlay.is_dir():
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    for edit in spec.get("edits", []):
        _apply(edit, target)
    return spec


def _apply(edit: dict[str, Any], root: Path) -> None:
    path = root / edit["file"]
    encoding = edit.get("encoding", "utf-8")
    if edit.get("delete"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if "copy" in edit:
        shutil.copyfile(ROOT / edit["copy"], path)
    elif "write" in edit:
        path.write_bytes(edit["write"].encode(encoding))
    elif "replace" in edit:
        text = path.read_text(encoding="utf-8")
        count = text.count(edit["replace"])
        if count != 1:
            raise AssertionError(f"{edit['file']}: text to replace found {count} times: {edit['replace']!r}")
        before, after = text.split(edit["replace"])
        # ``encoding`` applies to the new text only: a clerk pasted it from elsewhere
        path.write_bytes(before.encode("utf-8") + edit["with"].encode(encoding) + after.encode("utf-8"))
    elif "cut" in edit:
        text = path.read_text(encoding="utf-8")
        start, end = text.index(edit["cut"][0]), text.index(edit["cut"][1])
        path.write_bytes((text[:start] + text[end:]).encode(encoding))
    elif "append" in edit:
        with path.open("ab") as handle:
            handle.write(edit["append"].encode(encoding))
    elif "pad_to" in edit:
        line = b"# " + b"x" * 97 + b"\n"
        with path.open("ab") as handle:
            handle.write(line * (int(edit["pad_to"]) // len(line) + 1))
    elif "repeat" in edit:
        text = edit.get("before", "") + edit["repeat"] * int(edit["times"]) + edit.get("then", "")
        path.write_bytes(text.encode(encoding))
    else:
        raise AssertionError(f"unknown edit {edit}")


def scenario_names() -> list[str]:
    return sorted(p.name for p in SCENARIOS.iterdir() if (p / "expected.yaml").is_file())


if __name__ == "__main__":  # pragma: no cover - a helper for trying scenarios by hand
    build_workspace(SCENARIOS / sys.argv[1], Path(sys.argv[2]))
    print(sys.argv[2])
