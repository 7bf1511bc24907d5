"""Textbausteine that fit a question: the catalogue's programmes ranked against its wording (BM25).

A programme is indexed by its name, its text (without the Jinja expressions) and the German labels of
its topics. Words are lower-cased, German stop words dropped, and each word is cut to its first
seven letters – a crude stemmer that lets "Digitalisierung" meet "Digitalisierungsgutschein" and
"Gründerinnen" meet "Gründung" without a stemming library. The ranking itself is bm25s (a maintained
BM25 implementation on numpy, imported only here).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from anfrage import models as m

STEM = 7  # letters kept of each word
# Words of every Kleine Anfrage or every answer that say nothing about the topic (after STEM).
_DOMAIN = frozenset(
    {
        *("landesr", "land", "landes", "nordrhe", "westfal", "nrw", "bitte", "einzeln", "auflist", "angeben"),
        *("aufschl", "darstel", "kreis", "kreises", "kreisen", "stadt", "städte", "gemeind", "kommune"),
        *("region", "regione", "wurden", "werden", "welche", "welchen", "inwiefe", "viele", "jahren", "jahre"),
        *("davon", "gab", "gibt", "program", "unterst", "erhalte", "getrenn", "insgesa", "konkret", "maßnahm"),
    }
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


@dataclass(frozen=True)
class Vorschlag:
    """A programme suggested for a question, with its BM25 score (higher fits better)."""

    id: str
    name: str
    score: float


def tokens(text: str, stopwords: frozenset[str]) -> list[str]:
    """The index terms of a text: words of three or more letters, no stop words, cut to ``STEM``."""
    text = _JINJA.sub(" ", text).casefold().replace("ß", "ss")
    stems = (word[:STEM] for word in _WORD.findall(text) if word not in stopwords)
    return [stem for stem in stems if stem not in _DOMAIN]


def suggest(
    questions: Sequence[str],
    programme: Sequence[m.Programm],
    themen: Mapping[str, m.Thema] | None = None,
    k: int = 3,
) -> list[list[Vorschlag]]:
    """For each question the ``k`` best-matching programmes (fewer where fewer share a word with it),
    best first; ties keep the catalogue order."""
    if not programme:
        return [[] for _ in questions]
    import bm25s  # numpy and bm25s load only when a series is created
    from bm25s.stopwords import STOPWORDS_GERMAN

    stop = frozenset(STOPWORDS_GERMAN)
    labels = themen or {}
    corpus = [
        tokens(" ".join([p.name, p.text, *(labels[t].name if t in labels else t for t in p.themen)]), stop)
        for p in programme
    ]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    out: list[list[Vorschlag]] = []
    for question in questions:
        scores = retriever.get_scores(tokens(question, stop))
        ranked = sorted(range(len(programme)), key=lambda i: (-float(scores[i]), i))
        out.append(
            [Vorschlag(programme[i].id, programme[i].name, float(scores[i])) for i in ranked[:k] if scores[i] > 0]
        )
    return out
