"""Cleaning the text of a Drucksache: characters, noise lines, hyphenation, wrapped lines.

PDF extraction leaves ligatures, odd spaces, soft hyphens, running page headers, page numbers and the
Landtag's notice on the Schutzgebühr in the text. Everything after this module works on :class:`Doc`,
the lines of the text with that noise replaced by page breaks, so that the parser can look at the
*structure* of a Drucksache rather than at its layout.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_TEXT_CHARS = 3_000_000

# Marker of a removed page header/footer (a page break) in the list of lines; "" marks a blank line.
PAGE_BREAK = "\f"

# Control characters other than "\n" and "\f": the reader counts them to tell text from binary data,
# normalising turns them into spaces.
CONTROL_RE = re.compile(r"[\x00-\x09\x0b\x0d-\x1f\x7f-\x9f]")

_CHAR_MAP: dict[int, str | None] = {
    ord(c): " "
    for c in "\t\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
}
_CHAR_MAP.update({ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff"})
_CHAR_MAP.update(
    {
        0x2010: "-",
        0x2011: "-",
        0xF0B7: "•",
        0xFB00: "ff",
        0xFB01: "fi",
        0xFB02: "fl",
        0xFB03: "ffi",
        0xFB04: "ffl",
        0xFB05: "st",
        0xFB06: "st",
        0x2028: "\n",
        0x2029: "\n",
        0x85: "\n",
    }
)

# Whole lines that are page furniture, not text: running headers, dates, page numbers.
_NOISE_RES = [
    re.compile(p)
    for p in (
        r"LANDTAG\b.*",
        r"Landtag\s+Nordrhein-Westfalen(?:\s*[-–]\s*\d{1,2}\.\s*Wahlperiode\b.*)?",
        r"NORDRHEIN-WESTFALEN\b.*",
        r"[-–]?\s*\d{1,2}\.\s*Wahlperiode(?:\s*[-–]?\s*Drucksache\s+\d{1,2}\s*/\s*\d{1,6})?"
        r"(?:\s+\d{1,2}\.\d{1,2}\.\d{4})?",
        r"Drucksache\s+\d{1,2}\s*/\s*\d{1,6}(?:\s+\d{1,2}\.\d{1,2}\.\d{4})?",
        r"\d{1,2}\.\d{1,2}\.\d{4}",
        r"Datum\s+des\s+Originals\b.*",
        r"Ausgegeben\s*:.*",
        r"[-–]?\s*\d{1,3}\s*[-–]?",
        r"Seite\s+\d{1,3}(?:\s*(?:von|/)\s*\d{1,3})?",
    )
]

# The Landtag's notice on the Schutzgebühr, which PDF extraction may spread over several lines.
NOTICE_RE = re.compile(
    r"Die\s+Veröffentlichungen\s+des\s+Landtags\b[\s\S]{0,700}?"
    r"(?:www\.landtag\.nrw\.de\.?|erhältlich\.|zu\s+beziehen\.)"
    r"(?:\s*Der\s+kostenfreie\s+Abruf\b[\s\S]{0,300}?www\.landtag\.nrw\.de\.?)?"
)
NOTICE_REST_RE = re.compile(r"Der\s+kostenfreie\s+Abruf\b[\s\S]{0,300}?www\.landtag\.nrw\.de\.?")

_CLOSERS = ")]\"“”'’»›"
# Abbreviations whose final "." does not end a sentence (compared in lower case).
_ABBREVIATIONS = {
    "bzw.",
    "ggf.",
    "ca.",
    "nr.",
    "abs.",
    "art.",
    "gem.",
    "vgl.",
    "dr.",
    "prof.",
    "st.",
    "inkl.",
    "evtl.",
    "bspw.",
    "mio.",
    "mrd.",
    "tsd.",
    "sog.",
    "str.",
    "z.b.",
    "u.a.",
    "d.h.",
    "i.d.r.",
    "u.ä.",
    "o.ä.",
    "z.t.",
    "s.o.",
    "s.u.",
    "ff.",
    "lt.",
    "max.",
    "min.",
    "zzgl.",
    "einschl.",
    "insb.",
    "u.u.",
    "v.a.",
    "bzgl.",
    "ggü.",
    "hrsg.",
    "jh.",
    "geb.",
    "verh.",
    "kap.",
}
_CONJUNCTION_RE = re.compile(r"^(?:und|oder|bzw\.|sowie|bis|als|noch|wie)\b")


def normalise(text: str) -> str:
    """NFC text with plain spaces, line ends and hyphens; soft hyphens and zero-width characters
    resolved; controls blanked; every form feed on a line of its own (a page break)."""
    text = text[:MAX_TEXT_CHARS]
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_CHAR_MAP)
    # soft hyphens: at a line end they join the word parts, elsewhere they vanish
    text = re.sub(r"\u00ad[ ]*\n(?:[ ]*\n)*[ ]*", "", text).replace("\u00ad", "")
    text = CONTROL_RE.sub(" ", text)
    return text.replace("\f", "\n\f\n")


def collapse(s: str) -> str:
    """``s`` with runs of whitespace as single spaces and no leading or trailing space."""
    return " ".join(s.split())


def is_noise(line: str) -> bool:
    """Whether a (collapsed) line is page furniture: a running header, a date or a page number."""
    return any(r.fullmatch(line) for r in _NOISE_RES)


class Doc:
    """The lines of a Drucksache: ``raw`` (whitespace collapsed) and ``lines`` (noise → page break).

    ``raw`` keeps the headers because the number, date and Wahlperiode stand there; ``lines`` is what
    title, Vorbemerkung and questions are read from. ``questions`` caches parsed questions by
    (line, number): finding question ``n`` tries several candidate lines, often the same ones.
    """

    def __init__(self, text: str):
        text = NOTICE_RE.sub("\n\f\n", text)
        text = NOTICE_REST_RE.sub("\n\f\n", text)
        self.raw = [collapse(x) if x != PAGE_BREAK else PAGE_BREAK for x in text.split("\n")]
        self.lines = [PAGE_BREAK if (x == PAGE_BREAK or is_noise(x)) else x for x in self.raw]
        self.n = len(self.lines)
        self.questions: dict[tuple[int, int], tuple[str, int]] = {}

    def content(self, i: int) -> bool:
        """Whether line ``i`` exists and holds text (is neither blank nor a page break)."""
        return 0 <= i < self.n and self.lines[i] not in ("", PAGE_BREAK)

    def next_content(self, i: int) -> int:
        """Index of the first content line at or after ``i`` (``n`` when there is none)."""
        while i < self.n and not self.content(i):
            i += 1
        return i


# --------------------------------------------------------------------------------------------------
# Wrapped lines


def join_wrapped(lines: Iterable[str]) -> str:
    """Join wrapped lines into one line: single spaces, words hyphenated at line ends rejoined.

    "Ansied-" + "lung" → "Ansiedlung"; "NGA-" + "Entwicklungskonzepten" → "NGA-Entwicklungskonzepten"
    (hyphen kept before an uppercase letter or digit and after an abbreviation, digit or single
    letter); "Natur-" + "und Verbraucherschutz" → "Natur- und Verbraucherschutz". Blank lines are
    skipped.
    """
    out = ""
    for raw in lines:
        line = collapse(raw)
        if not line or line == PAGE_BREAK:
            continue
        out = join_two(out, line) if out else line
    return out


def join_two(left: str, right: str) -> str:
    """``left`` and the next line ``right``, with a space or, after a line-end hyphen, without one.

    German text keeps a hyphen that links a compound ("NGA-Entwicklungskonzepten", "CO2-neutral")
    and drops one that only splits a word ("Ansied-lung"); the letters around it tell which.
    """
    if left.endswith("/") and not left.endswith(" /"):
        return left + right  # "und/" + "oder", URLs
    if not left.endswith("-") or left.endswith(" -") or len(left) < 2 or left.endswith("--"):
        return left + " " + right
    head = left[-80:-1].rsplit(" ", 1)[-1]
    word = head.lstrip("(„\"'‚»[")
    if "://" in head or head.startswith("www."):
        return left + right
    if _CONJUNCTION_RE.match(right):
        return left + " " + right  # suspended compound: "Informations- und Kommunikations…"
    first = right[0]
    if (
        first.isupper()
        or first.isdigit()
        or not word
        or len(word) == 1
        or any(c.isdigit() for c in word)
        or (sum(c.isalpha() for c in word) >= 1 and word.replace(".", "").replace("-", "").isupper())
        or not word[-1].isalpha()
    ):
        return left + right
    return left[:-1] + right


# --------------------------------------------------------------------------------------------------
# Sentence ends


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends a sentence (., ?, ! or a closing parenthetical after one)."""
    t = text[-400:].rstrip()  # the end decides; a bounded tail keeps long inputs linear
    if not t:
        return False
    if re.search(r"[?!][" + re.escape(_CLOSERS) + r"]*$", t):
        return True
    if t.endswith(")") or t.endswith(").") or t.endswith(".)"):
        before = _before_final_parenthetical(t)
        if before is not None and re.search(r"[?.!][" + re.escape(_CLOSERS) + r"]*$", before.rstrip()):
            return True
    bare = t.rstrip(_CLOSERS)
    if not bare.endswith("."):
        return False
    token = bare.rsplit(None, 1)[-1].lstrip("(„\"'‚»[")
    if re.fullmatch(r"\d{1,3}\.", token) or re.fullmatch(r"\w\.", token):
        return False  # "am 31." (date), "z. B."
    return token.lower() not in _ABBREVIATIONS


def ends_question(text: str) -> bool:
    """True when ``text`` ends with "?" or with a parenthetical request after "?"."""
    t = text[-400:].rstrip()
    if re.search(r"\?[" + re.escape(_CLOSERS) + r"]*$", t):
        return True
    before = _before_final_parenthetical(t) if t.endswith((")", ").", ".)")) else None
    return before is not None and bool(re.search(r"\?[" + re.escape(_CLOSERS) + r"]*$", before.rstrip()))


def _before_final_parenthetical(t: str) -> str | None:
    """Text before the final "( … )" group of ``t`` (None when there is none or it is unbalanced)."""
    end = t.rfind(")")
    if end < 0:
        return None
    depth = 0
    for i in range(end, -1, -1):
        if t[i] == ")":
            depth += 1
        elif t[i] == "(":
            depth -= 1
            if depth == 0:
                return t[:i]
    return None
