"""The guard: a draft must have the structure of an answer and the questions of its Anfrage.

Two checks, both on the normalised Markdown (questions are recognised by the draft contract in
``draft.py``):

* :func:`check_structure`: every question of the Anfrage rendered exactly once, and each run of
  questions followed by an answer (a template error, raised as ``RenderError``);
* :func:`check_questions`: the questions word for word as in the Anfrage after whitespace
  normalisation, one :class:`~anfrage.errors.Problem` per missing, extra, misplaced or changed
  question (``VerbatimError`` from :func:`guard`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from anfrage import german
from anfrage.draft import MUSTERTEXT_MARKER, normalise_question, questions_in_draft, unanswered_questions
from anfrage.errors import Problem, RenderError, VerbatimError

__all__ = ["check_questions", "check_structure", "describe_difference", "guard"]

_CONTEXT_WORDS = 2
_MAX_SHOWN_DIFFERENCES = 3
_MAX_SHOWN_WORDS = 12


def _shorten(words: list[str]) -> str:
    if len(words) > _MAX_SHOWN_WORDS:
        half = _MAX_SHOWN_WORDS // 2
        words = words[:half] + ["…"] + words[-half:]
    return " ".join(words)


def _quoted(words: list[str], start: int, end: int, total: int) -> str:
    text = _shorten(words)
    return "„" + ("…" if start > 0 else "") + text + ("…" if end < total else "") + "“"


def describe_difference(expected: str, actual: str) -> str:
    """German description of how ``actual`` (draft) differs from ``expected`` (Anfrage), word by word."""
    a, b = expected.split(), actual.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    descriptions: list[str] = []
    for tag, i1, i2, j1, j2 in changes[:_MAX_SHOWN_DIFFERENCES]:
        # context: words around the change, so that an insertion or deletion can be located
        ci1, ci2 = max(0, i1 - _CONTEXT_WORDS), min(len(a), i2 + _CONTEXT_WORDS)
        cj1, cj2 = max(0, j1 - _CONTEXT_WORDS), min(len(b), j2 + _CONTEXT_WORDS)
        shown = f"{_quoted(b[cj1:cj2], cj1, cj2, len(b))} statt {_quoted(a[ci1:ci2], ci1, ci2, len(a))}"
        if tag == "insert":
            detail = f"hinzugefügt: „{_shorten(b[j1:j2])}“"
        elif tag == "delete":
            detail = f"fehlt: „{_shorten(a[i1:i2])}“"
        else:
            detail = f"„{_shorten(a[i1:i2])}“ ersetzt durch „{_shorten(b[j1:j2])}“"
        descriptions.append(f"{shown} ({detail})")
    more = len(changes) - _MAX_SHOWN_DIFFERENCES
    text = "; ".join(descriptions)
    if more > 0:
        text += f"; und {more} weitere Abweichung{'en' if more > 1 else ''}"
    return text


def check_questions(markdown: str, fragen: Sequence[tuple[int, str]], draft_name: str) -> list[Problem]:
    """Compare the questions of a draft with the Anfrage's ``fragen`` (number, text).

    Returns one Problem per missing question, question not in the Anfrage, duplicate, question out of
    order and question whose wording differs (after whitespace normalisation). Questions containing a
    ``[[MUSTERTEXT`` marker (model text of a series) are not compared; the caller reports them as
    open placeholders.
    """
    found = questions_in_draft(markdown)
    expected = {nr: text for nr, text in fragen}
    problems: list[Problem] = []
    seen: dict[int, int] = {}
    last_nr = 0
    for nr, text, line in found:
        key = f"frage {nr}"
        if nr in seen:
            problems.append(
                Problem(draft_name, line, key, f"Frage {nr} steht doppelt im Entwurf (zuerst in Zeile {seen[nr]}).")
            )
            continue
        seen[nr] = line
        if nr < last_nr:
            problems.append(
                Problem(
                    draft_name,
                    line,
                    key,
                    f"Frage {nr} steht nach Frage {last_nr}: Reihenfolge der Kleinen Anfrage beachten.",
                )
            )
        last_nr = max(last_nr, nr)
        if MUSTERTEXT_MARKER in text:
            continue
        if nr not in expected:
            numbers = ", ".join(str(n) for n in sorted(expected)) or "keine"
            problems.append(
                Problem(
                    draft_name, line, key, f"Frage {nr} steht nicht in der Kleinen Anfrage (deren Fragen: {numbers})."
                )
            )
            continue
        if MUSTERTEXT_MARKER in expected[nr]:
            continue
        want, have = normalise_question(expected[nr]), normalise_question(text)
        if want != have:
            problems.append(
                Problem(
                    draft_name,
                    line,
                    key,
                    f"Frage {nr} weicht vom Wortlaut der Kleinen Anfrage ab: {describe_difference(want, have)}.",
                )
            )
    for nr, text in fragen:
        if nr in seen:
            continue
        later = [line for n, _, line in found if n > nr]
        short = _shorten(normalise_question(text).split())
        problems.append(
            Problem(draft_name, min(later) if later else 0, f"frage {nr}", f"Frage {nr} fehlt im Entwurf: „{short}“.")
        )
    return sorted(problems)


def guard(markdown: str, fragen: Sequence[tuple[int, str]], draft_name: str) -> None:
    """Raise ``VerbatimError`` unless every question in the draft is exactly as in its Anfrage."""
    problems = check_questions(markdown, fragen, draft_name)
    if problems:
        raise VerbatimError(problems)


def check_structure(markdown: str, expected: Sequence[int], rendered: Sequence[int], template: str) -> None:
    """Every expected question rendered exactly once, each run of questions followed by an answer.

    ``expected``: the question numbers of the Anfrage; ``rendered``: the numbers in the order the
    template rendered them. Raises ``RenderError`` naming the template.
    """
    problems = []
    for nr in sorted(expected):
        count = list(rendered).count(nr)
        if count == 0:
            problems.append(f"Frage {nr} fehlt im Entwurf (die Vorlage gibt sie nicht aus).")
        elif count > 1:
            problems.append(f"Frage {nr} steht {count}-mal im Entwurf.")
    for _line, run in unanswered_questions(markdown):
        problems.append(f"Auf die {german.fragen_bezug(run)} folgt keine Antwort.")
    if problems:
        raise RenderError(" ".join(problems), file=f"templates/{template}")
