"""Normalisation of drafts: one sentence per line, escaping, stable bytes."""

from __future__ import annotations

import pytest

from anfrage import draft, markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eins ist gut. Zwei auch.", ["Eins ist gut.", "Zwei auch."]),
        ("Schreiben vom 28. November 2018 beantwortet.", ["Schreiben vom 28. November 2018 beantwortet."]),
        (
            "Zur Beantwortung der Fragen 4. und 5. wird verwiesen.",
            ["Zur Beantwortung der Fragen 4. und 5. wird verwiesen."],
        ),
        ("Die 17. Wahlperiode beginnt.", ["Die 17. Wahlperiode beginnt."]),
        (
            "Beide landen unter den Top 20. In den Kategorien nicht.",
            ["Beide landen unter den Top 20.", "In den Kategorien nicht."],
        ),
        ("Kredite bis 10 Mio. EUR bereit. Er kann", ["Kredite bis 10 Mio. EUR bereit.", "Er kann"]),
        ("Das gilt z. B. hier, u.a. dort. Gut.", ["Das gilt z. B. hier, u.a. dort.", "Gut."]),
        ("Prof. Dr. Karsten Rudolph fragt.", ["Prof. Dr. Karsten Rudolph fragt."]),
        ("Gefördert? (Bitte einzeln auflisten.)", ["Gefördert?", "(Bitte einzeln auflisten.)"]),
        ("Er sagte „Ja.“ Dann ging er.", ["Er sagte „Ja.“", "Dann ging er."]),
        ("Im Jahr 2020. Danach kam 2021.", ["Im Jahr 2020.", "Danach kam 2021."]),
        ("Mittelstand.innovativ! bietet an.", ["Mittelstand.innovativ! bietet an."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert markdown.split_sentences(text) == expected


def test_escape_keeps_data_text_literal() -> None:
    assert markdown.escape("Bürger*innen und a_b `c` <x> |") == r"Bürger\*innen und a\_b \`c\` \<x\> \|"


def test_normalise_one_sentence_per_line_and_stable_bytes() -> None:
    text = (
        "---\na: 1\n---\n\n\n# Titel  \n\nEins ist gut.\nZwei   auch. Drei.\n\n\n\n1. **Frage eins? (Bitte\n  "
        " auflisten.)**\n"
    )
    result = markdown.normalise(text)
    assert result == (
        "---\na: 1\n---\n\n# Titel\n\nEins ist gut.\nZwei auch.\nDrei.\n\n1. **Frage eins?\n   (Bitte auflisten.)**\n"
    )
    assert markdown.normalise(result) == result


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. FC Köln spielt.", "1\\. FC Köln spielt."),
        ("# eins", "\\# eins"),
        ("- minus", "\\- minus"),
        ("> zitat", "\\> zitat"),
    ],
)
def test_data_paragraphs_never_turn_into_structure(text: str, expected: str) -> None:
    escaped = markdown.escape_block(text)
    assert escaped == expected
    assert markdown.normalise(escaped + "\n") == expected + "\n"


def test_hard_broken_blocks_and_tables_stay_as_written() -> None:
    block = (
        "auf die Kleine Anfrage 1 vom 2. Mai 2019\\\nder Abgeordneten A. Ein Satz. Noch einer\n\n| a | b "
        "|\n|---|---|\n| Satz. Satz. | x |\n"
    )
    assert markdown.normalise(block) == block


def test_placeholders_are_counted() -> None:
    text = "a [[ERGÄNZEN: x]] b [[MUSTERTEXT: y]] c [[PRÜFEN: z]] d [[anderes]]"
    assert draft.count_placeholders(text) == 3


def test_front_matter_round_trip() -> None:
    fm = draft.front_matter({"drucksache": "17/[[ERGÄNZEN: Nummer]]", "titel": "Was: „x“?", "n": 1})
    data, body, lines = draft.split_front_matter(fm + "\n# Text\n")
    assert data == {"drucksache": "17/[[ERGÄNZEN: Nummer]]", "titel": "Was: „x“?", "n": 1}
    assert body == "\n# Text\n"
    assert lines == 5
