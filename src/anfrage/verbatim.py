"""The verbatim guard: the questions of a draft must be those of the Kleine Anfrage, word for word.

A question in a draft is an ordered-list item whose whole content is bold (``N. **…**``, see the draft
contract in docs/design.md); its list number is the question's number. :func:`questions_in_draft`
finds them, :func:`check_questions` compares them with the Anfrage after whitespace normalisation and
returns one :class:`~anfrage.errors.Problem` per missing, extra, misplaced or changed question.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import Problem
from .markdown import front_matter_block

__all__ = ["check_questions", "describe_difference", "normalise_question", "questions_in_draft"]

MUSTERTEXT_MARKER = "[[MUSTERTEXT"
_CONTEXT_WORDS = 2
_MAX_SHOWN_DIFFERENCES = 3
_MAX_SHOWN_WORDS = 12


def normalise_question(text: str) -> str:
    """Whitespace runs (including non-breaking spaces) collapsed to one space, ends stripped."""
    return " ".join(text.split())


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []))
    return "".join(parts)


def _trim(children: list[Token]) -> list[Token]:
    """Inline children without the empty text tokens markdown-it leaves around a strong span."""
    start, end = 0, len(children)
    while start < end and children[start].type == "text" and not children[start].content.strip():
        start += 1
    while end > start and children[end - 1].type == "text" and not children[end - 1].content.strip():
        end -= 1
    return children[start:end]


def is_question_inline(children: list[Token]) -> bool:
    """True when the inline content is one strong span from the first to the last token.

    This is the contract of docs/design.md: such an ordered-list paragraph is a question. The
    guard compares exactly these, and the DOCX writer styles exactly these as "Frage".
    """
    children = _trim(children)
    if len(children) < 2 or children[0].type != "strong_open" or children[-1].type != "strong_close":
        return False
    depth = 0
    for index, child in enumerate(children):
        if child.type == "strong_open":
            depth += 1
        elif child.type == "strong_close":
            depth -= 1
            if depth == 0 and index != len(children) - 1:
                return False  # "**a** b **c**": bold parts, not one bold span
    return True


_LIST_LINE = re.compile(r"^ {0,3}(?:>[ \t]*)*\d{1,9}[.)](?:[ \t]|$)")


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _list_blocks_only(body: str) -> str:
    """Blank every block (run of non-blank lines) that cannot hold an ordered list item.

    Inline parsing of the whole draft is what costs; questions only live in blocks with a line
    "N. " (or in indented continuation blocks). Line numbers stay as they are.
    """
    lines = body.split("\n")
    out: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
            continue
        if block:
            keep = block[0][:1].isspace() or any(_LIST_LINE.match(b) for b in block)
            out.extend(block if keep else [""] * len(block))
            block = []
        out.append(line)
    return "\n".join(out[: len(lines)])


def questions_in_draft(markdown: str) -> list[tuple[int, str, int]]:
    """The questions of a draft: (number, plain text, 1-based line number in the draft).

    The text has the Markdown markup removed and escapes and entities resolved; line breaks inside the
    question become spaces (whitespace is not otherwise normalised). Front matter is skipped, but its
    lines are counted.
    """
    _, rest, skip = front_matter_block(markdown)
    body = "\n" * skip + _list_blocks_only(rest)
    tokens = _parser().parse(body)
    questions: list[tuple[int, str, int]] = []
    list_starts: list[int] = []
    item_counts: list[int] = []
    for index, token in enumerate(tokens):
        if token.type == "ordered_list_open":
            start = token.attrGet("start")
            list_starts.append(int(start) if isinstance(start, (int, str)) and str(start).isdigit() else 1)
            item_counts.append(0)
        elif token.type == "ordered_list_close":
            list_starts.pop()
            item_counts.pop()
        elif token.type == "list_item_open" and token.markup in (".", ")") and item_counts:
            number = list_starts[-1] + item_counts[-1]
            if token.info.isdigit():
                number = int(token.info)
            item_counts[-1] += 1
            text = _question_text(tokens, index)
            if text is not None:
                line = (token.map[0] if token.map else 0) + 1
                questions.append((number, text, line))
    return questions


def _question_text(tokens: list[Token], item: int) -> str | None:
    """Text of the list item opening at ``tokens[item]`` if it is one wholly bold paragraph."""
    level = tokens[item].level
    inner: list[Token] = []
    for token in tokens[item + 1 :]:
        if token.type == "list_item_close" and token.level == level:
            break
        inner.append(token)
    kinds = [t.type for t in inner]
    if kinds != ["paragraph_open", "inline", "paragraph_close"]:
        return None
    children = inner[1].children or []
    if not is_question_inline(children):
        return None
    return _inline_text(children)


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
            problems.append(Problem(draft_name, line, key, f"Frage {nr} steht doppelt im Entwurf (zuerst in Zeile {seen[nr]})."))
            continue
        seen[nr] = line
        if nr < last_nr:
            problems.append(Problem(draft_name, line, key, f"Frage {nr} steht nach Frage {last_nr}: Reihenfolge der Kleinen Anfrage beachten."))
        last_nr = max(last_nr, nr)
        if MUSTERTEXT_MARKER in text:
            continue
        if nr not in expected:
            numbers = ", ".join(str(n) for n in sorted(expected)) or "keine"
            problems.append(Problem(draft_name, line, key, f"Frage {nr} steht nicht in der Kleinen Anfrage (deren Fragen: {numbers})."))
            continue
        if MUSTERTEXT_MARKER in expected[nr]:
            continue
        want, have = normalise_question(expected[nr]), normalise_question(text)
        if want != have:
            problems.append(Problem(draft_name, line, key, f"Frage {nr} weicht vom Wortlaut der Kleinen Anfrage ab: {describe_difference(want, have)}."))
    for nr, text in fragen:
        if nr in seen:
            continue
        later = [line for n, _, line in found if n > nr]
        short = _shorten(normalise_question(text).split())
        problems.append(Problem(draft_name, min(later) if later else 0, f"frage {nr}", f"Frage {nr} fehlt im Entwurf: „{short}“."))
    return sorted(problems)


def unanswered_questions(text: str) -> list[tuple[int, list[int]]]:
    """Runs of questions in a draft that no answer follows: (line of the first, question numbers)."""
    lines = text.split("\n")
    found = questions_in_draft(text)
    starts = {line for _nr, _text, line in found}
    result: list[tuple[int, list[int]]] = []
    run: list[int] = []
    first = 0
    for nr, _text, line in found:
        if not run:
            first = line
        run.append(nr)
        i = line  # index of the line after the question's first line
        while i < len(lines) and lines[i].strip() and (i + 1) not in starts:
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        if (i + 1) in starts:
            continue
        if i >= len(lines) or lines[i].lstrip().startswith("#"):
            result.append((first, run))
        run = []
    return result
