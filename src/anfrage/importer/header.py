"""The header of a Drucksache: number, date, Wahlperiode, Drucksache number, MdL, Fraktion and title.

A Kleine Anfrage names these in its own title block; the Drucksache of its answer names the Anfrage
in running text ("auf die Kleine Anfrage 1640 vom 24. Oktober 2018", "Der Minister … hat die Kleine
Anfrage 4284 mit Schreiben vom … beantwortet") next to the answer's own number in the page headers.
So the first step decides which of the two the text is, and each later step looks where that kind
of Drucksache puts the value.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple, TypedDict

from anfrage.importer.clean import PAGE_BREAK, Doc, ends_question, ends_sentence, is_noise, join_wrapped
from anfrage.importer.patterns import (
    ABG_RE,
    FRAKTION_ALTERNATIVES,
    HEADING_VKA,
    KA_LABEL_RE,
    KA_LINE_RE,
    MINISTER_RE,
    MONTH_RE,
    MONTHS,
    NAMENS_RE,
    QSTART_RE,
    STOP_LINE_RE,
)
from anfrage.models import Geschlecht

MAX_WAHLPERIODE = 30
MAX_TITLE_CHARS = 300

# Wahlperioden of the Landtag NRW by their first day (to derive the period from a date when the
# text names neither "NN. Wahlperiode" nor a Drucksache number).
_WAHLPERIODEN = [
    (dt.date(2000, 6, 2), 13),
    (dt.date(2005, 6, 8), 14),
    (dt.date(2010, 6, 9), 15),
    (dt.date(2012, 5, 31), 16),
    (dt.date(2017, 6, 1), 17),
    (dt.date(2022, 6, 1), 18),
]

_FRAKTION_RE = re.compile(rf"(?:^|\s)\(?({FRAKTION_ALTERNATIVES})\)?$")
# Spellings of a Fraktion (upper case) → its name in an Anfrage file; every other match is the Greens.
_FRAKTION_CANON = {
    "SPD": "SPD",
    "CDU": "CDU",
    "FDP": "FDP",
    "AFD": "AfD",
    "PIRATEN": "PIRATEN",
    "FRAKTIONSLOS": "fraktionslos",
}


class AbgeordneteRecord(TypedDict):
    """One MdL as written to the Anfrage file (see :class:`anfrage.models.Abgeordnete`)."""

    name: str
    geschlecht: Geschlecht | None


@dataclass
class Header:
    """What the header of a Drucksache says about the Kleine Anfrage; None (or []) for what it does not say.

    ``title_end`` is the line after the title, where the Vorbemerkung or the questions start.
    ``has_header`` tells whether the text has a Drucksache header at all ("Kleine Anfrage N", the
    answer's title block or an Abgeordneten line): a question text as an MdL publishes it has none.
    """

    flat: str
    is_answer: bool
    nummer: int | None
    datum: str | None
    drucksache: str | None
    wahlperiode: int | None
    abgeordnete: list[AbgeordneteRecord]
    fraktion: str | None
    titel: str | None
    title_end: int
    has_header: bool


class _MdLBlock(NamedTuple):
    start: int
    end: int
    abgeordnete: list[AbgeordneteRecord]
    fraktion: str | None


_ANSWER_LINE_RE = re.compile(r"^(?:Antwort(?:\s+der\s+Landesregierung)?|der\s+Landesregierung|Neudruck)$")
_AUF_DIE_RE = re.compile(r"^(?:Antwort(?:\s+der\s+Landesregierung)?\s+)?auf\s+die\s+Kleine\s+Anfrage\b")


def read_header(doc: Doc) -> Header:
    """The header of ``doc``: every value only from the place where a Drucksache puts it."""
    flat = " ".join(x for x in doc.raw if x and x != PAGE_BREAK)
    is_answer = _is_answer(doc, flat)
    block = _find_mdl_block(doc)
    zone = _header_zone(doc, block)
    nummer = _find_nummer(doc, flat, is_answer, zone)
    datum = _find_datum(doc, flat, is_answer, nummer, zone)
    header_end = block.end if block else None
    drucksache = _find_drucksache(doc, is_answer, block.start if block else None, header_end)
    if header_end is None:
        header_end = _fallback_header_end(doc, nummer)
    has_header = block is not None or _header_line(doc) is not None
    titel: str | None
    titel, title_end = _find_title(doc, header_end)
    if not has_header and not _plausible_bare_title(titel):
        titel, title_end = None, header_end  # what stands first is the Vorbemerkung or a question
    if drucksache is not None and not 1 <= int(drucksache.split("/")[0]) <= MAX_WAHLPERIODE:
        drucksache = None
    wahlperiode = int(drucksache.split("/")[0]) if drucksache is not None else _find_wahlperiode(doc, zone, datum)
    return Header(
        flat=flat,
        is_answer=is_answer,
        nummer=nummer,
        datum=datum,
        drucksache=drucksache,
        wahlperiode=wahlperiode,
        abgeordnete=block.abgeordnete if block else [],
        fraktion=block.fraktion if block else None,
        titel=titel or None,
        title_end=title_end,
        has_header=has_header,
    )


def _is_answer(doc: Doc, flat: str) -> bool:
    """Whether the text is an answer Drucksache (else the Kleine Anfrage itself)."""
    head = doc.raw[:80]
    ka_line = next((i for i, x in enumerate(head) if KA_LINE_RE.match(x)), None)
    antwort = next((i for i, x in enumerate(head) if re.match(r"^Antwort(?:\s+der\s+Landesregierung)?$", x)), None)
    if ka_line is not None and (antwort is None or antwort > ka_line):
        return False  # "Kleine Anfrage N" alone on a line heads the Anfrage's own Drucksache
    return bool(
        MINISTER_RE.search(flat)
        or NAMENS_RE.search(flat)
        or _answer_line(doc) is not None
        or any(HEADING_VKA.match(x) for x in doc.raw)
    )


def _answer_line(doc: Doc) -> int | None:
    """Index of the line "auf die Kleine Anfrage N …" that opens an answer's title block: only page
    furniture and "Antwort (der Landesregierung)" stand before it (a Kleine Anfrage that cites
    "die Antwort auf die Kleine Anfrage 1234 vom …" in its Vorbemerkung is no answer)."""
    for i, line in enumerate(doc.raw[:150]):
        if not line or line == PAGE_BREAK or is_noise(line) or _ANSWER_LINE_RE.match(line):
            continue
        return i if _AUF_DIE_RE.match(line) else None
    return None


def _header_line(doc: Doc) -> int | None:
    """Index of the line "Kleine Anfrage N" or "auf die Kleine Anfrage N" at the top, if there is one."""
    answer = _answer_line(doc)
    if answer is not None:
        return answer
    return next((i for i, line in enumerate(doc.raw[:150]) if KA_LINE_RE.match(line)), None)


def _header_zone(doc: Doc, block: _MdLBlock | None) -> int:
    """Index after the header: after the Abgeordneten block, else after the "Kleine Anfrage N" line,
    else before the first line of text. Number, date and Wahlperiode are read from here (and from
    page furniture) only: a number or a date in the Vorbemerkung or a question is not the Anfrage's."""
    if block is not None:
        return block.end
    line = _header_line(doc)
    if line is not None:
        return line + 1
    return next((i for i in range(doc.n) if doc.content(i)), doc.n)


def _find_nummer(doc: Doc, flat: str, is_answer: bool, zone: int) -> int | None:
    """Number of the Kleine Anfrage: from the answer's title block or minister line, else from the
    "Kleine Anfrage N" line heading the Anfrage."""
    found: list[str] = []
    if is_answer:
        answer = _answer_line(doc)
        if answer is not None:
            found += re.findall(r"\bauf\s+die\s+Kleine\s+Anfrage\s+(\d{1,6})\b", doc.raw[answer])
        found += MINISTER_RE.findall(flat)
        found += re.findall(NAMENS_RE.pattern + r"\s+(\d{1,6})\b", flat)
    found += [m.group(1) for line in doc.raw if (m := KA_LINE_RE.match(line))]
    head = " ".join(x for x in doc.raw[:zone] if x and x != PAGE_BREAK)
    found += re.findall(r"\bKleine\s+Anfrage\s+(\d{1,6})\b", head)
    return next((int(n) for n in found if int(n) > 0), None)


def _find_datum(doc: Doc, flat: str, is_answer: bool, nummer: int | None, zone: int) -> str | None:
    """Date of the Kleine Anfrage (ISO): in an answer "Kleine Anfrage N vom …" (never the date of the
    answer, "mit Schreiben vom …"), else the date of the original or the date in the header."""
    if is_answer:
        m = _vom(nummer, flat)
        return _parse_date(*m.groups()) if m else None
    m = re.search(r"Datum\s+des\s+Originals:?\s*(\d{1,2})\.(\d{1,2})\.(\d{4})", flat)
    if m and (d := _parse_date(*m.groups())):
        return d
    m = _vom(nummer, " ".join(x for x in doc.raw[:zone] if x and x != PAGE_BREAK))  # "Kleine Anfrage 1234 vom …"
    if m and (d := _parse_date(*m.groups())):
        return d
    # the date in the header, before "Kleine Anfrage N" (a text without that line has no such header)
    end = next((i for i, x in enumerate(doc.raw) if KA_LINE_RE.match(x) or ABG_RE.match(x)), None)
    for line in doc.raw[: end or 0]:
        m = re.search(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])", line)
        if m and "Ausgegeben" not in line and (d := _parse_date(*m.groups())):
            return d
    return None


def _vom(nummer: int | None, text: str) -> re.Match[str] | None:
    """ "Kleine Anfrage N vom 4. Juni 2019" (or "vom 04.06.2019") in ``text``: day, month, year."""
    if nummer is None:
        return None
    prefix = rf"\bKleine[n]?\s+Anfrage\s+{nummer}\s+vom\s+(\d{{1,2}})\.\s*"
    return re.search(prefix + rf"({MONTH_RE})\s+(\d{{4}})\b", text, re.IGNORECASE) or re.search(
        prefix + r"(\d{1,2})\.\s*(\d{4})\b", text
    )


def _parse_date(day: str, month: str, year: str) -> str | None:
    """ISO date of a day, a month (number or German name) and a year; None for impossible dates."""
    try:
        m = MONTHS.get(month.lower()) or int(month)
        return dt.date(int(year), m, int(day)).isoformat()
    except (ValueError, TypeError):
        return None


def _find_wahlperiode(doc: Doc, zone: int, datum: str | None) -> int | None:
    """Wahlperiode named in the header or the page furniture ("17. Wahlperiode", "Drucksache 17/…"),
    else the one of the date (a Drucksache cited in the Vorbemerkung does not count)."""
    lines = [x for i, x in enumerate(doc.raw) if x and x != PAGE_BREAK and (i < zone or is_noise(x))]
    text = " ".join(lines)
    for pattern in (r"\b(\d{1,2})\.\s*Wahlperiode\b", r"\bDrucksache\s+(\d{1,2})\s*/\s*\d{1,6}\b"):
        for m in re.finditer(pattern, text):
            if 1 <= int(m.group(1)) <= MAX_WAHLPERIODE:
                return int(m.group(1))
    if datum:
        day = dt.date.fromisoformat(datum)
        periods = [wp for start, wp in _WAHLPERIODEN if start <= day]
        if periods:
            return periods[-1]
    return None


# --------------------------------------------------------------------------------------------------
# Abgeordnete and Fraktion


def _find_mdl_block(doc: Doc) -> _MdLBlock | None:
    """The "des/der Abgeordneten … FRAKTION" block: start, end, MdL and Fraktion."""
    for i, line in enumerate(doc.raw[: min(doc.n, 150)]):  # the title block is at the very top
        m = ABG_RE.match(line)
        if m:
            text, end = _mdl_text(doc, i, m.group(2))
            names, fraktion = _split_fraktion(text)
            return _MdLBlock(i, end, _split_names(m.group(1), names), fraktion)
    return None


def _mdl_text(doc: Doc, i: int, text: str) -> tuple[str, int]:
    """The names after "Abgeordneten" on line ``i`` with the lines they wrap onto, up to the Fraktion;
    and the index after the block."""
    j = i + 1
    while _FRAKTION_RE.search(text) is None and j < min(doc.n, i + 6):
        k = doc.next_content(j)
        if k >= doc.n or k > j + 2:
            break
        nxt = doc.raw[k]
        if (
            nxt.startswith(("und ", ",", "sowie "))
            or text.endswith((",", " und"))
            or text.endswith("BÜNDNIS 90/DIE")
            or _FRAKTION_RE.fullmatch(" " + nxt)
            or not text
        ):
            text = f"{text} {nxt}".strip()
            j = k + 1
        else:
            break
    return text, j


def _split_fraktion(text: str) -> tuple[str, str | None]:
    """The names before the Fraktion and the Fraktion in the spelling of Anfrage files."""
    fm = _FRAKTION_RE.search(text)
    if not fm:
        return text, None
    token = re.sub(r"\s+", " ", fm.group(1))
    return text[: fm.start()].strip(), _FRAKTION_CANON.get(token.upper(), "BÜNDNIS 90/DIE GRÜNEN")


def _split_names(article: str, text: str) -> list[AbgeordneteRecord]:
    """The MdL of "Frau A, Herrn B und C"; a single MdL's gender follows from "des"/"der"."""
    text = re.sub(r"\bMdL\b", "", text)
    parts = [p.strip(" ,;") for p in re.split(r"\s*[,;]\s*|\s+und\s+|\s+sowie\s+", text)]
    people: list[AbgeordneteRecord] = []
    for part in parts:
        if not part or not any(c.isalpha() for c in part):
            continue
        geschlecht: Geschlecht | None = None
        m = re.match(r"^(Frau|Herrn?)\s+(.+)$", part)
        if m:
            geschlecht = "w" if m.group(1) == "Frau" else "m"
            part = m.group(2)
        people.append({"name": part, "geschlecht": geschlecht})
    if len(people) == 1 and people[0]["geschlecht"] is None:
        people[0]["geschlecht"] = "m" if article == "des" else "w"
    return people


# --------------------------------------------------------------------------------------------------
# Drucksache number and title


def _find_drucksache(doc: Doc, is_answer: bool, abg_start: int | None, header_end: int | None) -> str | None:
    """The Drucksache number of the Kleine Anfrage (in an answer: the one in the title block)."""
    pat = re.compile(r"^Drucksache\s+(\d{1,2})\s*/\s*(\d{1,6})\b")
    if not is_answer:
        # the header above "Kleine Anfrage N" (a text without that line has no such header)
        end = next((i for i, x in enumerate(doc.raw) if KA_LINE_RE.match(x) or ABG_RE.match(x)), 0)
        for line in doc.raw[:end]:
            m = re.search(r"\bDrucksache\s+(\d{1,2})\s*/\s*(\d{1,6})\b", line)
            if m:
                return f"{int(m.group(1))}/{int(m.group(2))}"
        return None
    # In an answer the Anfrage's number stands in the title block, next to "auf die Kleine Anfrage N
    # vom …" and "der Abgeordneten …"; the answer's own number is in the page headers.
    anchors = [i for i in (abg_start, header_end) if i is not None]
    anchors += [i for i, x in enumerate(doc.raw[:400]) if re.match(r"^auf\s+die\s+Kleine\s+Anfrage\b", x)]
    for anchor in sorted(set(anchors)):
        for i in range(max(0, anchor - 1), min(doc.n, anchor + 6)):
            m = pat.match(doc.raw[i])
            if m and not doc.raw[i].startswith("LANDTAG"):
                return f"{int(m.group(1))}/{int(m.group(2))}"
    return None


def _fallback_header_end(doc: Doc, nummer: int | None) -> int:
    """Without an Abgeordneten line: the title follows "Kleine Anfrage N" or "auf die Kleine Anfrage N"
    (or, over a question text from an MdL's website, the label "Kleine Anfrage")."""
    if nummer is not None:
        for i, line in enumerate(doc.raw):
            if KA_LINE_RE.match(line) or re.match(rf"^auf\s+die\s+Kleine\s+Anfrage\s+{nummer}\b", line):
                return i + 1
    for i, line in enumerate(doc.raw[:20]):
        if KA_LABEL_RE.match(line):
            return i + 1
    return 0


def _plausible_bare_title(titel: str) -> bool:
    """Whether the first block of a text without header can be its title: not a question ("1. …"),
    not longer than a title, and no sentence in it that ends with a full stop."""
    if not titel or len(titel) > MAX_TITLE_CHARS or QSTART_RE.match(titel):
        return False
    if any(ends_sentence(titel[: m.end()]) for m in re.finditer(r"[.?!][)\]“”\"'’»›]*(?=\s)", titel)):
        return False  # two sentences: a Vorbemerkung, not a title
    return ends_question(titel) or titel.endswith("!") or not ends_sentence(titel)


def _find_title(doc: Doc, start: int) -> tuple[str, int]:
    """Title lines after the header block: up to a blank line, a "?" line end or a heading."""
    parts: list[str] = []
    k = start
    while k < doc.n and len(parts) < 5:
        line = doc.lines[k]
        if line in ("", PAGE_BREAK):
            if parts:
                nxt = doc.next_content(k)
                joined = join_wrapped(parts)
                if nxt < doc.n and not ends_sentence(joined) and doc.lines[nxt][:1].islower():
                    k = nxt
                    continue
                break
            k += 1
            continue
        if STOP_LINE_RE.match(line) or KA_LINE_RE.match(line) or KA_LABEL_RE.match(line) or ABG_RE.match(line):
            if parts:
                break
            k += 1
            continue
        parts.append(line)
        k += 1
        if ends_question(line) or re.search(r"[!“”\"]$", line):
            break
        if doc.content(k) and not _title_goes_on(doc, k):
            break  # no blank line after the title (plain PDF text): the Vorbemerkung starts here
    return join_wrapped(parts), k


def _title_goes_on(doc: Doc, k: int) -> bool:
    """Whether content line ``k`` right after a title line still belongs to the title."""
    line = doc.lines[k]
    if line[:1].islower() or HEADING_VKA.match(line) or STOP_LINE_RE.match(line):
        return line[:1].islower()
    if not doc.content(k + 1):
        return True  # a short block of lines before a blank line: the title wraps
    for j in range(k, min(doc.n, k + 3)):
        if not doc.content(j):
            return False
        if ends_question(doc.lines[j]) or re.search(r"[!“”\"]$", doc.lines[j]):
            return True  # the title runs on to its question mark
        if ends_sentence(doc.lines[j]):
            return False
    return False
