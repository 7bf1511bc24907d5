"""Three-way merge of a hand-edited draft with a new render (anfrage.merge)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import merge3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from anfrage.docx.text import docx_to_text
from anfrage.docx.writer import markdown_to_docx
from anfrage.draft import PLACEHOLDER, count_placeholders, parser, split_front_matter
from anfrage.merge import (
    CONFLICT,
    Conflict,
    MergeResult,
    _block,
    _table_row,
    count_conflicts,
    find_conflicts,
    merge_drafts,
    normalise_text,
)
from conftest import GOLDEN

SETTINGS = settings(
    max_examples=int(os.environ.get("ANFRAGE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

DRAFT = """\
---
wahlperiode: 17
drucksache: '17/[[ERGÄNZEN: Nummer der Antwort-Drucksache]]'
datum: 28.11.2018
titel: Wie unterstützt die Landesregierung die Digitalisierung in Bochum?
ressort: Ministerium für Wirtschaft, Innovation, Digitalisierung und Energie
antwortdatum: '2018-11-28'
---

# Antwort der Landesregierung

## Vorbemerkung der Landesregierung

Studien wie der Digitalisierungskompass zeigen ein Gesamtbild.
Die Stadt Bochum erhielt [[ERGÄNZEN: Betrag in Euro]] aus dem Programm.
Der Ausbau wird fortgesetzt.
Weitere Mittel sind eingeplant.

Sie können viele Vorteile kombinieren:

- Hohe Lebensqualität
- Kurze Wege
- Beste Bildung

1. **Durch welche Maßnahmen wurde in Bochum seit 2015 der Ausbau gefördert?**

Auf die Vorbemerkung wird verwiesen.

### Handlungsfeld Mobilität

| Projekt [ID-Nr.] | Lokaler Bezug zu Bochum |
|---|---|
| ÖPNV-Initiative [13-01] | Ziel ist es, Wege zu verkürzen. |
| Mobilitätsregion [13-02] | [[ERGÄNZEN: lokaler Bezug]] |
| Vernetzte Mobilität [13-04] | Bochum ist Partner. |

Der letzte Absatz steht hier.
"""

FILLED = "Die Stadt Bochum erhielt 521.864 Euro aus dem Programm."
HINT = "Bitte eine der beiden Fassungen übernehmen und diesen Konflikthinweis löschen."


def edit(text: str, line: str, *new: str) -> str:
    """``text`` with its one line ``line`` replaced by the lines ``new`` (none: deleted)."""
    lines = text.split("\n")
    assert lines.count(line) == 1, line
    index = lines.index(line)
    return "\n".join(lines[:index] + list(new) + lines[index + 1 :])


def conflict_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if "[[KONFLIKT" in line]


def inline_tokens(text: str) -> list[Token]:
    return [t for t in parser().parse(text) if t.type == "inline"]


# --- clean merges ------------------------------------------------------------------------------------


def test_filled_placeholder_and_changed_sentence_elsewhere_merge_cleanly() -> None:
    ours = edit(DRAFT, "Die Stadt Bochum erhielt [[ERGÄNZEN: Betrag in Euro]] aus dem Programm.", FILLED)
    theirs = edit(
        DRAFT, "| Vernetzte Mobilität [13-04] | Bochum ist Partner. |", "| Vernetzte Mobilität [13-04] | Seit 2019. |"
    )

    result = merge_drafts(DRAFT, ours, theirs)

    assert result == MergeResult(
        edit(theirs, "Die Stadt Bochum erhielt [[ERGÄNZEN: Betrag in Euro]] aus dem Programm.", FILLED), 0
    )
    assert result.clean


def test_changes_of_neighbouring_sentences_are_both_applied() -> None:
    # git merge-file reports a conflict for edits of adjacent lines; one sentence per line makes
    # neighbouring sentences independent, so both changes are taken.
    ours = edit(DRAFT, "Die Stadt Bochum erhielt [[ERGÄNZEN: Betrag in Euro]] aus dem Programm.", FILLED)
    theirs = edit(DRAFT, "Der Ausbau wird fortgesetzt.", "Der Ausbau wird 2019 fortgesetzt.")
    assert any(
        g[0] == "conflict"
        for g in merge3.Merge3(DRAFT.split("\n"), ours.split("\n"), theirs.split("\n")).merge_groups()
    )

    result = merge_drafts(DRAFT, ours, theirs)

    assert result.clean
    assert result.text == edit(ours, "Der Ausbau wird fortgesetzt.", "Der Ausbau wird 2019 fortgesetzt.")


def test_an_insertion_next_to_a_changed_sentence_is_applied() -> None:
    ours = edit(DRAFT, "Der Ausbau wird fortgesetzt.", "Der Ausbau wird fortgesetzt.", "Ein Satz von Hand.")
    theirs = edit(DRAFT, "Weitere Mittel sind eingeplant.", "Weitere Mittel sind für 2020 eingeplant.")

    result = merge_drafts(DRAFT, ours, theirs)

    assert result.clean
    assert "Der Ausbau wird fortgesetzt.\nEin Satz von Hand.\nWeitere Mittel sind für 2020 eingeplant.\n" in result.text


def test_the_same_change_on_both_sides_is_taken_once() -> None:
    changed = edit(DRAFT, "Die Stadt Bochum erhielt [[ERGÄNZEN: Betrag in Euro]] aus dem Programm.", FILLED)
    changed = edit(changed, "- Kurze Wege", "- Kurze Wege", "- Schnelles Internet")

    result = merge_drafts(DRAFT, changed, changed)

    assert result == MergeResult(changed, 0)
    assert result.text.count(FILLED) == 1


def test_clerk_adds_a_paragraph_while_the_catalogue_changes_elsewhere() -> None:
    ours = edit(
        DRAFT,
        "Auf die Vorbemerkung wird verwiesen.",
        "Auf die Vorbemerkung wird verwiesen.",
        "",
        "Darüber hinaus fördert das Land den Breitbandausbau in Bochum.",
        "Die Mittel sind bewilligt.",
    )
    theirs = edit(DRAFT, "Studien wie der Digitalisierungskompass zeigen ein Gesamtbild.", "Studien zeigen ein Bild.")

    result = merge_drafts(DRAFT, ours, theirs)

    assert result.clean
    assert result.text == edit(
        ours, "Studien wie der Digitalisierungskompass zeigen ein Gesamtbild.", "Studien zeigen ein Bild."
    )


def test_both_sides_deleting_the_same_sentence_is_clean() -> None:
    deleted = edit(DRAFT, "Der Ausbau wird fortgesetzt.")
    theirs = edit(deleted, "- Beste Bildung", "- Beste Bildung in NRW")

    result = merge_drafts(DRAFT, deleted, theirs)

    assert result == MergeResult(theirs, 0)


# --- conflicts ---------------------------------------------------------------------------------------


def test_one_line_changed_differently_is_one_conflict_with_both_versions_verbatim() -> None:
    new = "Die Stadt Bochum erhielt [[ERGÄNZEN: Betrag in Euro]] aus dem Förderprogramm „Digitale Modellregion“."
    ours = edit(DRAFT, "Die Stadt Bochum erhielt [[ERGÄNZEN: Betrag in Euro]] aus dem Programm.", FILLED)
    theirs = edit(DRAFT, "Die Stadt Bochum erhielt [[ERGÄNZEN: Betrag in Euro]] aus dem Programm.", new)

    result = merge_drafts(DRAFT, ours, theirs)

    assert (result.conflicts, result.clean, count_conflicts(result.text)) == (1, False, 1)
    block = (
        f"[[KONFLIKT: Ihre Fassung: „{FILLED}“ | Neue Fassung aus dem Katalog: „Die Stadt Bochum erhielt "
        r"\[\[ERGÄNZEN: Betrag in Euro\]\] aus dem Förderprogramm „Digitale Modellregion“.“ | " + HINT + "]]"
    )
    # the block takes the sentence's place inside its paragraph
    assert f"Gesamtbild.\n{block}\nDer Ausbau wird fortgesetzt.\n" in result.text
    assert result.text == edit(ours, FILLED, block)
    assert CONFLICT.findall(result.text) == [block]
    (conflict,) = find_conflicts(result.text)
    assert (conflict.ours, conflict.theirs, conflict.front_matter) == ((FILLED,), (new,), False)
    assert result.text[conflict.start : conflict.end] == block
    # the placeholder inside the block is not counted: the block is the open item
    assert count_placeholders(result.text) == count_placeholders(DRAFT) - 1
    assert not any(CONFLICT.search(p) for p in PLACEHOLDER.findall(result.text))


def test_a_conflict_survives_the_docx_conversion_as_typed() -> None:
    ours = edit(DRAFT, "Der Ausbau wird fortgesetzt.", "Der Ausbau [Stand 2018] wird fortgesetzt | sagt die Stadt.")
    theirs = edit(DRAFT, "Der Ausbau wird fortgesetzt.", "Der Ausbau wird [[PRÜFEN: Jahr]] abgeschlossen.")

    text = docx_to_text(markdown_to_docx(merge_drafts(DRAFT, ours, theirs).text))

    assert (
        "[[KONFLIKT: Ihre Fassung: „Der Ausbau [Stand 2018] wird fortgesetzt | sagt die Stadt.“ | "
        "Neue Fassung aus dem Katalog: „Der Ausbau wird [[PRÜFEN: Jahr]] abgeschlossen.“ | " + HINT + "]]"
    ) in text
    assert count_conflicts(text) == 1


def test_clerk_deletes_a_sentence_that_the_catalogue_changed() -> None:
    ours = edit(DRAFT, "Der Ausbau wird fortgesetzt.")
    theirs = edit(DRAFT, "Der Ausbau wird fortgesetzt.", "Der Ausbau wird 2019 abgeschlossen.")

    result = merge_drafts(DRAFT, ours, theirs)

    assert result.conflicts == 1
    assert conflict_lines(result.text) == [
        "[[KONFLIKT: Ihre Fassung: (gestrichen) | Neue Fassung aus dem Katalog: "
        "„Der Ausbau wird 2019 abgeschlossen.“ | " + HINT + "]]"
    ]
    assert [(c.ours, c.theirs) for c in find_conflicts(result.text)] == [((), ("Der Ausbau wird 2019 abgeschlossen.",))]


def test_catalogue_deletes_a_sentence_that_the_clerk_changed() -> None:
    ours = edit(DRAFT, "Der Ausbau wird fortgesetzt.", "Der Ausbau wird fortgesetzt, sagt die Stadt.")
    theirs = edit(DRAFT, "Der Ausbau wird fortgesetzt.")

    result = merge_drafts(DRAFT, ours, theirs)

    assert conflict_lines(result.text) == [
        "[[KONFLIKT: Ihre Fassung: „Der Ausbau wird fortgesetzt, sagt die Stadt.“ | "
        "Neue Fassung aus dem Katalog: (gestrichen) | " + HINT + "]]"
    ]


def test_two_insertions_at_one_place_are_a_conflict() -> None:
    ours = edit(DRAFT, "- Kurze Wege", "- Kurze Wege", "- Gute Schulen")
    theirs = edit(DRAFT, "- Kurze Wege", "- Kurze Wege", "- Schnelles Internet")

    result = merge_drafts(DRAFT, ours, theirs)

    assert result.conflicts == 1
    assert [(c.ours, c.theirs) for c in find_conflicts(result.text)] == [
        (("- Gute Schulen",), ("- Schnelles Internet",))
    ]


def test_conflict_in_a_list_item_keeps_the_list() -> None:
    ours = edit(DRAFT, "- Kurze Wege", "- Kurze Wege zur Arbeit")
    theirs = edit(DRAFT, "- Kurze Wege", "- Kürzere Wege")

    result = merge_drafts(DRAFT, ours, theirs)

    assert "- Hohe Lebensqualität\n- [[KONFLIKT: Ihre Fassung: „- Kurze Wege zur Arbeit“ |" in result.text
    tokens = parser().parse(result.text)
    start = next(i for i, t in enumerate(tokens) if t.type == "bullet_list_open")
    end = next(i for i, t in enumerate(tokens) if t.type == "bullet_list_close")
    items = [tokens[i + 2].content for i in range(start, end) if tokens[i].type == "list_item_open"]
    assert items[0] == "Hohe Lebensqualität"
    assert CONFLICT.fullmatch(items[1])
    assert items[2] == "Beste Bildung"
    assert len(items) == 3
    assert tokens[start - 2].content == "Sie können viele Vorteile kombinieren:"
    # the question after the list is still an ordered list item
    assert tokens[end + 1].type == "ordered_list_open"


def test_conflict_in_a_continuation_line_of_a_list_item_stays_in_the_item() -> None:
    base = "Text.\n\n- Erster Punkt.\n  Zweiter Satz.\n- Nächster Punkt.\n"
    ours = base.replace("Zweiter Satz.", "Zweiter Satz von Hand.")
    theirs = base.replace("Zweiter Satz.", "Zweiter Satz neu.")

    result = merge_drafts(base, ours, theirs)

    assert "- Erster Punkt.\n  [[KONFLIKT: Ihre Fassung: „  Zweiter Satz von Hand.“" in result.text
    kinds = [t.type for t in parser().parse(result.text)]
    assert kinds.count("list_item_open") == 2
    assert kinds.count("bullet_list_open") == 1


def test_conflict_in_a_table_row_keeps_the_table() -> None:
    row = "| Mobilitätsregion [13-02] | [[ERGÄNZEN: lokaler Bezug]] |"
    ours_row = "| Mobilitätsregion [13-02] | Bochum ist Sitz der Geschäftsstelle \\| seit 2019. |"
    theirs_row = "| Mobilitätsregion Ruhr [13-02] | [[ERGÄNZEN: lokaler Bezug]] |"

    result = merge_drafts(DRAFT, edit(DRAFT, row, ours_row), edit(DRAFT, row, theirs_row))

    assert result.conflicts == 1
    (line,) = conflict_lines(result.text)
    assert line.startswith("| [[KONFLIKT: ") and line.endswith("]] |")
    assert "| ÖPNV-Initiative [13-01] | Ziel ist es, Wege zu verkürzen. |\n| [[KONFLIKT" in result.text
    tokens = parser().parse(result.text)
    assert [t.type for t in tokens].count("table_open") == 1
    cells: list[list[str]] = []
    for index, token in enumerate(tokens):
        if token.type == "tr_open":
            cells.append([])
        elif token.type in ("th_open", "td_open"):
            cells[-1].append(tokens[index + 1].content)
    assert cells[0] == ["Projekt [ID-Nr.]", "Lokaler Bezug zu Bochum"]
    assert cells[1] == ["ÖPNV-Initiative [13-01]", "Ziel ist es, Wege zu verkürzen."]
    assert cells[3] == ["Vernetzte Mobilität [13-04]", "Bochum ist Partner."]
    assert len(cells) == 4
    # the whole block is one cell
    assert cells[2][0].startswith("[[KONFLIKT: Ihre Fassung: „") and cells[2][0].endswith(HINT + "]]")
    assert cells[2][1] == ""
    assert [(c.ours, c.theirs) for c in find_conflicts(result.text)] == [((ours_row,), (theirs_row,))]
    # in Word the versions read as typed in the Markdown
    text = docx_to_text(markdown_to_docx(result.text))
    assert "„| Mobilitätsregion [13-02] | Bochum ist Sitz der Geschäftsstelle \\| seit 2019. |“" in text


def test_conflict_in_a_table_header_spans_the_whole_table() -> None:
    header = "| Projekt [ID-Nr.] | Lokaler Bezug zu Bochum |"
    ours = edit(DRAFT, header, "| Projekt | Bezug zu Bochum |")
    theirs = edit(DRAFT, header, "| Projekt [ID-Nr.] | Lokaler Bezug des Projektes zu Bochum |")

    result = merge_drafts(DRAFT, ours, theirs)

    assert result.conflicts == 1
    (conflict,) = find_conflicts(result.text)
    table = [line for line in ours.split("\n") if line.startswith("|")]
    assert conflict.ours == tuple(table)
    assert conflict.theirs == tuple(line for line in theirs.split("\n") if line.startswith("|"))
    assert "### Handlungsfeld Mobilität\n\n[[KONFLIKT" in result.text
    assert "Konflikthinweis löschen.]]\n\nDer letzte Absatz steht hier.\n" in result.text
    kinds = [t.type for t in parser().parse(result.text)]
    assert "table_open" not in kinds  # no orphaned rows become a broken table
    assert inline_tokens(result.text)[-1].content == "Der letzte Absatz steht hier."


def test_conflict_in_a_heading_keeps_the_heading() -> None:
    ours = edit(DRAFT, "### Handlungsfeld Mobilität", "### Handlungsfeld Vernetzte Mobilität")
    theirs = edit(DRAFT, "### Handlungsfeld Mobilität", "### Handlungsfeld Mobilität – kurze Wege")

    result = merge_drafts(DRAFT, ours, theirs)

    tokens = parser().parse(result.text)
    index = next(i for i, t in enumerate(tokens) if t.type == "inline" and "KONFLIKT" in t.content)
    assert tokens[index - 1].type == "heading_open" and tokens[index - 1].tag == "h3"
    assert CONFLICT.fullmatch(tokens[index].content)


def test_conflict_in_a_hard_broken_line_keeps_the_line_break() -> None:
    base = "# Antwort\n\nauf die Kleine Anfrage 1640\\\nder Abgeordneten A\\\nSPD\\\nDrucksache 17/4000\n"
    ours = base.replace("SPD\\", "SPD-Fraktion\\")
    theirs = base.replace("SPD\\", "BÜNDNIS 90/DIE GRÜNEN\\")

    result = merge_drafts(base, ours, theirs)

    assert "der Abgeordneten A\\\n[[KONFLIKT: Ihre Fassung: „SPD-Fraktion\\“" in result.text
    assert "Konflikthinweis löschen.]]\\\nDrucksache 17/4000\n" in result.text
    (title_block,) = inline_tokens(result.text)[1:]
    assert [c.type for c in title_block.children or []].count("hardbreak") == 3
    assert [(c.ours, c.theirs) for c in find_conflicts(result.text)] == [
        (("SPD-Fraktion\\",), ("BÜNDNIS 90/DIE GRÜNEN\\",))
    ]


def test_conflict_over_several_paragraphs_is_one_block_between_the_paragraphs() -> None:
    base = "# Titel\n\nErster Absatz.\n\nZweiter Absatz.\nMit zwei Sätzen.\n\nLetzter Absatz.\n"
    ours = base.replace("Zweiter Absatz.\nMit zwei Sätzen.\n", "Zweiter Absatz, von Hand.\n\nEin neuer Absatz.\n")
    theirs = base.replace("Zweiter Absatz.\nMit zwei Sätzen.\n", "Zweiter Absatz.\nMit drei Sätzen.\nSo.\n")

    result = merge_drafts(base, ours, theirs)

    assert result.conflicts == 1
    assert result.text.startswith(
        "# Titel\n\nErster Absatz.\n\n[[KONFLIKT: Ihre Fassung: „Zweiter Absatz, von Hand. ⏎  ⏎ "
    )
    assert result.text.endswith("⏎ trennt die Zeilen. " + HINT + "]]\n\nLetzter Absatz.\n")
    (conflict,) = find_conflicts(result.text)
    assert conflict.ours == ("Zweiter Absatz, von Hand.", "", "Ein neuer Absatz.")
    assert conflict.theirs == ("Zweiter Absatz.", "Mit drei Sätzen.", "So.")
    assert [t.content for t in inline_tokens(result.text)][::2] == ["Titel", conflict_lines(result.text)[0]]


def test_an_old_unresolved_conflict_is_kept_whole_inside_a_new_one() -> None:
    first = merge_drafts(
        DRAFT, edit(DRAFT, "- Kurze Wege", "- Kurze Wege!"), edit(DRAFT, "- Kurze Wege", "- Kürzere Wege")
    )
    (old,) = conflict_lines(first.text)
    theirs = edit(DRAFT, "- Kurze Wege", "- Wege [[PRÜFEN: kurz?]]")

    result = merge_drafts(DRAFT, first.text, theirs)

    assert result.conflicts == count_conflicts(result.text) == 1
    (conflict,) = find_conflicts(result.text)
    assert conflict.ours == (old,)
    assert conflict.theirs == ("- Wege [[PRÜFEN: kurz?]]",)


# --- front matter ------------------------------------------------------------------------------------


def test_front_matter_conflict_keeps_the_yaml_and_takes_the_catalogues_value() -> None:
    line = "drucksache: '17/[[ERGÄNZEN: Nummer der Antwort-Drucksache]]'"
    ours = edit(DRAFT, line, "drucksache: 17/4472")
    theirs = edit(DRAFT, line, "drucksache: 17/4480")
    theirs = edit(theirs, "Weitere Mittel sind eingeplant.", "Weitere Mittel sind beantragt.")

    result = merge_drafts(DRAFT, ours, theirs)

    meta, body, count = split_front_matter(result.text)
    assert meta["drucksache"] == "17/4480"
    assert meta["titel"] == "Wie unterstützt die Landesregierung die Digitalisierung in Bochum?"
    assert count == 8
    assert result.conflicts == 1
    assert body.startswith(
        "\n[[KONFLIKT: Kopfdaten – Ihre Fassung: „drucksache: 17/4472“ | Neue Fassung aus dem Katalog "
        "(steht schon in den Kopfdaten): „drucksache: 17/4480“ | Soll Ihre Fassung gelten, "
    )
    assert "]]\n\n# Antwort der Landesregierung\n" in body
    assert "Weitere Mittel sind beantragt." in body
    (conflict,) = find_conflicts(result.text)
    assert (conflict.ours, conflict.theirs, conflict.front_matter) == (
        ("drucksache: 17/4472",),
        ("drucksache: 17/4480",),
        True,
    )
    assert conflict_lines(markdown_to_docx_text(result.text))


def markdown_to_docx_text(text: str) -> str:
    return docx_to_text(markdown_to_docx(text))


def test_front_matter_changes_on_both_sides_that_break_the_yaml_fall_back_to_the_new_render() -> None:
    # both sides add the same key at different places: a line merge would give a duplicate key
    ours = edit(DRAFT, "antwortdatum: '2018-11-28'", "antwortdatum: '2018-11-28'", "anfrage: 1640")
    theirs = edit(DRAFT, "wahlperiode: 17", "wahlperiode: 17", "anfrage: 1641")

    result = merge_drafts(DRAFT, ours, theirs)

    assert result.text.startswith(theirs.split("\n\n")[0] + "\n\n[[KONFLIKT: Kopfdaten – ")
    assert split_front_matter(result.text)[0]["anfrage"] == 1641
    (conflict,) = find_conflicts(result.text)
    assert conflict.ours == tuple(ours.split("\n")[:9])
    assert result.conflicts == 1


def test_front_matter_changes_on_different_lines_are_both_taken() -> None:
    ours = edit(DRAFT, "datum: 28.11.2018", "datum: 29.11.2018")
    theirs = edit(DRAFT, "antwortdatum: '2018-11-28'", "antwortdatum: '2018-11-29'")

    result = merge_drafts(DRAFT, ours, theirs)

    assert result.clean
    meta = split_front_matter(result.text)[0]
    assert (meta["datum"], meta["antwortdatum"]) == ("29.11.2018", "2018-11-29")


# --- line ends ---------------------------------------------------------------------------------------


def test_crlf_cr_and_bom_are_not_edits() -> None:
    result = merge_drafts(DRAFT, "\ufeff" + DRAFT.replace("\n", "\r\n"), DRAFT.replace("\n", "\r"))

    assert result == MergeResult(DRAFT, 0)


def test_normalise_text() -> None:
    assert normalise_text("\ufeffa\r\nb\rc") == "a\nb\nc\n"
    assert normalise_text("") == ""
    assert normalise_text("a\n\n") == "a\n\n"
    assert normalise_text("x\ufeff") == "x\ufeff\n"


def test_merged_text_ends_with_one_line_end() -> None:
    assert merge_drafts("a\nb", "a\nb", "a\nc").text == "a\nc\n"
    assert merge_drafts("", "", "") == MergeResult("", 0)


# --- the marker --------------------------------------------------------------------------------------


def test_count_conflicts_also_counts_a_damaged_block() -> None:
    text = "Satz.\n[[KONFLIKT: Ihre Fassung: „a“ | Neue Fassung aus dem Katalog: „b“\n"
    assert count_conflicts(text) == 1
    assert CONFLICT.findall(text) == []
    assert count_conflicts("[[ERGÄNZEN: x]] \\[\\[KONFLIKT: x\\]\\]") == 0


LINE = st.text(st.characters(exclude_characters="\n\r"), max_size=30)
LINE_MARKDOWN = st.one_of(
    LINE,
    st.lists(st.sampled_from(list("[]|\\⏎„“ x") + ["[[ERGÄNZEN: x]]", "]]", "[[", "\\|", "\\\\["]), max_size=12).map(
        "".join
    ),
)


@SETTINGS
@given(st.lists(LINE_MARKDOWN, max_size=4), st.lists(LINE_MARKDOWN, max_size=4), st.booleans(), st.booleans())
def test_a_block_is_found_whole_and_gives_back_both_versions(
    ours: list[str], theirs: list[str], table: bool, front_matter: bool
) -> None:
    block = _block(ours, theirs, front_matter=front_matter)
    line = _table_row(block) if table else block
    text = f"Davor [[PRÜFEN: a]].\n{line}\n[[ERGÄNZEN: b]] danach.\n"

    assert [m.group(0) for m in CONFLICT.finditer(text)] == [block.replace("|", "\\|") if table else block]
    assert PLACEHOLDER.findall(text) == ["PRÜFEN", "ERGÄNZEN"]
    assert count_conflicts(text) == 1
    (conflict,) = find_conflicts(text)
    assert (conflict.ours, conflict.theirs, conflict.front_matter) == (tuple(ours), tuple(theirs), front_matter)
    if table:  # one cell
        cells = [t for t in parser().parse("| a | b |\n|---|---|\n" + line + "\n") if t.type == "td_open"]
        assert len(cells) == 2


def test_find_conflicts_skips_blocks_it_cannot_read() -> None:
    assert find_conflicts("[[KONFLIKT: Ihre Fassung: „a“]]") == []
    assert find_conflicts("[[KONFLIKT: Ihre Fassung: „a“ | Neue Fassung aus dem Katalog: „b]]") == []
    assert find_conflicts("[[KONFLIKT: Ihre Fassung: „a“ | Neue Fassung aus dem Katalog: „b“]]") == [
        Conflict(0, 67, ("a",), ("b",), False)
    ]


# --- properties --------------------------------------------------------------------------------------

_POOL = [
    "",
    "",
    "# Antwort der Landesregierung",
    "## Vorbemerkung",
    "Ein Satz.",
    "Noch ein Satz mit [[ERGÄNZEN: Zahl]].",
    "Ein Satz [in Klammern] | mit Strich.",
    "- Punkt",
    "- Anderer Punkt",
    "1. **Frage?**",
    "   (Bitte auflisten.)**",
    "| a | b |",
    "|---|---|",
    "| c \\| d | [[PRÜFEN: e]] |",
    "---",
    "titel: x",
    "Zeile mit Backslash \\",
    "\\[\\[ERGÄNZEN: y\\]\\]",
]
DOC_LINES = st.lists(st.one_of(st.sampled_from(_POOL), LINE), max_size=12)
DOC = DOC_LINES.map(lambda lines: "\n".join(lines) + ("\n" if lines else ""))
ANY_TEXT = st.lists(
    st.sampled_from(["\r\n", "\r", "\n", "\ufeff", "a", "b", "-", "|", "[", "]", "„", " "]), max_size=30
).map("".join)


@SETTINGS
@given(st.one_of(DOC, ANY_TEXT), st.one_of(DOC, ANY_TEXT))
def test_merge_with_one_side_unchanged_gives_the_other(base: str, other: str) -> None:
    assert merge_drafts(base, base, other) == MergeResult(normalise_text(other), 0)
    assert merge_drafts(base, other, base) == MergeResult(normalise_text(other), 0)
    assert merge_drafts(base, other, other) == MergeResult(normalise_text(other), 0)


def _clerk_lines_kept(base: str, ours: str, result: MergeResult) -> None:
    kept = set(result.text.split("\n"))
    for conflict in find_conflicts(result.text):
        kept.update(conflict.ours)
    typed = set(normalise_text(ours).split("\n")) - set(normalise_text(base).split("\n"))
    assert typed <= kept


@SETTINGS
@given(DOC, DOC, DOC)
def test_no_line_the_clerk_typed_is_lost(base: str, ours: str, theirs: str) -> None:
    result = merge_drafts(base, ours, theirs)

    _clerk_lines_kept(base, ours, result)
    if "KONFLIKT" not in base + ours + theirs:
        assert result.conflicts == count_conflicts(result.text) == len(find_conflicts(result.text))
    assert result.clean == (result.conflicts == 0)


def test_a_line_the_catalogue_deleted_cleanly_goes_even_when_there_are_conflicts() -> None:
    # "every line of ours that is not in theirs is in the output" does not hold for a 3-way merge:
    # a line that only the catalogue deleted is gone; lines the clerk typed are what must stay.
    base = "A\nL\nB\nC\n"
    ours = "A\nL\nB\nC von Hand\n"
    theirs = "A\nB\nC neu\n"

    result = merge_drafts(base, ours, theirs)

    assert result.conflicts == 1
    assert "L" not in result.text.split("\n")
    _clerk_lines_kept(base, ours, result)


@SETTINGS
@given(DOC_LINES, DOC_LINES, DOC_LINES)
def test_without_conflicts_the_merge_is_merge3s(base: list[str], ours: list[str], theirs: list[str]) -> None:
    base, ours, theirs = (["Anfang"] + x for x in (base, ours, theirs))  # no front matter
    merger = merge3.Merge3(base, ours, theirs)
    if any(region[0] == "conflict" for region in merger.merge_regions()):
        return
    expected = "".join(line + "\n" for line in merger.merge_lines())

    result = merge_drafts(*("".join(line + "\n" for line in x) for x in (base, ours, theirs)))

    assert result == MergeResult(expected, 0)


GOLDEN_DRAFTS = sorted(GOLDEN.glob("*.md"))


@SETTINGS
@given(st.sampled_from(GOLDEN_DRAFTS), st.integers(0, 2**32 - 1))
def test_random_edits_of_a_real_draft_keep_markdown_and_front_matter_intact(draft: Path, seed: int) -> None:
    rng = random.Random(seed)
    base = draft.read_text(encoding="utf-8")
    lines = base.split("\n")[:-1]

    def mutate(side: str) -> list[str]:
        out = list(lines)
        for _ in range(rng.randint(1, 6)):
            index = rng.randrange(len(out))
            kind = rng.choice(["change", "delete", "insert"])
            if kind == "change" and out[index].strip():
                out[index] = out[index][: rng.randint(1, len(out[index]))] + f" {side} [x] | y"
            elif kind == "delete":
                del out[index]
            else:
                out.insert(index, rng.choice([f"Neuer Satz {side}.", f"- Punkt {side}", "", f"| {side} | z |"]))
        return out

    ours, theirs = "\n".join(mutate("hand")) + "\n", "\n".join(mutate("katalog")) + "\n"
    result = merge_drafts(base, ours, theirs)

    _clerk_lines_kept(base, ours, result)
    assert result.conflicts == count_conflicts(result.text) == len(find_conflicts(result.text))
    # every block is inside one inline token (one paragraph, item, heading or cell), never split
    whole = sum(t.content.count("[[KONFLIKT: ") for t in inline_tokens(result.text))
    ends = sum(t.content.count("Konflikthinweis löschen.]]") for t in inline_tokens(result.text))
    assert whole == ends == result.conflicts
    if split_front_matter(theirs)[0] and split_front_matter(ours)[0]:
        assert split_front_matter(result.text)[0]


@pytest.mark.parametrize("draft", GOLDEN_DRAFTS, ids=lambda p: p.stem)
def test_a_golden_draft_merged_with_itself_is_unchanged(draft: Path) -> None:
    text = draft.read_text(encoding="utf-8")
    assert merge_drafts(text, text, text) == MergeResult(text, 0)
