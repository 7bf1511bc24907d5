"""Importing real-world text: flattened to one line, with page headers inline, without header.

Three kinds of input (issue 16, item 7): text with its line structure (pdftotext, pypdf), text
flattened to one line (database exports, copies from a browser's PDF viewer) and question texts
without the Drucksache header (as MdL publish them). What the text gives is extracted, what it does
not give is listed as a problem, and no field is ever filled from something that is not that field.

What flattening loses for good: the paragraph breaks of the Vorbemerkung (its words and their order
are kept; lists after a colon become paragraphs of their own). Every other field, the questions
verbatim, must come out of the flattened text exactly as out of the original.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from anfrage.cli.app import app
from anfrage.errors import AnfrageError, DrucksacheError
from anfrage.importer import (
    ImportResult,
    import_drucksache,
    load_regions,
    parse_drucksache,
    read_drucksache,
    record_to_yaml,
)
from anfrage.importer.reflow import dehyphenate, reflow, sentences
from anfrage.importer.source import read_text

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "import"
REALWORLD = FIXTURES / "realworld"
REFERENCE = FIXTURES / "reference"
SEEDS = HERE.parent.parent / "shared" / "seeds"
REGIONS = load_regions(FIXTURES / "regions.yaml")
EXACT = ["wahlperiode", "nummer", "drucksache", "datum", "abgeordnete", "fraktion", "titel", "fragen", "regionen"]

OLD_FIXTURES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".pdf"))
NEW_FIXTURES = sorted(REALWORLD.glob("*.txt"))


def _seed(name: str) -> Path:
    matches = sorted(SEEDS.glob(f"{name}_*.txt"))
    if not matches:
        pytest.skip(f"seed {name} not available in {SEEDS}")
    return matches[0]


def _source(name: str) -> Path:
    return _seed(name[5:8]) if name.startswith("seed-") else FIXTURES / name


def _flat(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> str:
    return " ".join(text.split())


# --- the outputs of the importer before this change stay byte for byte ---------------------------

REFERENCES = sorted(REFERENCE.glob("*.yaml"))


@pytest.mark.parametrize("reference", REFERENCES, ids=lambda p: p.name)
def test_line_structured_text_gives_the_yaml_it_always_gave(reference: Path) -> None:
    """References captured with the importer before flattened text was supported."""
    source = _source(reference.name.removesuffix(".yaml"))
    assert record_to_yaml(read_drucksache(source, REGIONS)) == reference.read_text(encoding="utf-8")


def test_references_cover_every_old_fixture() -> None:
    assert {p.name for p in OLD_FIXTURES} <= {p.name.removesuffix(".yaml") for p in REFERENCES}


PDF_LIKE = [pytest.param(p, id=p.name) for p in OLD_FIXTURES] + [
    pytest.param(REALWORLD / "ka-5604-hagen-18wp.txt", id="ka-5604-hagen-18wp.txt"),
    pytest.param(REALWORLD / "ka-4412-landtagswahlkreis-unna.txt", id="ka-4412-landtagswahlkreis-unna.txt"),
    pytest.param("000", id="seed-000"),
    pytest.param("003", id="seed-003"),
]


@pytest.mark.parametrize("case", PDF_LIKE)
def test_reflow_leaves_pdf_text_alone(case: Path | str) -> None:
    """Text with the line structure of pdftotext or pypdf goes through the reflow unchanged."""
    from anfrage.importer.clean import normalise

    text = normalise(read_text(_seed(case) if isinstance(case, str) else case))
    assert reflow(text).text == text


# --- flattened text gives the same record as the original -------------------------------------------

FLAT_CASES = [pytest.param(p, id=p.name) for p in OLD_FIXTURES + NEW_FIXTURES] + [
    pytest.param("000", id="seed-000"),
    pytest.param("003", id="seed-003"),
]


@pytest.mark.parametrize("case", FLAT_CASES)
def test_flattened_text_gives_the_same_record(case: Path | str) -> None:
    path = _seed(case) if isinstance(case, str) else case
    text = read_text(path)
    original, problems = parse_drucksache(text, REGIONS, source="x")
    flat, flat_problems = parse_drucksache(_flat(text), REGIONS, source="x")
    for key in EXACT:
        assert flat[key] == original[key], key
    # Paragraph breaks are lost with the line breaks; the words of the Vorbemerkung are not.
    assert _words(flat["vorbemerkung"]) == _words(original["vorbemerkung"])
    assert [(p.key, p.severity) for p in flat_problems] == [(p.key, p.severity) for p in problems]


def test_flattened_seeds_in_detail() -> None:
    record, problems = parse_drucksache(_flat(read_text(_seed("000"))), REGIONS)
    assert record["nummer"] == 1640 and record["datum"] == "2018-10-24" and len(record["fragen"]) == 5
    assert record["fragen"][3]["text"].startswith(
        "Wie bewertet die Landesregierung die Platzierung von Bochum im NRW-V"
    )
    assert "Minister" not in record["vorbemerkung"] and "Studien wie" not in record["vorbemerkung"]
    assert [p.key for p in problems] == ["drucksache"]  # the seed does not give it
    record, problems = parse_drucksache(_flat(read_text(_seed("003"))), REGIONS)
    assert (record["nummer"], record["drucksache"], record["datum"]) == (4284, "17/10815", None)
    assert [p.key for p in problems] == ["datum"]  # "mit Schreiben vom 30. September 2020" is the answer's


NOTICE = (
    "Die Veröffentlichungen des Landtags Nordrhein-Westfalen sind einzeln gegen eine Schutzgebühr beim Archiv des "
    "Landtags Nordrhein-Westfalen, 40002 Düsseldorf, Postfach 10 11 43, Telefon (0211) 884 - 2439, zu beziehen. "
    "Der kostenfreie Abruf ist auch möglich über das Internet-Angebot des Landtags Nordrhein-Westfalen unter "
    "www.landtag.nrw.de"
)


def _with_page_furniture(text: str, header: str, footer_before: str, running: str, break_before: str) -> str:
    """A seed completed as a whole answer Drucksache: first-page header, footer, running headers."""
    text = header + text
    i = text.index(footer_before)
    text = text[:i] + f"\n{NOTICE}\n\n{running}\n\n2\n\n" + text[i:]
    j = text.index(break_before)
    return text[:j] + f"\n\n{running}\n\n3\n\n" + text[j:]


@pytest.mark.parametrize("flat", [False, True], ids=["lines", "flat"])
def test_seeds_completed_as_whole_answers(flat: bool) -> None:
    """The seeds with the page furniture of a whole answer added: the answer's own Drucksache number and
    dates never stand in for the Anfrage's."""
    running = "LANDTAG NORDRHEIN-WESTFALEN - 17. Wahlperiode Drucksache 17/4507"
    text = _with_page_furniture(
        read_text(_seed("000")),
        "LANDTAG NORDRHEIN-WESTFALEN\n17. Wahlperiode Drucksache 17/4507\n30.11.2018\n\n",
        "Im Gesamt-Ranking",
        "Datum des Originals: 28.11.2018/Ausgegeben: 30.11.2018\n\n" + running,
        "aus Landesmitteln gefördert?",
    )
    record, problems = parse_drucksache(_flat(text) if flat else text, REGIONS)
    assert (record["nummer"], record["datum"], record["drucksache"]) == (1640, "2018-10-24", None)
    assert [f["text"] for f in record["fragen"]] == [
        f["text"] for f in parse_drucksache(read_text(_seed("000"))).record["fragen"]
    ]
    assert [p.key for p in problems] == ["drucksache"]
    running = "LANDTAG NORDRHEIN-WESTFALEN - 17. Wahlperiode Drucksache 17/11212"
    text = _with_page_furniture(
        read_text(_seed("003")),
        "LANDTAG\nNORDRHEIN-WESTFALEN\n17. Wahlperiode Drucksache 17/11212\n05.10.2020\n\nAntwort\n\n"
        "der Landesregierung\n\nauf die Kleine Anfrage 4284 vom 2. September 2020\n",
        "Dabei bleibt weiterhin",
        "Datum des Originals: 30.09.2020/Ausgegeben: 05.10.2020\n\n" + running,
        "in Bochum verankerten Projekten?",
    )
    record, problems = parse_drucksache(_flat(text) if flat else text, REGIONS)
    assert (record["nummer"], record["datum"], record["drucksache"]) == (4284, "2020-09-02", "17/10815")
    assert record["vorbemerkung"].endswith("an der Ruhr und in Bochum konkret verbessern soll.")
    assert len(record["fragen"]) == 5 and problems == []


def test_flattened_pdf_text_with_page_furniture_inline() -> None:
    """pypdf text of the answer PDF, flattened: the footer and the running header stand in the middle
    of a hyphenated word ("Woh- Datum des Originals … 2 nen")."""
    text = _flat(read_text(FIXTURES / "antwort-2960-kleve.pdf"))
    assert "Woh- Datum des Originals" in text
    record, problems = parse_drucksache(text, REGIONS)
    assert record["vorbemerkung"].endswith(
        "dass die Suche nach bezahlbarem Wohnen für ihre Fachkräfte schwierig geworden ist."
    )
    assert record["drucksache"] == "17/6512" and problems == []


# --- new fixtures: real-world styles --------------------------------------------------------------


@pytest.mark.parametrize("path", NEW_FIXTURES, ids=lambda p: p.name)
def test_realworld_fixture(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    record, problems = import_drucksache(path, REGIONS)
    for key, value in expected["record"].items():
        assert record[key] == value, key  # type: ignore[literal-required]
    assert [[p.key, p.severity] for p in problems] == expected["problems"]
    assert all(p.file == str(path) for p in problems)


def test_realworld_fixtures_cover_the_styles() -> None:
    names = {p.stem for p in NEW_FIXTURES}
    assert {
        "website-ohne-kopf",
        "website-titel-und-fragen-einzeilig",
        "browser-kopie-ka-2689-euskirchen",
        "antwort-einzeilig-3127-drei-mdl",
        "ka-5604-hagen-18wp",
        "ka-4412-landtagswahlkreis-unna",
    } <= names
    one_line = [p for p in NEW_FIXTURES if p.read_text(encoding="utf-8").count("\n") == 1]
    assert len(one_line) >= 3


def test_website_text_without_header_takes_nothing_from_the_body() -> None:
    """The Vorbemerkung cites „Kleine Anfrage 2817 (Drucksache 17/7425)“ and a question names
    „bis zum 31.12.2019“: neither is the Anfrage's number, Drucksache, Wahlperiode or date."""
    result = import_drucksache(REALWORLD / "website-ohne-kopf.txt", REGIONS)
    record = result.record
    assert "Kleine Anfrage 2817 (Drucksache 17/7425)" in record["vorbemerkung"]
    assert "31.12.2019" in record["fragen"][0]["text"]
    assert [record[k] for k in ("wahlperiode", "nummer", "drucksache", "datum", "fraktion")] == [None] * 5  # type: ignore[literal-required]
    assert record["abgeordnete"] == []
    assert record["fragen"][-1]["text"].endswith("gesperrt?")  # not the signature "… MdL" under it
    assert not result.complete
    messages = {p.key: p.message for p in result.problems}
    assert messages["datum"] == "Datum der Kleinen Anfrage nicht gefunden"
    assert messages["nummer"] == "Nummer der Kleinen Anfrage nicht gefunden (erwartet: „Kleine Anfrage N“)"
    assert all("„" not in m or "“" in m for m in messages.values())


def test_answer_takes_the_date_of_the_anfrage_not_of_the_answer() -> None:
    record, _ = import_drucksache(REALWORLD / "antwort-einzeilig-3127-drei-mdl.txt", REGIONS)
    assert record["datum"] == "2019-10-09"  # "Kleine Anfrage 3127 vom 9. Oktober 2019"
    assert record["drucksache"] == "17/7458"  # not the answer's own 17/7702
    assert "beantwortet" not in record["vorbemerkung"] and "Landesregierung misst" not in record["vorbemerkung"]
    assert "Die Fragen 2 und 3" not in record["fragen"][2]["text"]


def test_numbers_in_title_and_body_are_not_the_anfrage_number() -> None:
    record, _ = import_drucksache(FIXTURES / "realworld" / "ka-4412-landtagswahlkreis-unna.txt", REGIONS)
    assert record["nummer"] == 4412 and "115 Unna I" in record["titel"]  # type: ignore[operator]
    record, _ = import_drucksache(FIXTURES / "realworld" / "ka-5604-hagen-18wp.txt", REGIONS)
    assert (record["nummer"], record["drucksache"], record["datum"]) == (5604, "18/13921", "2025-05-12")


def test_a_cited_answer_in_the_vorbemerkung_does_not_make_an_answer() -> None:
    text = (
        "Kleine Anfrage\n\nWie geht es weiter?\n\nDie Landesregierung hat in ihrer Antwort\n"
        "auf die Kleine Anfrage 2817 vom 3. Mai 2019 nichts gesagt.\n\n1. Was plant sie?\n"
    )
    record, problems = parse_drucksache(text)
    assert record["nummer"] is None and record["datum"] is None
    assert record["titel"] == "Wie geht es weiter?"
    assert record["fragen"] == [{"nr": 1, "text": "Was plant sie?"}]
    assert "nummer" in {p.key for p in problems}


def test_header_less_text_starting_with_the_vorbemerkung_has_no_title() -> None:
    text = "Die Stadt hat beschlossen, Stellen zu streichen. Das trifft viele.\n\n1. Wie viele Stellen fehlen?\n"
    record, problems = parse_drucksache(text)
    assert record["titel"] is None and "titel" in {p.key for p in problems}
    assert record["vorbemerkung"] == "Die Stadt hat beschlossen, Stellen zu streichen. Das trifft viele."


@pytest.mark.parametrize(
    ("text", "titel", "warned"),
    [
        # a heading after the title ends it for sure
        (
            "Antwort der Landesregierung auf die Kleine Anfrage 3 vom 1. Mai 2019 des Abgeordneten Max Muster SPD "
            "Breitband im Kreis Höxter Vorbemerkung der Kleinen Anfrage Der Kreis wartet. Der Minister für "
            "Wirtschaft hat die Kleine Anfrage 3 mit Schreiben vom 2. Juni 2019 namens der Landesregierung "
            "beantwortet. 1. Wie lange noch? Lange.",
            "Breitband im Kreis Höxter",
            False,
        ),
        # no question mark, no heading: before the first word that only starts a sentence (a guess)
        (
            "Kleine Anfrage 3 des Abgeordneten Max Muster SPD Breitband im Kreis Höxter Der Kreis wartet. "
            "Ich frage die Landesregierung: 1. Wie lange noch?",
            "Breitband im Kreis Höxter",
            True,
        ),
        # "I." ends no sentence; "Was" after it stays in the title
        (
            "Kleine Anfrage 3 des Abgeordneten Max Muster SPD Heimatförderung im Landtagswahlkreis 115 Unna I. "
            "Was wird gefördert? Viele Vereine. Ich frage die Landesregierung: 1. Welche?",
            "Heimatförderung im Landtagswahlkreis 115 Unna I. Was wird gefördert?",
            False,
        ),
        # quotes and a colon in the title
        (
            "Kleine Anfrage 3 der Abgeordneten Anna Muster GRÜNE Programm „Gute Schule 2020“: Was kommt an? "
            "Die Mittel fließen. Wir fragen die Landesregierung: 1. Wie viel?",
            "Programm „Gute Schule 2020“: Was kommt an?",
            False,
        ),
    ],
)
def test_title_of_flattened_text(text: str, titel: str, warned: bool) -> None:
    record, problems = parse_drucksache(text)
    assert record["titel"] == titel
    assert [p.key for p in problems if p.severity == "warnung"] == (["titel"] if warned else [])


@pytest.mark.parametrize(
    ("mdl", "names", "fraktion"),
    [
        ("des Abgeordneten Max Muster fraktionslos", [("Max Muster", "m")], "fraktionslos"),
        ("der Abgeordneten Anna Muster (AfD)", [("Anna Muster", "w")], "AfD"),
        (
            "der Abgeordneten Prof. Dr. Anna Muster, Max Beispiel und Eva Test BÜNDNIS 90/DIE GRÜNEN",
            [("Prof. Dr. Anna Muster", None), ("Max Beispiel", None), ("Eva Test", None)],
            "BÜNDNIS 90/DIE GRÜNEN",
        ),
        (
            "der Abgeordneten Anna Muster und Max Beispiel GRÜNE",
            [("Anna Muster", None), ("Max Beispiel", None)],
            "BÜNDNIS 90/DIE GRÜNEN",
        ),
        ("des Abgeordneten Max Muster CDU", [("Max Muster", "m")], "CDU"),
        ("der Abgeordneten Anna Muster FDP", [("Anna Muster", "w")], "FDP"),
    ],
)
def test_mdl_line_of_flattened_text(mdl: str, names: list[tuple[str, str | None]], fraktion: str) -> None:
    text = f"Kleine Anfrage 9 {mdl} Wie geht es weiter? Text. Ich frage die Landesregierung: 1. Wann?"
    record, _ = parse_drucksache(text)
    assert [(a["name"], a["geschlecht"]) for a in record["abgeordnete"]] == names
    assert record["fraktion"] == fraktion
    assert record["titel"] == "Wie geht es weiter?"


def test_mdl_without_fraktion_in_flattened_text_is_a_guess() -> None:
    text = "Kleine Anfrage 9 der Abgeordneten Anna Muster Schulsozialarbeit in Hagen? Text. 1. Wann?"
    record, problems = parse_drucksache(text)
    assert record["abgeordnete"] == [{"name": "Anna Muster", "geschlecht": "w"}]
    assert record["titel"] == "Schulsozialarbeit in Hagen?"
    assert [(p.key, p.severity) for p in problems if p.key in ("abgeordnete", "fraktion")] == [
        ("fraktion", "fehler"),
        ("abgeordnete", "warnung"),
    ]


@pytest.mark.parametrize(
    "questions",
    [
        "1. Wie viele? 2. Wann? (Bitte Datum angeben.) 3. Wo?",
        "1) Wie viele? 2) Wann? (Bitte Datum angeben.) 3) Wo?",
        "Frage 1: Wie viele? Frage 2: Wann? (Bitte Datum angeben.) Frage 3: Wo?",
        "1.) Wie viele? 2.) Wann? (Bitte Datum angeben.) 3.) Wo?",
    ],
)
def test_question_numbering_styles(questions: str) -> None:
    text = f"Kleine Anfrage 9 des Abgeordneten Max Muster SPD Titel? Ich frage die Landesregierung: {questions}"
    record, _ = parse_drucksache(text)
    assert [f["text"] for f in record["fragen"]] == ["Wie viele?", "Wann? (Bitte Datum angeben.)", "Wo?"]


def test_answer_sections_antwort_zu_frage_and_namens_der_landesregierung() -> None:
    text = (
        "Antwort der Landesregierung auf die Kleine Anfrage 31 vom 09.10.2019 der Abgeordneten Anna Muster SPD "
        "Drucksache 17/7000 Wie geht es weiter? Vorbemerkung der Kleinen Anfrage Es wartet. Namens der "
        "Landesregierung beantworte ich die Kleine Anfrage wie folgt: Frage 1: Wie viele? Antwort: Einige. "
        "Frage 2: Bis wann? Zu Frage 2: Bis 2021."
    )
    record, problems = parse_drucksache(text)
    assert (record["nummer"], record["datum"], record["drucksache"]) == (31, "2019-10-09", "17/7000")
    assert record["vorbemerkung"] == "Es wartet."
    assert [f["text"] for f in record["fragen"]] == ["Wie viele?", "Bis wann?"]
    assert problems == []


def test_sixteenth_period_answer_minister_line_first() -> None:
    text = (
        "LANDTAG NORDRHEIN-WESTFALEN 16. Wahlperiode Drucksache 16/5870 07.06.2014 Antwort der Landesregierung "
        "auf die Kleine Anfrage 2231 vom 5. Mai 2014 des Abgeordneten Max Muster PIRATEN Drucksache 16/5712 "
        "Breitband im Kreis Höxter Der Minister für Wirtschaft, Energie, Industrie, Mittelstand und Handwerk hat "
        "die Kleine Anfrage 2231 mit Schreiben vom 5. Juni 2014 für die Landesregierung beantwortet. Vorbemerkung "
        "der Kleinen Anfrage Im Kreis fehlt Internet. 1. Wie viele Haushalte? Rund 12.000. 2 LANDTAG "
        "NORDRHEIN-WESTFALEN - 16. Wahlperiode Drucksache 16/5870 2. Bis wann? Bis 2018."
    )
    record, problems = parse_drucksache(text)
    assert (record["wahlperiode"], record["nummer"], record["drucksache"]) == (16, 2231, "16/5712")
    assert (record["datum"], record["fraktion"], record["titel"]) == (
        "2014-05-05",
        "PIRATEN",
        "Breitband im Kreis Höxter",
    )
    assert record["vorbemerkung"] == "Im Kreis fehlt Internet."
    assert [f["text"] for f in record["fragen"]] == ["Wie viele Haushalte?", "Bis wann?"]
    assert problems == []


def test_question_after_an_answer_that_ends_with_a_url() -> None:
    text = (
        "Antwort der Landesregierung auf die Kleine Anfrage 5 vom 1. Mai 2019 des Abgeordneten Max Muster SPD "
        "Drucksache 17/1 Titel? Der Minister hat die Kleine Anfrage 5 mit Schreiben vom 2. Mai 2019 namens der "
        "Landesregierung beantwortet. 1. Welche Programme gibt es? Siehe https://www.wirtschaft.nrw/programme "
        "2. Welche Mittel fließen? (Bitte nach Jahren.) Keine. 3. Wo liegt der 2. Bauabschnitt? Im Norden."
    )
    record, _ = parse_drucksache(text)
    assert [f["text"] for f in record["fragen"]] == [
        "Welche Programme gibt es?",
        "Welche Mittel fließen? (Bitte nach Jahren.)",
        "Wo liegt der 2. Bauabschnitt?",
    ]


# --- unusable input: exit 2 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Text ist leer"),
        (b"   \n\n \t \n", "Text ist leer"),
        (b"\x00\x01\x02binary" * 20, "Binärdaten"),
        ("Ein Text über das Wetter, ohne jede Anfrage darin.".encode(), "keine Kleine Anfrage erkannt"),
    ],
)
def test_unusable_input(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(DrucksacheError, match=message):
        import_drucksache(path)


# --- the CLI: exit 0 complete, exit 1 partial (record still printed or written), exit 2 unusable ----


def _cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


def test_cli_complete_record_exits_0(tmp_path: Path) -> None:
    result = _cli("import", str(REALWORLD / "ka-5604-hagen-18wp.txt"), "-w", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["nummer"] == 5604
    assert result.stderr == ""


def test_cli_partial_record_exits_1_and_still_prints_yaml(tmp_path: Path) -> None:
    result = _cli("import", str(REALWORLD / "website-ohne-kopf.txt"), "-w", str(tmp_path))
    assert result.exit_code == 1
    data = yaml.safe_load(result.stdout)
    assert data["nummer"] is None and len(data["fragen"]) == 3
    assert "datum: Datum der Kleinen Anfrage nicht gefunden" in result.stderr
    assert "6 Angaben nicht im Text gefunden" in result.stderr


def test_cli_partial_record_as_json_and_to_a_file(tmp_path: Path) -> None:
    source = REALWORLD / "website-titel-und-fragen-einzeilig.txt"
    result = _cli("import", str(source), "--json", "-w", str(tmp_path))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["titel"] == "Lehrkräftemangel an Grundschulen im Kreis Lippe"
    target = tmp_path / "ka.yaml"
    result = _cli("import", str(source), "-s", "lehrkraefte-2024", "-o", str(target), "-w", str(tmp_path))
    assert result.exit_code == 1
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["serie"] == "lehrkraefte-2024"
    assert "Kleine Anfrage (ohne Nummer) mit 3 Fragen geschrieben." in result.stderr


def test_cli_guessed_title_warns_but_exits_0(tmp_path: Path) -> None:
    source = tmp_path / "ka.txt"
    source.write_text(
        "LANDTAG NORDRHEIN-WESTFALEN 17. Wahlperiode Drucksache 17/100 02.02.2018 Kleine Anfrage 55 des "
        "Abgeordneten Max Muster SPD Breitband im Kreis Höxter Der Kreis wartet. Daher frage ich die "
        "Landesregierung: 1. Bis wann?",
        encoding="utf-8",
    )
    result = _cli("import", str(source), "-w", str(tmp_path))
    assert result.exit_code == 0
    assert "titel: Warnung: Ende des Titels im einzeiligen Text nur vermutet – bitte prüfen" in result.stderr


@pytest.mark.parametrize("content", [b"", b"\x00\x01" * 100])
def test_cli_unusable_input_exits_2(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "x.txt"
    source.write_bytes(content)
    result = _cli("import", str(source), "-w", str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""


# --- reflow helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("die weitere Ansied- lung von", "die weitere Ansiedlung von"),
        ("von NGA- Entwicklungskonzepten", "von NGA-Entwicklungskonzepten"),
        ("Natur- und Verbraucherschutz", "Natur- und Verbraucherschutz"),
        ("Informations- oder Kommunikations-Branche", "Informations- oder Kommunikations-Branche"),
        ("in Nordrhein- Westfalen", "in Nordrhein-Westfalen"),
        ("Energiewirtschaft - Smart Energy", "Energiewirtschaft - Smart Energy"),
        ("die 2018- 2020 geförderten", "die 2018-2020 geförderten"),
        (
            "https://gigabit.nrw.de/foerderung-durch- zuschuesse.html",
            "https://gigabit.nrw.de/foerderung-durch-zuschuesse.html",
        ),
    ],
)
def test_dehyphenate(text: str, joined: str) -> None:
    assert dehyphenate(text) == joined


def test_sentences_keep_abbreviations_dates_and_quoted_names() -> None:
    block = (
        "1. Welche Projekte, wie z. B. Schnellbuslinien, wurden seit dem 1. Januar 2018 aus dem Programm "
        "„Heimat. Zukunft. Nordrhein-Westfalen.“ gefördert? (Bitte nach Jahren auflisten.) Auf die "
        "Vorbemerkung wird verwiesen. Dr. Max Muster"
    )
    assert sentences(block) == [
        "1. Welche Projekte, wie z. B. Schnellbuslinien, wurden seit dem 1. Januar 2018 aus dem Programm "
        "„Heimat. Zukunft. Nordrhein-Westfalen.“ gefördert? (Bitte nach Jahren auflisten.)",
        "Auf die Vorbemerkung wird verwiesen.",
        "Dr. Max Muster",
    ]


def test_page_furniture_inline_becomes_lines_of_its_own() -> None:
    text = (
        "Kleine Anfrage 9 des Abgeordneten Max Muster SPD Titel? Ich frage die Landesregierung: 1. Wie lange "
        "dauern im Kreis die Genehmigungs- Datum des Originals: 10.04.2019/Ausgegeben: 15.04.2019 LANDTAG "
        "NORDRHEIN-WESTFALEN - 17. Wahlperiode Drucksache 17/5921 2 verfahren? Seite 3 von 4 2. Warum? - 3 - Max Muster"
    )
    lines = reflow(text).text.split("\n")
    assert "Datum des Originals: 10.04.2019/Ausgegeben: 15.04.2019" in lines
    assert "LANDTAG NORDRHEIN-WESTFALEN - 17. Wahlperiode Drucksache 17/5921 2" in lines
    record, problems = parse_drucksache(text)
    assert [f["text"] for f in record["fragen"]] == ["Wie lange dauern im Kreis die Genehmigungsverfahren?", "Warum?"]
    assert (record["datum"], record["drucksache"], record["wahlperiode"]) == ("2019-04-10", None, 17)
    assert [p.key for p in problems] == ["drucksache"]  # the running header is the page's, not the Anfrage's


# --- robustness -------------------------------------------------------------------------------------

_FIXTURE_TEXT = [read_text(p) for p in OLD_FIXTURES if p.suffix == ".txt"] + [
    p.read_text(encoding="utf-8") for p in NEW_FIXTURES
]
_WORDS = [w for text in _FIXTURE_TEXT for w in text.split()]


def _check(result: ImportResult) -> None:
    record = result.record
    assert [f["nr"] for f in record["fragen"]] == list(range(1, len(record["fragen"]) + 1))
    assert all(f["text"] for f in record["fragen"])
    assert record["titel"] is None or record["titel"].strip()
    yaml.safe_load(record_to_yaml(record))
    missing = {p.key for p in result.problems if p.severity == "fehler"}
    assert ("fragen" in missing) == (not record["fragen"])
    assert ("nummer" in missing) == (record["nummer"] is None)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.one_of(st.sampled_from(_WORDS), st.sampled_from(["1.", "2)", "Frage 3:", "?", "-", "„", "“"])), max_size=300
    )
)
def test_fuzz_flattened_words(words: list[str]) -> None:
    try:
        result = parse_drucksache(" ".join(words))
    except AnfrageError:
        return
    _check(result)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(_FIXTURE_TEXT), st.integers(0, 2000), st.integers(0, 400))
def test_fuzz_cut_flattened_fixtures(text: str, start: int, cut: int) -> None:
    """A flattened fixture with a piece cut out anywhere: a record with problems, or an error."""
    flat = _flat(text)
    with tempfile.TemporaryDirectory():
        try:
            result = parse_drucksache(flat[:start] + flat[start + cut :])
        except AnfrageError:
            return
    _check(result)


def test_hostile_flattened_text_is_parsed_quickly() -> None:
    texts = [
        "Kleine Anfrage 5 des Abgeordneten A B SPD Titel? " + "1. Wie? " * 20000,
        "Kleine Anfrage 5 " + "der Abgeordneten " * 20000,
        "Antwort " + "auf die Kleine Anfrage 5 vom 1. Mai 2019 " * 5000,
        "Titel " + "Ansied- lung " * 30000 + "1. Wie?",
        "LANDTAG NORDRHEIN-WESTFALEN " * 20000 + "1. Wie?",
        "Der Minister hat die Kleine Anfrage 5 mit Schreiben vom " * 5000,
        "„Heimat. " * 30000 + "1. Wie?",
        "Wer? " * 50000,
        "Kleine Anfrage 5 des Abgeordneten A B SPD Titel? " + "Antwort: 1. Wie? " * 10000,
        "Titel? " + "Der Minister hat die Kleine Anfrage 5 mit Schreiben vom 1. Mai 2019 beantwortet. 1. Wie? " * 5000,
        "Titel? " + "Namens der Landesregierung beantworte ich die Kleine Anfrage " * 10000,
        "Titel? " + "Text. 2 LANDTAG NORDRHEIN-WESTFALEN - 17. Wahlperiode Drucksache 17/1 " * 10000,
        "Kleine Anfrage 5 der Abgeordneten " + "Anna Muster, " * 20000,
        "\n".join(["Kleine Anfrage 1 des Abgeordneten A B SPD 1. Wie? 2. Was?"] * 20000),
    ]
    for text in texts:
        start = time.monotonic()
        with contextlib.suppress(AnfrageError):
            parse_drucksache(text)
        assert time.monotonic() - start < 10, text[:40]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Neudruck" in the header; the Anfrage's Drucksache before the Abgeordneten line
        (
            "LANDTAG NORDRHEIN-WESTFALEN 17. Wahlperiode Drucksache 17/7702 15.11.2019 Neudruck Antwort der "
            "Landesregierung auf die Kleine Anfrage 3127 vom 9. Oktober 2019 Drucksache 17/7458 der Abgeordneten "
            "Anna Muster und Max Muster SPD Wie geht es? Vorbemerkung der Kleinen Anfrage Text. Die Ministerin für "
            "Schule und Bildung hat die Kleine Anfrage 3127 mit Schreiben vom 12. November 2019 namens der "
            "Landesregierung beantwortet. 1. Wie? Gut.",
            {
                "nummer": 3127,
                "drucksache": "17/7458",
                "datum": "2019-10-09",
                "titel": "Wie geht es?",
                "fragen": ["Wie?"],
            },
        ),
        # the same as lines
        (
            "Neudruck\nAntwort\nder Landesregierung\nauf die Kleine Anfrage 5 vom 1. Mai 2019\n"
            "des Abgeordneten Max Muster CDU\nDrucksache 17/1\n\nTitel?\n\nDer Minister hat die Kleine Anfrage 5 "
            "mit Schreiben vom 2. Mai 2019 beantwortet.\n\n1. Wie?\n\nGut.\n",
            {"nummer": 5, "drucksache": "17/1", "datum": "2019-05-01", "titel": "Titel?", "fragen": ["Wie?"]},
        ),
        # an MdL website: "Kleine Anfrage der Abgeordneten …" on one short line
        (
            "Kleine Anfrage der Abgeordneten Anna Muster SPD\n\nWie geht es weiter?\n\nText.\n\n1. Wann?\n",
            {"nummer": None, "fraktion": "SPD", "titel": "Wie geht es weiter?", "fragen": ["Wann?"]},
        ),
        # a page number before the running header, after a sentence end (a figure mid-sentence stays)
        (
            "Kleine Anfrage 5 des Abgeordneten Max Muster SPD Titel? Der Kreis wartet seit 2017. 2 LANDTAG "
            "NORDRHEIN-WESTFALEN - 17. Wahlperiode Drucksache 17/1 Die Stadt auch. Ich frage: 1. Wie? 2. Bis 150 "
            "LANDTAG NORDRHEIN-WESTFALEN - 17. Wahlperiode Drucksache 17/1 Tage?",
            {"vorbemerkung": "Der Kreis wartet seit 2017. Die Stadt auch.", "fragen": ["Wie?", "Bis 150 Tage?"]},
        ),
    ],
)
def test_header_and_page_variants(text: str, expected: dict[str, object]) -> None:
    record, _ = parse_drucksache(text)
    for key, value in expected.items():
        got = [f["text"] for f in record["fragen"]] if key == "fragen" else record[key]  # type: ignore[literal-required]
        assert got == value, key
