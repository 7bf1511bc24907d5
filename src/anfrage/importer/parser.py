"""Kleine Anfrage Drucksache (PDF or UTF-8 text) → Anfrage record.

Reads either the Drucksache of a Kleine Anfrage or the Drucksache of its answer (Antwort der
Landesregierung) and extracts the Anfrage part: number, date, MdL, Fraktion, title, Vorbemerkung and
the questions, verbatim. The text of real Drucksachen comes out of PDF extraction, so the parser works
on *structure* rather than on blank lines: running page headers, page numbers, the "Datum des
Originals" line and the Landtag's notice on the Schutzgebühr are removed, words hyphenated at line ends
are joined, and a question runs from "N." at the start of a line until it is complete (it ends with
"?" or with a parenthetical request after the "?") and what follows does not continue it.

Public API: :func:`read_drucksache`, :func:`parse_drucksache` (text in, record out),
:func:`load_regions`, :func:`default_regions`, :func:`record_to_yaml`, :func:`join_wrapped`.
Every failure on bad input is a :class:`~anfrage.errors.DrucksacheError` (or, for a broken regions
file, a :class:`~anfrage.errors.UserError`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from anfrage.errors import AnfrageError, DrucksacheError, UserError

__all__ = [
    "Regions",
    "default_regions",
    "join_wrapped",
    "find_regions",
    "load_region_names",
    "load_regions",
    "parse_drucksache",
    "read_drucksache",
    "record_to_yaml",
]

Regions = Sequence[tuple[str, Sequence[str]]]
"""Region ids with their names and aliases, e.g. ``[("kreis-hoexter", ["Kreis Höxter"])]``."""

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PDF_PAGES = 300
MAX_TEXT_CHARS = 3_000_000
MAX_QUESTION_CHARS = 2500
MAX_WAHLPERIODE = 30
MAX_QUESTIONS = 20  # as many as an Anfrage record may hold (a Kleine Anfrage has at most five)
MAX_CANDIDATES = 30  # lines "N. …" tried per question number (real Drucksachen have a handful)

# Marker of a removed page header/footer (a page break) in the list of lines; "" marks a blank line.
_PB = "\f"

_MONTHS = {
    "januar": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

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

_FRAKTION_RE = re.compile(
    r"(?:^|\s)\(?(BÜNDNIS\s*90\s*/\s*DIE\s*GRÜNEN|Bündnis\s*90\s*/\s*Die\s*Grünen|BÜNDNIS\s*90/GRÜNE"
    r"|DIE\s+GRÜNEN|GRÜNE|SPD|CDU|FDP"
    r"|AfD|AFD|PIRATEN|Piraten|[Ff]raktionslos)\)?$"
)
_FRAKTION_CANON = {
    "SPD": "SPD",
    "CDU": "CDU",
    "FDP": "FDP",
    "AFD": "AfD",
    "PIRATEN": "PIRATEN",
    "FRAKTIONSLOS": "fraktionslos",
}

_ABG_RE = re.compile(r"^(des|der)\s+Abgeordneten\b\s*(.*)$")
_KA_LINE_RE = re.compile(r"^Kleine\s+Anfrage\s+(\d{1,6})$")
_HEADING_VKA = re.compile(r"^Vorbemerkung\s+der\s+Kleinen\s+Anfrage\s*:?$")
_HEADING_VLR = re.compile(r"^Vorbemerkung\s+der\s+Landesregierung\s*:?$")
_STOP_LINE_RE = re.compile(
    r"^(?:Vorbemerkung\s+der\s+(?:Kleinen\s+Anfrage|Landesregierung)|Antwort(?:\s+der\s+Landesregierung)?"
    r"|Begründung|Anlagen?|Zu\s+Frage\s+\d{1,2}|Antwort\s+zu\s+Frage\s+\d{1,2})\s*:?$"
)
_QSTART_RE = re.compile(r"^(?:Frage\s+)?(\d{1,2})\s*(?:\.\)|[.):])\s*(.*)$")
_NOT_QUESTION_WORDS = re.compile(
    rf"^(?:{_MONTH_RE}|Wahlperiode|Sitzung|Lesung|Jahrhundert|Lebensjahr|Quartal|Halbjahr|Klasse"
    r"|Schuljahr|Mal|Platz|Rang|Stock|Etage)\b",
    re.IGNORECASE,
)
_MINISTER_RE = re.compile(r"hat\s+die\s+Kleine\s+Anfrage\s+(\d{1,6})\s+mit\s+Schreiben\s+vom")
_INTRO_RE = re.compile(r"\bfragen?\b[^.!?]{0,160}:$", re.IGNORECASE)

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

_NOTICE_RE = re.compile(
    r"Die\s+Veröffentlichungen\s+des\s+Landtags\b[\s\S]{0,700}?"
    r"(?:www\.landtag\.nrw\.de\.?|erhältlich\.|zu\s+beziehen\.)"
    r"(?:\s*Der\s+kostenfreie\s+Abruf\b[\s\S]{0,300}?www\.landtag\.nrw\.de\.?)?"
)
_NOTICE_REST_RE = re.compile(r"Der\s+kostenfreie\s+Abruf\b[\s\S]{0,300}?www\.landtag\.nrw\.de\.?")

_CHAR_MAP = {
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

_CONTROL_RE = re.compile(r"[\x00-\x09\x0b\x0d-\x1f\x7f-\x9f]")  # all but "\n" and "\f"
_CLOSERS = ")]\"“”'’»›"
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
_BULLET_RE = re.compile(r"^[•▪◦●■□➢►·]\s")
_LIST_ITEM_RE = re.compile(r"^(?:\d{1,2}\.|[a-z]\))\s+[A-ZÄÖÜ„\"(]")


# --------------------------------------------------------------------------------------------------
# Reading files


def read_drucksache(path: Path, regions: Regions | None = None) -> dict[str, Any]:
    """Read a Kleine Anfrage (or its answer) from a PDF or UTF-8 text file into an Anfrage record.

    ``regions`` lists ``(id, [names and aliases])``; ``None`` loads ``data/regions.yaml`` of the
    current directory when it exists (see :func:`default_regions`). Raises
    :class:`DrucksacheError` for anything that is not a readable Kleine Anfrage.
    """
    path = Path(path)
    text = _read_text(path)
    if regions is None:
        regions = default_regions()
    try:
        return parse_drucksache(text, regions, source=str(path))
    except AnfrageError:
        raise
    except Exception as exc:  # pragma: no cover - safety net: bad input must never crash the CLI
        raise DrucksacheError(
            f"Drucksache nicht verstanden (interner Fehler {type(exc).__name__}: {exc})", file=path
        ) from exc


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DrucksacheError(
                f"Datei zu groß ({size // (1024 * 1024)} MB, höchstens {MAX_FILE_BYTES // (1024 * 1024)} MB)",
                file=path,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DrucksacheError(f"Datei nicht lesbar: {exc.strerror or exc}", file=path) from exc
    if data[:1024].lstrip().startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        return _pdf_text(data, path)
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DrucksacheError(
            "Word- oder Office-Datei: bitte die Drucksache als PDF oder Text (UTF-8) angeben",
            file=path,
        )
    if b"\x00" in data:
        raise DrucksacheError("keine Textdatei (Binärdaten)", file=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DrucksacheError(
            f"Text ist nicht UTF-8-kodiert (ungültiges Byte an Stelle {exc.start})", file=path
        ) from exc
    controls = len(_CONTROL_RE.findall(text)) - text.count("\t") - text.count("\r")
    if controls > max(8, len(text) // 200):
        raise DrucksacheError("keine Textdatei (zu viele Steuerzeichen)", file=path)
    return text


def _pdf_text(data: bytes, path: Path) -> str:
    """Text of a PDF, page by page (layout mode keeps paragraph gaps as blank lines)."""
    from pypdf import PdfReader  # imported lazily: only PDFs need it

    pages: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise DrucksacheError("PDF ist verschlüsselt", file=path)
            count = len(reader.pages)
            if count > MAX_PDF_PAGES:
                raise DrucksacheError(f"PDF hat {count} Seiten (höchstens {MAX_PDF_PAGES})", file=path)
            for page in reader.pages:
                try:
                    text = page.extract_text(extraction_mode="layout")
                except Exception:  # layout mode is fragile on odd fonts: fall back to plain mode
                    text = page.extract_text()
                pages.append(text or "")
        except DrucksacheError:
            raise
        except Exception as exc:
            raise DrucksacheError(f"PDF nicht lesbar ({type(exc).__name__}: {exc})", file=path) from exc
    text = "\n\f\n".join(pages)
    if not text.strip():
        raise DrucksacheError("PDF enthält keinen Text (gescanntes Dokument?)", file=path)
    return text


# --------------------------------------------------------------------------------------------------
# Regions


def load_regions(path: Path) -> list[tuple[str, list[str]]]:
    """Read ``regionen`` (id, name, optional aliase) from a regions.yaml as importer regions."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UserError(f"Regionen nicht lesbar: {exc}", file=path) from exc
    entries = data.get("regionen") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise UserError("Schlüssel „regionen“ (Liste) fehlt", file=path)
    result: list[tuple[str, list[str]]] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise UserError("Region ohne „id“", file=path, key="regionen")
        names = [entry["name"]] if isinstance(entry.get("name"), str) else []
        aliases = entry.get("aliase") or []
        if isinstance(aliases, list):
            names += [a for a in aliases if isinstance(a, str)]
        result.append((entry["id"], names))
    return result


load_region_names = load_regions
"""Alias of :func:`load_regions` (the name ``cli.py`` imports)."""


def default_regions(root: Path | None = None) -> list[tuple[str, list[str]]]:
    """Regions of ``<root>/data/regions.yaml`` (root: current directory); none if it is missing."""
    path = (root or Path.cwd()) / "data" / "regions.yaml"
    return load_regions(path) if path.is_file() else []


def _name_patterns(name: str) -> list[str]:
    """Regex alternatives that find a region name in running text, with inflections."""
    name = " ".join(name.split())
    if not name:
        return []

    def esc(s: str) -> str:
        return r"\s+".join(re.escape(part) for part in s.split())

    def demonym(s: str) -> str:
        # "Bochum" → "Bochumer", "Bochumerinnen", "Bochums"; "Herne" → "Herner"
        if s.endswith("e"):
            return esc(s) + r"(?:s|r|rn|rin|rinnen)?"
        return esc(s) + r"(?:s|er|ern|erin|erinnen|aner|anerin|anerinnen)?"

    out = [esc(name)]
    m = re.fullmatch(r"(?:.+-)?(?:Kreis|Städteregion|Stadt)\s+(.+)", name)
    if m:  # "Kreis Höxter" ↔ "Höxter", "in den Kreisen Gütersloh und Herford", "Städteregion Aachen"
        out.append(demonym(m.group(1)))
    elif m := re.fullmatch(r"(.+?)(?:er|es|en|e)\s+Kreis", name):  # "Märkischer Kreis" → "im Märkischen Kreis"
        out.append(esc(m.group(1)) + r"(?:er|en|es|e)\s+Kreis(?:es|e)?")
    elif re.search(r"kreis$", name, re.IGNORECASE):  # "Rhein-Sieg-Kreis" → "des Rhein-Sieg-Kreises"
        out.append(esc(name) + r"(?:es|e)?")
    else:
        out.append(demonym(name))
        m = re.fullmatch(r"(\S{4,})\s+(?:an\s+der|am|im|in\s+der|a\.\s*d\.)\s+.+", name)
        if m:  # "Mülheim an der Ruhr" → "Mülheim"
            out.append(demonym(m.group(1)))
    return out


def find_regions(text: str, regions: Regions) -> list[str]:
    """Ids of the regions named in ``text``, in order of their first mention, longest match first."""
    hits: list[tuple[int, int, str]] = []
    for rid, names in regions:
        alts = [p for name in names if isinstance(name, str) for p in _name_patterns(name)]
        if not alts:
            continue
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?!\w)")
        hits += [(m.start(), m.end(), rid) for m in pattern.finditer(text)]
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    found: list[str] = []
    covered_to = -1
    for start, end, rid in hits:
        if start < covered_to:
            continue  # inside a longer name of another region ("Siegen" in "Siegen-Wittgenstein")
        covered_to = end
        if rid not in found:
            found.append(rid)
    return found


# --------------------------------------------------------------------------------------------------
# Text helpers


def _collapse(s: str) -> str:
    return " ".join(s.split())


def join_wrapped(lines: Iterable[str]) -> str:
    """Join wrapped lines into one line: single spaces, words hyphenated at line ends rejoined.

    "Ansied-" + "lung" → "Ansiedlung"; "NGA-" + "Entwicklungskonzepten" → "NGA-Entwicklungskonzepten"
    (hyphen kept before an uppercase letter or digit and after an abbreviation, digit or single
    letter); "Natur-" + "und Verbraucherschutz" → "Natur- und Verbraucherschutz". Blank lines are
    skipped.
    """
    out = ""
    for raw in lines:
        line = _collapse(raw)
        if not line or line == _PB:
            continue
        out = _join_two(out, line) if out else line
    return out


def _join_two(left: str, right: str) -> str:
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


def _ends_sentence(text: str) -> bool:
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


def _ends_question(text: str) -> bool:
    """True when ``text`` ends with "?" or with a parenthetical request after "?"."""
    t = text[-400:].rstrip()
    if re.search(r"\?[" + re.escape(_CLOSERS) + r"]*$", t):
        return True
    before = _before_final_parenthetical(t) if t.endswith((")", ").", ".)")) else None
    return before is not None and bool(re.search(r"\?[" + re.escape(_CLOSERS) + r"]*$", before.rstrip()))


def _parse_date(day: str, month: str | int, year: str) -> str | None:
    try:
        m = month if isinstance(month, int) else _MONTHS.get(month.lower()) or int(month)
        return dt.date(int(year), int(m), int(day)).isoformat()
    except (ValueError, TypeError):
        return None


def _normalise(text: str) -> str:
    text = text[:MAX_TEXT_CHARS]
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_CHAR_MAP)
    # soft hyphens: at a line end they join the word parts, elsewhere they vanish
    text = re.sub(r"\u00ad[ ]*\n(?:[ ]*\n)*[ ]*", "", text).replace("\u00ad", "")
    text = _CONTROL_RE.sub(" ", text)
    return text.replace("\f", "\n\f\n")


def _is_noise(line: str) -> bool:
    return any(r.fullmatch(line) for r in _NOISE_RES)


# --------------------------------------------------------------------------------------------------
# Parsing


class _Doc:
    """The lines of a Drucksache: ``raw`` (whitespace collapsed) and ``lines`` (noise → page break)."""

    def __init__(self, text: str):
        text = _NOTICE_RE.sub("\n\f\n", text)
        text = _NOTICE_REST_RE.sub("\n\f\n", text)
        self.raw = [_collapse(x) if x != _PB else _PB for x in text.split("\n")]
        self.lines = [_PB if (x == _PB or _is_noise(x)) else x for x in self.raw]
        self.n = len(self.lines)
        self.questions: dict[tuple[int, int], tuple[str, int]] = {}

    def content(self, i: int) -> bool:
        return 0 <= i < self.n and self.lines[i] not in ("", _PB)

    def next_content(self, i: int) -> int:
        """Index of the first content line at or after ``i`` (``n`` when there is none)."""
        while i < self.n and not self.content(i):
            i += 1
        return i


def parse_drucksache(text: str, regions: Regions = (), source: str = "<text>") -> dict[str, Any]:
    """Parse the text of a Kleine Anfrage or answer Drucksache into an Anfrage record.

    Raises :class:`DrucksacheError` (with ``file=source``) when no question, no number or no title
    can be found.
    """
    full = _normalise(text)
    doc = _Doc(full)
    flat = " ".join(x for x in doc.raw if x and x != _PB)
    is_answer = _is_answer(doc, flat)

    nummer = _find_nummer(doc, flat, is_answer)
    if nummer is None:
        raise DrucksacheError("keine Nummer der Kleinen Anfrage gefunden („Kleine Anfrage N“)", file=source)
    datum = _find_datum(doc, flat, is_answer, nummer)

    abg_start, header_end, abgeordnete, fraktion = _find_abgeordnete(doc)
    drucksache = _find_drucksache(doc, is_answer, abg_start, header_end)
    if header_end is None:
        header_end = _fallback_header_end(doc, nummer)

    title, title_end = _find_title(doc, header_end)
    if not title:
        raise DrucksacheError("kein Titel der Kleinen Anfrage gefunden", file=source)

    names = _name_variants([a["name"] for a in abgeordnete])
    minister = _find_minister(doc, title_end)
    heading_vka = next((i for i in range(title_end, doc.n) if _HEADING_VKA.match(doc.lines[i])), None)
    heading_vlr = next((i for i in range(title_end, doc.n) if _HEADING_VLR.match(doc.lines[i])), None)

    if is_answer:
        after = max(
            [title_end] + [x for x in (heading_vka, heading_vlr) if x is not None] + ([minister[1]] if minister else [])
        )
        q1 = _first_question(doc, after, names, require_mark=True)
        if q1 is None:
            q1 = _first_question(doc, title_end, names, require_mark=True)
    else:
        q1 = _ka_first_question(doc, title_end, names)
    if q1 is None:
        raise DrucksacheError("keine Fragen gefunden (erwartet: Zeilen wie „1. Welche …?“)", file=source)
    fragen = _questions(doc, q1, names, require_mark=is_answer)

    if is_answer:
        if heading_vka is not None and heading_vka < q1:
            ends = [
                x for x in (minister[0] if minister else None, heading_vlr, q1) if x is not None and x > heading_vka
            ]
            vorbemerkung = _vorbemerkung(doc.lines[heading_vka + 1 : min(ends)])
        else:
            vorbemerkung = ""
    else:
        vorbemerkung = _vorbemerkung(doc.lines[title_end:q1])

    search = "\n".join([title] + [f["text"] for f in fragen])
    if drucksache is not None and not 1 <= int(drucksache.split("/")[0]) <= MAX_WAHLPERIODE:
        drucksache = None
    if drucksache is not None:
        wahlperiode: int | None = int(drucksache.split("/")[0])
    else:
        wahlperiode = _find_wahlperiode(flat, datum)
    if wahlperiode is None:
        raise DrucksacheError("keine Wahlperiode gefunden (weder „NN. Wahlperiode“ noch ein Datum)", file=source)

    return {
        "wahlperiode": wahlperiode,
        "nummer": nummer,
        "drucksache": drucksache,
        "datum": datum,
        "abgeordnete": abgeordnete,
        "fraktion": fraktion,
        "titel": title,
        "vorbemerkung": vorbemerkung,
        "fragen": fragen,
        "regionen": find_regions(search, regions),
    }


def _is_answer(doc: _Doc, flat: str) -> bool:
    """Whether the text is an answer Drucksache (else the Kleine Anfrage itself)."""
    head = doc.raw[:80]
    ka_line = next((i for i, x in enumerate(head) if _KA_LINE_RE.match(x)), None)
    antwort = next((i for i, x in enumerate(head) if re.match(r"^Antwort(?:\s+der\s+Landesregierung)?$", x)), None)
    if ka_line is not None and (antwort is None or antwort > ka_line):
        return False  # "Kleine Anfrage N" alone on a line heads the Anfrage's own Drucksache
    return bool(
        _MINISTER_RE.search(flat)
        or re.search(r"\bauf\s+die\s+Kleine\s+Anfrage\s+\d+\s+vom\b", flat)
        or any(_HEADING_VKA.match(x) for x in doc.raw)
    )


def _find_nummer(doc: _Doc, flat: str, is_answer: bool) -> int | None:
    """Number of the Kleine Anfrage: from the answer's title block or minister line, else from the
    "Kleine Anfrage N" line heading the Anfrage."""
    found: list[str] = []
    if is_answer:
        found += re.findall(r"\bauf\s+die\s+Kleine\s+Anfrage\s+(\d{1,6})\b", flat)
        found += _MINISTER_RE.findall(flat)
    found += [m.group(1) for line in doc.raw if (m := _KA_LINE_RE.match(line))]
    found += re.findall(r"\bKleine\s+Anfrage\s+(\d{1,6})\b", flat)
    return next((int(n) for n in found if int(n) > 0), None)


def _find_datum(doc: _Doc, flat: str, is_answer: bool, nummer: int) -> str | None:
    if is_answer:
        m = re.search(
            rf"\bKleine[n]?\s+Anfrage\s+{nummer}\s+vom\s+(\d{{1,2}})\.\s*({_MONTH_RE})\s+(\d{{4}})\b",
            flat,
            re.IGNORECASE,
        ) or re.search(rf"\bKleine[n]?\s+Anfrage\s+{nummer}\s+vom\s+(\d{{1,2}})\.\s*(\d{{1,2}})\.\s*(\d{{4}})\b", flat)
        return _parse_date(*m.groups()) if m else None
    m = re.search(r"Datum\s+des\s+Originals:?\s*(\d{1,2})\.(\d{1,2})\.(\d{4})", flat)
    if m and (d := _parse_date(*m.groups())):
        return d
    # the date in the header, before "Kleine Anfrage N"
    for line in doc.raw:
        if _KA_LINE_RE.match(line) or _ABG_RE.match(line):
            break
        m = re.search(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d])", line)
        if m and "Ausgegeben" not in line and (d := _parse_date(*m.groups())):
            return d
    return None


def _find_wahlperiode(flat: str, datum: str | None) -> int | None:
    for pattern in (r"\b(\d{1,2})\.\s*Wahlperiode\b", r"\bDrucksache\s+(\d{1,2})\s*/\s*\d{1,6}\b"):
        for m in re.finditer(pattern, flat):
            if 1 <= int(m.group(1)) <= MAX_WAHLPERIODE:
                return int(m.group(1))
    if datum:
        day = dt.date.fromisoformat(datum)
        periods = [wp for start, wp in _WAHLPERIODEN if start <= day]
        if periods:
            return periods[-1]
    return None


def _find_abgeordnete(doc: _Doc) -> tuple[int | None, int | None, list[dict[str, Any]], str | None]:
    """The "des/der Abgeordneten … FRAKTION" block: start, end, MdL and Fraktion."""
    for i, line in enumerate(doc.raw[: min(doc.n, 150)]):  # the title block is at the very top
        m = _ABG_RE.match(line)
        if not m:
            continue
        article, acc = m.group(1), m.group(2)
        j = i + 1
        while _FRAKTION_RE.search(acc) is None and j < min(doc.n, i + 6):
            k = doc.next_content(j)
            if k >= doc.n or k > j + 2:
                break
            nxt = doc.raw[k]
            if (
                nxt.startswith(("und ", ",", "sowie "))
                or acc.endswith((",", " und"))
                or acc.endswith("BÜNDNIS 90/DIE")
                or _FRAKTION_RE.fullmatch(" " + nxt)
                or not acc
            ):
                acc = f"{acc} {nxt}".strip()
                j = k + 1
            else:
                break
        fm = _FRAKTION_RE.search(acc)
        fraktion = None
        if fm:
            token = re.sub(r"\s+", " ", fm.group(1))
            fraktion = _FRAKTION_CANON.get(token.upper(), "BÜNDNIS 90/DIE GRÜNEN")
            acc = acc[: fm.start()].strip()
        return i, j, _split_names(article, acc), fraktion
    return None, None, [], None


def _split_names(article: str, text: str) -> list[dict[str, Any]]:
    text = re.sub(r"\bMdL\b", "", text)
    parts = [p.strip(" ,;") for p in re.split(r"\s*[,;]\s*|\s+und\s+|\s+sowie\s+", text)]
    people: list[dict[str, Any]] = []
    for part in parts:
        if not part or not any(c.isalpha() for c in part):
            continue
        geschlecht = None
        m = re.match(r"^(Frau|Herrn?)\s+(.+)$", part)
        if m:
            geschlecht = "w" if m.group(1) == "Frau" else "m"
            part = m.group(2)
        people.append({"name": part, "geschlecht": geschlecht})
    if len(people) == 1 and people[0]["geschlecht"] is None:
        people[0]["geschlecht"] = "m" if article == "des" else "w"
    return people


def _name_variants(names: list[str]) -> list[str]:
    """The MdL names as they may stand under the Anfrage (with and without academic titles)."""
    variants: set[str] = set()
    for name in names:
        variants.add(name)
        bare = re.sub(r"^(?:(?:Prof|Dr|Dipl\.-\w+|h\.\s?c)\.?\s+)+", "", name).strip()
        if bare:
            variants.add(bare)
    return sorted((v for v in variants if len(v) >= 3), key=len, reverse=True)


def _find_drucksache(doc: _Doc, is_answer: bool, abg_start: int | None, header_end: int | None) -> str | None:
    """The Drucksache number of the Kleine Anfrage (in an answer: the one in the title block)."""
    pat = re.compile(r"^Drucksache\s+(\d{1,2})\s*/\s*(\d{1,6})\b")
    if not is_answer:
        for line in doc.raw:
            m = re.search(r"\bDrucksache\s+(\d{1,2})\s*/\s*(\d{1,6})\b", line)
            if m:
                return f"{int(m.group(1))}/{int(m.group(2))}"
            if _KA_LINE_RE.match(line) or _ABG_RE.match(line):
                break
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


def _fallback_header_end(doc: _Doc, nummer: int) -> int:
    """Without an Abgeordneten line: the title follows "Kleine Anfrage N" or "auf die Kleine Anfrage N"."""
    for i, line in enumerate(doc.raw):
        if _KA_LINE_RE.match(line) or re.match(rf"^auf\s+die\s+Kleine\s+Anfrage\s+{nummer}\b", line):
            return i + 1
    return 0


def _find_title(doc: _Doc, start: int) -> tuple[str, int]:
    """Title lines after the header block: up to a blank line, a "?" line end or a heading."""
    parts: list[str] = []
    k = start
    while k < doc.n and len(parts) < 5:
        line = doc.lines[k]
        if line in ("", _PB):
            if parts:
                nxt = doc.next_content(k)
                joined = join_wrapped(parts)
                if nxt < doc.n and not _ends_sentence(joined) and doc.lines[nxt][:1].islower():
                    k = nxt
                    continue
                break
            k += 1
            continue
        if _STOP_LINE_RE.match(line) or _KA_LINE_RE.match(line) or _ABG_RE.match(line):
            if parts:
                break
            k += 1
            continue
        parts.append(line)
        k += 1
        if _ends_question(line) or re.search(r"[!“”\"]$", line):
            break
        if doc.content(k) and not _title_goes_on(doc, k):
            break  # no blank line after the title (plain PDF text): the Vorbemerkung starts here
    return join_wrapped(parts), k


def _title_goes_on(doc: _Doc, k: int) -> bool:
    """Whether content line ``k`` right after a title line still belongs to the title."""
    line = doc.lines[k]
    if line[:1].islower() or _HEADING_VKA.match(line) or _STOP_LINE_RE.match(line):
        return line[:1].islower()
    if not doc.content(k + 1):
        return True  # a short block of lines before a blank line: the title wraps
    for j in range(k, min(doc.n, k + 3)):
        if not doc.content(j):
            return False
        if _ends_question(doc.lines[j]) or re.search(r"[!“”\"]$", doc.lines[j]):
            return True  # the title runs on to its question mark
        if _ends_sentence(doc.lines[j]):
            return False
    return False


def _find_minister(doc: _Doc, start: int) -> tuple[int, int] | None:
    """Line range of "Der Minister … hat die Kleine Anfrage N mit Schreiben vom … beantwortet."."""
    for i in range(start, doc.n):
        if not doc.content(i) or not re.match(r"^(?:Der|Die|Das)\s", doc.lines[i]):
            continue
        window = join_wrapped(doc.lines[i : i + 8])
        m = _MINISTER_RE.search(window)
        # the speaker ("Der Minister für …") takes at most a few lines before "hat die Kleine Anfrage"
        if not m or m.start() > 400 or re.search(r"[.!?]\s", window[: m.start()]):
            continue
        first = last = i
        for f in range(i, min(doc.n, i + 10)):
            if doc.content(f):
                last = f
                if re.search(r"beantwortet\.?$", doc.lines[f]):
                    break
        return first, last + 1
    return None


def _question_start(line: str, nr: int | None = None) -> tuple[int, str] | None:
    m = _QSTART_RE.match(line)
    if not m:
        return None
    number, rest = int(m.group(1)), m.group(2)
    if nr is not None and number != nr:
        return None
    if rest and (rest[0].islower() or rest[0].isdigit() or _NOT_QUESTION_WORDS.match(rest)):
        return None
    return number, rest


def _is_signature(line: str, names: list[str]) -> bool:
    rest = line
    found = False
    for name in names:
        if name in rest:
            rest = rest.replace(name, " ")
            found = True
    return found and re.fullmatch(r"[\s,;/&]*(?:(?:und|MdL|sowie)[\s,;/&]*)*", rest) is not None


def _looks_like_name(line: str) -> bool:
    tokens = line.split()
    return 2 <= len(tokens) <= 6 and all(
        re.fullmatch(r"(?:Dr\.|Prof\.|von|van|de|der|zu|vom|[A-ZÄÖÜ][\w'’\-]*\.?|,|und)", t) for t in tokens
    )


def _parse_question(doc: _Doc, i: int, nr: int, names: list[str]) -> tuple[str, int]:
    """Text of question ``nr`` starting at line ``i`` and the index after its last line."""
    key = (i, nr)
    if key not in doc.questions:
        doc.questions[key] = _scan_question(doc, i, nr, names)
    return doc.questions[key]


def _scan_question(doc: _Doc, i: int, nr: int, names: list[str]) -> tuple[str, int]:
    start = _question_start(doc.lines[i], nr)
    if start is None:
        return "", i + 1
    text = _collapse(start[1])
    k = i + 1
    while k < doc.n and len(text) <= MAX_QUESTION_CHARS:
        j = doc.next_content(k)
        if j >= doc.n:
            break
        line = doc.lines[j]
        if _question_start(line, nr + 1) or _STOP_LINE_RE.match(line) or _is_signature(line, names):
            break
        if not text or not _ends_sentence(text):
            if _looks_like_name(line) and _only_names_follow(doc, j):
                break
        elif _question_start(line) is not None:
            break  # a complete question followed by "N. …": an enumeration or the next question
        elif not (line[:1].islower() or line[:1] in "(),;" or _question_like(doc, j, nr, names)):
            break
        text = _join_two(text, line) if text else line
        k = j + 1
    return text, k


def _only_names_follow(doc: _Doc, j: int) -> bool:
    """True when the lines from ``j`` to the end (or the next page) look like signatures."""
    for k in range(j, doc.n):
        if doc.lines[k] == _PB:
            return True
        if doc.content(k) and not _looks_like_name(doc.lines[k]):
            return False
    return True


def _question_like(doc: _Doc, j: int, nr: int, names: list[str]) -> bool:
    """Whether the sentence starting at line ``j`` is another part of the question (ends with "?")."""
    parts: list[str] = []
    k = j
    while k < doc.n and len(parts) < 8:
        k = doc.next_content(k)
        if k >= doc.n:
            break
        line = doc.lines[k]
        if parts and (_question_start(line, nr + 1) or _STOP_LINE_RE.match(line) or _is_signature(line, names)):
            break
        parts.append(line)
        if _ends_sentence(join_wrapped(parts)):
            break
        k += 1
    chunk = join_wrapped(parts)
    return _ends_question(chunk) or chunk.startswith(("Bitte ", "(Bitte "))


def _candidates(doc: _Doc, start: int, nr: int) -> list[int]:
    return [i for i in range(start, doc.n) if doc.content(i) and _question_start(doc.lines[i], nr)]


def _first_question(doc: _Doc, start: int, names: list[str], *, require_mark: bool) -> int | None:
    for i in _candidates(doc, start, 1)[:MAX_CANDIDATES]:
        if not require_mark or "?" in _parse_question(doc, i, 1, names)[0]:
            return i
    return None


def _ka_first_question(doc: _Doc, start: int, names: list[str]) -> int | None:
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


def _questions(doc: _Doc, q1: int, names: list[str], *, require_mark: bool) -> list[dict[str, Any]]:
    fragen: list[dict[str, Any]] = []
    i: int | None = q1
    nr = 1
    while i is not None and nr <= MAX_QUESTIONS:
        text, end = _parse_question(doc, i, nr, names)
        fragen.append({"nr": nr, "text": text})
        nr += 1
        i = None
        for c in _candidates(doc, end, nr)[:MAX_CANDIDATES]:
            if not require_mark or "?" in _parse_question(doc, c, nr, names)[0]:
                i = c
                break
            if not require_mark:
                break
    return fragen


def _has_blank_run(lines: list[str]) -> bool:
    """True when some run of empty lines is not part of a page break."""
    run: list[str] = []
    for line in [*lines, "x"]:
        if line in ("", _PB):
            run.append(line)
            continue
        if run and _PB not in run:
            return True
        run = []
    return False


def _vorbemerkung(lines: list[str]) -> str:
    """Paragraphs (one blank line between, wraps joined) without the closing "… frage(n) …:" line."""
    content = [x for x in lines if x not in ("", _PB)]
    if not content:
        return ""
    longest = max(len(x) for x in content)
    # Without any blank line (plain PDF extraction) a paragraph can only be told by its last line:
    # it ends a sentence and is clearly shorter than the full lines of justified text.
    first = next(i for i, x in enumerate(lines) if x not in ("", _PB))
    last = max(i for i, x in enumerate(lines) if x not in ("", _PB))
    no_blanks = len(content) >= 3 and not _has_blank_run(lines[first:last])
    paragraphs: list[list[str]] = []
    current: list[str] = []
    pending: str | None = None
    for line in lines:
        if line in ("", _PB):
            if line == _PB or pending is None:
                pending = "page" if line == _PB else "blank"
            continue
        if _STOP_LINE_RE.match(line):
            pending = "blank"
            continue
        if current:
            ends = _ends_sentence(join_wrapped(current[-6:])) or current[-1].endswith(":")
            # a list item starts a paragraph of its own: "• …", or "2. Anbindung …" after ",", ";", ":" …
            split = bool(_BULLET_RE.match(line)) or (
                bool(_LIST_ITEM_RE.match(line)) and current[-1].endswith((",", ";", ":", ".", "!", "?"))
            )
            if pending == "blank":
                split = split or ends
            elif pending == "page" or no_blanks:
                split = split or (ends and len(current[-1]) < 0.8 * longest)
            elif (_BULLET_RE.match(current[0]) or _LIST_ITEM_RE.match(current[0])) and ends:
                split = True
            if split:
                paragraphs.append(current)
                current = []
        current.append(line)
        pending = None
    if current:
        paragraphs.append(current)
    texts = [join_wrapped(p) for p in paragraphs]
    texts = [t for t in texts if t]
    if texts:
        last = texts[-1]
        offset = max(0, len(last) - 240)  # the closing sentence is short: look at the end only
        m = re.search(r"(?:^|(?<=[.!?“”\"]\s))([^.!?]*\bfragen?\b[^.!?]*:)$", last[offset:], re.IGNORECASE)
        if m and (offset == 0 or m.start(1) > 0):
            cut = last[: offset + m.start(1)].rstrip()
            texts = texts[:-1] + ([cut] if cut else [])
    return "\n\n".join(texts)


# --------------------------------------------------------------------------------------------------
# YAML


class _Flow(dict):  # type: ignore[type-arg]
    """A mapping written in flow style ({name: …, geschlecht: …})."""


class _Literal(str):
    """A string written as a literal block (|)."""


class _Dumper(yaml.SafeDumper):
    pass


def _repr_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _repr_literal(dumper: yaml.SafeDumper, data: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style="|")


def _repr_none(dumper: yaml.SafeDumper, data: None) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_Dumper.add_representer(_Flow, _repr_flow)
_Dumper.add_representer(_Literal, _repr_literal)
_Dumper.add_representer(type(None), _repr_none)

_KEY_ORDER = [
    "serie",
    "wahlperiode",
    "nummer",
    "drucksache",
    "datum",
    "abgeordnete",
    "fraktion",
    "titel",
    "vorbemerkung",
    "fragen",
    "regionen",
    "quelle",
    "antwort",
]


def record_to_yaml(record: dict[str, Any], serie: str | None = None) -> str:
    """The record as deterministic YAML in the key order of design.md (what ``anfrage import -o``
    writes). ``datum`` becomes a YAML date; ``vorbemerkung`` a literal block (``|``), which gives it
    one final newline when read back, as in hand-written Anfrage files."""
    data: dict[str, Any] = {}
    if serie is None:
        serie = record.get("serie")
    if serie is not None:
        data["serie"] = serie
    keys = [k for k in _KEY_ORDER if k in record and k != "serie"]
    keys += [k for k in record if k not in _KEY_ORDER]
    for key in keys:
        value = record[key]
        if key == "datum" and isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                pass
        elif key in ("abgeordnete", "fragen") and isinstance(value, list):
            value = [_Flow(v) if isinstance(v, dict) else v for v in value]
        elif key == "vorbemerkung" and isinstance(value, str) and value.strip():
            value = _Literal(value.rstrip("\n") + "\n")
        data[key] = value
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1_000_000,
        default_flow_style=False,
    )
