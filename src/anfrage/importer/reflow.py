"""Text flattened into long lines: the line structure of a Drucksache restored before it is parsed.

Text exports of parliamentary databases and copies from a browser's PDF viewer give a whole
Drucksache (or each paragraph) as one line: every line break became a space, and the page headers,
the "Datum des Originals" footer and the notice on the Schutzgebühr stand inline. The parser reads
*lines* ("Kleine Anfrage N" alone on a line, the Abgeordneten line, "1." at a line start), so this
module cuts such long lines where a Drucksache has its structure:

* page furniture (headers with page number, "Datum des Originals: …", the notice) on lines of its
  own, which the parser treats as page breaks; words hyphenated at a lost line end are rejoined as
  :func:`~anfrage.importer.clean.join_two` would ("Ansied- lung" → "Ansiedlung", "NGA- Entwicklung"
  → "NGA-Entwicklung", "Natur- und" stays);
* the header: "Antwort der Landesregierung" / "auf die Kleine Anfrage N vom …", "Kleine Anfrage N",
  the Abgeordneten line up to its Fraktion, the answer's "Drucksache NN/NNNN", and the title;
* headings ("Vorbemerkung der Kleinen Anfrage", "Vorbemerkung der Landesregierung", "Antwort:",
  "Zu Frage N:"), the minister line, and every numbered question ("1.", "1)", "Frage 1:") after the
  end of a sentence;
* inside a question block, one sentence per line, so that the question parser tells where a
  question ends and its answer or the signatures begin, as it does on PDF text.

Lines of ordinary length are left exactly as they are: text with its line structure (pdftotext,
pypdf) goes through unchanged. What cannot be restored is where paragraphs ended (a Vorbemerkung
flattened to one line stays one paragraph, apart from lists after a colon) and, for a title without
question mark and without a heading after it, where exactly it ends: that end is guessed from the
first word that only starts a sentence ("Die", "Im", "Wie" …) and reported as a guess.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from anfrage.importer.clean import (
    NOTICE_RE,
    NOTICE_REST_RE,
    PAGE_BREAK,
    collapse,
    ends_sentence,
    is_noise,
    join_two,
)
from anfrage.importer.patterns import (
    ABG_RE,
    DATE_RE,
    FRAKTION_ALTERNATIVES,
    KA_LABEL_RE,
    KA_LINE_RE,
    MINISTER_RE,
    NAMENS_RE,
    NOT_QUESTION_WORDS,
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
class Reflowed:
    """The text with its line structure restored; whether the end of the title, or of the MdL names
    (no Fraktion after them), had to be guessed."""

    text: str
    title_guessed: bool = False
    names_guessed: bool = False


@dataclass
class _State:
    expect_title: bool = True  # no title seen yet: the header and title may still come
    in_question: bool = False  # the last block was a question: text after a page break continues it
    next_question: int = 1  # the number after the last question cut: it may follow an answer's URL
    title_guessed: bool = False
    names_guessed: bool = False
    out: list[str] = field(default_factory=list)


def reflow(text: str) -> Reflowed:
    """``text`` (normalised) with its long lines cut into the lines of a Drucksache.

    Returns the text unchanged when no line is long (or a line combines "Kleine Anfrage N" with the
    Abgeordneten line, or holds several numbered questions).
    """
    lines = text.split("\n")
    flags = [_needs_reflow(collapse(x)) if x != PAGE_BREAK else False for x in lines]
    if not any(flags):
        return Reflowed(text)
    state = _State()
    for line, flag in zip(lines, flags, strict=True):
        if flag:
            state.out.append("")
            _segment(collapse(line), state)
            state.out.append("")
            continue
        state.out.append(line)
        c = collapse(line)
        if c and c != PAGE_BREAK and not _is_header_line(c):
            state.expect_title = False  # the title stands on a line of its own
    return Reflowed("\n".join(state.out), state.title_guessed, state.names_guessed)


def _needs_reflow(line: str) -> bool:
    """Whether ``line`` is flattened text: longer than a printed line, or combining two parts that a
    Drucksache prints on lines of their own ("… 17. Wahlperiode … Kleine Anfrage 55 des Abgeordneten …",
    "1. Wie …? 2. Was …?")."""
    if len(line) > LONG_LINE:
        return True
    markers = sum(1 for regex in _MARKERS if regex.search(line))
    return markers >= 2 or len(_QUESTION_AFTER_MARK_RE.findall(line)) >= 2


_MARKERS = [
    re.compile(p)
    for p in (
        r"LANDTAG\s+NORDRHEIN-WESTFALEN|Datum\s+des\s+Originals",
        r"\bKleine\s+Anfrage\b",
        r"\b(?:des|der)\s+Abgeordneten\b",
        r"\bVorbemerkung\s+der\s+(?:Kleinen\s+Anfrage|Landesregierung)\b",
        r"(?:^|[?:!.]\s+)(?:Frage\s+)?1\s*(?:\.\)|[.):])\s+[A-ZÄÖÜ„]",
    )
]
_QUESTION_AFTER_MARK_RE = re.compile(r"(?:^|[?!.)]\s+)(?:Frage\s+)?\d{1,2}\s*(?:\.\)|[.):])\s+[A-ZÄÖÜ„]")


def _is_header_line(line: str) -> bool:
    """Lines that stand before the title: page furniture, "Kleine Anfrage N", the Abgeordneten line …"""
    return bool(
        is_noise(line)
        or KA_LINE_RE.match(line)
        or KA_LABEL_RE.match(line)
        or ABG_RE.match(line)
        or re.match(r"^(?:Antwort(?:\s+der\s+Landesregierung)?|der\s+Landesregierung|Neudruck)$", line)
        or re.match(r"^(?:Antwort\s+)?auf\s+die\s+Kleine\s+Anfrage\b", line)
        or re.match(r"^(?:und\s+|[A-ZÄÖÜ][\w.\-]*\s+)*(?:" + FRAKTION_ALTERNATIVES + r")$", line)
    )


# --------------------------------------------------------------------------------------------------
# One long line


def _segment(line: str, state: _State) -> None:
    """Append the lines of one flattened line to ``state.out``."""
    for is_furniture, piece in _pieces(line):
        if is_furniture:
            state.out.append(piece)
            continue
        piece = dehyphenate(piece).strip()
        if not piece:
            continue
        pos = _header(piece, state) if state.expect_title else 0
        _body(piece[pos:].strip(), state)


def _pieces(line: str) -> list[tuple[bool, str]]:
    """The line cut into text and page furniture (furniture as a noise line, the notice as a page break)."""
    spans: list[tuple[int, int, str]] = []
    for regex in (NOTICE_RE, NOTICE_REST_RE):
        spans += [(m.start(), m.end(), PAGE_BREAK) for m in regex.finditer(line)]
    for m in _FURNITURE_RE.finditer(line):
        start = m.start()
        # a page number printed before the running header, right after the end of a sentence
        page = _PAGE_BEFORE_RE.search(line, max(0, start - 8), start) if "Wahlperiode" in m.group(0) else None
        spans.append((page.start(1) if page else start, m.end(), m.group(0)))
    spans.sort()
    pieces: list[tuple[bool, str]] = []
    pos = 0
    for start, end, shown in spans:
        if start < pos:
            continue  # inside the notice
        pieces.append((False, line[pos:start]))
        pieces.append((True, collapse(shown) if shown != PAGE_BREAK else PAGE_BREAK))
        pos = end
    pieces.append((False, line[pos:]))
    return pieces


def dehyphenate(text: str) -> str:
    """Words split at a line end that a flattening turned into "Ansied- lung", rejoined as the line
    parser joins them ("Ansiedlung", "NGA-Entwicklungskonzepten"; "Natur- und" stays)."""
    out: list[str] = []
    last = 0
    for m in _HYPHEN_GAP_RE.finditer(text):
        left = text[max(0, m.start() - 80) : m.start() + 1]
        right = text[m.end() : m.end() + 40]
        joined = join_two(left, right)
        if joined == left + right:
            gap = "-"
        elif joined == left[:-1] + right:
            gap = ""
        else:
            gap = "- "
        out += [text[last : m.start()], gap]
        last = m.end()
    out.append(text[last:])
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Header and title


def _header(piece: str, state: _State) -> int:
    """Emit the header lines and the title at the start of ``piece``; the position after them."""
    out = state.out
    pos = _header_start(piece)
    if pos:
        out.append(collapse(piece[:pos]))  # "Drucksache 17/7702 15.11.2019" without "LANDTAG …"
    seen = False  # a header line: a title must follow
    if m := _ANSWER_HEAD_RE.match(piece, pos):
        if m.group(1):
            out.append(m.group(1))
        out.append(collapse(m.group(2)))
        pos, seen = m.end(), True
    elif (m := _KA_HEAD_RE.match(piece, pos)) and (m.end() < len(piece)):
        out.append(collapse(m.group(0)))
        pos, seen = m.end(), True
    pos = _skip_space(piece, pos)
    if (d := _DRUCKSACHE_HEAD_RE.match(piece, pos)) and _ABG_HEAD_RE.match(piece, _skip_space(piece, d.end())):
        out.append(collapse(d.group(1)))  # the Anfrage's Drucksache before the Abgeordneten line
        pos = _skip_space(piece, d.end())
    if m := _ABG_HEAD_RE.match(piece, pos):
        end = _names_end(piece, m.end())
        if end is not None:
            state.names_guessed = _FRAKTION_RE.search(piece, m.end(), end) is None
            out.append(collapse(piece[pos:end]))
            pos, seen = end, True
            if d := _DRUCKSACHE_HEAD_RE.match(piece, pos):
                out.append(collapse(d.group(1)))
                pos = d.end()
    pos = _skip_space(piece, pos)
    end, guessed = _title_end(piece, pos, seen)
    if end is not None:
        out += ["", collapse(piece[pos:end]), ""]
        pos = end
        state.title_guessed = state.title_guessed or guessed
    state.expect_title = False
    return pos


def _header_start(piece: str) -> int:
    """Where "Antwort …", "auf die Kleine Anfrage N" or "Kleine Anfrage N" starts when only a short
    remnant of the page header stands before it ("Drucksache 17/7702 15.11.2019"); else 0."""
    m = re.search(
        r"(?:Antwort\s+(?:der\s+Landesregierung\s+)?)?auf\s+die\s+Kleine\s+Anfrage\s+\d|Kleine\s+Anfrage\s+\d",
        piece[:160],
    )
    if m is None or m.start() == 0:
        return 0
    prefix = piece[: m.start()]
    if re.fullmatch(
        r"(?:(?:Drucksache|Wahlperiode|Landtag|LANDTAG|NRW|Nordrhein-Westfalen|NORDRHEIN-WESTFALEN|Neudruck)\b"
        r"|[\d./]+(?![\d./])|[-–|]|\s)+",
        prefix,
    ):
        return m.start()
    return 0


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _names_end(piece: str, start: int) -> int | None:
    """End of the MdL names after "des/der Abgeordneten": after the Fraktion, else before the title."""
    window = piece[start : start + MAX_NAMES_CHARS]
    m = _FRAKTION_RE.search(window)
    if m and not re.search(r"[?!„]", window[: m.start()]) and not _has_sentence_end(window[: m.start()]):
        return start + m.end()
    names = _NAMES_RE.match(window)  # no Fraktion: first and last name each, a guess
    return start + names.end() if names else None


def _title_end(piece: str, pos: int, header_seen: bool) -> tuple[int | None, bool]:
    """End of the title starting at ``pos`` and whether that end is a guess (None: no title).

    A heading or the minister line after the title ends it for sure (an answer has the heading
    "Vorbemerkung der Kleinen Anfrage"); so does its question mark, unless a word that starts
    sentences stands before it. Otherwise the title ends before the first such word (a guess).
    """
    window = piece[pos : pos + MAX_TITLE_CHARS + 1]
    ends = _sentence_ends(window + " ")
    heading, question = _title_stops(window)
    if heading is not None and all(_ends_with_mark(window[:e]) for e in ends if e <= heading):
        return pos + len(window[:heading].rstrip()), False
    if question is not None and (not ends or question < ends[0]):
        return pos + len(window[:question].rstrip()), False
    first_end = ends[0] if ends else None
    if first_end is not None and _ends_with_mark(window[:first_end]):
        s = _starter(window[:first_end])
        if s is None:
            return pos + first_end, False
        return pos + len(window[:s].rstrip()), True
    s = _starter(window[: first_end if first_end is not None else MAX_TITLE_CHARS])
    if s is not None:
        return pos + len(window[:s].rstrip()), True
    if header_seen and first_end is not None and first_end <= 160:
        return pos + first_end, True  # a title that ends with a full stop
    return None, False


def _title_stops(window: str) -> tuple[int | None, int | None]:
    """Where a heading or the minister line, and where question 1, follow the title in ``window``."""
    heading = next((m.start() for m in _TITLE_STOP_RE.finditer(window) if m.start() > 0), None)
    for m in _QUESTION_INLINE_RE.finditer(window):
        if m.group(1) != "1" or m.start() == 0 or NOT_QUESTION_WORDS.match(window, m.end()):
            continue
        prev = window[: m.start()].rstrip().rsplit(None, 1)[-1]
        if (
            m.group(0).startswith("Frage")
            or _at_boundary(window, m.start())
            or (_after_unpunctuated_end(window, m.start()) and prev not in _STARTERS)
        ):
            return heading, m.start()
    return heading, None


def _ends_with_mark(text: str) -> bool:
    """Whether ``text`` ends with "?" or "!" (closing quotes and a parenthetical after it allowed)."""
    t = text.rstrip().rstrip("“”\"'’»›")
    return t.endswith(("?", "!"))


def _has_sentence_end(text: str) -> bool:
    return bool(_sentence_ends(text + " "))


def _starter(text: str, min_tokens: int = 1) -> int | None:
    """Position of the first word in ``text`` that starts a new sentence: a word of :data:`_STARTERS`
    after at least ``min_tokens`` words, not after ":", a dash, a "." that ends no sentence ("Unna I. Was
    wird gefördert?") or inside „quotes“."""
    tokens = list(re.finditer(r"\S+", text))
    depth = 0
    for i, tok in enumerate(tokens):
        word = tok.group(0)
        if i >= min_tokens and depth == 0 and word in _STARTERS:
            prev = tokens[i - 1].group(0)
            if not prev.endswith((":", "–", "-", ",", "/", "„", ".")) and prev not in ("–", "-"):
                return tok.start()
        depth += word.count("„") - word.count("“")
        depth = max(depth, 0)
    return None


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
