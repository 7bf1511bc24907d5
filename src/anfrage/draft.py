"""The draft contract: what every stage agrees a draft is.

A draft is Markdown with a YAML front matter block (``---`` … ``---``) and a body in the structure
of a Drucksache (see docs/design.md). This module is the one home of what readers of a draft need:
the placeholder markers, the front matter, the one MarkdownIt configuration, and the recognition of
questions (an ordered-list item whose whole content is bold). The verbatim guard, the DOCX writer,
the report and ``anfrage check`` all parse drafts through it.
"""

from __future__ import annotations

import functools
import re

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from anfrage.errors import AnfrageError
from anfrage.yamlio import parse_yaml

__all__ = [
    "CONFLICT_START",
    "MUSTERTEXT_MARKER",
    "PLACEHOLDER",
    "count_placeholders",
    "front_matter",
    "front_matter_block",
    "is_question_inline",
    "normalise_question",
    "parser",
    "placeholders",
    "questions_in_draft",
    "split_front_matter",
    "unanswered_questions",
]

#: An open item of a draft: a fact to add, model text standing in for an Anfrage, a value to check.
PLACEHOLDER = re.compile(r"\[\[(ERGÄNZEN|MUSTERTEXT|PRÜFEN): [^\]]*\]\]")


#: Where a conflict block of the three-way merge starts (the block itself: ``merge.CONFLICT``).
CONFLICT_START = re.compile(r"\[\[KONFLIKT: ")

#: Questions that carry this marker are the series' model text, not an Anfrage's wording.
MUSTERTEXT_MARKER = "[[MUSTERTEXT"


def count_placeholders(text: str) -> int:
    return len(PLACEHOLDER.findall(text))


def placeholders(text: str) -> list[str]:
    return [m.group(0) for m in PLACEHOLDER.finditer(text)]


def front_matter(data: dict[str, object]) -> str:
    """YAML front matter, deterministic (insertion order, unicode, no line wrapping)."""
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return f"---\n{dumped}---\n"


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.S | re.M)


def front_matter_block(markdown: str) -> tuple[str | None, str, int]:
    """The raw YAML of a leading front matter block, the body after it, and the block's line count.

    ``(None, markdown, 0)`` when the text does not start with a ``---`` block. The one place that
    finds front matter; callers parse the YAML as strictly as they need.
    """
    match = _FRONT_MATTER.match(markdown)
    if not match:
        return None, markdown, 0
    block = match.group(0)
    return match.group(1), markdown[match.end() :], block.count("\n") + (0 if block.endswith("\n") else 1)


def split_front_matter(markdown: str, file: str = "<Entwurf>") -> tuple[dict[str, object], str, int]:
    """Return (metadata, body, number of lines of the front matter block); lenient on bad YAML.

    The YAML goes through the same hardened reader as every other YAML file (size, aliases,
    control characters); a front matter that is not a readable mapping counts as empty.
    """
    raw, body, lines = front_matter_block(markdown)
    if raw is None:
        return {}, markdown, 0
    try:
        doc = parse_yaml(raw, file)
    except AnfrageError:
        return {}, body, lines
    data = doc.data if isinstance(doc.data, dict) and not doc.problems else {}
    return data, body, lines


@functools.cache
def parser() -> MarkdownIt:
    """The one MarkdownIt configuration for drafts: CommonMark with tables, no raw HTML."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


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
    markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")  # a CRLF draft is the same draft
    _, rest, skip = front_matter_block(markdown)
    # a fenced code block may span blank lines: then every block must be parsed, not only list blocks
    fenced = "```" in rest or "~~~" in rest
    body = "\n" * skip + (rest if fenced else _list_blocks_only(rest))
    tokens = parser().parse(body)
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


def unanswered_questions(text: str) -> list[tuple[int, list[int]]]:
    """Runs of questions in a draft that no answer follows: (line of the first, question numbers)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
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
