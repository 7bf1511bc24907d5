"""Patterns and state shared by the steps that restore the lines of flattened Drucksache text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from anfrage.importer.clean import ends_sentence
from anfrage.importer.patterns import (
    DATE_RE,
    FRAKTION_ALTERNATIVES,
)

LONG_LINE = 250
"""Collapsed lines longer than this are flattened text (a line of a printed A4 page has about 110)."""
MAX_TITLE_CHARS = 300
MAX_NAMES_CHARS = 250

_CLOSERS = r")\]“”\"'’»›"

# Page furniture inline: running header with page number, first-page header, footer, notice.
_FURNITURE_RE = re.compile(
    r"LANDTAG\s+NORDRHEIN-WESTFALEN(?:\s*[-–]?\s*(?:\d{1,2}\.\s*Wahlperiode"
    r"|Drucksache\s+\d{1,2}\s*/\s*\d{1,6}(?:\s+\d{1,3}(?![\d.,:/)\-]))?|\d{1,2}\.\d{1,2}\.\d{4}(?!\d))){0,4}"
    r"|Landtag\s+Nordrhein-Westfalen\s*[-–]\s*\d{1,2}\.\s*Wahlperiode"
    r"(?:\s*[-–]?\s*Drucksache\s+\d{1,2}\s*/\s*\d{1,6})?(?:\s*[-–]?\s*Seite\s+\d{1,3}(?:\s*(?:von|/)\s*\d{1,3})?)?"
    r"|Datum\s+des\s+Originals\s*:?\s*\d{1,2}\.\d{1,2}\.\d{4}"
    r"(?:\s*/\s*Ausgegeben\s*:?(?:\s*\d{1,2}\.\d{1,2}\.\d{4})?)?"
    r"|Seite\s+\d{1,3}\s+von\s+\d{1,3}(?!\d)"
    r"|(?<!\S)[-–]\s\d{1,3}\s[-–](?!\S)"  # "- 2 -"
)

_PAGE_BEFORE_RE = re.compile(rf"[.?!:;{_CLOSERS}]\s+(\d{{1,3}})\s+$")

# The header of a flattened Drucksache, at the start of its text.
_ANSWER_HEAD_RE = re.compile(
    r"(?:(Antwort(?:\s+der\s+Landesregierung)?)\s+)?"
    rf"(auf\s+die\s+Kleine\s+Anfrage\s+\d{{1,6}}(?:\s+vom\s+{DATE_RE})?)(?=\s|$)"
)
_KA_HEAD_RE = re.compile(rf"Kleine\s+Anfrage(?:\s+\d{{1,6}}(?:\s+vom\s+{DATE_RE})?)?(?:\s*:)?(?=\s|$)")
_ABG_HEAD_RE = re.compile(r"(?:des|der)\s+Abgeordneten\s+")
_FRAKTION_RE = re.compile(rf"\(?(?<![\w/])(?:{FRAKTION_ALTERNATIVES})\)?(?![\w/])")
# Names of MdL without a Fraktion after them: academic titles, first name, last name ("von" allowed).
_NAME = (
    r"(?:(?:Prof\.|Dr\.|h\.\s?c\.|Dipl\.-[\w]+\.?)\s+)*[A-ZÄÖÜ][\w'’-]+"
    r"\s+(?:(?:von|van|de|zu|vom|von\s+der|van\s+den)\s+)?[A-ZÄÖÜ][\w'’-]+"
)
_NAMES_RE = re.compile(rf"{_NAME}(?:\s*,\s*{_NAME})*(?:\s+(?:und|sowie)\s+{_NAME})?(?=\s|$)")
_DRUCKSACHE_HEAD_RE = re.compile(r"\s*(Drucksache\s+\d{1,2}\s*/\s*\d{1,6})(?![\d/])")

# Strong ends of a title: a heading or the minister line follows it.
_TITLE_STOP_RE = re.compile(
    r"Vorbemerkung\s+der\s+(?:Kleinen\s+Anfrage|Landesregierung)"
    r"|(?:Der|Die)\s+Minister(?:in|präsident(?:in)?)?\b[^.?!]{0,300}?(?:hat|haben)\s+die\s+Kleine\s+Anfrage"
    r"|Namens\s+der\s+Landesregierung\b"
)
# A sentence end: punctuation with closing quotes or brackets, then a space.
_SENTENCE_END_RE = re.compile(rf"[.?!)][{_CLOSERS}]*(?=\s)")

# Headings inside the text of an answer (or of a Kleine Anfrage with a "Begründung").
_HEADING_RE = re.compile(
    r"(?:Vorbemerkung\s+der\s+(?:Kleinen\s+Anfrage|Landesregierung)(?:\s*:)?"
    r"|Antwort\s+(?:der\s+Landesregierung\s+)?zu\s+Frage\s+\d{1,2}\s*:"
    r"|Zu\s+Frage\s+\d{1,2}\s*:"
    r"|Antwort\s+der\s+Landesregierung(?:\s*:)?"
    r"|Antwort\s*:"
    r"|Begründung(?:\s*:)?)(?=\s|$)"
)
# A question number after the end of a sentence: "… Landesregierung: 1. Welche …", "? 2) Wie …"
_QUESTION_INLINE_RE = re.compile(r"(?<!\S)(?:Frage\s+)?(\d{1,2})(?:\.\)|[.):])\s+(?=[A-ZÄÖÜ„\"'(])")
# Tokens after which a "." does not end a sentence, so that a number after them is no question number.
_NO_BREAK_AFTER = {"nr.", "abs.", "art.", "ziff.", "s.", "vgl.", "bzw.", "ca.", "z.b.", "bd.", "kap.", "tz.", "rn."}
# A hyphen at a lost line end: "Ansied- lung", "NGA- Entwicklungskonzepten", "Natur- und"
_HYPHEN_GAP_RE = re.compile(r"(?<=[^\s\-–])- (?=\S)")

# Words that start a sentence and stand capitalised nowhere else: where a title without question mark
# ends and the Vorbemerkung begins ("Breitbandausbau im Kreis Höxter Der Kreis Höxter ist …").
_STARTER_WORDS = """
    Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines
    Im In Am An Auf Aus Bei Mit Nach Seit Von Vom Zu Zum Zur Für Über Unter Vor Durch Gegen Ohne Um
    Trotz Wegen Während Laut Gemäß Bis Ab Neben Angesichts Aufgrund
    Er Sie Es Wir Ich Man Dies Diese Dieser Dieses Damals Dort Hier
    Als Da Dabei Damit Dadurch Daher Darüber Deshalb Deswegen Doch Aber Auch Allerdings Bereits Schon
    Immer Nur Noch Gerade Insbesondere Insgesamt Zudem Außerdem Ferner Derzeit Aktuell Heute Jetzt Nun
    So Ob Wenn Weil Obwohl Nachdem Seitdem Zuletzt Zunächst Vielmehr Jedoch Somit Folglich
    Viele Einige Mehrere Zahlreiche Alle Jede Jeder Jedes Kein Keine Mehr Rund Etwa Fast Knapp Nicht
    Wie Was Wer Wann Wo Warum Weshalb Wieso Welche Welcher Welches Wieviel Inwiefern Inwieweit Wodurch
    Gibt Ist Sind Hat Haben Kann Können Wird Werden Plant Sieht Teilt Liegen Liegt
"""
_STARTERS = frozenset(_STARTER_WORDS.split())


@dataclass
class _State:
    expect_title: bool = True  # no title seen yet: the header and title may still come
    in_question: bool = False  # the last block was a question: text after a page break continues it
    next_question: int = 1  # the number after the last question cut: it may follow an answer's URL
    title_guessed: bool = False
    names_guessed: bool = False
    out: list[str] = field(default_factory=list)


def _after_unpunctuated_end(text: str, p: int) -> bool:
    """Whether the word before ``p`` may end an answer without a full stop (a URL, a figure, a noun
    in a table) rather than lead into an ordinal ("der 2. Bauabschnitt", "Nr. 2", "Lenne, 2. …")."""
    before = text[max(0, p - 200) : p].rstrip()
    if not before:
        return True
    token = before.rsplit(None, 1)[-1]
    if "://" in token or token.startswith("www.") or token.endswith("/"):
        return True
    return (token[:1].isupper() or token.isdigit()) and token[-1:].isalnum() and token.lower() not in _NO_BREAK_AFTER


def _at_boundary(text: str, p: int) -> bool:
    """Whether position ``p`` follows the end of a sentence (or a colon), or starts the text."""
    before = text[max(0, p - 60) : p].rstrip()
    if not before:
        return True
    last = before[-1]
    if last in "?!:;" or last in _CLOSERS:
        return True
    if last == ".":
        return before.rsplit(None, 1)[-1].lower() not in _NO_BREAK_AFTER
    return False


def _sentence_ends(text: str) -> list[int]:
    """Positions after the sentence ends in ``text`` that a space follows; none inside „quotes“
    („Heimat. Zukunft. Nordrhein-Westfalen.“ is one name)."""
    ends: list[int] = []
    depth = 0
    counted = 0
    for m in _SENTENCE_END_RE.finditer(text):
        chunk = text[counted : m.end()]
        depth = max(0, depth + chunk.count("„") - chunk.count("“"))
        counted = m.end()
        if depth == 0 and ends_sentence(text[max(0, m.end() - 400) : m.end()]):
            ends.append(m.end())
    return ends


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos
