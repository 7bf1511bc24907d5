"""Unit tests of the German grammar and typography filters."""

from __future__ import annotations

import datetime as dt

import pytest

from anfrage import german


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2018, 11, 28), "28. November 2018"),
        (dt.date(2020, 9, 3), "3. September 2020"),
        (dt.date(2019, 3, 1), "1. März 2019"),
    ],
)
def test_datum_has_no_leading_zero_and_german_month(date: dt.date, expected: str) -> None:
    assert german.datum(date) == expected


def test_datum_kurz_for_the_header() -> None:
    assert german.datum_kurz(dt.date(2018, 3, 5)) == "05.03.2018"


def test_missing_date_is_a_visible_placeholder() -> None:
    assert german.datum(None) == "[[ERGÄNZEN: Datum]]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (521864, "521.864 Euro"),
        (65000, "65.000 Euro"),
        (150_000_000, "150.000.000 Euro"),
        (12.5, "12,5 Euro"),
        (900, "900 Euro"),
    ],
)
def test_euro(value: float, expected: str) -> None:
    assert german.euro(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(6, "sechs"), (5, "fünf"), (12, "zwölf"), (13, "13"), (1000, "1.000")])
def test_zahlwort_up_to_twelve(value: int, expected: str) -> None:
    assert german.zahlwort(value) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), (["A"], "A"), (["A", "B"], "A und B"), (["A", "B", "C"], "A, B und C")],
)
def test_aufzaehlung(items: list[str], expected: str) -> None:
    assert german.aufzaehlung(items) == expected


def test_zitat_uses_german_quotes() -> None:
    assert german.zitat("erfolgreich") == "„erfolgreich“"


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([{"name": "Max Muster", "geschlecht": "m"}], "des Abgeordneten Max Muster"),
        ([{"name": "Erika Muster", "geschlecht": "w"}], "der Abgeordneten Erika Muster"),
        (
            [{"name": "A", "geschlecht": "m"}, {"name": "B", "geschlecht": "m"}],
            "der Abgeordneten A und B",
        ),
        (
            [{"name": "A", "geschlecht": "w"}, {"name": "B", "geschlecht": None}, {"name": "C", "geschlecht": "m"}],
            "der Abgeordneten A, B und C",
        ),
        ([{"name": "X", "geschlecht": None}], "[[ERGÄNZEN: des/der]] Abgeordneten X"),
    ],
)
def test_abgeordnete_genitive(people: list[dict], expected: str) -> None:
    assert german.abgeordnete(people) == expected


@pytest.mark.parametrize(
    ("office", "gender", "case", "expected"),
    [
        (
            "Minister für Arbeit, Gesundheit und Soziales",
            "m",
            "dativ",
            "dem Minister für Arbeit, Gesundheit und Soziales",
        ),
        ("Minister für Umwelt", "w", "dativ", "der Ministerin für Umwelt"),
        ("Minister für Umwelt", "w", "nominativ", "die Ministerin für Umwelt"),
        ("Minister der Finanzen", "m", "nominativ", "der Minister der Finanzen"),
        ("Ministerpräsident", "m", "dativ", "dem Ministerpräsidenten"),
        ("Ministerpräsident", "m", "nominativ", "der Ministerpräsident"),
        ("Ministerpräsident", "w", "dativ", "der Ministerpräsidentin"),
    ],
)
def test_amt_gender_and_case(office: str, gender: str, case: str, expected: str) -> None:
    assert german.amt(office, gender, case) == expected


def test_gross_capitalises_only_the_first_letter() -> None:
    assert german.gross("der Minister für NRW") == "Der Minister für NRW"


@pytest.mark.parametrize(
    ("numbers", "punkt", "expected"),
    [
        ([2], False, "Frage 2"),
        ([4, 5], False, "Fragen 4 und 5"),
        ([4, 5], True, "Fragen 4. und 5."),
        ([1, 2, 3, 4, 5], False, "Fragen 1 bis 5"),
        ([1, 3, 5], False, "Fragen 1, 3 und 5"),
    ],
)
def test_fragen_bezug(numbers: list[int], punkt: bool, expected: str) -> None:
    assert german.fragen_bezug(numbers, punkt) == expected


@pytest.mark.parametrize(
    ("name", "art", "expected"),
    [
        ("Bochum", "kreisfreie Stadt", "Bochum"),
        ("Kreis Unna", "Kreis", "der Kreis Unna"),
        ("Ennepe-Ruhr-Kreis", "Kreis", "der Ennepe-Ruhr-Kreis"),
        ("Märkischer Kreis", "Kreis", "der Märkische Kreis"),
        ("Rheinisch-Bergischer Kreis", "Kreis", "der Rheinisch-Bergische Kreis"),
        ("Rhein-Kreis Neuss", "Kreis", "der Rhein-Kreis Neuss"),
        ("Städteregion Aachen", "Städteregion", "die Städteregion Aachen"),
    ],
)
def test_region_nominativ(name: str, art: str, expected: str) -> None:
    assert german.region_nominativ(name, art) == expected


def test_amt_with_unknown_gender_offers_both_forms_as_one_placeholder() -> None:
    office = "Minister für Arbeit, Gesundheit und Soziales"
    line = german.gross(german.amt(office, None, "nominativ"))
    assert line == "[[ERGÄNZEN: Der Minister oder die Ministerin]] für Arbeit, Gesundheit und Soziales"
    assert german.amt("Ministerpräsident", None, "dativ") == (
        "[[ERGÄNZEN: dem Ministerpräsidenten oder der Ministerpräsidentin]]"
    )
