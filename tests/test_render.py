"""Rendering drafts from the shipped workspace: golden files, reproduction of the seeds, all regions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from anfrage.errors import RenderError, UserError
from anfrage.guard import guard
from anfrage.load.series import open_bundle
from anfrage.pipeline import make_draft
from anfrage.render import Renderer
from anfrage.select import find_region
from conftest import GOLDEN, ROOT, seed
from similarity import similarity

DIGITAL = ROOT / "data" / "anfragen" / "digitalisierung-2018.yaml"
RUHR = ROOT / "data" / "anfragen" / "ruhrkonferenz-2020.yaml"


@pytest.fixture(scope="module")
def renderer(catalogue) -> Renderer:
    return Renderer(catalogue)


def draft(catalogue, renderer: Renderer, series: Path, region: str):
    return make_draft(renderer, open_bundle(catalogue, series), find_region(catalogue, region))


@pytest.mark.parametrize(
    ("series", "region"),
    [(DIGITAL, "bochum"), (DIGITAL, "kreis-hoexter"), (RUHR, "bochum"), (RUHR, "dortmund")],
)
def test_golden(catalogue, renderer, series: Path, region: str) -> None:
    """The drafts equal the reviewed golden files byte for byte (regenerate: python tests/update_golden.py)."""
    result = draft(catalogue, renderer, series, region)
    golden = GOLDEN / f"{result.name}.md"
    assert result.markdown == golden.read_text(encoding="utf-8")


def test_bochum_reproduces_the_published_answer_of_seed_000(catalogue, renderer) -> None:
    result = draft(catalogue, renderer, DIGITAL, "bochum")
    assert similarity(result.markdown, seed("000")) >= 0.95


def test_ruhr_bochum_reproduces_seed_003(catalogue, renderer) -> None:
    result = draft(catalogue, renderer, RUHR, "bochum")
    assert similarity(result.markdown, seed("003")) >= 0.95


def test_rendering_is_deterministic(catalogue) -> None:
    first = draft(catalogue, Renderer(catalogue), DIGITAL, "bochum").markdown
    second = draft(catalogue, Renderer(catalogue), DIGITAL, "bochum").markdown
    assert first == second


def test_every_region_gets_a_draft_that_names_it(catalogue, renderer) -> None:
    bundle = open_bundle(catalogue, DIGITAL)
    for region in catalogue.regionen.values():
        result = make_draft(renderer, bundle, region)
        guard(result.markdown, result.fragen, f"{result.name}.md")
        assert region.formen.in_ in result.markdown, region.id
        assert f"region: {region.id}\n" in result.markdown
        hub_sentence = "ist das Hub „ruhr:HUB GmbH“ aktiv."
        if region.id == "bochum":
            assert "In Bochum " + hub_sentence in result.markdown
            assert "[[MUSTERTEXT" not in result.markdown
        else:
            assert hub_sentence not in result.markdown
            assert f"[[ERGÄNZEN: Satz zum DWNRW-Hub, der {region.formen.in_} aktiv ist" in result.markdown
            assert result.markdown.count("[[MUSTERTEXT: Wortlaut der Frage") == 5


def test_values_follow_the_answer_date(catalogue, renderer) -> None:
    """Six hubs and 75 STARTERCENTER in 2018; the 2021 strategy says five and 74."""
    bundle = open_bundle(catalogue, DIGITAL)
    region = find_region(catalogue, "bochum")
    text_2018 = make_draft(renderer, bundle, region).markdown
    assert "sind die sechs DWNRW-Hubs" in text_2018 and "insgesamt 75 zertifizierten" in text_2018
    later = bundle.serie.antwort.model_copy(update={"datum": __import__("datetime").date(2022, 1, 10)})
    bundle.serie = bundle.serie.model_copy(update={"antwort": later})
    text_2022 = make_draft(renderer, bundle, region).markdown
    assert "sind die fünf DWNRW-Hubs" in text_2022 and "insgesamt 74 zertifizierten" in text_2022


def test_minister_line_grammar(catalogue, renderer) -> None:
    text = draft(catalogue, renderer, DIGITAL, "bochum").markdown
    assert (
        "Der Minister für Wirtschaft, Innovation, Digitalisierung und Energie hat die Kleine Anfrage 1640 mit "
        "Schreiben vom "
        "28. November 2018 namens der Landesregierung im Einvernehmen mit dem Minister für Arbeit, Gesundheit "
        "und Soziales "
        "und der Ministerin für Umwelt, Landwirtschaft, Natur- und Verbraucherschutz beantwortet."
    ) in text
    ruhr = draft(catalogue, renderer, RUHR, "bochum").markdown
    assert (
        "im Einvernehmen mit dem Ministerpräsidenten und allen anderen Mitgliedern der Landesregierung beantwortet."
        in ruhr
    )


def test_ruhr_tables_hold_the_15_projects_for_bochum(catalogue, renderer) -> None:
    text = draft(catalogue, renderer, RUHR, "bochum").markdown
    ids = re.findall(r"^\| .*?\[(\d\d-\d\d)\]", text, flags=re.MULTILINE)
    assert len(ids) == 15 and len(set(ids)) == 15
    assert text.count("| Projekt [ID-Nr.] | Lokaler Bezug des Projektes zu Bochum |") == 5


def test_ruhr_dortmund_carries_no_bochum_relevance(catalogue, renderer) -> None:
    text = draft(catalogue, renderer, RUHR, "dortmund").markdown
    assert "Lokaler Bezug des Projektes zu Dortmund" in text
    assert "[13-01]" in text and "[04-06]" not in text  # Open District Hub is anchored in Bochum only
    body = text.split("## Vorbemerkung der Landesregierung", 1)[1]
    tables = "\n".join(line for line in body.splitlines() if line.startswith("| "))
    assert "Bochum" not in tables.replace("Ruhr-Universität Bochum", "")
    assert tables.count("[[ERGÄNZEN: lokaler Bezug des Projektes zu Dortmund") == 14
    assert "engagiert hat" not in body.split("[[ERGÄNZEN", 1)[0]


def test_series_outside_its_scope_is_refused(catalogue, renderer) -> None:
    with pytest.raises(UserError, match="gilt nur für „Ruhrgebiet“; Kreis Höxter gehört nicht dazu"):
        draft(catalogue, renderer, RUHR, "kreis-hoexter")


def test_template_without_an_answer_is_caught(workspace: Path) -> None:
    from anfrage.pipeline import open_workspace

    template = workspace / "templates" / "digitalisierung-2018.md.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("{{ floskeln.fragen_verweis([4, 5], punkt=true) }}", ""), encoding="utf-8")
    cat = open_workspace(workspace)
    with pytest.raises(RenderError, match="Auf die Fragen 4 und 5 folgt keine Antwort"):
        make_draft(
            Renderer(cat),
            open_bundle(cat, workspace / "data/anfragen/digitalisierung-2018.yaml"),
            find_region(cat, "bochum"),
        )


def test_template_symlink_out_of_templates_is_refused(workspace: Path, tmp_path: Path) -> None:
    from anfrage.pipeline import open_workspace

    secret = tmp_path / "geheim.j2"
    secret.write_text("geheim\n", encoding="utf-8")
    (workspace / "templates" / "bausteine" / "link.md.j2").symlink_to(secret)
    template = workspace / "templates" / "digitalisierung-2018.md.j2"
    text = template.read_text(encoding="utf-8").replace(
        "{% block antworten %}", '{% block antworten %}\n{% include "bausteine/link.md.j2" %}'
    )
    template.write_text(text, encoding="utf-8")
    cat = open_workspace(workspace)
    with pytest.raises(RenderError, match="verweist aus dem Ordner templates/ hinaus"):
        make_draft(
            Renderer(cat),
            open_bundle(cat, workspace / "data/anfragen/digitalisierung-2018.yaml"),
            find_region(cat, "bochum"),
        )
