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

import re
from dataclasses import dataclass

from anfrage.importer.clean import (
    NOTICE_RE,
    NOTICE_REST_RE,
    PAGE_BREAK,
    collapse,
    is_noise,
    join_two,
)
from anfrage.importer.patterns import (
    ABG_RE,
    FRAKTION_ALTERNATIVES,
    KA_LABEL_RE,
    KA_LINE_RE,
    NOT_QUESTION_WORDS,
)
from anfrage.importer.reflow_body import _body, sentences  # noqa: F401
from anfrage.importer.reflow_patterns import (
    _ABG_HEAD_RE,
    _ANSWER_HEAD_RE,
    _DRUCKSACHE_HEAD_RE,
    _FRAKTION_RE,
    _FURNITURE_RE,
    _HYPHEN_GAP_RE,
    _KA_HEAD_RE,
    _NAMES_RE,
    _PAGE_BEFORE_RE,
    _QUESTION_INLINE_RE,
    _STARTERS,
    _TITLE_STOP_RE,
    LONG_LINE,
    MAX_NAMES_CHARS,
    MAX_TITLE_CHARS,
    _after_unpunctuated_end,
    _at_boundary,
    _sentence_ends,
    _skip_space,
    _State,
)


@dataclass
class Reflowed:
    """The text with its line structure restored; whether the end of the title, or of the MdL names
    (no Fraktion after them), had to be guessed."""

    text: str
    title_guessed: bool = False
    names_guessed: bool = False


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
