"""The shipped catalogues: valid, complete, every fact with a source."""

from __future__ import annotations

import re

from anfrage.load.catalogue import load_catalogue
from anfrage.select import concerns, find_region, hub_for, modellregionen_for, select_regions
from conftest import ROOT, seed


def test_shipped_workspace_has_no_problems() -> None:
    cat = load_catalogue(ROOT)
    assert cat.problems == []


def test_53_regions_in_five_regierungsbezirke(catalogue) -> None:
    regions = list(catalogue.regionen.values())
    assert len(regions) == 53
    assert sum(r.art == "kreisfreie Stadt" for r in regions) == 22
    assert sum(r.art in ("Kreis", "Städteregion") for r in regions) == 31
    per_bezirk = {b: sum(r.regierungsbezirk == b for r in regions) for b in catalogue.regierungsbezirke}
    assert per_bezirk == {"duesseldorf": 15, "koeln": 11, "muenster": 8, "detmold": 7, "arnsberg": 12}
    for region in regions:
        assert region.kreisschluessel.startswith(catalogue.regierungsbezirke[region.regierungsbezirk].schluessel)


def test_every_record_names_a_source(catalogue) -> None:
    kinds = [
        catalogue.ressorts,
        catalogue.regierungsbezirke,
        catalogue.regionen,
        catalogue.gemeinden,
        catalogue.gruppen,
        catalogue.modellregionen,
        catalogue.hubs,
        catalogue.programme,
        catalogue.handlungsfelder,
        catalogue.projekte,
        catalogue.ideen,
    ]
    for records in kinds:
        for key, record in records.items():
            assert record.quelle, f"{type(record).__name__} {key} ohne Quelle"
    for programm in catalogue.programme.values():
        for name, values in programm.werte.items():
            assert all(v.quelle for v in values), f"{programm.id}.{name} ohne Quelle"


def test_ruhrgebiet_has_the_15_members_of_the_rvr(catalogue) -> None:
    members = {r.id for r in select_regions(catalogue, "ruhrgebiet")}
    assert members == {
        "bochum",
        "bottrop",
        "dortmund",
        "duisburg",
        "essen",
        "gelsenkirchen",
        "hagen",
        "hamm",
        "herne",
        "muelheim-an-der-ruhr",
        "oberhausen",
        "ennepe-ruhr-kreis",
        "kreis-recklinghausen",
        "kreis-unna",
        "kreis-wesel",
    }


def test_hierarchy_gemeinde_belongs_to_its_kreis(catalogue) -> None:
    soest = find_region(catalogue, "kreis-soest")
    assert concerns(catalogue, ["soest"], soest)  # „Soest als Oberzentrum des Kreises“ (pm-modellregionen)
    assert concerns(catalogue, ["delbrueck"], find_region(catalogue, "kreis-paderborn"))
    assert not concerns(catalogue, ["soest"], find_region(catalogue, "bochum"))
    assert concerns(catalogue, ["arnsberg"], find_region(catalogue, "bochum"))
    assert concerns(catalogue, ["land"], find_region(catalogue, "kreis-hoexter"))
    assert [m.id for m in modellregionen_for(catalogue, soest)] == ["modellregion-soest"]


def test_a_gemeinde_whose_kreis_no_source_gives_belongs_to_no_region(catalogue) -> None:
    """Iserlohn and Lippstadt are named without their Kreis in every source: kreis and art stay null."""
    for gid in ("iserlohn", "lippstadt", "aachen"):
        assert catalogue.gemeinden[gid].kreis is None and catalogue.gemeinden[gid].art is None
    assert not modellregionen_for(catalogue, find_region(catalogue, "maerkischer-kreis"))


def test_hub_known_only_where_a_source_says_so(catalogue) -> None:
    assert hub_for(catalogue, find_region(catalogue, "bochum")).name == "ruhr:HUB GmbH"
    assert hub_for(catalogue, find_region(catalogue, "dortmund")) is None


def test_seed_000_offers_are_quoted_verbatim(catalogue) -> None:
    text = " ".join(seed("000").split())
    text = re.sub(r"(\w)- (\w)", r"\1-\2", text)  # PDF wrap inside compounds
    for pid in ("digitalisierungsgutschein", "buergschaften", "potentialberatung", "arbeit-2020"):
        programm = catalogue.programme[pid]
        assert " ".join(programm.text.split()) in text, pid


def test_seed_003_relevance_texts_are_verbatim(catalogue) -> None:
    text = " ".join(seed("003").split())
    # the Drucksache hyphenates at line ends; compare without hyphen-space joins
    flat = re.sub(r"(\w)- (\w)", r"\1\2", text).replace(" ", "")
    for projekt in catalogue.projekte.values():
        relevance = projekt.bezug["bochum"].text
        assert relevance.replace("-", "").replace(" ", "") in flat.replace("-", ""), projekt.id


def test_value_at_prefers_dated_values_and_falls_back_to_undated() -> None:
    import datetime as dt

    from anfrage.models import Wert
    from anfrage.select import value_at

    values = [
        Wert(wert=6, stand=dt.date(2018, 11, 28), quelle=["q"]),
        Wert(wert=5, stand=dt.date(2021, 1, 1), quelle=["q"]),
        Wert(wert="undatiert", stand=None, quelle=["q"]),
    ]
    assert value_at(values, dt.date(2019, 5, 1)).wert == 6
    assert value_at(values, dt.date(2022, 1, 1)).wert == 5
    assert value_at(values, None).wert == 5
    assert value_at(values, dt.date(2017, 1, 1)).wert == "undatiert"
    assert value_at(values[:2], dt.date(2017, 1, 1)) is None


def test_modellregionen_catalogue_holds_the_91_million(catalogue) -> None:
    from anfrage.german import euro

    values = catalogue.programme["digitale-modellregionen"].werte["landesfoerderung_euro"]
    assert euro(values[0].wert) == "91.000.000 Euro"
    assert len(catalogue.modellregionen) == 5
    owl = catalogue.modellregionen["modellregion-paderborn"]
    assert owl.leitkommune == "paderborn" and owl.seit == "September 2017"
