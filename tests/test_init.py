"""``anfrage init``: a workspace from the shipped example; nothing existing is ever replaced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anfrage.cli.app import app
from anfrage.cli.init import GITATTRIBUTES, README
from conftest import ROOT

SERIES = "digitalisierung-2018"


def example_files() -> list[str]:
    """The files init copies, as relative POSIX paths: the repository's data/ and templates/."""
    files = [p for name in ("data", "templates") for p in (ROOT / name).rglob("*") if p.is_file()]
    return sorted(p.relative_to(ROOT).as_posix() for p in files if "__pycache__" not in p.parts)


def run(runner: CliRunner, *args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def test_init_creates_a_workspace_that_renders(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    result = run(runner, "init", str(ws))
    assert result.exit_code == 0, result.output
    expected = [*example_files(), ".gitattributes", "README.md"]
    created = sorted(p.relative_to(ws).as_posix() for p in ws.rglob("*") if p.is_file())
    assert created == sorted(expected)
    for name in example_files():
        assert (ws / name).read_bytes() == (ROOT / name).read_bytes(), name
    assert f"{len(expected)} Dateien neu angelegt." in result.output
    assert "übersprungen" not in result.output

    out = ws / "entwuerfe"
    args = ["render", SERIES, "-r", "bochum", "-f", "beide", "-o", str(out), "-w", str(ws)]
    rendered = run(runner, *args)
    assert rendered.exit_code == 0, rendered.output
    assert (out / f"{SERIES}-bochum.md").is_file() and (out / f"{SERIES}-bochum.docx").is_file()
    checked = run(runner, "check", "-w", str(ws))
    assert checked.exit_code == 0, checked.output
    assert "Keine Probleme gefunden." in checked.output


def test_second_init_replaces_nothing_and_names_every_skipped_file(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run(runner, "init", str(ws)).exit_code == 0
    (ws / "README.md").write_text("Unsere eigene Beschreibung.\n", encoding="utf-8")
    regions = ws / "data" / "regions.yaml"
    regions.write_text(regions.read_text(encoding="utf-8") + "# von Hand ergänzt\n", encoding="utf-8")
    edited = regions.read_bytes()
    (ws / "templates" / "drucksache.md.j2").unlink()  # restored by the second init

    result = run(runner, "init", str(ws))
    assert result.exit_code == 0, result.output
    assert (ws / "README.md").read_text(encoding="utf-8") == "Unsere eigene Beschreibung.\n"
    assert regions.read_bytes() == edited
    template = Path("templates", "drucksache.md.j2")
    assert (ws / template).read_bytes() == (ROOT / template).read_bytes()
    total = len(example_files()) + 2
    skipped = [line for line in result.output.splitlines() if "übersprungen, nicht überschrieben" in line]
    assert len(skipped) == total - 1  # every file but the deleted one, each named
    assert f"{ws / 'README.md'}: gibt es schon – übersprungen, nicht überschrieben" in skipped
    assert f"{ws / 'data' / 'regions.yaml'}: gibt es schon – übersprungen, nicht überschrieben" in skipped
    assert f"1 Datei neu angelegt, {total - 1} übersprungen." in result.output


def test_paths_are_shown_as_typed(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(runner, "init").exit_code == 0
    again = run(runner, "init")
    assert again.exit_code == 0
    assert f"{Path('data', 'regions.yaml')}: gibt es schon" in again.output
    assert "im aktuellen Ordner" in again.output
    assert str(tmp_path) not in again.output
    sub = run(runner, "init", "neu")
    assert "cd neu" in sub.output and "„neu“" in sub.output


def test_a_file_in_the_way_stops_before_anything_is_written(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "templates").write_text("keine Vorlage\n", encoding="utf-8")
    result = run(runner, "init", str(ws))
    assert result.exit_code == 2
    assert f"„{ws / 'templates'}“ ist eine Datei" in result.output
    assert sorted(p.name for p in ws.iterdir()) == ["templates"]


def test_gitattributes_and_readme_of_the_workspace() -> None:
    lines = GITATTRIBUTES.splitlines()
    for rule in ("*.md text eol=lf", "*.yaml text eol=lf", "*.docx diff=anfrage"):
        assert rule in lines
    for needed in (
        "entwuerfe/.anfrage/",
        "entwuerfe/.anfrage-manifest.json",
        'git config diff.anfrage.textconv "anfrage text"',
        "Git für Windows",
        "anfrage batch digitalisierung-2018 --regionen alle --format beide --out entwuerfe",
        "anfrage check",
    ):
        assert needed in README, needed
    prose = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", README, flags=re.S))
    assert '"' not in prose and "„" in prose  # German quotation marks outside code
