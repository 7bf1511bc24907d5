"""The body of flattened text: headings, the minister line, numbered questions, one sentence per line
in question blocks (see ``reflow``)."""

from __future__ import annotations

import bisect
import re

from anfrage.importer.clean import (
    collapse,
    ends_sentence,
)
from anfrage.importer.patterns import (
    MINISTER_RE,
    NAMENS_RE,
    NOT_QUESTION_WORDS,
)
from anfrage.importer.reflow_patterns import (
    _HEADING_RE,
    _QUESTION_INLINE_RE,
    _SENTENCE_END_RE,
    _after_unpunctuated_end,
    _at_boundary,
    _sentence_ends,
    _skip_space,
    _State,
)

# --------------------------------------------------------------------------------------------------
# Body: headings, the minister line, questions


def _body(text: str, state: _State) -> None:
    """Emit the blocks of ``text``: headings and the minister line alone, questions sentence by sentence."""
    if not text:
        return
    out = state.out
    for i, (kind, block) in enumerate(_blocks(text, state)):
        if kind in ("heading", "minister"):
            out += ["", block, ""]
            state.in_question = False
        elif kind == "question" or (i == 0 and state.in_question):
            if kind == "question":
                out.append("")
            out += sentences(block)
            state.in_question = True
        else:
            out += ["", block]
            state.in_question = False


def _blocks(text: str, state: _State) -> list[tuple[str, str]]:
    """``text`` cut before headings, the minister line and question numbers: (kind, text) pairs."""
    cuts: list[tuple[int, int | None, str]] = []  # start, end (None: up to the next cut), kind
    for m in _HEADING_RE.finditer(text):
        if _at_boundary(text, m.start()):
            cuts.append((m.start(), m.end(), "heading"))
    for m in [*MINISTER_RE.finditer(text), *NAMENS_RE.finditer(text)]:
        span = _minister_span(text, m)
        if span is not None:
            cuts.append((*span, "minister"))
    covered = _Spans([(s, e) for s, e, _ in cuts if e is not None])
    for m in _QUESTION_INLINE_RE.finditer(text):
        nr = int(m.group(1))
        if (
            1 <= nr <= 20
            and not NOT_QUESTION_WORDS.match(text, m.end())
            and not covered.contain(m.start())
            and (
                _at_boundary(text, m.start())
                or (nr == state.next_question and _after_unpunctuated_end(text, m.start()))
            )
        ):
            cuts.append((m.start(), None, "question"))
            state.next_question = nr + 1
    cuts.sort(key=lambda c: c[0])
    blocks: list[tuple[str, str]] = []
    pos = 0
    kind = "text"
    for start, end, cut_kind in cuts:
        if start < pos:
            continue  # inside a heading or the minister line
        blocks.append((kind, text[pos:start]))
        if end is None:
            pos, kind = start, cut_kind
        else:
            blocks.append((cut_kind, text[start:end]))
            pos, kind = end, "text"
    blocks.append((kind, text[pos:]))
    return [(k, collapse(b)) for k, b in blocks if b.strip()]


class _Spans:
    """Spans of text (start, end) that can tell quickly whether they contain a position."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach: list[int] = []  # the farthest end of the spans up to each one
        for _, end in spans:
            self.reach.append(max(end, self.reach[-1]) if self.reach else end)

    def contain(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and self.reach[i] > pos


def _minister_span(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    """The sentence "Der Minister … hat die Kleine Anfrage N mit Schreiben vom … beantwortet." (or
    "Namens der Landesregierung beantworte ich die Kleine Anfrage … wie folgt:") around ``m``."""
    if NAMENS_RE.match(text, m.start()):
        start = m.start()
        tail = re.compile(r"wie\s+folgt\s*:|[.:](?=\s|$)")
    else:
        lo = max(0, m.start() - 400)
        candidates = [e.end() for e in _SENTENCE_END_RE.finditer(text, lo, m.start())]
        last = next((e for e in reversed(candidates) if ends_sentence(text[max(0, e - 400) : e])), None)
        if last is None and lo > 0:
            return None  # no sentence start within reach: not the minister line
        start = _skip_space(text, last or 0)
        tail = re.compile(r"beantwortet\s*\.?")
    t = tail.search(text, m.end(), m.end() + 1500)  # a cabinet list of Einvernehmen can be long
    return (start, t.end()) if t else None


def sentences(block: str) -> list[str]:
    """``block`` cut after each sentence end that a capital letter, a quote or a digit follows."""
    out: list[str] = []
    pos = 0
    for end in _sentence_ends(block):
        nxt = block[end : end + 2].lstrip()[:1]
        if nxt.isupper() or nxt.isdigit() or nxt in ("„", '"'):
            out.append(block[pos:end].strip())
            pos = end
    out.append(block[pos:].strip())
    return [x for x in out if x]
