"""The hardened YAML reader (yamlio.py): line numbers, duplicate keys, limits, encodings, German messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from anfrage import yamlio
from anfrage.errors import Problem, UserError
from anfrage.yamlio import format_path, load_yaml, parse_yaml, read_text

CONTROL = "enthält ein unzulässiges Steuerzeichen (U+{:04X}); es würde die Word-Datei beschädigen."
NOT_TEXT = "ist keine Textdatei (Binärdaten, z. B. eine Word-, PDF- oder ZIP-Datei); erwartet wird Text in UTF-8."


def _error(text: str) -> str:
    with pytest.raises(UserError) as excinfo:
        parse_yaml(text, "data/x.yaml")
    return str(excinfo.value)


def _read_error(path: Path, **kwargs: object) -> str:
    with pytest.raises(UserError) as excinfo:
        read_text(path, "data/x.yaml", **kwargs)  # type: ignore[arg-type]
    return str(excinfo.value)


# --- line numbers --------------------------------------------------------------------------------

NESTED = """\
# Kommentar
regionen:
  - id: bochum
    name: Bochum
    aliase:
      - Bochum-Mitte
      - "Bo"
  - id: dortmund

    formen: {in: in Dortmund, zu: zu Dortmund}
gruppen: []
"""


def test_every_key_path_has_its_line() -> None:
    doc = parse_yaml(NESTED, "data/regions.yaml")
    assert doc.problems == []
    assert doc.data["regionen"][1]["formen"] == {"in": "in Dortmund", "zu": "zu Dortmund"}
    expected = {
        ("regionen",): 2,
        ("regionen", 0): 3,
        ("regionen", 0, "id"): 3,
        ("regionen", 0, "name"): 4,
        ("regionen", 0, "aliase"): 5,
        ("regionen", 0, "aliase", 0): 6,
        ("regionen", 0, "aliase", 1): 7,
        ("regionen", 1): 8,
        ("regionen", 1, "formen"): 10,
        ("regionen", 1, "formen", "in"): 10,
        ("gruppen",): 11,
    }
    for path, line in expected.items():
        assert doc.lines[path] == line, path


def test_line_of_falls_back_to_the_longest_known_prefix() -> None:
    doc = parse_yaml(NESTED, "data/regions.yaml")
    assert doc.line_of(("regionen", 1, "name")) == 8  # a missing key: the line of its entry
    assert doc.line_of(("regionen", 0, "aliase", 5)) == 5
    assert doc.line_of(("gibtsnicht",)) == 2  # nothing known: the line where the document starts
    assert doc.line_of(()) == 2
    assert parse_yaml("- a\n", "data/x.yaml").line_of(("gibtsnicht",)) == 1


def test_empty_documents() -> None:
    for text in ("", "# nur ein Kommentar\n", "\n\n"):
        doc = parse_yaml(text, "data/x.yaml")
        assert (doc.data, doc.lines, doc.problems) == (None, {}, [])


# --- keys ----------------------------------------------------------------------------------------


def test_duplicate_key_is_reported_and_the_first_value_kept() -> None:
    doc = parse_yaml("regionen:\n  - id: duisburg\n    name: Duisburg\n    name: Duisburg-Mitte\n", "data/r.yaml")
    assert doc.data == {"regionen": [{"id": "duisburg", "name": "Duisburg"}]}
    assert doc.problems == [Problem("data/r.yaml", 4, "regionen[0].name", "Schlüssel doppelt vorhanden.")]
    assert doc.lines[("regionen", 0, "name")] == 3


def test_keys_must_be_text_or_numbers() -> None:
    doc = parse_yaml("a:\n  [1, 2]: x\n  3: drei\n", "data/x.yaml")
    assert doc.data == {"a": {3: "drei"}}
    assert doc.problems == [Problem("data/x.yaml", 2, "a", "Schlüssel muss ein Text sein.")]


def test_boolean_keys_are_no_text() -> None:
    doc = parse_yaml("on: x\n1: y\n", "data/x.yaml")
    assert doc.problems == [Problem("data/x.yaml", 1, "", "Schlüssel muss ein Text sein.")]


def test_merge_keys_are_refused_with_their_line() -> None:
    assert _error("basis: &b {art: Kreis}\nregionen:\n  - <<: *b\n    id: x\n") == (
        "data/x.yaml:3: Zusammenführungen mit „<<“ werden nicht unterstützt."
    )


# --- limits --------------------------------------------------------------------------------------


def test_aliases_within_the_node_limit_are_expanded() -> None:
    doc = parse_yaml("a: &a [1, 2]\nb: [*a, *a]\n", "data/x.yaml")
    assert doc.data == {"a": [1, 2], "b": [[1, 2], [1, 2]]}


def test_alias_bomb_stops_at_the_node_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_NODES", 1000)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"  # 1 + 11 + 111 + 1111 nodes
    assert _error(bomb) == (
        "data/x.yaml: YAML ist zu groß oder enthält zu viele Verweise (Anker/Aliase); mehr als 1.000 Knoten."
    )
    assert parse_yaml(bomb.rsplit("c:", 1)[0], "data/x.yaml").problems == []  # 123 nodes are fine


def test_the_node_limit_is_two_hundred_thousand() -> None:
    assert yamlio.MAX_NODES == 200_000


def test_deep_nesting_is_refused() -> None:
    # deeper than libyaml's limit (1000) and Python's recursion limit, so both readers refuse it
    assert _error("a: " + "[" * 1200 + "]" * 1200 + "\n") == "data/x.yaml: YAML ist zu tief verschachtelt."


# --- read_text: size, binary data, encodings, control characters --------------------------------


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"# " + b"x" * 1497 + b"\n")
    assert _read_error(path, max_bytes=1000) == "data/x.yaml: Datei ist zu groß (1.500 Bytes, höchstens 1.000)."
    assert read_text(path, "data/x.yaml", max_bytes=1500).startswith("# x")
    assert yamlio.MAX_FILE_BYTES == 2_000_000


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 eine umbenannte Word-Datei",
        b"%PDF-1.7\n",
        b"\xd0\xcf\x11\xe0 altes Word",
        b"\x89PNG\r\n",
        b"\x1f\x8b gzip",
        b"a: 1\n" + b"\x00" * 10,
    ],
)
def test_binary_data_is_no_text(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    assert _read_error(path) == f"data/x.yaml: {NOT_TEXT}"


def test_latin1_file_names_the_character_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("id: x\ntitel: Wie unterstützt\n".encode("latin-1"))
    assert _read_error(path) == (
        "data/x.yaml:2: ist nicht in UTF-8 kodiert („ü“ ist vermutlich in Windows-1252/Latin-1 gespeichert); "
        "bitte die Datei als UTF-8 speichern."
    )


def test_byte_that_is_not_windows_1252_is_shown_as_hex(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\nb: 2\nc: \x81\n")
    assert _read_error(path) == (
        "data/x.yaml:3: ist nicht in UTF-8 kodiert (Byte 0x81); bitte die Datei als UTF-8 speichern."
    )


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("\ufeffa: ä\n".encode())
    assert read_text(path) == "a: ä\n"
    assert load_yaml(path, "data/x.yaml").data == {"a": "ä"}


@pytest.mark.parametrize(
    ("char", "allowed"),
    [
        ("\x00", False),
        ("\x0b", False),
        ("\x0c", False),
        ("\x1b", False),
        ("\x7f", False),
        ("\x9f", False),
        ("\ufffe", False),
        ("\t", True),
        ("\x85", True),  # NEL: allowed
        ("\u00a0", True),
        ("\u2028", True),
    ],
)
def test_control_characters_in_a_file(tmp_path: Path, char: str, allowed: bool) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(f"a: 1\n# b\nc: x{char}y\n".encode())
    if allowed:
        assert read_text(path, "data/x.yaml").endswith(f"x{char}y\n")
    else:
        assert _read_error(path) == f"data/x.yaml:3: {CONTROL.format(ord(char))}"


def test_control_character_from_a_yaml_escape_is_reported_and_replaced() -> None:
    doc = parse_yaml('a: 1\ntitel: "Wie\\x0bgeht es?"\n', "data/x.yaml")
    assert doc.data == {"a": 1, "titel": "Wie geht es?"}
    assert doc.problems == [Problem("data/x.yaml", 2, "titel", CONTROL.format(0x0B))]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert _read_error(tmp_path / "gibtsnicht.yaml") == "data/x.yaml: Datei nicht gefunden."
    assert _read_error(tmp_path) == "data/x.yaml: ist keine Datei."


def test_load_yaml_shows_the_display_name(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: [1\n", encoding="utf-8")
    with pytest.raises(UserError) as excinfo:
        load_yaml(path, "data/anzeige.yaml")
    assert (excinfo.value.file, excinfo.value.line) == ("data/anzeige.yaml", 1)
    with pytest.raises(UserError) as excinfo:
        load_yaml(path)
    assert excinfo.value.file == str(path)


# --- values --------------------------------------------------------------------------------------


def test_impossible_dates_are_reported_with_line_and_key() -> None:
    doc = parse_yaml("quellen:\n  - datum: 2018-02-30\n  - datum: 2018-13-01\n  - datum: 2018-02-28\n", "q.yaml")
    assert doc.data == {"quellen": [{"datum": None}, {"datum": None}, {"datum": dt.date(2018, 2, 28)}]}
    hint = "(Form JJJJ-MM-TT, z. B. 2018-11-28)."
    assert doc.problems == [
        Problem("q.yaml", 2, "quellen[0].datum", f"kein gültiges Datum „2018-02-30“ {hint}"),
        Problem("q.yaml", 3, "quellen[1].datum", f"kein gültiges Datum „2018-13-01“ {hint}"),
    ]


@pytest.mark.parametrize("text", ["a: !!python/object:os.system x\n", "a: !!binary x\n", "a: !foo x\n"])
def test_tags_are_not_constructed(text: str) -> None:
    doc = parse_yaml(text, "data/x.yaml")
    assert doc.data == {"a": None}
    assert doc.problems == [Problem("data/x.yaml", 1, "a", "ungültiger Wert „x“.")]


# --- German syntax messages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a:\n\tb: 1\n", "2: YAML-Syntaxfehler: Tabulatorzeichen sind in YAML nicht erlaubt (Leerzeichen verwenden)."),
        # an unclosed quote: the line where it opens, not where PyYAML notices it
        ('a: 1\nb: "offen\nc: 2\nd: 3\n', "2: YAML-Syntaxfehler: Anführungszeichen wird nicht geschlossen."),
        ("a: 1\nb: 'offen\nc: 2\n", "2: YAML-Syntaxfehler: Anführungszeichen wird nicht geschlossen."),
        (
            "a: [1, 2\nb: 3\n",
            "1: YAML-Syntaxfehler: Liste in eckigen Klammern nicht geschlossen („]“ oder Komma fehlt).",
        ),
        (
            "a: {x: 1\nb: 3\n",
            "1: YAML-Syntaxfehler: Eintrag in geschweiften Klammern nicht geschlossen („}“ oder Komma fehlt).",
        ),
        ("a: 1\nb\nc: 2\n", "2: YAML-Syntaxfehler: Doppelpunkt nach dem Schlüssel fehlt."),
        (
            "titel: Digitalisierung: Wie?\n",
            "1: YAML-Syntaxfehler: Doppelpunkt an unerwarteter Stelle (Text mit „: “ in Anführungszeichen setzen).",
        ),
        ("a:\n  b: 1\n c: 2\n", "3: YAML-Syntaxfehler: Einrückung stimmt nicht."),
        ("a: b\n- c\n", "2: YAML-Syntaxfehler: Einrückung stimmt nicht vor „-“."),
        ("a: *nix\n", "1: YAML-Syntaxfehler: unbekannter Verweis (Alias)."),
        ('a: "x\\qy"\n', "1: YAML-Syntaxfehler: unbekannte Escape-Sequenz in Anführungszeichen."),
    ],
)
def test_syntax_errors_in_german_with_their_line(text: str, message: str) -> None:
    assert _error(text) == f"data/x.yaml:{message}"


@pytest.mark.parametrize(
    "text",
    [
        "regionen: [\n",  # unclosed bracket at the end of the file
        "a: &\n",  # anchor without a name
        "twitter: @landnrw\n",  # a value starting with @ or `
        "a: 1\n---\nb: 2\n",  # a second document
    ],
)
def test_more_syntax_errors_in_german(text: str) -> None:
    message = _error(text)
    assert not any(word in message for word in ("found", "expected", "character", "document")), message


# --- format_path ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ((), ""),
        (("programme",), "programme"),
        (("programme", 7, "urls", 0), "programme[7].urls[0]"),
        (("projekte", 10, "bezug", "bochum", "betrag_euro"), "projekte[10].bezug.bochum.betrag_euro"),
        ((0, "a"), "[0].a"),
        (("a", 1, 2), "a[1][2]"),
    ],
)
def test_format_path(path: tuple[str | int, ...], shown: str) -> None:
    assert format_path(path) == shown
