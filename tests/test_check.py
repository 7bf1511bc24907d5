"""``anfrage check``: the library (anfrage.check) and the command.

Bad-input scenarios live in tests/fixtures/scenarios (test_hostile.py); here: the shipped workspace,
the summary, targets, drafts, sorting, --strict and the helpers.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anfrage.check import add_months, check_workspace
from anfrage.cli.app import app
from anfrage.draft import unanswered_questions
from anfrage.errors import UserError
from conftest import GOLDEN, ROOT, UNUSED, besides_unused

DIGITAL = "data/anfragen/digitalisierung-2018.yaml"


@pytest.fixture(scope="module")
def shipped():
    return check_workspace(ROOT)


def test_the_shipped_workspace_has_no_problems(shipped) -> None:
    """No problem; a note names the Textbausteine of the 2021 strategy that no template uses yet."""
    assert shipped.problems == []
    [unused] = shipped.hints
    assert unused.startswith("data/programmes.yaml:")
    assert "13 von 30 Textbausteinen kommen in keiner Vorlage vor: exzellenz-start-up-center," in unused
    assert "breitbandfoerderung" not in unused
    assert [(s.serie, s.drafts, s.failed) for s in shipped.series] == [
        ("digitalisierung-2018", 53, 0),
        ("ruhrkonferenz-2020", 15, 0),
    ]
    assert all(s.placeholders > 0 for s in shipped.series)


def test_placeholders_per_series_are_the_sum_over_its_drafts(catalogue, shipped) -> None:
    from anfrage.load.series import open_bundle
    from anfrage.pipeline import make_draft
    from anfrage.render import Renderer

    renderer = Renderer(catalogue)
    bundle = open_bundle(catalogue, ROOT / "data/anfragen/ruhrkonferenz-2020.yaml")
    total = sum(
        make_draft(renderer, bundle, r).placeholders
        for r in catalogue.regionen.values()
        if r.id in catalogue.gruppen["ruhrgebiet"].mitglieder
    )
    assert shipped.series[1].placeholders == total


def test_cli_on_the_shipped_workspace(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", "--workspace", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert "Serie „digitalisierung-2018“: 53 Entwürfe probeweise erstellt (nicht gespeichert)," in result.stdout
    assert "Serie „ruhrkonferenz-2020“: 15 Entwürfe probeweise erstellt (nicht gespeichert)," in result.stdout
    assert result.stdout.rstrip().endswith("Keine Probleme gefunden.")
    assert "Hinweis: data/programmes.yaml:" in result.stdout and UNUSED in result.stdout
    strict = runner.invoke(app, ["check", "--strict", "--workspace", str(ROOT)])
    assert strict.exit_code == 0, strict.output  # a note is no warning


def test_findings_go_to_stdout_sorted_by_file_and_line(runner: CliRunner, workspace: Path) -> None:
    """The report is the output of check (``anfrage check > bericht.txt``); references to the
    invalid region („duisburg“ in gruppen) are not reported a second time."""
    regions = workspace / "data/regions.yaml"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace("  - id: duisburg\n", "  - id: Duisburg\n"), encoding="utf-8"
    )
    quellen = workspace / "data/quellen.yaml"
    quellen.write_text(
        quellen.read_text(encoding="utf-8").replace("    datum: 2018-11-28\n", "    datum: 2018-02-30\n", 1),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "--workspace", str(workspace)])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(("data/", "templates/"))]
    lines = [line for line in lines if UNUSED not in line]
    assert lines == [
        "data/quellen.yaml:8 quellen[0].datum: kein gültiges Datum „2018-02-30“ (Form JJJJ-MM-TT, z. B. 2018-11-28).",
        "data/regions.yaml:34 regionen[1].id: keine gültige Kennung (nur Kleinbuchstaben a–z, Ziffern und "
        "Bindestriche).",
    ]
    assert "2 Fehler, 0 Warnungen gefunden." in result.stdout


def test_problems_are_sorted_and_unique(workspace: Path) -> None:
    for name, variable in [("ruhrkonferenz-2020", "zwei"), ("digitalisierung-2018", "eins")]:
        template = workspace / f"templates/{name}.md.j2"
        text = template.read_text(encoding="utf-8").replace(
            "{% endblock %}", f"{{{{ {variable} }}}}\n{{% endblock %}}", 1
        )
        template.write_text(text, encoding="utf-8")
    result = check_workspace(workspace)
    assert result.problems == sorted(set(result.problems))
    assert [p.file for p in besides_unused(result.problems)] == [
        "templates/digitalisierung-2018.md.j2",
        "templates/ruhrkonferenz-2020.md.j2",
    ]
    assert "„eins“ ist nicht definiert (alle 53 Entwürfe" in besides_unused(result.problems)[0].message


def test_text_outside_blocks_of_an_extending_template_is_a_warning(workspace: Path) -> None:
    """Jinja drops it silently; a clerk adding a closing sentence at the end would never see it."""
    template = workspace / "templates/digitalisierung-2018.md.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text + "\nMit freundlichen Grüßen\n", encoding="utf-8")
    problems = besides_unused(check_workspace(workspace).problems)
    assert [(p.file, p.line, p.severity) for p in problems] == [
        ("templates/digitalisierung-2018.md.j2", text.count("\n") + 1, "warnung")
    ]
    assert "Text außerhalb von „{% block %}“ erscheint nicht im Entwurf" in problems[0].message


def test_targets_restrict_the_series(workspace: Path) -> None:
    result = check_workspace(workspace, ["ruhrkonferenz-2020"])
    assert [s.serie for s in result.series] == ["ruhrkonferenz-2020"]
    result = check_workspace(workspace, [DIGITAL])
    assert [s.serie for s in result.series] == ["digitalisierung-2018"]


def test_an_anfrage_as_target_checks_its_whole_series(workspace: Path) -> None:
    result = check_workspace(workspace, ["data/anfragen/digitalisierung-2018/ka-1640-bochum.yaml"])
    assert [(s.serie, s.drafts) for s in result.series] == [("digitalisierung-2018", 53)]


def test_unusable_arguments_raise(workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="nicht gefunden"):
        check_workspace(workspace, ["gibtsnicht"])
    with pytest.raises(UserError, match="Ordner der Entwürfe"):
        check_workspace(workspace, entwuerfe=tmp_path / "fehlt")
    with pytest.raises(UserError, match="Kein Arbeitsbereich"):
        check_workspace(tmp_path)


def test_drafts_written_by_render_pass_with_their_placeholders(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    out = tmp_path / "entwuerfe"
    for series, region in [
        (DIGITAL, "bochum"),
        (DIGITAL, "kreis-hoexter"),
        ("data/anfragen/ruhrkonferenz-2020.yaml", "dortmund"),
    ]:
        result = runner.invoke(app, ["render", series, "-r", region, "--out", str(out), "--workspace", str(workspace)])
        assert result.exit_code == 0, result.output
    # before the answer to KA 1640 is due at the Staatskanzlei (from then on its placeholders warn)
    result = check_workspace(workspace, entwuerfe=out, heute=dt.date(2018, 11, 10))
    assert result.problems == []
    counts = {Path(d.file).name: d.placeholders for d in result.drafts}
    assert counts["digitalisierung-2018-bochum.md"] == 4
    assert counts == {
        name: (GOLDEN / name).read_text(encoding="utf-8").count("[[") if (GOLDEN / name).exists() else counts[name]
        for name in counts
    }
    assert {(d.serie, d.region) for d in result.drafts} == {
        ("digitalisierung-2018", "bochum"),
        ("digitalisierung-2018", "kreis-hoexter"),
        ("ruhrkonferenz-2020", "dortmund"),
    }


def test_backups_of_edited_drafts_are_not_checked(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "entwuerfe"
    out.mkdir()
    shutil.copy(GOLDEN / "digitalisierung-2018-bochum.md", out / "digitalisierung-2018-bochum.md")
    shutil.copy(GOLDEN / "digitalisierung-2018-bochum.md", out / "digitalisierung-2018-bochum.bearbeitet-1234abcd.md")
    result = check_workspace(workspace, entwuerfe=out)
    assert [Path(d.file).name for d in result.drafts] == ["digitalisierung-2018-bochum.md"]


def test_a_draft_whose_question_differs_is_an_error_with_its_line(workspace: Path, tmp_path: Path) -> None:
    draft = tmp_path / "digitalisierung-2018-bochum.md"
    text = (GOLDEN / draft.name).read_text(encoding="utf-8")
    draft.write_text(text.replace("seit 2015 der Ausbau", "seit 2016 der Ausbau"), encoding="utf-8")
    result = check_workspace(workspace, [draft])
    assert len(result.errors()) == 1
    problem = result.errors()[0]
    assert (problem.line, problem.key) == (58, "frage 1")
    assert "„2015“ ersetzt durch „2016“" in problem.message


def test_strict_turns_warnings_into_errors(runner: CliRunner, workspace: Path) -> None:
    programmes = workspace / "data/programmes.yaml"
    text = programmes.read_text(encoding="utf-8")
    programmes.write_text(
        text.replace(
            '      - "https://www.ptj.de/innovationsgutschein"\n',
            '      - "https://www.ptj.de/innovationsgutschein"\n    gueltig_bis: 2018-12-31\n',
        ),
        encoding="utf-8",
    )
    result = check_workspace(workspace)
    assert [p.severity for p in besides_unused(result.problems)] == ["warnung"]
    assert result.errors() == [] and result.errors(strict=True) == result.problems
    assert runner.invoke(app, ["check", "-w", str(workspace)]).exit_code == 0
    strict = runner.invoke(app, ["check", "--strict", "-w", str(workspace)])
    assert strict.exit_code == 1
    assert (
        "Warnung: Programm „Mittelstand.innovativ! – Förderlinie Digitalisierungsgutschein“ läuft am "
        "31. Dezember 2018 aus" in strict.stdout
    )


def test_a_programme_not_used_by_a_series_gives_no_warning(workspace: Path) -> None:
    programmes = workspace / "data/programmes.yaml"
    text = programmes.read_text(encoding="utf-8")
    marker = "  - id: future-ecom\n"
    programmes.write_text(text.replace(marker, marker + "    gueltig_bis: 2010-01-01\n"), encoding="utf-8")
    assert besides_unused(check_workspace(workspace).problems) == []


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2018, 11, 28), 3, dt.date(2019, 2, 28)),
        (dt.date(2018, 11, 30), 3, dt.date(2019, 2, 28)),
        (dt.date(2019, 11, 30), 3, dt.date(2020, 2, 29)),
        (dt.date(2018, 1, 31), 1, dt.date(2018, 2, 28)),
        (dt.date(2018, 10, 15), 3, dt.date(2019, 1, 15)),
    ],
)
def test_add_months(start: dt.date, months: int, end: dt.date) -> None:
    assert add_months(start, months) == end


def test_unanswered_questions() -> None:
    draft = (
        "---\nserie: x\n---\n\n1. **Eins?**\n\nAntwort.\n\n2. **Zwei?**\n\n3. **Drei?**\n\n## Weiter\n\n4. **Vier?**\n"
    )
    assert unanswered_questions(draft) == [(9, [2, 3]), (15, [4])]
    assert unanswered_questions("1. **Eins?**\n2. **Zwei?**\n\nAntwort.\n") == []


def test_check_has_help(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    for option in ("--strict", "--entwuerfe", "--workspace", "SERIE_ODER_ENTWURF"):
        assert option in result.output


def test_a_programme_no_template_uses_is_one_note_naming_it(workspace: Path) -> None:
    template = workspace / "templates/digitalisierung-2018.md.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace('{{ bausteine("startercenter-nrw") }}', "Keine Angaben."), encoding="utf-8")
    result = check_workspace(workspace)
    [unused] = result.hints
    assert "14 von 30 Textbausteinen kommen in keiner Vorlage vor: startercenter-nrw," in unused
    assert unused.startswith("data/programmes.yaml:") and result.problems == []
    # a suggestion left as a comment is no use; a topic call uses every programme of the topic
    template.write_text(text + '{#{ bausteine("ki-nrw") }#}\n', encoding="utf-8")
    assert "ki-nrw" in check_workspace(workspace).hints[0]
    (workspace / "templates/bausteine/alle.md.j2").write_text(
        '{{ bausteine(thema="gruendung") }}{{ bausteine(thema="mittelstand") }}{{ bausteine(thema="handwerk") }}'
        '{{ bausteine(thema="forschung") }}',
        encoding="utf-8",
    )
    assert check_workspace(workspace).hints == []


def test_an_unlisted_anfrage_warning_says_how_to_register_it(workspace: Path) -> None:
    source = workspace / "data/anfragen/digitalisierung-2018/ka-1640-bochum.yaml"
    series = workspace / "data/anfragen/digitalisierung-2018.yaml"
    text = series.read_text(encoding="utf-8")
    series.write_text(text.replace("anfragen:\n  - digitalisierung-2018/ka-1640-bochum.yaml\n", "anfragen: []\n"))
    [problem] = besides_unused(check_workspace(workspace).problems)
    assert problem.file == "data/anfragen/digitalisierung-2018/ka-1640-bochum.yaml" and problem.severity == "warnung"
    assert "„- digitalisierung-2018/ka-1640-bochum.yaml“ unter „anfragen:“ ergänzen" in problem.message
    assert source.exists()
