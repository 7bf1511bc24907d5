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
      - args: [check]        # a registered command; --workspace WS is added; render/batch also
                             # get --out OUT; "{ws}" in an argument or message is the workspace
        exit_code: 1
        messages:            # required, at least one; see "Messages" below
          - "data/regions.yaml:27 regionen[0].id: Kennung „x“ doppelt (zuerst in Zeile 3)."
          - "1 Fehler, 0 Warnungen gefunden."
        absent: ["fragment", …]     # optional: none may occur anywhere in the output
        file: data/regions.yaml     # optional: the location of the problem, see below
        line: 27                    # optional, only with file
        known_bug: "…"              # optional: the run shows a reported bug; it must fail (xfail)

Messages are compared exactly, line by line, as the clerk sees them (stdout and stderr together,
surrounding whitespace stripped, including a "Fehler: " prefix):

* each expected message equals one whole printed line, and they are printed in the listed order;
* every printed line that names a location (a path with "/" followed by ":" or ":LINE", e.g.
  "data/regions.yaml:27 …" or "Fehler: templates/x.md.j2: …") must be listed: no unexpected
  follow-up problem goes unnoticed. Summary lines ("Serie „…“: …", "N Fehler, …") need not be;
* ``file``/``line``: one listed message carries exactly this location (after an optional
  "Fehler: "): "FILE:LINE " or "FILE:LINE:" with ``line``, "FILE:" without ``line``, so line 2
  never matches line 27 and a located problem never matches a file-only expectation.

Also usable by hand: ``python tests/scenario.py NAME TARGET`` builds the workspace in TARGET.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = Path(__file__).resolve().parent / "fixtures" / "scenarios"


SCENARIO_KEYS = {"description", "base", "edits", "runs"}
RUN_KEYS = {"args", "exit_code", "messages", "absent", "file", "line", "workspace", "known_bug"}

# A printed line that names a location: optional "Fehler: ", a path with a "/", then ":" or ":LINE".
LOCATED = re.compile(r"^(?:Fehler: )?[^\s:„“]*/[^\s:„“]*:")


def load_expected(folder: Path) -> dict[str, Any]:
    """The scenario's expectations, with a schema check: a misspelt key must not switch a check off."""
    spec = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    where = f"{folder.name}/expected.yaml"
    assert isinstance(spec, dict) and set(spec) <= SCENARIO_KEYS, f"{where}: keys {sorted(spec)}"
    assert spec.get("description") and spec.get("runs"), f"{where}: description and runs are required"
    for i, run in enumerate(spec["runs"]):
        assert set(run) <= RUN_KEYS, f"{where}: run {i}: unknown keys {sorted(set(run) - RUN_KEYS)}"
        assert run.get("args") and isinstance(run.get("exit_code"), int), f"{where}: run {i}: args, exit_code"
        messages = run.get("messages")
        assert messages and all(isinstance(m, str) for m in messages), f"{where}: run {i}: messages required"
        assert all(m == m.strip() and "\n" not in m for m in messages), f"{where}: run {i}: one line per message"
        assert "line" not in run or "file" in run, f"{where}: run {i}: line without file"
    return spec


def has_location(message: str, file: str, line: int | None) -> bool:
    """Whether ``message`` (a printed line) is located at exactly ``file`` (and ``line``)."""
    body = message.removeprefix("Fehler: ")
    if line:
        where = f"{file}:{line}"
        return body.startswith(where) and body[len(where) : len(where) + 1] in (" ", ":")
    return body.startswith(f"{file}: ")


def compare_output(output: str, run: dict[str, Any], ws: str) -> list[str]:
    """What is wrong with a run's output under the rules above (empty: nothing)."""
    printed = [line.strip() for line in output.splitlines()]
    expected = [m.replace("{ws}", ws) for m in run["messages"]]
    wrong: list[str] = []
    position = 0
    for message in expected:
        try:
            position = printed.index(message, position) + 1
        except ValueError:
            where = "printed, but not in the listed order" if message in printed else "not printed as a whole line"
            wrong.append(f"{where}: {message!r}")
    for line in printed:
        if LOCATED.match(line) and line not in expected:
            wrong.append(f"printed but not expected: {line!r}")
    for fragment in run.get("absent", []):
        if fragment in output:
            wrong.append(f"unexpected fragment printed: {fragment!r}")
    if "file" in run and not any(has_location(m, run["file"], run.get("line")) for m in expected):
        wrong.append(f"no expected message is located at {run['file']}:{run.get('line', '')}")
    return wrong


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
    elif "pad_to" in edit:  # comment lines up to exactly this many bytes (a stable size in messages)
        missing = int(edit["pad_to"]) - path.stat().st_size
        line = b"# " + b"x" * 97 + b"\n"
        rest = missing % len(line)
        tail = b"#" + b"x" * (rest - 2) + b"\n" if rest > 1 else b"\n" * rest
        with path.open("ab") as handle:
            handle.write(line * (missing // len(line)) + tail)
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
