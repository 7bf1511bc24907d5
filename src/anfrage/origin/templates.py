"""Lines of the series' templates: which template line a line of a draft comes from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from anfrage.origin.types import _TAG, VORLAGE, Origin

# --------------------------------------------------------------------------------------------------
# templates


@dataclass
class _TemplateLine:
    file: str
    line: int
    text: str  # stripped
    literal: int  # characters of fixed text
    pattern: re.Pattern[str] | None  # lines with expressions
    expressions: str


def _template_lines(folder: Path, first: str) -> list[_TemplateLine]:
    """Every line of every template that can give a line of a draft; ``first`` (the series' template)
    first, then the skeleton and the others in name order."""
    files = sorted(folder.rglob("*.j2")) if folder.is_dir() else []
    names = [p.relative_to(folder).as_posix() for p in files]
    order = sorted(range(len(files)), key=lambda i: (names[i] != first, names[i] != "drucksache.md.j2", names[i]))
    found: list[_TemplateLine] = []
    for i in order:
        try:
            text = files[i].read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        spans = [(t.start(), t.end(), t.group(0)) for t in _TAG.finditer(text)]
        offset = 0
        for number, raw in enumerate(text.split("\n"), start=1):
            start, end = offset, offset + len(raw)
            offset = end + 1
            pieces: list[tuple[str, str]] = []  # (kind, text): kind "t" literal, "e" expression, "s" other
            position = start
            for s, e, tag in spans:
                if e <= start or s >= end:
                    continue
                if s > position:
                    pieces.append(("t", text[position:s]))
                pieces.append(("e" if tag.startswith("{{") else "s", tag))
                position = max(position, e)
            if position < end:
                pieces.append(("t", text[position:end]))
            literal = "".join(p for kind, p in pieces if kind == "t").strip()
            expressions = " ".join(p for kind, p in pieces if kind == "e")
            if not literal and not expressions:
                continue
            if not expressions:
                found.append(_TemplateLine(f"templates/{names[i]}", number, literal, len(literal), None, ""))
                continue
            # fixed text between two statements on one line ("{% if x %}bestehenden {% endif %}") may be missing
            statements = [k for k, (kind, _) in enumerate(pieces) if kind == "s"]
            regex = "".join(
                (f"(?:{re.escape(p)})?" if statements and statements[0] < k < statements[-1] else re.escape(p))
                if kind == "t"
                else "(.+?)"
                if kind == "e"
                else ""
                for k, (kind, p) in enumerate(pieces)
            )
            try:
                pattern = re.compile(regex.strip().replace("\\ ", " ").strip())
            except re.error:
                continue
            found.append(_TemplateLine(f"templates/{names[i]}", number, literal, len(literal), pattern, expressions))
    return found


# Expressions whose output is traced otherwise (Textbausteine, the Anfrage, the front matter).
_TRACED_ELSEWHERE: Final = re.compile(
    r"\{\{-?\s*(frage|fragen|baustein|bausteine|front_matter|anfrage\.(vorbemerkung|titel))\b"
)


def _template_origin(line: str, index: list[_TemplateLine], after: tuple[str, int] | None) -> Origin | None:
    """The template line that gives ``line``: the one with most fixed text; among lines that are only an
    expression, the first after ``after`` (file, line of the last template line used) in that file."""
    best: tuple[int, _TemplateLine] | None = None
    stripped = line.strip()
    for candidate in index:
        if candidate.literal == 0 and candidate.pattern is not None:
            if _TRACED_ELSEWHERE.search(candidate.expressions) or not candidate.pattern.fullmatch(stripped):
                continue
            score = 0 if after is None or (candidate.file == after[0] and candidate.line > after[1]) else -1
            if best is None or score > best[0]:
                best = (score, candidate)
            continue
        if candidate.pattern is None:
            if stripped == candidate.text or (len(stripped) > 20 and stripped in candidate.text):
                score = len(stripped) + 1  # fixed text beats a pattern with as many fixed characters
            else:
                continue
        elif candidate.pattern.fullmatch(stripped):
            score = candidate.literal
        else:
            continue
        if best is None or score > best[0]:
            best = (score, candidate)
    if best is None:
        return None
    found = best[1]
    return Origin(
        VORLAGE,
        found.file,
        None,
        found.line,
        found.expressions,
        daten=found.pattern is not None,
    )
