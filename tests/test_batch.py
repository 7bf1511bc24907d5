"""``anfrage batch``: whole series, isolated failures, hand edits, the review report."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anfrage.cli.app import app
from conftest import ROOT

SERIE = "digitalisierung-2018"
RUHR = "ruhrkonferenz-2020"
MANIFEST = ".anfrage-manifest.json"


def batch(runner: CliRunner, workspace: Path, out: Path, *args: str, serie: str = SERIE):
    result = runner.invoke(app, ["batch", serie, "-w", str(workspace), "-o", str(out), *args])
    assert "Traceback" not in result.output
    return result


def drafts(out: Path, suffix: str) -> list[str]:
    return sorted(
        p.name for p in out.glob(f"*{suffix}") if ".bearbeitet-" not in p.name and not p.name.endswith("-bericht.md")
    )


def snapshot(out: Path) -> dict[str, tuple[str, int]]:
    """sha256 and mtime of every file in the folder, the manifest and the bases included."""
    return {
        p.relative_to(out).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """One full run (53 regions, Markdown and Word) shared by the tests that only read it."""
    out = tmp_path_factory.mktemp("batch") / "entwuerfe"
    result = batch(CliRunner(), ROOT, out, "--regionen", "alle", "--format", "beide")
    return out, result.output, result.exit_code


def test_all_53_regions_as_markdown_and_docx(first_run) -> None:
    out, output, code = first_run
    assert code == 0, output
    assert len(drafts(out, ".md")) == 53
    assert len(drafts(out, ".docx")) == 53
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["dateien"]) == 106
    assert "53 Entwürfe: 53 neu, 0 aktualisiert, 0 unverändert" in output
    assert "Kreis Höxter" in output
    assert not list(out.glob(".*.tmp"))


def test_unchanged_rerun_writes_nothing(first_run) -> None:
    out, _, _ = first_run
    before = snapshot(out)
    result = batch(CliRunner(), ROOT, out, "--format", "beide")
    assert result.exit_code == 0, result.output
    assert snapshot(out) == before
    assert "53 unverändert" in result.output
    assert "Nichts geändert – alle Entwürfe sind aktuell." in result.output


def test_hand_edit_survives_in_both_twins_and_force_keeps_a_backup(
    first_run, tmp_path: Path, runner: CliRunner
) -> None:
    from anfrage.docx.text import docx_to_text

    out = tmp_path / "entwuerfe"
    shutil.copytree(first_run[0], out)
    draft = out / "digitalisierung-2018-hagen.md"
    edited = draft.read_text(encoding="utf-8").replace("Studien wie", "Von Hand: Studien wie")
    draft.write_text(edited, encoding="utf-8")

    result = batch(runner, ROOT, out, "--regionen", "regbez:arnsberg", "--format", "beide")
    assert result.exit_code == 0, result.output
    assert draft.read_text(encoding="utf-8") == edited
    assert "Von Hand: Studien wie" in docx_to_text(out / "digitalisierung-2018-hagen.docx")
    assert "12 Entwürfe: 0 neu, 0 aktualisiert, 11 unverändert, 1 zusammengeführt, 0 Fehler." in result.output

    result = batch(runner, ROOT, out, "--regionen", "hagen", "--force")
    assert result.exit_code == 0, result.output
    backups = list(out.glob("digitalisierung-2018-hagen.bearbeitet-*.md"))
    assert len(backups) == 1
    assert backups[0].read_text(encoding="utf-8") == edited
    assert "Von Hand" not in draft.read_text(encoding="utf-8")
    assert "gesichert und ersetzt" in result.output

    result = batch(runner, ROOT, out, "--regionen", "hagen")
    assert result.exit_code == 0, result.output
    assert "Nichts geändert" in result.output


@pytest.mark.parametrize(
    ("serie", "regionen", "count", "note"),
    [
        (SERIE, "ruhrgebiet", 15, None),
        (SERIE, "regbez:arnsberg", 12, None),
        (RUHR, "alle", 15, "38 Regionen liegen außerhalb des Geltungsbereichs der Serie (Ruhrgebiet) – übersprungen."),
    ],
)
def test_selection_counts(
    runner: CliRunner, tmp_path: Path, serie: str, regionen: str, count: int, note: str | None
) -> None:
    out = tmp_path / "out"
    result = batch(runner, ROOT, out, "--regionen", regionen, serie=serie)
    assert result.exit_code == 0, result.output
    assert len(drafts(out, ".md")) == count
    assert f"{count} Entwürfe: {count} neu" in result.output
    if note:
        assert note in result.output


def test_explicit_region_outside_the_scope_is_an_error_for_that_region(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = batch(runner, ROOT, out, "--regionen", "bochum,bonn", serie=RUHR)
    assert result.exit_code == 1
    assert drafts(out, ".md") == ["ruhrkonferenz-2020-bochum.md"]
    assert "Bonn: liegt außerhalb des Geltungsbereichs der Serie (Ruhrgebiet)" in result.output


def _break_template_for_olpe(ws: Path) -> str:
    template = ws / "templates" / "digitalisierung-2018.md.j2"
    text = template.read_text(encoding="utf-8")
    text = text.replace(
        "{{ frage(3) }}", '{% if region.id == "kreis-olpe" %}{{ gibt_es_nicht }}{% endif %}{{ frage(3) }}'
    )
    template.write_text(text, encoding="utf-8")
    return "Kreis Olpe"


def _drop_a_question_of_bochum(ws: Path) -> str:
    anfrage = ws / "data" / "anfragen" / "digitalisierung-2018" / "ka-1640-bochum.yaml"
    text = anfrage.read_text(encoding="utf-8")
    text, n = re.subn(r"\n  - nr: 5\n(    .*\n)+", "\n", text)
    assert n == 1
    anfrage.write_text(text, encoding="utf-8")
    return "Bochum"


@pytest.mark.parametrize("breakage", [_break_template_for_olpe, _drop_a_question_of_bochum])
def test_a_failing_region_does_not_stop_the_others(
    runner: CliRunner, workspace: Path, tmp_path: Path, breakage
) -> None:
    broken = breakage(workspace)
    out = tmp_path / "out"
    result = batch(runner, workspace, out, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 1, result.output
    assert len(drafts(out, ".md")) == 11
    assert f"{broken}: " in result.output
    assert "1 Entwurf nicht erstellt" in result.output
    assert "12 Entwürfe: 11 neu, 0 aktualisiert, 0 unverändert, 1 Fehler." in result.output
    assert len(json.loads((out / MANIFEST).read_text(encoding="utf-8"))["dateien"]) == 11


def test_invalid_catalogue_writes_nothing(runner: CliRunner, workspace: Path, tmp_path: Path) -> None:
    regions = workspace / "data" / "regions.yaml"
    regions.write_text(regions.read_text(encoding="utf-8").replace("id: bochum", "id: Bochum!", 1), encoding="utf-8")
    out = tmp_path / "out"
    result = batch(runner, workspace, out, "--format", "beide", "--bericht")
    assert result.exit_code == 2, result.output
    assert "nichts geschrieben" in result.output
    assert not out.exists()


def test_unknown_region_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = batch(runner, ROOT, out, "--regionen", "bochum,Bochm")
    assert result.exit_code == 2
    assert "Unbekannte Region „Bochm“" in result.output
    assert not out.exists()


def test_review_report(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = batch(runner, ROOT, out, "--regionen", "regbez:arnsberg", "--bericht")
    assert result.exit_code == 0, result.output
    report = (out / "digitalisierung-2018-bericht.md").read_text(encoding="utf-8")
    assert report.count("## Gemeinsamer Text (in allen 12 Entwürfen gleich)") == 1
    # A passage of the model answer stands once, not twelve times.
    assert report.count("> Studien wie der von der Prognos AG") == 1
    assert report.count("\n### ") == 12
    bochum = report.split("\n### Bochum\n", 1)[1].split("\n### ", 1)[0]
    assert "> In Bochum ist das Hub „ruhr:HUB GmbH“ aktiv." in bochum
    assert "Studien wie" not in bochum
    assert "| Bochum | 4 | 0 | 0 | 4 |" in report
    assert "| Dortmund | 11 | 7 | 0 | 18 |" in report
    # Deterministic: a second run leaves the report as it is.
    again = batch(runner, ROOT, out, "--regionen", "regbez:arnsberg", "--bericht")
    assert "Prüfbericht: " in again.output and "– unverändert" in again.output
    assert "Nichts geändert" in again.output


def test_parallel_jobs_write_the_same_bytes(runner: CliRunner, tmp_path: Path) -> None:
    one, two = tmp_path / "j1", tmp_path / "j2"
    assert batch(runner, ROOT, one, "-r", "ruhrgebiet", "-f", "beide", "--bericht", "--jobs", "1").exit_code == 0
    assert batch(runner, ROOT, two, "-r", "ruhrgebiet", "-f", "beide", "--bericht", "--jobs", "2").exit_code == 0
    files = sorted(p.relative_to(one).as_posix() for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two).as_posix() for p in two.rglob("*") if p.is_file())
    for name in files:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_workers_load_the_workspace_when_they_cannot_inherit_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anfrage import batch as b
    from anfrage.load.series import open_series
    from anfrage.pipeline import open_workspace

    monkeypatch.setattr(b, "_fork_context", lambda: None)  # as on Windows and macOS
    assert b.auto_jobs(53) == 1
    cat = open_workspace(ROOT)
    bundle, source = open_series(cat, SERIE)
    plan = b.plan_batch(cat, bundle, source, "bochum,dortmund,hagen")
    result = b.run_batch(cat, bundle, plan, tmp_path / "out", jobs=2)
    assert [r.status for r in result.results] == [b.Status.NEU] * 3
    assert drafts(tmp_path / "out", ".md") == [f"digitalisierung-2018-{r}.md" for r in ("bochum", "dortmund", "hagen")]


def test_few_drafts_are_rendered_without_processes() -> None:
    from anfrage.batch import AUTO_MIN_REGIONS, auto_jobs

    assert auto_jobs(1) == 1
    assert auto_jobs(AUTO_MIN_REGIONS - 1) == 1
    assert 1 <= auto_jobs(53) <= 2


def test_manifest_is_saved_when_interrupted(tmp_path: Path) -> None:
    from anfrage.batch import plan_batch, run_batch
    from anfrage.load.series import open_series
    from anfrage.pipeline import open_workspace

    cat = open_workspace(ROOT)
    bundle, source = open_series(cat, SERIE)
    plan = plan_batch(cat, bundle, source, "ruhrgebiet")

    def stop_after_three(done: int, total: int, result) -> None:
        if done == 3:
            raise KeyboardInterrupt

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_batch(cat, bundle, plan, out, progress=stop_after_three)
    # Every file written before the interruption is in the manifest (the writer finishes the one
    # in flight), so a rerun does not take them for hand edits.
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert 3 <= len(manifest["dateien"]) < 15
    assert sorted(manifest["dateien"]) == drafts(out, ".md")
    assert not list(out.glob(".*.tmp"))
