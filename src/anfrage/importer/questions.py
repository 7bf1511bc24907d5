"""The body of a Kleine Anfrage: its Vorbemerkung and its questions, verbatim.

A question runs from "N." at the start of a line until it is complete (it ends with "?" or with a
parenthetical request after the "?") and what follows does not continue it; blank lines cannot be
trusted, since PDF extraction drops or adds them. In the Anfrage's own Drucksache the questions follow
the Vorbemerkung (which may hold numbered lists of its own); in the Drucksache of the answer each
question is followed by its answer, so there only lines with a question mark count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict

from anfrage.importer.clean import PAGE_BREAK, Doc, collapse, ends_question, ends_sentence, join_two, join_wrapped
from anfrage.importer.header import Header
from anfrage.importer.patterns import (
    HEADING_VKA,
    HEADING_VLR,
    MINISTER_RE,
    NAMENS_RE,
    NOT_QUESTION_WORDS,
    QSTART_RE,
    STOP_LINE_RE,
    STOP_PREFIX_RE,
)
from anfrage.importer.vorbemerkung import vorbemerkung

MAX_QUESTION_CHARS = 2500
MAX_QUESTIONS = 20  # as many as an Anfrage record may hold (a Kleine Anfrage has at most five)
MAX_CANDIDATES = 30  # lines "N. …" tried per question number (real Drucksachen have a handful)

# "Ich frage daher die Landesregierung:", "Wir fragen die Landesregierung:"
_INTRO_RE = re.compile(r"\bfragen?\b[^.!?]{0,160}:$", re.IGNORECASE)


class FrageRecord(TypedDict):
    """One question as written to the Anfrage file (see :class:`anfrage.models.Frage`)."""

    nr: int
    text: str


@dataclass
class Body:
    """What follows the title: the Vorbemerkung (paragraphs, "" if none) and the questions."""

    vorbemerkung: str
    fragen: list[FrageRecord]


@dataclass
class _AnswerLandmarks:
    """Lines of an answer Drucksache between title and questions that the Anfrage's part ends at."""

    minister: tuple[int, int] | None  # "Der Minister … hat die Kleine Anfrage N … beantwortet."
    heading_vka: int | None  # "Vorbemerkung der Kleinen Anfrage"
    heading_vlr: int | None  # "Vorbemerkung der Landesregierung"


def read_body(doc: Doc, head: Header) -> Body:
    """Vorbemerkung and questions after the title (no questions: an empty list).

    Without questions the end of a Kleine Anfrage's Vorbemerkung is unknown, so it stays empty; an
    answer still marks it off by its heading and the minister line.
    """
    names = _name_variants([a["name"] for a in head.abgeordnete])
    start = head.title_end
    marks = _answer_landmarks(doc, start) if head.is_answer else None
    if marks is not None:
        q1 = _answer_first_question(doc, start, marks, names)
    else:
        q1 = _ka_first_question(doc, start, names)
    fragen = _questions(doc, q1, names, require_mark=head.is_answer) if q1 is not None else []
    if marks is not None:
        return Body(_answer_vorbemerkung(doc, marks, doc.n if q1 is None else q1), fragen)
    return Body(vorbemerkung(doc.lines[start:q1]) if q1 is not None else "", fragen)


# --------------------------------------------------------------------------------------------------
# Where the questions start


def _answer_landmarks(doc: Doc, start: int) -> _AnswerLandmarks:
    return _AnswerLandmarks(
        minister=_find_minister(doc, start),
        heading_vka=next((i for i in range(start, doc.n) if HEADING_VKA.match(doc.lines[i])), None),
        heading_vlr=next((i for i in range(start, doc.n) if HEADING_VLR.match(doc.lines[i])), None),
    )


def _find_minister(doc: Doc, start: int) -> tuple[int, int] | None:
    """Line range of "Der Minister … hat die Kleine Anfrage N mit Schreiben vom … beantwortet."."""
    for i in range(start, doc.n):
        if not doc.content(i) or not re.match(r"^(?:Der|Die|Das|Namens)\s", doc.lines[i]):
            continue
        window = join_wrapped(doc.lines[i : i + 8])
        m = MINISTER_RE.search(window) or NAMENS_RE.match(window)
        # the speaker ("Der Minister für …") takes at most a few lines before "hat die Kleine Anfrage"
        if not m or m.start() > 400 or re.search(r"[.!?]\s", window[: m.start()]):
            continue
        first = last = i
        for f in range(i, min(doc.n, i + 10)):
            if doc.content(f):
                last = f
                if re.search(r"(?:beantwortet\.?|wie\s+folgt:)$", doc.lines[f]):
                    break
        return first, last + 1
    return None


def _answer_first_question(doc: Doc, start: int, marks: _AnswerLandmarks, names: list[str]) -> int | None:
    """Question 1 of an answer: the first "1. …?" after the Vorbemerkungen and the minister line,
    else the first one after the title."""
    after = [start] + [x for x in (marks.heading_vka, marks.heading_vlr) if x is not None]
    if marks.minister:
        after.append(marks.minister[1])
    q1 = _first_question(doc, max(after), names, require_mark=True)
    if q1 is None:
        q1 = _first_question(doc, start, names, require_mark=True)
    return q1


def _first_question(doc: Doc, start: int, names: list[str], *, require_mark: bool) -> int | None:
    for i in _candidates(doc, start, 1)[:MAX_CANDIDATES]:
        if not require_mark or "?" in _parse_question(doc, i, 1, names)[0]:
            return i
    return None


def _ka_first_question(doc: Doc, start: int, names: list[str]) -> int | None:
    """Question 1 of a Kleine Anfrage: the first "1." after "… frage(n) … Landesregierung:", else the
    last "1." with a question mark (a Vorbemerkung may contain numbered lists of its own)."""
    candidates = _candidates(doc, start, 1)
    if not candidates:
        return None
    for i in range(candidates[-1] - 1, start - 1, -1):
        if doc.content(i) and doc.lines[i].endswith(":"):
            back = [doc.lines[b] for b in range(max(start, i - 3), i + 1) if doc.content(b)]
            if _INTRO_RE.search(join_wrapped(back)):
                after = [c for c in candidates if c > i]
                if after:
                    return after[0]
            break
    for c in reversed(candidates[-MAX_CANDIDATES:]):
        if "?" in _parse_question(doc, c, 1, names)[0]:
            return c
    return candidates[-1]


def _candidates(doc: Doc, start: int, nr: int) -> list[int]:
    """Lines from ``start`` on that may begin question ``nr``."""
    return [i for i in range(start, doc.n) if doc.content(i) and _question_start(doc.lines[i], nr)]


def _answer_vorbemerkung(doc: Doc, marks: _AnswerLandmarks, q1: int) -> str:
    """In an answer, the Anfrage's Vorbemerkung stands under its own heading before the questions and
    ends at the minister line, at the Landesregierung's Vorbemerkung or at question 1."""
    vka = marks.heading_vka
    if vka is None or vka >= q1:
        return ""
    minister = marks.minister[0] if marks.minister else None
    end = min(x for x in (minister, marks.heading_vlr, q1) if x is not None and x > vka)
    return vorbemerkung(doc.lines[vka + 1 : end])


# --------------------------------------------------------------------------------------------------
# The questions


def _questions(doc: Doc, q1: int, names: list[str], *, require_mark: bool) -> list[FrageRecord]:
    """Questions 1, 2, … from line ``q1`` on, each starting after the end of the one before."""
    fragen: list[FrageRecord] = []
    i: int | None = q1
    nr = 1
    while i is not None and nr <= MAX_QUESTIONS:
        text, end = _parse_question(doc, i, nr, names)
        if not text:
            break  # "3." and nothing after it: no question
        fragen.append({"nr": nr, "text": text})
        nr += 1
        i = None
        for c in _candidates(doc, end, nr)[:MAX_CANDIDATES]:
            if not require_mark or "?" in _parse_question(doc, c, nr, names)[0]:
                i = c
                break
    return fragen


def _question_start(line: str, nr: int | None = None) -> tuple[int, str] | None:
    """Number and first text of a line "N. …" that may start a question (number ``nr`` if given)."""
    m = QSTART_RE.match(line)
    if not m:
        return None
    number, rest = int(m.group(1)), m.group(2)
    if nr is not None and number != nr:
        return None
    if rest and (rest[0].islower() or rest[0].isdigit() or NOT_QUESTION_WORDS.match(rest)):
        return None
    return number, rest


def _parse_question(doc: Doc, i: int, nr: int, names: list[str]) -> tuple[str, int]:
    """Text of question ``nr`` starting at line ``i`` and the index after its last line."""
    key = (i, nr)
    if key not in doc.questions:
        doc.questions[key] = _scan_question(doc, i, nr, names)
    return doc.questions[key]


def _scan_question(doc: Doc, i: int, nr: int, names: list[str]) -> tuple[str, int]:
    start = _question_start(doc.lines[i], nr)
    if start is None:
        return "", i + 1
    text = collapse(start[1])
    k = i + 1
    while k < doc.n and len(text) <= MAX_QUESTION_CHARS:
        j = doc.next_content(k)
        if j >= doc.n:
            break
        line = doc.lines[j]
        if (
            _question_start(line, nr + 1)
            or STOP_LINE_RE.match(line)
            or STOP_PREFIX_RE.match(line)
            or _is_signature(line, names)
        ):
            break
        if not text or not ends_sentence(text):
            if _looks_like_name(line) and _only_names_follow(doc, j):
                break
        elif _question_start(line) is not None:
            break  # a complete question followed by "N. …": an enumeration or the next question
        elif not (line[:1].islower() or line[:1] in "(),;" or _question_like(doc, j, nr, names)):
            break
        text = join_two(text, line) if text else line
        k = j + 1
    return text, k


def _question_like(doc: Doc, j: int, nr: int, names: list[str]) -> bool:
    """Whether the sentence starting at line ``j`` is another part of the question (ends with "?")."""
    parts: list[str] = []
    k = j
    while k < doc.n and len(parts) < 8:
        k = doc.next_content(k)
        if k >= doc.n:
            break
        line = doc.lines[k]
        if parts and (_question_start(line, nr + 1) or STOP_LINE_RE.match(line) or _is_signature(line, names)):
            break
        parts.append(line)
        if ends_sentence(join_wrapped(parts)):
            break
        k += 1
    chunk = join_wrapped(parts)
    return ends_question(chunk) or chunk.startswith(("Bitte ", "(Bitte "))


# --------------------------------------------------------------------------------------------------
# Signatures: the MdL names under the last question end it


def _name_variants(names: list[str]) -> list[str]:
    """The MdL names as they may stand under the Anfrage (with and without academic titles)."""
    variants: set[str] = set()
    for name in names:
        variants.add(name)
        bare = re.sub(r"^(?:(?:Prof|Dr|Dipl\.-\w+|h\.\s?c)\.?\s+)+", "", name).strip()
        if bare:
            variants.add(bare)
    return sorted((v for v in variants if len(v) >= 3), key=len, reverse=True)


def _is_signature(line: str, names: list[str]) -> bool:
    """Whether ``line`` consists of MdL names only ("Max Muster", "Anna Beispiel und Max Muster MdL")."""
    rest = line
    found = False
    for name in names:
        if name in rest:
            rest = rest.replace(name, " ")
            found = True
    return found and re.fullmatch(r"[\s,;/&]*(?:(?:und|MdL|sowie)[\s,;/&]*)*", rest) is not None


def _looks_like_name(line: str) -> bool:
    """Whether ``line`` could be a person's name (capitalised words, titles, particles)."""
    tokens = line.split()
    return 2 <= len(tokens) <= 6 and all(
        re.fullmatch(r"(?:Dr\.|Prof\.|von|van|de|der|zu|vom|[A-ZÄÖÜ][\w'’\-]*\.?|,|und)", t) for t in tokens
    )


def _only_names_follow(doc: Doc, j: int) -> bool:
    """True when the lines from ``j`` to the end (or the next page) look like signatures."""
    for k in range(j, doc.n):
        if doc.lines[k] == PAGE_BREAK:
            return True
        if doc.content(k) and not _looks_like_name(doc.lines[k]):
            return False
    return True
