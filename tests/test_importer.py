"""Importing a Kleine Anfrage from its Drucksache (text or PDF), or from the Drucksache of its answer."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anfrage.errors import AnfrageError, CatalogueError, DrucksacheError, UserError
from anfrage.importer import (
    default_regions,
    find_regions,
    join_wrapped,
    load_regions,
    parse_drucksache,
    read_drucksache,
    record_to_yaml,
)

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "import"
SEEDS = HERE.parent.parent / "shared" / "seeds"
REGIONS = load_regions(FIXTURES / "regions.yaml")
KEYS = [
    "wahlperiode",
    "nummer",
    "drucksache",
    "datum",
    "abgeordnete",
    "fraktion",
    "titel",
    "vorbemerkung",
    "fragen",
    "regionen",
]


def seed_path(name: str) -> Path:
    matches = sorted(SEEDS.glob(f"{name}_*.txt"))
    if not matches:
        pytest.skip(f"seed {name} not available in {SEEDS}")
    return matches[0]


# --- the two published answers (seeds) -------------------------------------------------------------

SEED_000_FRAGEN = [
    "Durch welche Maßnahmen wurde in Bochum seit 2015 der Ausbau der digitalen Infrastruktur aus "
    "Landesmitteln gefördert? (Bitte einzeln nach Jahr, Projektart, Technologie, Förderhöhe "
    "Umsetzungsstand und Stand des Mittelabrufs auflisten.)",
    "Durch welche Projekte in Bochum unterstützt die Landesregierung mittelständische Unternehmen aus "
    "Industrie, Handwerk, Handel oder Dienstleistung sowie landwirtschaftliche Betriebe bei der "
    "Digitalisierung? (Bitte nach allgemeinen Angeboten und einzelbetrieblicher Förderung auflisten.)",
    "Mit welchen konkreten Mitteln und Maßnahmen unterstützt die Landesregierung die kommunale "
    "Wirtschaftsförderung in Bochum gezielt bei der Ansiedlung und Gründung von Unternehmen aus der "
    "Informations- und Kommunikations-Branche und Startups? (Bitte einzeln nach eingesetzten Mitteln, "
    "deren Höhe und den Maßnahmen sowie die Anzahl der seit 2015 angesiedelten oder neu gegründeten "
    "Unternehmens respektive Startups auflisten.)",
    "Wie bewertet die Landesregierung die Platzierung von Bochum im NRW-Vergleich? (Bitte das Ranking "
    "insgesamt und in den einzelnen Kategorien getrennt voneinander bewerten.)",
    "Hat die Landesregierung Kenntnis von besonders erfolgreichen Digitalisierungsmaßnahmen in Bochum, "
    "die als Vorbild für andere Unternehmen, Startups etc. dienen könnten?",
]

SEED_003_FRAGEN = [
    "Welche Projekte der „Ruhrkonferenz“ sind in Bochum verankert? (Bitte lokalen Bezug im Einzelnen "
    "aufzeigen und jeweilige Fördervolumina angeben.)",
    "Welche konkreten Zielperspektiven verfolgt die Landesregierung jeweils mit den in Bochum verankerten Projekten?",
    "Wie soll sich das Erreichen dieser Zielperspektiven konkret auf die Lebensqualität der "
    "Bochumerinnen und Bochumer auswirken?",
    "Wie evaluiert die Landesregierung, ob sie ihre Zielperspektiven erreicht hat? (Bitte auch "
    "Evaluationszeitraum angeben.)",
    "Wie zahlt das Erreichen der jeweiligen Zielperspektiven auf das Gesamtkonzept der "
    "„Ruhrkonferenz“ ein? (Bitte das Gesamtkonzept umreißen und die Zielperspektiven im Verhältnis "
    "dazu erläutern.)",
]


def test_seed_000_answer_2018() -> None:
    record = read_drucksache(seed_path("000"), REGIONS)
    assert list(record) == KEYS
    assert [(f["nr"], f["text"]) for f in record["fragen"]] == list(enumerate(SEED_000_FRAGEN, start=1))
    assert record["nummer"] == 1640
    assert record["wahlperiode"] == 17  # from the date: the text names neither period nor Drucksache
    assert record["drucksache"] is None
    assert record["datum"] == "2018-10-24"
    assert record["abgeordnete"] == [
        {"name": "Matthi Bolte-Richter", "geschlecht": None},
        {"name": "Mehrdad Mostofizadeh", "geschlecht": None},
    ]
    assert record["fraktion"] == "BÜNDNIS 90/DIE GRÜNEN"
    assert record["titel"] == "Wie unterstützt die Landesregierung die Digitalisierung in Bochum?"
    assert record["regionen"] == ["bochum"]  # Köln, Düsseldorf, Warendorf, Höxter are only in the Vorbemerkung
    paragraphs = record["vorbemerkung"].split("\n\n")
    assert len(paragraphs) == 4
    assert all("\n" not in p and "  " not in p for p in paragraphs)
    assert paragraphs[0] == (
        "Im September hat das Prognos Institut gemeinsam mit der Index Gruppe den Digitalisierungskompass "
        "2018 veröffentlicht. Dieser zeigt ein Gesamtbild zur Digitalisierung aller Städte und Landkreise "
        "in Deutschland. Aus insgesamt 12 Kriterien, aufgeteilt auf die drei Kategorien „Arbeitsmarkt "
        "digitaler Berufe“, „Breitbandversorgung“ und „Informations- und Kommunikationstechnik-Technik“, "
        "wurde ein deutschlandweites Ranking erstellt."
    )
    assert paragraphs[3].startswith("Für die kreisfreie Stadt Bochum zeigt das Ranking insgesamt folgendes Bild.")
    assert paragraphs[3].endswith("Insgesamt schneidet Bochum auf Rang 11 in NRW bzw. 69 im Bund ab.")
    assert "Minister" not in record["vorbemerkung"]


def test_seed_003_answer_2020_begins_mid_header() -> None:
    record = read_drucksache(seed_path("003"), REGIONS)
    assert [(f["nr"], f["text"]) for f in record["fragen"]] == list(enumerate(SEED_003_FRAGEN, start=1))
    assert record["nummer"] == 4284  # only the minister line names it
    assert record["wahlperiode"] == 17
    assert record["drucksache"] == "17/10815"  # the Anfrage's, not the answer's 17/11212
    assert record["datum"] is None  # "Kleine Anfrage 4284 vom …" is cut off in this text
    assert record["abgeordnete"] == [
        {"name": "Prof. Dr. Karsten Rudolph", "geschlecht": None},
        {"name": "Carina Gödecke", "geschlecht": None},
        {"name": "Serdar Yüksel", "geschlecht": None},
    ]
    assert record["fraktion"] == "SPD"
    assert record["titel"] == "Wie verbessert die „Ruhrkonferenz“ das Leben der Bochumerinnen und Bochumer?"
    assert record["regionen"] == ["bochum"]
    assert record["vorbemerkung"] == (
        "Mit der sogenannten „Ruhrkonferenz“ will die Landesregierung die Metropole Ruhr nach vorne bringen. "
        "Weil die „Ruhrkonferenz“ jedoch nur ein Sammelsurium von Einzelmaßnahmen ohne Gesamtkonzept und "
        "klare Zielperspektive ist, wird es mit dem großen Wurf auch weiterhin nichts. Das hindert "
        "Ministerpräsident Laschet allerdings nicht daran, Bundeskanzlerin Merkel das Projekt vor "
        "herausgeputzter Industriekulisse stolz als Meilenstein für die Metropole Ruhr zu präsentieren.\n\n"
        "Dabei bleibt weiterhin offen, wo der Rote Faden des Projekt-Sammelsuriums „Ruhrkonferenz“ zu finden "
        "ist und wie das Förderprogramm die Leben der Bürgerinnen und Bürger an der Ruhr und in Bochum "
        "konkret verbessern soll."
    )


# --- own fixtures: Kleine Anfrage Drucksachen as text and PDF, one answer as PDF --------------------

FIXTURE_FILES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".pdf"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_record(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    record = read_drucksache(path, REGIONS)
    assert list(record) == KEYS
    for key in KEYS:
        assert record[key] == expected[key], key


def test_fixtures_cover_the_cases() -> None:
    names = {p.name for p in FIXTURE_FILES}
    assert len([n for n in names if n.endswith(".pdf")]) >= 2
    records = {p.name: json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in FIXTURE_FILES}
    counts = {len(r["abgeordnete"]) for r in records.values()}
    assert {1, 2, 3} <= counts
    assert any(r["abgeordnete"][0]["geschlecht"] == "w" for r in records.values())
    assert any(r["abgeordnete"][0]["geschlecht"] == "m" for r in records.values())
    assert any(r["regionen"] == ["kreis-guetersloh", "kreis-herford"] for r in records.values())


def test_answer_pdf_gives_the_same_anfrage_as_its_kleine_anfrage() -> None:
    anfrage = read_drucksache(FIXTURES / "ka-2960-kleve.pdf", REGIONS)
    antwort = read_drucksache(FIXTURES / "antwort-2960-kleve.pdf", REGIONS)
    assert antwort == anfrage


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.pdf")), ids=lambda p: p.name)
def test_pdf_fixtures_are_small_real_pdfs(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) < 50_000


def test_pdf_plain_extraction_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """When pypdf's layout mode fails on a page, the plain text (no blank lines) still works."""
    from pypdf import PageObject

    plain = PageObject.extract_text

    def layout_fails(self: PageObject, *args: object, **kwargs: object) -> str:
        if kwargs.get("extraction_mode") == "layout":
            raise ValueError("layout mode not available")
        return plain(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PageObject, "extract_text", layout_fails)
    path = FIXTURES / "ka-1502-muenster-bielefeld.pdf"
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert read_drucksache(path, REGIONS) == expected


def test_text_with_bom_crlf_and_form_feeds(tmp_path: Path) -> None:
    source = FIXTURES / "ka-2231-hoexter.txt"
    variant = tmp_path / "ka.txt"
    variant.write_bytes(b"\xef\xbb\xbf" + source.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert read_drucksache(variant, REGIONS) == read_drucksache(source, REGIONS)


def test_soft_hyphens_ligatures_and_decomposed_umlauts() -> None:
    text = (
        "LANDTAG NORDRHEIN-WESTFALEN\n17. Wahlperiode\nDrucksache 17/100 02.02.2018\n\nKleine Anfrage 55\n\n"
        "der Abgeordneten Jana Pe\u0308tersen CDU\n\nWie geht es im Kreis Ho\u0308xter weiter?\n\n"
        "Die O\ufb00entlichkeit wartet auf Antworten.\n\n"
        "1. Welche Ansied\u00ad\nlungen sind ge\ufb02ant?\n"
    )
    record = parse_drucksache(text, REGIONS).record
    assert record["abgeordnete"] == [{"name": "Jana Pëtersen", "geschlecht": "w"}]
    assert record["vorbemerkung"] == "Die Offentlichkeit wartet auf Antworten."
    assert record["fragen"] == [{"nr": 1, "text": "Welche Ansiedlungen sind geflant?"}]
    assert record["regionen"] == ["kreis-hoexter"]
    assert record["datum"] == "2018-02-02"  # header date when there is no "Datum des Originals"


def test_questions_without_intro_and_numbered_list_in_vorbemerkung() -> None:
    text = (
        "Kleine Anfrage 77\ndes Abgeordneten Max Muster SPD\n\n17. Wahlperiode\n\nTitel der Anfrage?\n\n"
        "Im Kreis gelten drei Regeln:\n\n1. Erste Regel.\n\n2. Zweite Regel.\n\nDas ist bekannt.\n\n"
        "1. Wer hat die Regeln beschlossen?\n\n2. Seit wann gelten sie? (Bitte Datum angeben.)\n"
    )
    record = parse_drucksache(text).record
    assert [f["text"] for f in record["fragen"]] == [
        "Wer hat die Regeln beschlossen?",
        "Seit wann gelten sie? (Bitte Datum angeben.)",
    ]
    assert record["vorbemerkung"] == (
        "Im Kreis gelten drei Regeln:\n\n1. Erste Regel.\n\n2. Zweite Regel.\n\nDas ist bekannt."
    )


# --- dehyphenation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["für ihre Ansied-", "lung und Entwicklung"], "für ihre Ansiedlung und Entwicklung"),
        (["bezahlbares Woh-", "nen entscheidend."], "bezahlbares Wohnen entscheidend."),
        (["von NGA-", "Entwicklungskonzepten"], "von NGA-Entwicklungskonzepten"),
        (["in Nordrhein-", "Westfalen"], "in Nordrhein-Westfalen"),
        (["im NRW-", "", "Vergleich?"], "im NRW-Vergleich?"),
        (["eine NRW-", "weite Strategie"], "eine NRW-weite Strategie"),
        (["die GAK-", "Breitbandförderung"], "die GAK-Breitbandförderung"),
        (["Informations-", "und Kommunikationstechnik"], "Informations- und Kommunikationstechnik"),
        (["Natur-", "und Verbraucherschutz"], "Natur- und Verbraucherschutz"),
        (["Bund-", "Länder-Programm"], "Bund-Länder-Programm"),
        (["der 5G-", "fähigen Netze"], "der 5G-fähigen Netze"),
        (["CO2-", "neutral"], "CO2-neutral"),
        (["die 2018-", "2020 geförderten"], "die 2018-2020 geförderten"),
        (["Energiewirtschaft -", "Smart Energy"], "Energiewirtschaft - Smart Energy"),
        (["Digitale Stadtentwicklung/", "Smart City"], "Digitale Stadtentwicklung/Smart City"),
        (
            ["https://gigabit.nrw.de/foerderung-durch-", "zuschuesse.html"],
            "https://gigabit.nrw.de/foerderung-durch-zuschuesse.html",
        ),
        (["1.  Durch  welche", "Maßnahmen\u00a0wurde"], "1. Durch welche Maßnahmen wurde"),
        (["  Wie  ", "", "   ", "geht es?  "], "Wie geht es?"),
        (["ein be-", "stimmtes Ziel"], "ein bestimmtes Ziel"),
        (["Ruhr-Uni-", "versität"], "Ruhr-Universität"),
    ],
)
def test_join_wrapped(lines: list[str], joined: str) -> None:
    assert join_wrapped(lines) == joined


# --- regions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("in den Kreisen Gütersloh und Herford", ["kreis-guetersloh", "kreis-herford"]),
        ("der Bochumerinnen und Bochumer", ["bochum"]),
        ("im Kreis Höxter und in Höxter", ["kreis-hoexter"]),
        ("in Höxter", ["kreis-hoexter"]),
        ("im Märkischen Kreis", ["maerkischer-kreis"]),
        ("des Märkischen Kreises", ["maerkischer-kreis"]),
        ("im Oberbergischen Kreis", ["oberbergischer-kreis"]),
        ("des Rhein-Sieg-Kreises", ["rhein-sieg-kreis"]),
        ("des Hochsauerlandkreises", ["hochsauerlandkreis"]),
        ("in der Städteregion Aachen", ["staedteregion-aachen"]),
        ("in Mülheim", ["muelheim-an-der-ruhr"]),
        ("in der kreisfreien Stadt Oberhausen", ["oberhausen"]),
        ("in Ostwestfalen-Lippe", []),
        ("im Kreis Lippe", ["kreis-lippe"]),
        ("im Kreis Siegen-Wittgenstein", ["kreis-siegen-wittgenstein"]),
        ("in Münster, Köln und Bielefeld", ["muenster", "koeln", "bielefeld"]),
        ("Bochums Hochschulen", ["bochum"]),
        ("in der Bochumstraße", []),
        ("in Deutschland", []),
    ],
)
def test_find_regions(text: str, ids: list[str]) -> None:
    assert find_regions(text, REGIONS) == ids


def test_load_regions_reads_names_and_aliases() -> None:
    regions = dict(REGIONS)
    assert regions["kreis-hoexter"] == ["Kreis Höxter"]
    assert regions["kreis-siegen-wittgenstein"] == ["Kreis Siegen-Wittgenstein", "Siegen"]


def test_load_regions_errors(tmp_path: Path) -> None:
    broken = tmp_path / "regions.yaml"
    broken.write_text("regionen: [\n", encoding="utf-8")
    with pytest.raises(UserError):
        load_regions(broken)
    broken.write_text("gruppen: []\n", encoding="utf-8")
    with pytest.raises(UserError, match="regionen"):
        load_regions(broken)


def test_broken_regions_file_gives_file_and_line(tmp_path: Path) -> None:
    """The regions file is read like every file a clerk edits: German messages with file and line."""
    path = tmp_path / "regions.yaml"
    path.write_text("regionen:\n  - {id: a, name: A}\n  - {name: B}\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_regions(path)
    assert (info.value.file, info.value.line, info.value.message) == (str(path), 3, "Region ohne „id“")
    path.write_text("regionen:\n\t- {id: a, name: A}\n", encoding="utf-8")
    with pytest.raises(UserError, match="Tabulatorzeichen") as info:
        load_regions(path)
    assert (info.value.file, info.value.line) == (str(path), 2)
    path.write_text("regionen:\n  - {id: a, name: A, name: B}\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as problems:
        load_regions(path)
    assert [(p.file, p.line, p.message) for p in problems.value.problems] == [
        (str(path), 2, "Schlüssel doppelt vorhanden.")
    ]


def test_default_regions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert default_regions(tmp_path) == []
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "regions.yaml").write_text(
        (FIXTURES / "regions.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert default_regions(tmp_path) == REGIONS
    record = read_drucksache(FIXTURES / "ka-2231-hoexter.txt", default_regions(tmp_path))
    assert record["regionen"] == ["kreis-hoexter"]
    # the workspace is passed in: the current directory is never looked at
    assert read_drucksache(FIXTURES / "ka-2231-hoexter.txt")["regionen"] == []


def test_workspace_regions_find_the_seed_region(root: Path) -> None:
    path = root / "data" / "regions.yaml"
    if not path.exists():
        pytest.skip("no data/regions.yaml in the workspace")
    record = read_drucksache(seed_path("003"), load_regions(path))
    assert record["regionen"] == ["bochum"]


# --- errors ----------------------------------------------------------------------------------------


def _blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leer.txt", b"", "Text ist leer"),
        ("leerzeilen.txt", b"\n \n\t\n\f\n", "Text ist leer"),
        ("anderer-text.txt", b"Protokoll der Sitzung vom 3. Mai 2019.\n", "keine Kleine Anfrage erkannt"),
        ("latin1.txt", "Kleine Anfrage 5 - Höxter".encode("latin-1"), "nicht UTF-8"),
        ("binaer.txt", bytes(range(256)) * 4, "Binärdaten"),
        ("steuer.txt", ("\x01\x02\x03 Text " * 50).encode(), "Steuerzeichen"),
        ("kaputt.pdf", b"%PDF-1.4\n" + bytes(range(7, 200, 3)) + b"\n%%EOF", "PDF"),
        ("kein.pdf", b"Das ist kein PDF.", "PDF"),
        ("abgeschnitten.pdf", (FIXTURES / "ka-2960-kleve.pdf").read_bytes()[:3000], "PDF"),
        ("leer.pdf", _blank_pdf(), "keinen Text"),
        ("word.docx", b"PK\x03\x04" + b"\x00" * 40, "Word"),
        (
            "ohne-fragen.txt",
            b"Kleine Anfrage 12\n17. Wahlperiode\n\nTitel?\n\nNur Text.\n",
            "Fragen nicht gefunden",
        ),
        ("ohne-periode.txt", b"Kleine Anfrage 12\n\nTitel?\n\n1. Wie?\n", "Wahlperiode nicht gefunden"),
    ],
)
def test_bad_input_raises_drucksache_error(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DrucksacheError) as info:
        read_drucksache(path, REGIONS)
    assert message in info.value.message
    assert info.value.file == str(path)
    assert name in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DrucksacheError, match="nicht lesbar"):
        read_drucksache(tmp_path / "fehlt.pdf", REGIONS)


_FIXTURE_LINES = [
    line for path in sorted(FIXTURES.glob("*.txt")) for line in path.read_text(encoding="utf-8").split("\n")
]
_TRICKY_LINES = [
    "",
    " ",
    "\f",
    "1.",
    "1. Wie?",
    "2. (",
    ")",
    "?",
    "-",
    "Kleine Anfrage 5",
    "der Abgeordneten",
    "des Abgeordneten Max Muster SPD",
    "Vorbemerkung der Kleinen Anfrage",
    "Vorbemerkung der Landesregierung",
    "Der Minister hat die Kleine Anfrage 3 mit Schreiben vom 1. Mai 2019 beantwortet.",
    "auf die Kleine Anfrage 12 vom 30. Februar 2019",
    "Datum des Originals: 31.02.2019/Ausgegeben:",
    "1. Welche Frage? (Bitte (",
    "LANDTAG NORDRHEIN-WESTFALEN - 17. Wahlperiode Drucksache 17/1",
    "Die Veröffentlichungen des Landtags",
    "17. Wahlperiode",
    "Drucksache 99/999999",
    "Frage 1:",
]


def _check_record_or_error(path: Path) -> None:
    try:
        record = read_drucksache(path, REGIONS)
    except AnfrageError:
        return
    assert list(record) == KEYS
    assert isinstance(record["nummer"], int) and isinstance(record["wahlperiode"], int)
    assert record["fragen"] and [f["nr"] for f in record["fragen"]] == list(range(1, len(record["fragen"]) + 1))
    assert all(isinstance(f["text"], str) for f in record["fragen"])
    yaml.safe_load(record_to_yaml(record, None))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(_FIXTURE_LINES + _TRICKY_LINES), st.text(max_size=60)), max_size=80))
def test_fuzz_text_returns_record_or_anfrage_error(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ka.txt"
        path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        _check_record_or_error(path)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=2000), st.sampled_from([".txt", ".pdf", ""]))
def test_fuzz_bytes_returns_record_or_anfrage_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"ka{suffix}"
        path.write_bytes(data)
        _check_record_or_error(path)


def test_hostile_text_is_parsed_quickly() -> None:
    texts = [
        "Kleine Anfrage 5\ndes Abgeordneten A B SPD\nTitel?\n" + "1. Wie\n" * 20000,
        "Kleine Anfrage 5\nTitel?\n" + "wort fragen " * 100000 + "\n1. Wie?\n",
        "Vorbemerkung der Kleinen Anfrage\nauf die Kleine Anfrage 5 vom 1. Mai 2019\n" + "1. Wie\n2. Was\n" * 10000,
        "Kleine Anfrage 5\nTitel?\n1. Wie-\n" + "wort-\n" * 30000 + "?\n",
    ]
    for text in texts:
        start = time.monotonic()
        with contextlib.suppress(AnfrageError):
            parse_drucksache(text)
        assert time.monotonic() - start < 10


# --- YAML ------------------------------------------------------------------------------------------


def test_record_to_yaml_layout() -> None:
    record = read_drucksache(FIXTURES / "ka-1388-guetersloh-herford.txt", REGIONS)
    text = record_to_yaml(record, "breitband-2018")
    assert text == record_to_yaml(dict(record), "breitband-2018")  # deterministic
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "-"))]
    assert keys == ["serie", *KEYS]
    assert "\ndatum: 2018-10-23\n" in text
    assert "\nvorbemerkung: |\n  Schnelles Internet ist" in text
    assert "- {name: Dr. Anna-Lena Brinkhoff, geschlecht: w}" in text
    assert "Gütersloh" in text  # allow_unicode
    data = yaml.safe_load(text)
    assert data["datum"] == dt.date(2018, 10, 23)
    assert data["vorbemerkung"] == record["vorbemerkung"] + "\n"
    assert data["fragen"] == record["fragen"] and data["abgeordnete"] == record["abgeordnete"]
    assert data["titel"] == record["titel"] and data["serie"] == "breitband-2018"


def test_record_to_yaml_null_and_serie_from_record() -> None:
    record = read_drucksache(seed_path("000"), REGIONS)
    text = record_to_yaml({"serie": "digitalisierung-2018", **record}, None)
    assert text.startswith("serie: digitalisierung-2018\nwahlperiode: 17\nnummer: 1640\ndrucksache: null\n")
    assert "geschlecht: null}" in text
    assert yaml.safe_load(text)["fragen"][0]["text"] == SEED_000_FRAGEN[0]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_imported_yaml_is_a_valid_anfrage(path: Path) -> None:
    from anfrage.models import Anfrage

    record = read_drucksache(path, REGIONS)
    anfrage = Anfrage.model_validate(yaml.safe_load(record_to_yaml(record, "serie-x")))
    assert [f.text for f in anfrage.fragen] == [f["text"] for f in record["fragen"]]
