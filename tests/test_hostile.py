"""Hostile and broken input, one fixture folder per scenario (tests/fixtures/scenarios/<name>/).

Every scenario runs the CLI as a clerk would (``--workspace``) and asserts the exit code, the German
messages exactly as printed (whole lines, with file and line where there is one; rules in
``scenario.py``), that no Python traceback reaches the clerk and that nothing was written: no file
or folder appears or changes anywhere below the test's folder (workspace, output folders, current
folder).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anfrage.cli.app import app
from scenario import SCENARIOS, build_workspace, compare_output, has_location, scenario_names

OUTPUT_COMMANDS = ("render", "batch")


def _commands() -> set[str]:
    names = set()
    for info in app.registered_commands:
        names.add(info.name or (info.callback.__name__ if info.callback else ""))
    return names


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the hash of its bytes, and every folder."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<folder>"
        for p in sorted(folder.rglob("*"))
    }


def test_there_are_scenarios() -> None:
    assert len(scenario_names()) >= 60


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
    known_bugs: list[str] = []
    for i, run in enumerate(spec["runs"]):
        args = [str(a).replace("{ws}", str(ws)) for a in run["args"]]
        assert args[0] in commands, f"run {i}: command {args[0]!r} is not registered (known: {sorted(commands)})"
        out = tmp_path / f"out{i}"
        if args[0] in OUTPUT_COMMANDS and "--out" not in args:
            args += ["--out", str(out)]
        if run.get("workspace", True):
            args += ["--workspace", str(ws)]
        result = runner.invoke(app, args)
        text = result.output
        shown = f"\n$ anfrage {' '.join(args)}\n{text}"
        assert result.exception is None or isinstance(result.exception, SystemExit), shown
        assert "Traceback" not in text and "Interner Fehler" not in text, shown
        wrong = compare_output(text, run, str(ws))
        if result.exit_code != run["exit_code"]:
            wrong.insert(0, f"exit code {result.exit_code}, expected {run['exit_code']}")
        if run.get("known_bug"):
            assert wrong, f"run {i} passes although marked known_bug ({run['known_bug']}): remove the mark{shown}"
            known_bugs.append(f"run {i}: {run['known_bug']}")
            continue
        assert not wrong, "\n".join(wrong) + shown
    assert _snapshot(tmp_path) == before, "a file or folder was written or changed"
    if known_bugs:
        pytest.xfail("; ".join(known_bugs))


@pytest.mark.parametrize(
    ("message", "file", "line", "located"),
    [
        ("data/regions.yaml:27 regionen[0].id: doppelt.", "data/regions.yaml", 27, True),
        ("data/regions.yaml:27: Datei kaputt.", "data/regions.yaml", 27, True),
        ("Fehler: data/regions.yaml:27: Datei kaputt.", "data/regions.yaml", 27, True),
        ("data/regions.yaml:270 regionen[0].id: doppelt.", "data/regions.yaml", 27, False),
        ("data/regions.yaml:2 regionen[0].id: doppelt.", "data/regions.yaml", 27, False),
        ("data/regions.yaml: Datei fehlt.", "data/regions.yaml", None, True),
        ("data/regions.yaml:27: Datei kaputt.", "data/regions.yaml", None, False),
        ("data/regions.yaml.bak: Datei fehlt.", "data/regions.yaml", None, False),
        ("templates/a.md.j2: Frage fehlt.", "templates/", None, False),
    ],
)
def test_location_rule_is_exact(message: str, file: str, line: int | None, located: bool) -> None:
    assert has_location(message, file, line) is located


def test_output_rule_demands_whole_lines_in_order_and_every_located_line() -> None:
    output = (
        "data/a.yaml:3 x: eins.\n"
        "data/b.yaml: zwei.\n"
        "Serie „s“: 3 Entwürfe probeweise erstellt (nicht gespeichert), 7 offene Platzhalter.\n"
        "2 Fehler, 0 Warnungen gefunden.\n"
    )
    complete = {"messages": ["data/a.yaml:3 x: eins.", "data/b.yaml: zwei.", "2 Fehler, 0 Warnungen gefunden."]}
    assert compare_output(output, complete, "/ws") == []
    assert compare_output(output, {"messages": ["data/a.yaml:3 x: eins", "data/b.yaml: zwei."]}, "/ws") == [
        "not printed as a whole line: 'data/a.yaml:3 x: eins'",
        "printed but not expected: 'data/a.yaml:3 x: eins.'",
    ]
    assert compare_output(output, {"messages": ["data/b.yaml: zwei.", "data/a.yaml:3 x: eins."]}, "/ws") == [
        "printed, but not in the listed order: 'data/a.yaml:3 x: eins.'"
    ]
    assert compare_output(output, {**complete, "absent": ["zwei"]}, "/ws") == ["unexpected fragment printed: 'zwei'"]
    assert compare_output(output, {**complete, "file": "data/a.yaml", "line": 4}, "/ws") == [
        "no expected message is located at data/a.yaml:4"
    ]
