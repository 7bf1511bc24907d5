"""The command line through typer's CliRunner: messages, exit codes, files written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from anfrage.cli.app import app
from conftest import ROOT

SERIES = "data/anfragen/digitalisierung-2018.yaml"


def run(runner, *args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def test_render_writes_one_markdown_draft(runner, tmp_path: Path) -> None:
    out = tmp_path / "entwuerfe"
    result = run(runner, "render", str(ROOT / SERIES), "--region", "Bochum", "--out", str(out), "-w", str(ROOT))
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert files == ["digitalisierung-2018-bochum.md"]
    assert "Bochum: 4 offene Platzhalter im Entwurf." in result.output


@pytest.mark.parametrize("query", ["kreis-hoexter", "Kreis Höxter", "KREIS HÖXTER", "05762", "Landkreis Höxter"])
def test_region_by_id_name_key_or_alias(runner, tmp_path: Path, query: str) -> None:
    result = run(runner, "render", str(ROOT / SERIES), "-r", query, "-o", str(tmp_path), "-w", str(ROOT))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "digitalisierung-2018-kreis-hoexter.md").exists()


def test_unknown_region_suggests_and_exits_2(runner, tmp_path: Path) -> None:
    result = run(runner, "render", str(ROOT / SERIES), "-r", "Bochm", "-o", str(tmp_path / "x"), "-w", str(ROOT))
    assert result.exit_code == 2
    assert "Unbekannte Region „Bochm“. Meinten Sie: Bochum (bochum)?" in result.output
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("query", ["../../etc", "bochum/../x", "a\x00b", ""])
def test_paths_as_region_are_refused(runner, tmp_path: Path, query: str) -> None:
    result = run(runner, "render", str(ROOT / SERIES), "-r", query, "-o", str(tmp_path / "x"), "-w", str(ROOT))
    assert result.exit_code == 2
    assert "Ungültige Regionsangabe" in result.output
    assert not (tmp_path / "x").exists()


def test_hand_edits_survive_render_and_force_keeps_a_backup(runner, tmp_path: Path) -> None:
    args = ["render", str(ROOT / SERIES), "-r", "bochum", "-o", str(tmp_path), "-w", str(ROOT)]
    assert run(runner, *args).exit_code == 0
    draft = tmp_path / "digitalisierung-2018-bochum.md"
    edited = draft.read_text(encoding="utf-8") + "\nVon Hand ergänzt.\n"
    draft.write_text(edited, encoding="utf-8")
    again = run(runner, *args)
    assert again.exit_code == 0, again.output
    assert "bochum.md: unverändert" in again.output  # the edit is kept; the catalogue did not change
    assert draft.read_text(encoding="utf-8") == edited
    forced = run(runner, *args, "--force")
    assert forced.exit_code == 0, forced.output
    backups = list(tmp_path.glob("digitalisierung-2018-bochum.bearbeitet-*.md"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == edited
    assert "Von Hand ergänzt." not in draft.read_text(encoding="utf-8")


def test_unchanged_rerun_rewrites_nothing(runner, tmp_path: Path) -> None:
    args = ["render", str(ROOT / SERIES), "-r", "bochum", "-o", str(tmp_path), "-w", str(ROOT)]
    run(runner, *args)
    draft = tmp_path / "digitalisierung-2018-bochum.md"
    before = draft.stat().st_mtime_ns
    result = run(runner, *args)
    assert result.exit_code == 0 and "unverändert" in result.output
    assert draft.stat().st_mtime_ns == before


def test_list_regionen_json(runner) -> None:
    result = run(runner, "list", "regionen", "--json", "-w", str(ROOT))
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) == 53
    assert {"id", "name", "art", "ags", "regierungsbezirk"} <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    assert by_id["bochum"]["ags"] == "05911000" and by_id["bochum"]["regierungsbezirk"] == "Arnsberg"
    assert by_id["kreis-hoexter"]["ags"] == "05762" and by_id["kreis-hoexter"]["regierungsbezirk"] == "Detmold"
    assert by_id["staedteregion-aachen"]["art"] == "Städteregion"
    assert sum(r["art"] == "kreisfreie Stadt" for r in rows) == 22
    assert sum(r["art"] != "kreisfreie Stadt" for r in rows) == 31
    assert sorted(r["ags"][:5] for r in rows) == [r["ags"][:5] for r in rows]


def test_list_programme_table(runner) -> None:
    result = run(runner, "list", "programme", "-w", str(ROOT))
    assert result.exit_code == 0
    assert "Förderangebote" in result.output and "dwnrw-hubs" in result.output


def test_every_command_has_german_help(runner) -> None:
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert command.help, f"{name} hat keinen Hilfetext"
        result = run(runner, name, "--help")
        assert result.exit_code == 0
        assert "Aufruf:" in result.output and "Diese Hilfe anzeigen." in result.output


def test_usage_errors_are_german_and_exit_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "anfrage", "render", SERIES, "--rgion", "bochum"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Aufruf fehlerhaft: Unbekannte Option: --rgion" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_workspace_is_a_clear_error(runner, tmp_path: Path) -> None:
    result = run(runner, "list", "regionen", "-w", str(tmp_path))
    assert result.exit_code == 2
    assert "Kein Arbeitsbereich" in result.output


def test_text_prints_a_docx_for_git_diff(runner, tmp_path: Path) -> None:
    args = ["render", str(ROOT / SERIES), "-r", "bochum", "-f", "docx", "-o", str(tmp_path), "-w", str(ROOT)]
    assert run(runner, *args).exit_code == 0
    result = run(runner, "text", str(tmp_path / "digitalisierung-2018-bochum.docx"))
    assert result.exit_code == 0
    assert "Antwort der Landesregierung" in result.output
    assert "In Bochum ist das Hub „ruhr:HUB GmbH“ aktiv." in result.output
    assert run(runner, "text", str(tmp_path / "fehlt.docx")).exit_code == 2


def test_import_writes_an_anfrage_file_and_never_overwrites_silently(runner, tmp_path: Path) -> None:
    source = ROOT / "tests" / "fixtures" / "import" / "ka-2231-hoexter.txt"
    target = tmp_path / "ka.yaml"
    first = run(runner, "import", str(source), "--serie", "digitalisierung-2018", "-o", str(target), "-w", str(ROOT))
    assert first.exit_code == 0, first.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("serie: digitalisierung-2018\n") and "nummer: 2231" in text
    again = run(runner, "import", str(source), "-o", str(target), "-w", str(ROOT))
    assert again.exit_code == 2 and "gibt es schon" in again.output
    assert target.read_text(encoding="utf-8") == text
