"""What applies to a region (select.py): lookup, selection, scope of a series, answer data, values
at the answer date, running programmes and the projects that concern a region.

Lookups run on the shipped catalogue; what the shipped data does not contain (a project anchored at
a kreisangehörige Gemeinde, scopes of every kind) is built with small models.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest

from anfrage import models as m
from anfrage.errors import UserError
from anfrage.select import (
    concerns,
    effective_antwort,
    find_region,
    hub_for,
    in_scope,
    modellregionen_for,
    programme_active,
    projects_for,
    region_rows,
    require_in_scope,
    scope_name,
    select_regions,
    value_at,
)

INVALID = (
    "Ungültige Regionsangabe „{}“: erwartet wird eine Kennung (z. B. bochum), ein Name (z. B. Kreis Höxter) "
    "oder ein Kreisschlüssel (z. B. 05911)."
)
ALL_REGIONS_HINT = "Alle Regionen zeigt „anfrage list regionen“."


def _message(excinfo: pytest.ExceptionInfo[UserError]) -> str:
    return str(excinfo.value)


# --- find_region ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "region_id"),
    [
        ("bochum", "bochum"),  # id
        ("BOCHUM", "bochum"),  # case-insensitive
        ("Kreis Höxter", "kreis-hoexter"),  # name
        ("kreis höxter", "kreis-hoexter"),
        ("Landkreis Höxter", "kreis-hoexter"),  # alias
        ("Mülheim", "muelheim-an-der-ruhr"),
        ("mülheim a. d. ruhr", "muelheim-an-der-ruhr"),
        ("StädteRegion Aachen", "staedteregion-aachen"),
        ("05911", "bochum"),  # Kreisschlüssel of a kreisfreie Stadt
        ("05911000", "bochum"),  # its AGS
        ("05762", "kreis-hoexter"),  # Kreisschlüssel (= AGS) of a Kreis
        ("  Bochum ", "bochum"),  # surrounding whitespace
        ("05911\n", "bochum"),
        ("kreis  höxter", "kreis-hoexter"),  # inner runs of spaces count as one
    ],
)
def test_find_region_by_id_name_alias_and_keys(catalogue, query: str, region_id: str) -> None:
    assert find_region(catalogue, query).id == region_id


def test_a_kreis_has_no_eight_digit_ags(catalogue) -> None:
    with pytest.raises(UserError) as excinfo:
        find_region(catalogue, "05762000")
    assert _message(excinfo) == f"Unbekannte Region „05762000“. {ALL_REGIONS_HINT}"


@pytest.mark.parametrize(
    "query", [unicodedata.normalize("NFD", "Kreis Höxter"), "Kreis\u00a0Höxter", "Kreis\tHöxter", " kreis  höxter "]
)
def test_find_region_accepts_the_name_as_the_clerk_sees_it(catalogue, query: str) -> None:
    """Decomposed umlauts (macOS, some Windows input), no-break spaces and tabs are the same name."""
    assert find_region(catalogue, query).id == "kreis-hoexter"


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("boch\0um", "boch?um"),
        ("../../etc", "../../etc"),
        ("bochum/../x", "bochum/../x"),
        ("Kreis/Höxter", "Kreis/Höxter"),
        ("b..c", "b..c"),
        ("", ""),
        ("   ", "   "),
        ("a" * 81, "a" * 80),  # 80 characters at most; the message is cut as well
    ],
)
def test_find_region_refuses_what_is_no_region_name(catalogue, query: str, shown: str) -> None:
    with pytest.raises(UserError) as excinfo:
        find_region(catalogue, query)
    assert _message(excinfo) == INVALID.format(shown)


@pytest.mark.parametrize(
    ("query", "kreis"),
    [
        ("Soest", " Gemeint ist vermutlich „Kreis Soest“ (kreis-soest)."),
        ("soest", " Gemeint ist vermutlich „Kreis Soest“ (kreis-soest)."),
        ("Paderborn", " Gemeint ist vermutlich „Kreis Paderborn“ (kreis-paderborn)."),
        ("Lippstadt", ""),  # no cited source gives its Kreis: no guess either
        ("Aachen", ""),
    ],
)
def test_a_gemeinde_points_to_its_kreis(catalogue, query: str, kreis: str) -> None:
    with pytest.raises(UserError) as excinfo:
        find_region(catalogue, query)
    name = catalogue.gemeinden[query.casefold()].name
    assert _message(excinfo) == f"„{name}“ ist eine Gemeinde, keine Region der Serie.{kreis}"


def test_a_gemeinde_whose_kreis_is_missing_gets_no_hint(catalogue) -> None:
    gemeinde = m.Gemeinde(id="irgendwo", name="Irgendwo", kreis="kreis-gibtsnicht", quelle=["q"])
    cat = dataclasses.replace(catalogue, gemeinden={"irgendwo": gemeinde})
    with pytest.raises(UserError) as excinfo:
        find_region(cat, "Irgendwo")
    assert _message(excinfo) == "„Irgendwo“ ist eine Gemeinde, keine Region der Serie."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("bohcum", "Unbekannte Region „bohcum“. Meinten Sie: Bochum (bochum)?"),
        ("dortmnd", "Unbekannte Region „dortmnd“. Meinten Sie: Dortmund (dortmund)?"),
        ("Höx", "Unbekannte Region „Höx“. Meinten Sie: Kreis Höxter (kreis-hoexter)?"),  # part of a name
        (
            "Kreis Paderbron",
            "Unbekannte Region „Kreis Paderbron“. "
            "Meinten Sie: Kreis Paderborn (kreis-paderborn), Kreis Düren (kreis-dueren)?",
        ),
        ("xyzzy", f"Unbekannte Region „xyzzy“. {ALL_REGIONS_HINT}"),
    ],
)
def test_unknown_region_suggests_close_names(catalogue, query: str, message: str) -> None:
    with pytest.raises(UserError) as excinfo:
        find_region(catalogue, query)
    assert _message(excinfo) == message


def test_suggestions_name_each_region_once_and_at_most_five(catalogue) -> None:
    with pytest.raises(UserError) as excinfo:
        find_region(catalogue, "kreis")  # part of the names of 25 Kreise
    listed = _message(excinfo).removeprefix("Unbekannte Region „kreis“. Meinten Sie: ").removesuffix("?")
    names = listed.split(", ")
    assert len(names) == 5 == len(set(names))


# --- select_regions ------------------------------------------------------------------------------


def test_select_alle_in_catalogue_order(catalogue) -> None:
    for expression in ("alle", "ALLE", " alle "):
        assert select_regions(catalogue, expression) == list(catalogue.regionen.values())


def test_select_a_group_by_id_in_catalogue_order(catalogue) -> None:
    chosen = select_regions(catalogue, "Ruhrgebiet")
    assert {r.id for r in chosen} == set(catalogue.gruppen["ruhrgebiet"].mitglieder)
    assert chosen == [r for r in catalogue.regionen.values() if r.id in {c.id for c in chosen}]
    assert [r.id for r in chosen[:3]] == ["duisburg", "essen", "muelheim-an-der-ruhr"]


@pytest.mark.parametrize("expression", ["regbez:arnsberg", "REGBEZ: Arnsberg", "regbez:059"])
def test_select_a_regierungsbezirk_by_id_name_or_key(catalogue, expression: str) -> None:
    chosen = select_regions(catalogue, expression)
    assert len(chosen) == 12
    assert {r.regierungsbezirk for r in chosen} == {"arnsberg"}
    assert chosen[0].id == "bochum"


def test_select_unknown_regierungsbezirk(catalogue) -> None:
    with pytest.raises(UserError) as excinfo:
        select_regions(catalogue, "regbez:Ruhr")
    assert _message(excinfo) == (
        "Unbekannter Regierungsbezirk „ruhr“. Bekannt: duesseldorf, koeln, muenster, detmold, arnsberg."
    )


def test_select_a_list_keeps_its_order_without_duplicates(catalogue) -> None:
    chosen = select_regions(catalogue, "essen, Bochum,05911,,Kreis Höxter")
    assert [r.id for r in chosen] == ["essen", "bochum", "kreis-hoexter"]


@pytest.mark.parametrize("expression", ["", "   ", ",", " , ,"])
def test_select_nothing(catalogue, expression: str) -> None:
    with pytest.raises(UserError) as excinfo:
        select_regions(catalogue, expression)
    assert _message(excinfo) == "Keine Region angegeben."


def test_select_a_list_fails_on_its_first_bad_entry(catalogue) -> None:
    with pytest.raises(UserError) as excinfo:
        select_regions(catalogue, "bochum,xyzzy,../etc")
    assert _message(excinfo) == f"Unbekannte Region „xyzzy“. {ALL_REGIONS_HINT}"
    with pytest.raises(UserError) as excinfo:
        select_regions(catalogue, "bochum,Lippstadt")
    assert _message(excinfo).startswith("„Lippstadt“ ist eine Gemeinde")


# --- scope of a series ---------------------------------------------------------------------------


def _serie(geltungsbereich: str | list[str], antwort: m.Antwort | None = None) -> m.Serie:
    return m.Serie(
        id="test-serie",
        titel="Test",
        vorlage="test.md.j2",
        geltungsbereich=geltungsbereich,
        antwort=antwort or m.Antwort(),
    )


@pytest.mark.parametrize(
    ("scope", "inside", "outside", "name"),
    [
        ("alle", ["bochum", "kreis-hoexter"], [], "alle"),
        (["bochum", "kreis-hoexter"], ["bochum", "kreis-hoexter"], ["dortmund"], "Bochum, Kreis Höxter"),
        ("ruhrgebiet", ["bochum", "kreis-wesel"], ["kreis-hoexter", "duesseldorf"], "Ruhrgebiet"),
        ("regbez:detmold", ["bielefeld", "kreis-hoexter"], ["bochum"], "Regierungsbezirk Detmold"),
        ("bochum", ["bochum"], ["dortmund"], "bochum"),  # a single region id
        ("regbez:gibtsnicht", [], ["bochum"], "regbez:gibtsnicht"),
        ("gibtsnicht", [], ["bochum"], "gibtsnicht"),
    ],
)
def test_scope(catalogue, scope, inside: list[str], outside: list[str], name: str) -> None:
    serie = _serie(scope)
    for region_id in inside:
        region = catalogue.regionen[region_id]
        assert in_scope(catalogue, serie, region), region_id
        require_in_scope(catalogue, serie, region)
    for region_id in outside:
        assert not in_scope(catalogue, serie, catalogue.regionen[region_id]), region_id
    assert scope_name(catalogue, serie) == name


def test_scope_name_of_a_list_leaves_unknown_ids_out(catalogue) -> None:
    assert scope_name(catalogue, _serie(["bochum", "atlantis", "essen"])) == "Bochum, Essen"


def test_region_outside_the_scope_is_refused_with_the_scope_named(catalogue) -> None:
    with pytest.raises(UserError) as excinfo:
        require_in_scope(catalogue, _serie("ruhrgebiet"), catalogue.regionen["kreis-hoexter"])
    assert _message(excinfo) == (
        "Die Serie „test-serie“ gilt nur für „Ruhrgebiet“; Kreis Höxter gehört nicht dazu. "
        "Es wird kein Entwurf erstellt."
    )
    with pytest.raises(UserError) as excinfo:
        require_in_scope(catalogue, _serie("regbez:detmold"), catalogue.regionen["bochum"])
    assert _message(excinfo) == (
        "Die Serie „test-serie“ gilt nur für „Regierungsbezirk Detmold“; Bochum gehört nicht dazu. "
        "Es wird kein Entwurf erstellt."
    )


# --- answer data and values in effect ------------------------------------------------------------


def _anfrage(antwort: m.Antwort | None) -> m.Anfrage:
    return m.Anfrage(
        wahlperiode=17,
        nummer=1,
        abgeordnete=[m.Abgeordnete(name="A")],
        fraktion="F",
        titel="T",
        fragen=[m.Frage(nr=1, text="Wie?")],
        antwort=antwort,
    )


def test_effective_antwort_prefers_the_anfrage_own() -> None:
    series_answer = m.Antwort(datum=dt.date(2018, 11, 28))
    own_answer = m.Antwort(datum=dt.date(2019, 1, 15), drucksache="17/4711")
    serie = _serie("alle", series_answer)
    assert effective_antwort(serie, _anfrage(own_answer)) == own_answer
    assert effective_antwort(serie, _anfrage(None)) == series_answer
    assert effective_antwort(serie, None) == series_answer
    # field by field: what the Anfrage does not set comes from the series, its Drucksache never
    lead = m.Amtstraeger(ressort="mwide", geschlecht="m")
    serie = _serie("alle", m.Antwort(federfuehrend=lead, datum=dt.date(2018, 11, 28), drucksache="17/1"))
    merged = effective_antwort(serie, _anfrage(m.Antwort(datum=dt.date(2019, 1, 15))))
    assert (merged.federfuehrend, merged.datum, merged.drucksache) == (lead, dt.date(2019, 1, 15), None)


def _wert(wert: object, stand: dt.date | None) -> m.Wert:
    return m.Wert(wert=wert, stand=stand, quelle=["q"])


def test_value_at_takes_the_latest_stand_on_or_before_the_date() -> None:
    values = [
        _wert(5, dt.date(2021, 1, 1)),  # order in the file does not matter
        _wert(6, dt.date(2018, 11, 28)),
        _wert("undatiert", None),
    ]
    assert value_at(values, dt.date(2018, 11, 28)).wert == 6  # valid from its Stand on
    assert value_at(values, dt.date(2020, 12, 31)).wert == 6
    assert value_at(values, dt.date(2021, 1, 1)).wert == 5
    assert value_at(values, None).wert == 5  # no answer date: the newest
    assert value_at(values, dt.date(2018, 11, 27)).wert == "undatiert"  # before every Stand


def test_value_at_without_dated_values() -> None:
    assert value_at([_wert("a", None), _wert("b", None)], dt.date(2018, 1, 1)).wert == "b"
    assert value_at([_wert("a", None)], None).wert == "a"
    assert value_at([_wert(1, dt.date(2019, 1, 1))], dt.date(2018, 1, 1)) is None
    assert value_at([], None) is None


def _programm(von: dt.date | None, bis: dt.date | None) -> m.Programm:
    return m.Programm(id="p", name="P", text="Text.", gueltig_von=von, gueltig_bis=bis, quelle=["q"])


@pytest.mark.parametrize(
    ("von", "bis", "date", "active"),
    [
        (None, None, dt.date(2018, 11, 28), True),
        (None, None, None, True),
        (dt.date(2018, 9, 1), None, dt.date(2018, 8, 31), False),  # not yet started
        (dt.date(2018, 9, 1), None, dt.date(2018, 9, 1), True),  # first day
        (None, dt.date(2018, 12, 31), dt.date(2018, 12, 31), True),  # last day
        (None, dt.date(2018, 12, 31), dt.date(2019, 1, 1), False),  # ended
        (dt.date(2018, 1, 1), dt.date(2018, 1, 1), dt.date(2018, 1, 1), True),  # one day only
        (None, dt.date(2018, 12, 31), None, False),  # no answer date: only offers without an end
        (dt.date(2030, 1, 1), None, None, True),  # (a start date alone does not count then)
    ],
)
def test_programme_active(von, bis, date, active: bool) -> None:
    assert programme_active(_programm(von, bis), date) is active


# --- what concerns a region ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anchors", "region_id", "expected"),
    [
        (["land"], "kreis-hoexter", True),
        (["bochum"], "bochum", True),
        (["bochum"], "dortmund", False),
        (["ruhrgebiet"], "kreis-unna", True),  # a group: its members
        (["ruhrgebiet"], "kreis-soest", False),
        (["arnsberg"], "kreis-soest", True),  # a Regierungsbezirk: its Kreise and Städte
        (["detmold"], "kreis-soest", False),
        (["soest"], "kreis-soest", True),  # a Gemeinde: its Kreis
        (["soest"], "kreis-paderborn", False),
        (["lippstadt"], "kreis-soest", False),  # no source gives Lippstadt's Kreis
        (["dortmund", "soest"], "kreis-soest", True),  # any anchor
        ([], "bochum", False),
        (["gibtsnicht"], "bochum", False),
    ],
)
def test_concerns(catalogue, anchors: list[str], region_id: str, expected: bool) -> None:
    assert concerns(catalogue, anchors, catalogue.regionen[region_id]) is expected


def test_hub_and_modellregionen(catalogue) -> None:
    regionen = catalogue.regionen
    assert hub_for(catalogue, regionen["bochum"]).id == "ruhr-hub"
    assert hub_for(catalogue, regionen["dortmund"]) is None
    ids = {rid: [x.id for x in modellregionen_for(catalogue, regionen[rid])] for rid in regionen}
    assert ids["kreis-soest"] == ["modellregion-soest"]  # Leitkommune Soest
    assert ids["maerkischer-kreis"] == []  # partner Iserlohn: no cited source gives its Kreis
    assert ids["kreis-paderborn"] == ["modellregion-paderborn"]
    assert ids["bielefeld"] == ["modellregion-paderborn"]
    assert ids["staedteregion-aachen"] == ["modellregion-aachen"]
    assert ids["bochum"] == []
    assert sum(1 for found in ids.values() if found) == 10


def test_projects_for_groups_by_handlungsfeld_in_catalogue_order(catalogue) -> None:
    groups = projects_for(catalogue, catalogue.regionen["bochum"])
    assert [feld.id for feld, _ in groups] == list(catalogue.handlungsfelder)
    assert [row.projekt.id for _, rows in groups for row in rows] == list(catalogue.projekte)
    assert all(row.bezug is catalogue.projekte[row.projekt.id].bezug["bochum"] for _, rows in groups for row in rows)


def test_projects_for_another_ruhr_region_has_no_bochum_relevance(catalogue) -> None:
    groups = projects_for(catalogue, catalogue.regionen["dortmund"])
    ids = [row.projekt.id for _, rows in groups for row in rows]
    assert "04-06" not in ids  # anchored at Bochum only
    assert len(ids) == len(catalogue.projekte) - 1
    assert all(row.bezug is None for _, rows in groups for row in rows)
    assert projects_for(catalogue, catalogue.regionen["kreis-hoexter"]) == []


def test_projects_for_a_kreis_takes_the_relevance_of_its_gemeinde(catalogue) -> None:
    lippstadt = m.Bezug(text="Ein Projekt in Soest.", quelle=["q"])
    projekt = m.Projekt(
        id="99-01",
        name="Testprojekt",
        handlungsfeld="energie-umwelt",
        verankerung=["soest"],
        bezug={"soest": lippstadt},
        quelle=["q"],
    )
    cat = dataclasses.replace(catalogue, projekte={"99-01": projekt})
    groups = projects_for(cat, cat.regionen["kreis-soest"])
    assert [(feld.id, [(row.projekt.id, row.bezug) for row in rows]) for feld, rows in groups] == [
        ("energie-umwelt", [("99-01", lippstadt)])
    ]
    assert projects_for(cat, cat.regionen["kreis-paderborn"]) == []


def test_region_rows_for_listings(catalogue) -> None:
    rows = {row["id"]: row for row in region_rows(catalogue)}
    assert len(rows) == 53
    assert rows["bochum"] == {
        "id": "bochum",
        "name": "Bochum",
        "art": "kreisfreie Stadt",
        "ags": "05911000",
        "kreisschluessel": "05911",
        "regierungsbezirk": "Arnsberg",
        "gruppen": ["ruhrgebiet"],
    }
    assert rows["kreis-hoexter"]["ags"] == "05762" and rows["kreis-hoexter"]["gruppen"] == []
