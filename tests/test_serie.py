"""A new series from the inbox (issue 16): ``anfrage serie neu``, ``anfrage import … --serie``, subjects
beyond Kreise, the skeleton template with its suggestions, surgical registration.

The Drucksachen in tests/fixtures/serie are made up (see make_fixtures.py there).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anfrage.check import check_workspace
from anfrage.cli.app import app
from anfrage.docx.text import docx_to_text
from anfrage.errors import UserError
from anfrage.inbox.register import append_to_list
from anfrage.inbox.skeleton import DEAKTIVIERT
from anfrage.inbox.subjects import find_subjects
from anfrage.inbox.suggest import suggest
from anfrage.load.series import open_bundle
from anfrage.pipeline import make_draft, open_workspace
from anfrage.render import Renderer
from anfrage.render.context import region_view
from anfrage.select import find_einheit
from conftest import FIXTURES, besides_unused

SERIE = FIXTURES / "serie"
PFLEGE = [SERIE / "pflege-kleve.txt", SERIE / "pflege-wesel.txt", SERIE / "pflege-borken.pdf"]
KREISE = {"kreis-kleve": ("Kleve", "18/14001", 5601), "kreis-wesel": ("Wesel", "18/14002", 5602)}
KREISE["kreis-borken"] = ("Borken", "18/14003", 5603)


def run(runner: CliRunner, *args: str):
    return runner.invoke(app, [str(a) for a in args])


def fragen(kreis: str) -> list[str]:
    """The questions of the made-up Anfragen, as the Drucksache words them."""
    return [
        f"Wie viele Ausbildungsplätze in der Pflege gab es im Kreis {kreis} in den Jahren 2022 bis 2024, und wie "
        "viele davon blieben unbesetzt? (Bitte nach Jahren getrennt angeben.)",
        "Mit welchen Programmen fördert die Landesregierung die Qualifizierung und Weiterbildung von "
        f"Pflegekräften im Kreis {kreis}?",
        f"Welche Unterstützung erhalten Pflegeschulen im Kreis {kreis} bei der Digitalisierung des Unterrichts?",
    ]


@pytest.fixture()
def pflege(runner: CliRunner, workspace: Path) -> Path:
    """A workspace with the series pflege-2025 made by ``anfrage serie neu`` from two texts and a PDF."""
    result = run(runner, "serie", "neu", "pflege-2025", *PFLEGE, "--federfuehrend", "mags", "-w", workspace)
    assert result.exit_code == 0, result.output
    return workspace


def batch(runner: CliRunner, workspace: Path, out: Path):
    result = run(runner, "batch", "pflege-2025", "--format", "beide", "--out", out, "-w", workspace)
    assert result.exit_code == 0, result.output
    return result


# --- acceptance: three commands, no YAML or Jinja by hand ----------------------------------------


def test_serie_neu_then_batch_gives_three_drafts_with_questions_and_header(
    runner: CliRunner, pflege: Path, tmp_path: Path
) -> None:
    result = check_workspace(pflege, ["pflege-2025"])
    assert besides_unused(result.problems) == []
    assert [(s.serie, s.drafts, s.failed) for s in result.series] == [("pflege-2025", 3, 0)]
    out = tmp_path / "entwuerfe"
    batch(runner, pflege, out)
    assert sorted(p.name for p in out.glob("pflege-2025-*")) == sorted(
        f"pflege-2025-{rid}.{ext}" for rid in KREISE for ext in ("md", "docx")
    )
    for rid, (kreis, drucksache, nummer) in KREISE.items():
        md = (out / f"pflege-2025-{rid}.md").read_text(encoding="utf-8")
        title = f"Wie sichert die Landesregierung die Ausbildung in der Pflege im Kreis {kreis}?"
        assert f"auf die Kleine Anfrage {nummer} vom 12. Mai 2025\\\n" in md
        assert "der Abgeordneten Anna Beispiel und Bernd Muster\\\nSPD\\\n" in md
        assert f"Drucksache {drucksache}\n\n**{title}**" in md
        assert "wahlperiode: 18\n" in md and "drucksache: '18/[[ERGÄNZEN: Nummer der Antwort-Drucksache]]'" in md
        flat = " ".join(md.split())
        for i, frage in enumerate(fragen(kreis), 1):
            assert f"{i}. **{frage}**" in flat
            assert f"[[ERGÄNZEN: Antwort auf Frage {i}]]" in md
        text = docx_to_text(out / f"pflege-2025-{rid}.docx")
        assert "der Abgeordneten Anna Beispiel und Bernd Muster" in text and f"Drucksache {drucksache}" in text
        assert title in text and fragen(kreis)[2] in text
        assert "Minister oder die Ministerin]] für Arbeit, Gesundheit und Soziales hat die Kleine Anfrage" in md


def test_a_fourth_anfrage_joins_with_import_and_gets_its_draft(runner: CliRunner, pflege: Path, tmp_path: Path) -> None:
    series = pflege / "data/anfragen/pflege-2025.yaml"
    before = series.read_text(encoding="utf-8")
    result = run(runner, "import", SERIE / "pflege-coesfeld.txt", "--serie", "pflege-2025", "-w", pflege)
    assert result.exit_code == 0, result.output
    assert "Kleine Anfrage 5604 vom 12. Mai 2025, 3 Fragen, Kreis Coesfeld" in result.output
    assert "in die Serie eingetragen" in result.output
    diff = [
        line
        for line in difflib.unified_diff(before.splitlines(), series.read_text(encoding="utf-8").splitlines(), n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert diff == ["+  - kreis-coesfeld", "+  - pflege-2025/ka-5604-kreis-coesfeld.yaml"]  # comments and layout kept
    out = tmp_path / "entwuerfe"
    batch(runner, pflege, out)
    md = (out / "pflege-2025-kreis-coesfeld.md").read_text(encoding="utf-8")
    assert "Drucksache 18/14004" in md and " ".join(fragen("Coesfeld")[1].split()) in " ".join(md.split())
    again = run(runner, "import", SERIE / "pflege-coesfeld.txt", "--serie", "pflege-2025", "-w", pflege)
    assert again.exit_code == 0 and "schon in der Serie eingetragen" in again.output
    assert series.read_text(encoding="utf-8").count("ka-5604") == 1


def test_import_of_many_files_goes_on_past_one_it_cannot_read(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    inbox = tmp_path / "eingang"
    inbox.mkdir()
    for source in [*PFLEGE, SERIE / "pflege-coesfeld.txt"]:
        (inbox / source.name).write_bytes(source.read_bytes())
    (inbox / "kaputt.pdf").write_bytes(b"%PDF-1.4 nicht wirklich")
    (inbox / "notiz.txt").write_text("Bitte bis Freitag beantworten.", encoding="utf-8")
    result = run(runner, "import", inbox, "--serie", "pflege-2025", "--federfuehrend", "mags:w", "-w", workspace)
    assert result.exit_code == 1, result.output
    assert "kaputt.pdf: nicht eingelesen:" in result.output and "notiz.txt: nicht eingelesen:" in result.output
    assert "Serie „pflege-2025“: 4 von 6 Kleinen Anfragen eingetragen." in result.output
    cat = open_workspace(workspace)
    bundle = open_bundle(cat, "pflege-2025")
    assert sorted(r for a in bundle.anfragen for r in a.anfrage.regionen) == [
        "kreis-borken",
        "kreis-coesfeld",
        "kreis-kleve",
        "kreis-wesel",
    ]
    assert bundle.serie.antwort.federfuehrend is not None and bundle.serie.antwort.federfuehrend.geschlecht == "w"
    # a glob pattern, as typed in a Windows shell that does not expand it
    glob = run(runner, "import", inbox / "pflege-*.txt", "--serie", "pflege-2025", "-w", workspace)
    assert glob.exit_code == 0 and glob.output.count("schon in der Serie eingetragen") == 3


def test_an_anfrage_whose_subject_is_unknown_is_written_not_registered_and_check_says_so(
    runner: CliRunner, pflege: Path, tmp_path: Path
) -> None:
    text = (SERIE / "pflege-coesfeld.txt").read_text(encoding="utf-8").replace("Kreis Coesfeld", "Landkreis Atlantis")
    source = tmp_path / "atlantis.txt"
    source.write_text(text.replace("des Kreises Coesfeld", "des Landkreises Atlantis"), encoding="utf-8")
    result = run(runner, "import", source, "--serie", "pflege-2025", "-w", pflege)
    assert result.exit_code == 1
    assert "nicht eingetragen: keine Kreis oder kreisfreie Stadt des Katalogs" in " ".join(result.output.split())
    written = pflege / "data/anfragen/pflege-2025/ka-5604-ohne-einheit.yaml"
    assert written.exists() and "ka-5604" not in (pflege / "data/anfragen/pflege-2025.yaml").read_text("utf-8")
    problems = check_workspace(pflege).problems
    assert any(p.file == "data/anfragen/pflege-2025/ka-5604-ohne-einheit.yaml" for p in problems)
    # the series itself still renders
    assert [s.failed for s in check_workspace(pflege, ["pflege-2025"]).series] == [0]


def test_serie_neu_refuses_an_existing_series_and_unknown_offices(runner: CliRunner, pflege: Path) -> None:
    again = run(runner, "serie", "neu", "pflege-2025", *PFLEGE, "-w", pflege)
    assert again.exit_code == 2 and "gibt es schon" in again.output
    wrong = run(runner, "serie", "neu", "pflege-2026", *PFLEGE, "--federfuehrend", "mgs", "-w", pflege)
    assert wrong.exit_code == 2 and "Unbekanntes Ressort „mgs“" in wrong.output
    assert not (pflege / "data/anfragen/pflege-2026.yaml").exists()
    assert not (pflege / "data/anfragen/pflege-2026").exists()


def test_one_file_without_serie_works_as_before(runner: CliRunner, workspace: Path) -> None:
    result = run(runner, "import", SERIE / "pflege-kleve.txt", "-w", workspace)
    assert result.exit_code == 0
    assert "nummer: 5601\n" in result.stdout and "regionen:\n- kreis-kleve\n" in result.stdout
    many = run(runner, "import", SERIE / "pflege-kleve.txt", SERIE / "pflege-wesel.txt", "-w", workspace)
    assert many.exit_code == 2 and "Mehrere Drucksachen nur mit --serie" in many.output


# --- the skeleton template ---------------------------------------------------------------------


def test_deleting_the_two_comment_characters_makes_a_suggestion_live(pflege: Path) -> None:
    template = pflege / "templates/pflege-2025.md.j2"
    source = template.read_text(encoding="utf-8")
    lines = [line for line in source.splitlines() if line.startswith("{#{ bausteine(")]
    assert len(lines) >= 3
    line = lines[0]
    pid = re.match(r'\{#\{ bausteine\("([a-z0-9-]+)"\) \}#\}', line).group(1)
    assert line == DEAKTIVIERT.format(id=pid)
    live = line[:1] + line[2:-2] + line[-1:]  # exactly the two "#"
    assert live == f'{{{{ bausteine("{pid}") }}}}'
    cat = open_workspace(pflege)
    before = make_draft(Renderer(cat), open_bundle(cat, "pflege-2025"), find_einheit(cat, "kreis-wesel")).markdown
    template.write_text(source.replace(line, live, 1), encoding="utf-8")
    cat = open_workspace(pflege)
    after = make_draft(Renderer(cat), open_bundle(cat, "pflege-2025"), find_einheit(cat, "kreis-wesel")).markdown
    first_sentence = re.split(r"(?<=[.!?])\s", " ".join(cat.programme[pid].text.split()))[0]
    assert first_sentence not in before
    assert first_sentence.split("{{")[0].strip()[:40] in " ".join(after.split())


def test_the_skeleton_reads_like_the_shipped_templates(pflege: Path) -> None:
    text = (pflege / "templates/pflege-2025.md.j2").read_text(encoding="utf-8")
    assert '{% extends "drucksache.md.j2" %}' in text and "{% block antworten %}" in text
    assert "{{ frage(1) }}" in text and "{{ frage(3) }}" in text and "{{ frage(4) }}" not in text
    assert "{# Frage 2: „Mit welchen Programmen fördert die Landesregierung" in text
    assert "Passende Textbausteine zu Frage 2 – bildungsscheck: Bildungsscheck" in text
    series = (pflege / "data/anfragen/pflege-2025.yaml").read_text(encoding="utf-8")
    assert "titel: Wie sichert die Landesregierung die Ausbildung in der Pflege …?" in series
    assert "federfuehrend: {ressort: mags, geschlecht: null}" in series
    assert "geltungsbereich:\n  - kreis-kleve\n  - kreis-wesel\n  - kreis-borken\n" in series


def test_bm25_ranks_the_published_offers_first_for_ka_1640(catalogue) -> None:
    bundle = open_bundle(catalogue, "digitalisierung-2018")
    questions = [f.text for f in bundle.anfragen[0].anfrage.fragen]
    ranked = suggest(questions, list(catalogue.programme.values()), catalogue.themen)
    assert ranked[0][0].id == "breitbandfoerderung"  # the answer to question 1 quotes it
    assert "startercenter-nrw" in [v.id for v in ranked[2]]  # the answer to question 3
    assert all(len(r) <= 3 for r in ranked)
    assert suggest(["Wie viele Delfine leben im Rhein?"], list(catalogue.programme.values())) == [[]]


# --- subjects beyond Kreise ------------------------------------------------------------------------


def test_wahlkreis_mentions_win_over_the_region_names_inside_them(catalogue) -> None:
    unna = find_subjects(catalogue, "Heimatförderung im Landtagswahlkreis 115 Unna I. Was wird gefördert?")
    assert (unna.ids, unna.art) == (["lwk-115-unna-i"], "landtagswahlkreis")
    dortmund = find_subjects(catalogue, "Welche Projekte in den Kommunen des Landtagswahlkreises 112 Dortmund II?")
    assert dortmund.ids == ["lwk-112-dortmund-ii"]
    assert find_subjects(catalogue, "Wie viele Schulen gibt es im Kreis Unna?").ids == ["kreis-unna"]
    assert find_subjects(catalogue, "Was plant das Land in Lippstadt?").ids == ["lippstadt"]


def test_the_anfrage_s_own_wording_of_its_region_is_followed(catalogue) -> None:
    found = find_subjects(catalogue, "Welche Projekte der Ruhrkonferenz sind in der Stadt Hagen verankert?")
    assert found.ids == ["hagen"]
    assert found.wortlaut == {"in": "in der Stadt Hagen", "zu": "zur Stadt Hagen", "genitiv": "der Stadt Hagen"}
    from anfrage import models as m

    view = region_view(catalogue, find_einheit(catalogue, "hagen"), wortlaut=m.Wortlaut.model_validate(found.wortlaut))
    assert view.formen["in"] == "in der Stadt Hagen" and view.formen["nominativ"] == "Hagen"
    assert find_subjects(catalogue, "… in Hagen?").wortlaut == {}  # the catalogue's wording


def test_a_series_over_two_wahlkreise_names_each_correctly(runner: CliRunner, workspace: Path, tmp_path: Path) -> None:
    sources = [SERIE / "heimat-unna-i.txt", SERIE / "heimat-dortmund-ii.txt"]
    result = run(runner, "serie", "neu", "heimat-2020", *sources, "-w", workspace)
    assert result.exit_code == 0, result.output
    series = (workspace / "data/anfragen/heimat-2020.yaml").read_text(encoding="utf-8")
    assert "einheit: landtagswahlkreis" in series and "  - lwk-115-unna-i\n  - lwk-112-dortmund-ii\n" in series
    # the clerk writes an answer that names the Wahlkreis in every grammatical form
    template = workspace / "templates/heimat-2020.md.j2"
    answer = (
        "{{ region.formen.nominativ | gross }} erhielt Mittel. "
        "Die Projekte {{ region.formen.in }} sind bekannt. "
        "Die Kommunen {{ region.formen.genitiv }} haben Anträge gestellt. "
        "Zum Bezug {{ region.formen.zu }} siehe Anlage."
    )
    text = template.read_text(encoding="utf-8").replace('{{ ergaenzen("Antwort auf Frage 1") }}', answer)
    template.write_text(text, encoding="utf-8")
    out = tmp_path / "entwuerfe"
    result = run(runner, "batch", "heimat-2020", "--out", out, "-w", workspace)
    assert result.exit_code == 0, result.output
    unna = " ".join((out / "heimat-2020-lwk-115-unna-i.md").read_text(encoding="utf-8").split())
    dortmund = " ".join((out / "heimat-2020-lwk-112-dortmund-ii.md").read_text(encoding="utf-8").split())
    for md, nummer, name in ((unna, 115, "Unna I"), (dortmund, 112, "Dortmund II")):
        assert f"Der Landtagswahlkreis {nummer} {name} erhielt Mittel." in md
        assert f"Die Projekte im Landtagswahlkreis {nummer} {name} sind bekannt." in md
        assert f"Die Kommunen des Landtagswahlkreises {nummer} {name} haben Anträge gestellt." in md
        assert f"Zum Bezug zum Landtagswahlkreis {nummer} {name} siehe Anlage." in md
    assert "Heimatförderung im Landtagswahlkreis 115 Unna I." in unna and "Dortmund" not in unna
    assert "in den Kommunen des Landtagswahlkreises 112 Dortmund II" in dortmund and "Unna" not in dortmund
    single = run(runner, "render", "heimat-2020", "--region", "115", "--out", out, "-w", workspace)
    assert single.exit_code == 0, single.output


def test_a_wahlkreis_or_gemeinde_is_catalogued_in_data_not_code(workspace: Path) -> None:
    regions = workspace / "data/regions.yaml"
    text = regions.read_text(encoding="utf-8")
    extra = "  - {id: lwk-116-unna-ii, nummer: 116, name: Unna II, regionen: [kreis-unna], quelle: issue-16}\n"
    regions.write_text(text.replace("\ngruppen:\n", extra + "\ngruppen:\n", 1), encoding="utf-8")
    cat = open_workspace(workspace)
    einheit = find_einheit(cat, "Unna II", "landtagswahlkreis")
    assert einheit.id == "lwk-116-unna-ii" and einheit.regionen == ("kreis-unna",)
    assert einheit.formen.genitiv == "des Landtagswahlkreises 116 Unna II"
    assert find_subjects(cat, "im Landtagswahlkreis 116 Unna II").ids == ["lwk-116-unna-ii"]


def test_a_subject_of_another_kind_is_refused_with_a_german_message(workspace: Path) -> None:
    anfrage = workspace / "data/anfragen/digitalisierung-2018/ka-1640-bochum.yaml"
    anfrage.write_text(anfrage.read_text(encoding="utf-8").replace("regionen: [bochum]", "regionen: [lwk-115-unna-i]"))
    errors = [p for p in check_workspace(workspace).problems if p.severity == "fehler"]
    assert any(
        "„Landtagswahlkreis 115 Unna I“ ist ein Landtagswahlkreis; die Serie „digitalisierung-2018“ handelt je "
        "Kreis oder kreisfreie Stadt" in p.message
        for p in errors
    )


# --- surgical registration ---------------------------------------------------------------------------


def test_registering_appends_one_line_and_keeps_comments() -> None:
    text = "id: s  # Serie\nanfragen:\n  - s/a.yaml  # erste\n  # zweite folgt\n# danach\nfakten: {}\n"
    assert append_to_list(text, "anfragen", "s/b.yaml") == (
        "id: s  # Serie\nanfragen:\n  - s/a.yaml  # erste\n  - s/b.yaml\n  # zweite folgt\n# danach\nfakten: {}\n"
    )
    assert append_to_list("id: s\nanfragen: []\n", "anfragen", "s/a.yaml") == "id: s\nanfragen:\n  - s/a.yaml\n"
    assert append_to_list("id: s\nanfragen: [a.yaml]\n", "anfragen", "b.yaml") == "id: s\nanfragen: [a.yaml, b.yaml]\n"
    assert append_to_list("id: s\n", "anfragen", "a.yaml") == "id: s\nanfragen:\n  - a.yaml\n"
    assert (
        append_to_list("id: s\r\nanfragen:\r\n  - a\r\n", "anfragen", "b") == "id: s\r\nanfragen:\r\n  - a\r\n  - b\r\n"
    )
    with pytest.raises(UserError, match="keine Liste"):
        append_to_list("id: s\ngeltungsbereich: alle\n", "geltungsbereich", "kreis-unna")


def test_the_readme_s_three_commands_take_a_folder_to_drafts(
    runner: CliRunner, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Eine neue Serie", 1)[1]
    commands = [line.split()[1:] for line in section.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()]
    assert [c[0] for c in commands] == ["serie", "check", "batch"]
    inbox = workspace / "eingang"
    inbox.mkdir()
    for source in PFLEGE:
        (inbox / source.name).write_bytes(source.read_bytes())
    monkeypatch.chdir(workspace)
    for command in commands:
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)
    assert len(list((workspace / "entwuerfe").glob("pflege-2025-*.docx"))) == 3
