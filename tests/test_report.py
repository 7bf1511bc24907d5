"""The review report of a batch run (report.py): passages, common text, placeholders, the report."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from anfrage import models as m
from anfrage.report import common_passages, passages, placeholder_counts, report_markdown

FRONT = "---\nserie: test\nregion: {region}\ndrucksache: '17/[[ERGÄNZEN: Nummer]]'\n---\n\n"
BOCHUM = FRONT.format(region="bochum") + (
    "# Antwort\n\nGemeinsamer Satz.\n\n## Zu Frage 1\n\n1. **Wie?**\n\n"
    "Bochum hat [[ERGÄNZEN: Zahl]] Projekte.\n\nGleicher Schluss.\n"
)
DORTMUND = FRONT.format(region="dortmund") + (
    "# Antwort\n\nGemeinsamer Satz.\n\n## Zu Frage 1\n\n1. **Wie?**\n\n"
    "Dortmund hat 3 Projekte.\n[[PRÜFEN: Quelle]] [[MUSTERTEXT: x]]\n\nGleicher Schluss.\n"
)


@dataclass
class Item:
    """A fake ``ReportItem`` (what ``batch.RegionResult`` provides)."""

    region: m.Region
    markdown: str
    error: str | None = None


@pytest.fixture()
def serie() -> m.Serie:
    return m.Serie(id="test", titel="Test *Serie*", vorlage="test.md.j2")


# --- passages ------------------------------------------------------------------------------------


def test_passages_leave_out_the_front_matter() -> None:
    assert passages(BOCHUM) == [
        "# Antwort",
        "Gemeinsamer Satz.",
        "## Zu Frage 1",
        "1. **Wie?**",
        "Bochum hat [[ERGÄNZEN: Zahl]] Projekte.",
        "Gleicher Schluss.",
    ]


def test_passages_of_a_draft_without_front_matter_and_with_extra_blank_lines() -> None:
    assert passages("Eins.\nZwei.\n\n\n\nDrei.\n\n") == ["Eins.\nZwei.", "Drei."]
    assert passages("") == []


def test_common_passages_keep_the_order_of_the_first_draft() -> None:
    first = "C\n\nA\n\nB\n\nA\n"
    second = "A\n\nB\n\nC\n\nD\n"
    assert common_passages([first, second]) == ["C", "A", "B"]  # each once
    assert common_passages([second, first]) == ["A", "B", "C"]


def test_common_passages_are_in_every_draft() -> None:
    assert common_passages([BOCHUM, DORTMUND]) == [
        "# Antwort",
        "Gemeinsamer Satz.",
        "## Zu Frage 1",
        "1. **Wie?**",
        "Gleicher Schluss.",
    ]
    assert common_passages([BOCHUM, DORTMUND, "Gleicher Schluss.\n\nAnderes.\n"]) == ["Gleicher Schluss."]
    assert common_passages([BOCHUM, "Ganz anders.\n"]) == []
    assert common_passages([BOCHUM]) == passages(BOCHUM)
    assert common_passages([]) == []


def test_placeholder_counts_per_kind_including_the_front_matter() -> None:
    assert placeholder_counts(BOCHUM) == {"ERGÄNZEN": 2, "MUSTERTEXT": 0, "PRÜFEN": 0}
    assert placeholder_counts(DORTMUND) == {"ERGÄNZEN": 1, "MUSTERTEXT": 1, "PRÜFEN": 1}
    assert placeholder_counts("Kein Platzhalter, nur [[ERGÄNZEN ohne Doppelpunkt]].") == {
        "ERGÄNZEN": 0,
        "MUSTERTEXT": 0,
        "PRÜFEN": 0,
    }
    assert list(placeholder_counts("")) == ["ERGÄNZEN", "MUSTERTEXT", "PRÜFEN"]  # the table's column order


# --- the report ----------------------------------------------------------------------------------

EXPECTED = """\
# Prüfbericht: Test \\*Serie\\*

Serie „test“ – 2 Entwürfe.
Der gemeinsame Text steht einmal; je Region folgt nur, was von ihm abweicht.
Von Hand bearbeitete Entwürfe, die nicht ersetzt wurden, sind hier in der von anfrage erzeugten Fassung berücksichtigt.

Außerhalb des Geltungsbereichs (Ruhrgebiet) und nicht erstellt: 2 Regionen.

## Offene Platzhalter

| Region | ERGÄNZEN | MUSTERTEXT | PRÜFEN | gesamt |
|---|--:|--:|--:|--:|
| Bochum | 2 | 0 | 0 | 2 |
| Dortmund | 1 | 1 | 1 | 3 |
| **Summe** | 3 | 1 | 1 | 5 |

## Nicht erstellt

- Kreis Höxter: templates/test.md.j2:3: unbekannte Variable „x“ \\| \\*y\\*

## Gemeinsamer Text (in allen 2 Entwürfen gleich)

> # Antwort

> Gemeinsamer Satz.

> ## Zu Frage 1

> 1. **Wie?**

> Gleicher Schluss.

## Abweichungen je Region

### Bochum

*Abschnitt „Zu Frage 1“:*

> Bochum hat [[ERGÄNZEN: Zahl]] Projekte.

### Dortmund

*Abschnitt „Zu Frage 1“:*

> Dortmund hat 3 Projekte.
> [[PRÜFEN: Quelle]] [[MUSTERTEXT: x]]
"""


def _items(catalogue) -> list[Item]:
    return [
        Item(catalogue.regionen["bochum"], BOCHUM),
        Item(catalogue.regionen["kreis-hoexter"], "", "templates/test.md.j2:3: unbekannte Variable „x“ | *y*"),
        Item(catalogue.regionen["dortmund"], DORTMUND),
    ]


def test_report_of_two_drafts_and_a_failed_region(catalogue, serie: m.Serie) -> None:
    outside = [catalogue.regionen["kreis-soest"], catalogue.regionen["bonn"]]
    text = report_markdown(serie, _items(catalogue), outside=outside, scope="Ruhrgebiet")
    assert text == EXPECTED


def test_report_bytes_depend_on_the_drafts_only(catalogue, serie: m.Serie) -> None:
    first = report_markdown(serie, _items(catalogue)).encode("utf-8")
    assert first == report_markdown(serie, _items(catalogue)).encode("utf-8")
    assert first.endswith(b"\n") and not first.endswith(b"\n\n")
    # regions in the given order
    swapped = report_markdown(serie, list(reversed(_items(catalogue))))
    assert swapped.index("| Dortmund |") < swapped.index("| Bochum |")
    assert swapped.index("### Dortmund") < swapped.index("### Bochum")


def test_report_of_identical_drafts_has_no_deviations(catalogue, serie: m.Serie) -> None:
    items = [Item(catalogue.regionen["bochum"], BOCHUM), Item(catalogue.regionen["essen"], BOCHUM)]
    text = report_markdown(serie, items)
    assert text.count("Keine Abweichungen vom gemeinsamen Text.") == 2
    assert "> Bochum hat [[ERGÄNZEN: Zahl]] Projekte." in text
    assert "Außerhalb des Geltungsbereichs" not in text and "## Nicht erstellt" not in text


def test_report_of_drafts_without_a_common_passage(catalogue, serie: m.Serie) -> None:
    items = [Item(catalogue.regionen["bochum"], "Eins.\n"), Item(catalogue.regionen["essen"], "Zwei.\n")]
    text = report_markdown(serie, items)
    assert "## Gemeinsamer Text (in allen 2 Entwürfen gleich)\n\nKein Absatz ist in allen Entwürfen gleich.\n" in text
    assert "### Bochum\n\n> Eins.\n\n### Essen\n\n> Zwei.\n" in text  # no heading above: no section line


def test_report_when_every_region_failed(catalogue, serie: m.Serie) -> None:
    items = [Item(catalogue.regionen["bochum"], "", "Fehler A."), Item(catalogue.regionen["essen"], "", "Fehler B.")]
    assert report_markdown(serie, items) == (
        "# Prüfbericht: Test \\*Serie\\*\n"
        "\n"
        "Serie „test“ – 0 Entwürfe.\n"
        "Der gemeinsame Text steht einmal; je Region folgt nur, was von ihm abweicht.\n"
        "Von Hand bearbeitete Entwürfe, die nicht ersetzt wurden, sind hier in der von anfrage erzeugten Fassung "
        "berücksichtigt.\n"
        "\n"
        "## Offene Platzhalter\n"
        "\n"
        "Keine Entwürfe erstellt.\n"
        "\n"
        "## Nicht erstellt\n"
        "\n"
        "- Bochum: Fehler A.\n"
        "- Essen: Fehler B.\n"
    )


def test_report_of_one_draft(catalogue, serie: m.Serie) -> None:
    text = report_markdown(serie, [Item(catalogue.regionen["bochum"], BOCHUM)])
    assert "Serie „test“ – 1 Entwurf.\n" in text
    assert "### Bochum\n\nKeine Abweichungen vom gemeinsamen Text.\n" in text


def test_report_numbers_agree_with_their_nouns(catalogue, serie: m.Serie) -> None:
    text = report_markdown(
        serie, [Item(catalogue.regionen["bochum"], BOCHUM)], outside=[catalogue.regionen["bonn"]], scope="Ruhrgebiet"
    )
    assert "nicht erstellt: 1 Region." in text
    assert "in allen 1 Entwürfen" not in text
