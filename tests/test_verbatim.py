"""The verbatim guard: questions in a draft against the questions of the Kleine Anfrage."""

from __future__ import annotations

from pathlib import Path

import pytest

from anfrage.errors import Problem
from anfrage.guard import check_questions, describe_difference, questions_in_draft

F1 = (
    "Durch welche Maßnahmen wurde in Bochum seit 2015 der Ausbau der digitalen Infrastruktur aus "
    "Landesmitteln gefördert? (Bitte einzeln nach Jahr, Projektart, Technologie, Förderhöhe "
    "Umsetzungsstand und Stand des Mittelabrufs auflisten.)"
)
F2 = "Wie ist der Ablauf der Förderung geplant?"
F3 = "Welche Projekte gibt es in *Bochum* und_oder [Herne]? (Bitte `alle` nennen.)"
F3_MD = "Welche Projekte gibt es in \\*Bochum\\* und\\_oder \\[Herne\\]? (Bitte \\`alle\\` nennen.)"

DRAFT = """---
wahlperiode: 17
drucksache: 17/[[ERGÄNZEN: Nummer der Antwort-Drucksache]]
titel: Wie unterstützt die Landesregierung die Digitalisierung in Bochum?
---

# Antwort der Landesregierung

auf die Kleine Anfrage 1640 vom 24. Oktober 2018\\
der Abgeordneten Matthi Bolte-Richter und Mehrdad Mostofizadeh

**Wie unterstützt die Landesregierung die Digitalisierung in Bochum?**

## Vorbemerkung der Landesregierung

Studien wie …

1. Eine gewöhnliche Aufzählung.
2. **Teilweise** fett.

1. **Durch welche Maßnahmen wurde in Bochum seit 2015 der Ausbau der digitalen Infrastruktur aus Landesmitteln gefördert?
   (Bitte einzeln nach Jahr, Projektart, Technologie, Förderhöhe Umsetzungsstand und Stand des Mittelabrufs auflisten.)**

Auf die Ausführungen in der Vorbemerkung wird hingewiesen.

2. **Wie ist der Ablauf der Förderung geplant?**
3. **Welche Projekte gibt es in \\*Bochum\\* und\\_oder \\[Herne\\]?
   (Bitte \\`alle\\` nennen.)**

Die Fragen 2 und 3 werden gemeinsam beantwortet.
"""  # noqa: E501 - the draft's lines are as long as the questions in it

FRAGEN = [(1, F1), (2, F2), (3, F3)]


def test_questions_in_draft() -> None:
    assert questions_in_draft(DRAFT) == [(1, F1, 21), (2, F2, 26), (3, F3, 27)]


def test_front_matter_lines_are_counted_but_not_parsed() -> None:
    body = "---\ntitel: x\n---\n\n1. **Wie?**\n"
    assert questions_in_draft(body) == [(1, "Wie?", 5)]
    assert questions_in_draft("1. **Wie?**\n") == [(1, "Wie?", 1)]
    # an unclosed "---" is no front matter
    assert questions_in_draft("---\n\n3. **Wie?**\n") == [(3, "Wie?", 3)]


@pytest.mark.parametrize(
    ("markdown", "found"),
    [
        ("1. **Wie geht es\\\nweiter?**\n", [(1, "Wie geht es weiter?", 1)]),  # hard break
        ("4) **Wie &amp; wo?**\n", [(4, "Wie & wo?", 1)]),
        ("1. **Wie `a*b` geht?**\n", [(1, "Wie a*b geht?", 1)]),
        ("1. **Wie *genau* geht es?**\n", [(1, "Wie genau geht es?", 1)]),
        ("1. **Wie <b>geht</b> es?**\n", [(1, "Wie <b>geht</b> es?", 1)]),  # no raw HTML
        ("1. **Wie?** Text danach.\n", []),
        ("1. Text **Wie?**\n", []),
        ("1. **Wie?**\n   - Unterpunkt\n", []),
        ("- **Wie?**\n", []),
        ("**1. Wie?**\n", []),
        ("| a |\n|---|\n| 1. **Wie?** |\n", []),
        ("> 2. **Wie?**\n", [(2, "Wie?", 1)]),
    ],
)
def test_what_counts_as_a_question(markdown: str, found: list[tuple[int, str, int]]) -> None:
    assert questions_in_draft(markdown) == found


def test_identical_questions_pass() -> None:
    assert check_questions(DRAFT, FRAGEN, "ka.md") == []


def test_whitespace_and_nbsp_do_not_count() -> None:
    fragen = [(1, F1.replace(" 2015 ", "\u00a02015  ").replace("Bochum", "Bochum\n")), (2, " " + F2 + " "), (3, F3)]
    assert check_questions(DRAFT, fragen, "ka.md") == []
    draft = DRAFT.replace("Wie ist der Ablauf", "Wie ist\u00a0der  Ablauf")
    assert check_questions(draft, FRAGEN, "ka.md") == []


def test_one_word_changed() -> None:
    draft = DRAFT.replace("Wie ist der Ablauf der Förderung", "Wie ist der Verlauf der Förderung")
    problems = check_questions(draft, FRAGEN, "entwurf.md")
    assert problems == [
        Problem(
            "entwurf.md",
            26,
            "frage 2",
            "Frage 2 weicht vom Wortlaut der Kleinen Anfrage ab: „…ist der Verlauf der Förderung…“ statt "
            "„…ist der Ablauf der Förderung…“ („Ablauf“ ersetzt durch „Verlauf“).",
        )
    ]
    assert str(problems[0]).startswith("entwurf.md:26 frage 2: Frage 2 weicht vom Wortlaut")


def test_word_added_and_word_missing() -> None:
    added = check_questions(DRAFT.replace("der Ablauf", "der zeitliche Ablauf"), FRAGEN, "e.md")
    assert len(added) == 1
    assert (
        "„…ist der zeitliche Ablauf der…“ statt „…ist der Ablauf der…“ (hinzugefügt: „zeitliche“)" in added[0].message
    )
    missing = check_questions(DRAFT.replace("der digitalen Infrastruktur", "der Infrastruktur"), FRAGEN, "e.md")
    assert [(p.line, p.key) for p in missing] == [(21, "frage 1")]
    assert "(fehlt: „digitalen“)" in missing[0].message


def test_punctuation_and_markup_differences_count() -> None:
    problems = check_questions(DRAFT.replace("geplant?**", "geplant.**"), FRAGEN, "e.md")
    assert [p.key for p in problems] == ["frage 2"]
    assert "„geplant?“ ersetzt durch „geplant.“" in problems[0].message
    # the Anfrage's "*Bochum*" is literal text: an unescaped emphasis in the draft loses the stars
    problems = check_questions(DRAFT.replace("\\*Bochum\\*", "*Bochum*"), FRAGEN, "e.md")
    assert [p.key for p in problems] == ["frage 3"]


def test_missing_extra_duplicate_and_misplaced_questions() -> None:
    draft = DRAFT.replace("2. **Wie ist der Ablauf der Förderung geplant?**\n", "")
    draft += "\n4. **Wie geht es weiter?**\n\n1. **" + F1 + "**\n"
    problems = check_questions(draft, FRAGEN, "e.md")
    by_key = {(p.key, p.line): p.message for p in problems}
    assert len(problems) == 3
    assert by_key[("frage 2", 26)].startswith("Frage 2 fehlt im Entwurf: „Wie ist der Ablauf")
    assert by_key[("frage 4", 31)] == "Frage 4 steht nicht in der Kleinen Anfrage (deren Fragen: 1, 2, 3)."
    assert by_key[("frage 1", 33)] == "Frage 1 steht doppelt im Entwurf (zuerst in Zeile 21)."
    assert problems == sorted(problems)
    order = check_questions("2. **" + F2 + "**\n\nText.\n\n1. **" + F1 + "**\n\n3. **" + F3_MD + "**\n", FRAGEN, "e.md")
    assert [(p.key, p.line) for p in order] == [("frage 1", 5)]
    assert "Reihenfolge" in order[0].message


def test_missing_question_without_later_question_has_no_line() -> None:
    problems = check_questions("1. **" + F1 + "**\n", FRAGEN, "e.md")
    assert [(p.key, p.line) for p in problems] == [("frage 2", 0), ("frage 3", 0)]


def test_mustertext_questions_are_not_compared() -> None:
    draft = "1. **[[MUSTERTEXT: Frage 1 der Serie]] Wie wird Bochum gefördert?**\n\n2. **" + F2 + "**\n"
    assert check_questions(draft, [(1, "Ganz anders?"), (2, F2)], "e.md") == []
    draft = "1. **Ein Entwurf?**\n\n2. **" + F2 + "**\n"
    assert check_questions(draft, [(1, "[[MUSTERTEXT: x]] Wie?"), (2, F2)], "e.md") == []


def test_describe_difference_limits_long_diffs() -> None:
    expected = " ".join(f"w{i}" for i in range(40))
    actual = " ".join(f"w{i}" if i % 5 else f"X{i}" for i in range(40))
    text = describe_difference(expected, actual)
    assert text.count("ersetzt durch") == 3
    assert text.endswith("und 5 weitere Abweichungen")


def test_imported_seed_round_trips_through_a_rendered_draft() -> None:
    """Questions imported from a Drucksache, escaped and normalised as the renderer does, pass the
    guard; one changed word is reported for exactly that question."""
    from anfrage import markdown
    from anfrage.importer import read_drucksache

    seeds = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    matches = sorted(seeds.glob("000_*.txt"))
    if not matches:
        pytest.skip("seed 000 not available")
    record = read_drucksache(matches[0], [])
    fragen = [(f["nr"], f["text"]) for f in record["fragen"]]
    parts = ["# Antwort der Landesregierung", ""]
    for nr, text in fragen:
        parts += [f"{nr}. **{markdown.escape(text)}**", "", "Eine Antwort. Noch ein Satz.", ""]
    draft = markdown.normalise("\n".join(parts))
    assert check_questions(draft, fragen, "ka-1640.md") == []
    changed = draft.replace("mittelständische Unternehmen", "kleine Unternehmen")
    problems = check_questions(changed, fragen, "ka-1640.md")
    assert [p.key for p in problems] == ["frage 2"]
    assert "„mittelständische“ ersetzt durch „kleine“" in problems[0].message


def test_parsing_only_list_blocks_finds_what_a_full_parse_finds(monkeypatch) -> None:
    """The speed-up (inline-parse only blocks with "N. " lines) must not change the result."""
    from pathlib import Path

    from anfrage import draft as verbatim

    drafts = sorted((Path(__file__).parent / "golden").glob("*.md"))
    assert drafts
    texts = [p.read_text(encoding="utf-8") for p in drafts]
    texts.append("Text\n1. **Wie?**\n\n   Absatz im Punkt\n\n> 3. **Was?**\n\n2. **Nicht** fett\n")
    fast = [verbatim.questions_in_draft(t) for t in texts]
    monkeypatch.setattr(verbatim, "_list_blocks_only", lambda body: body)
    assert fast == [verbatim.questions_in_draft(t) for t in texts]
