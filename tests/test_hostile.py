"""Hostile and broken input, one fixture folder per scenario (tests/fixtures/scenarios/<name>/).

Every scenario runs the CLI as a clerk would (``--workspace``) and asserts the exit code, the German
message (file and line where there is one), that no Python traceback reaches the clerk and that
nothing was written: no output folder content, no file of the workspace changed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anfrage.cli.app import app
from scenario import SCENARIOS, build_workspace, scenario_names

OUTPUT_COMMANDS = ("render", "batch")


def _commands() -> set[str]:
    names = set()
    for info in app.registered_commands:
        names.add(info.name or (info.callback.__name__ if info.callback else ""))
    return names


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_there_are_scenarios() -> None:
    assert len(scenario_names()) >= 30


@pytest.mark.parametrize("name", scenario_names())
def test_scenario(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = tmp_path / "ws"
    spec = build_workspace(SCENARIOS / name, ws)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)  # anything written relative to the current folder would land here
    before = _snapshot(tmp_path)
    commands = _commands()
    runner = CliRunner()
    for i, run in enumerate(spec["runs"]):
        args = [str(a).replace("{ws}", str(ws)) for a in run["args"]]
        if args[0] not in commands:
            continue  # a command a colleague has not registered yet (batch)
        out = tmp_path / f"out{i}"
        if args[0] in OUTPUT_COMMANDS and "--out" not in args:
            args += ["--out", str(out)]
        if run.get("workspace", True):
            args += ["--workspace", str(ws)]
        result = runner.invoke(app, args)
        text = result.output
        shown = f"\n$ anfrage {' '.join(args)}\n{text}"
        assert result.exit_code == run["exit_code"], shown
        assert result.exception is None or isinstance(result.exception, SystemExit), shown
        assert "Traceback" not in text and "Interner Fehler" not in text, shown
        for fragment in run.get("messages", []):
            assert fragment in text, f"missing {fragment!r}{shown}"
        for fragment in run.get("absent", []):
            assert fragment not in text, f"unexpected {fragment!r}{shown}"
        if "file" in run:
            where = run["file"] + (f":{run['line']}" if run.get("line") else "")
            assert where in text, f"missing location {where!r}{shown}"
        if run["exit_code"] != 0:
            assert not out.exists() or not any(out.iterdir()), f"output written{shown}"
    assert _snapshot(tmp_path) == before, "a file was written or changed"
