"""Normalise rendered Markdown so that reviews in git are easy.

* one sentence per line in paragraphs, list items and questions, so that ``git diff`` shows a
  changed sentence as one changed line;
* escaping of text that comes from data, so a ``*`` in a catalogue never turns into emphasis;
* stable bytes: ``\\n`` line ends, no trailing spaces, single blank lines, one final newline.

See docs/design.md for the contract between the Markdown and the DOCX writer.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"([\\`*_<>|])")
# The "]" that would close a link, image or link definition: "[Studie](url)", "![x](y)",
# "[1]: Quelle" in an Anfrage's text are verbatim text. Not the "]]" of a placeholder.
_LINK_CLOSE = re.compile(r"(?<![\]\\])\](?=[(\[:])")

# Abbreviations after which a period does not end a sentence (compared case-insensitively, without
# the final period). Tokens with an inner period ("z.B", "u.a", "e.V") are abbreviations anyway.
ABBREVIATIONS = {
    "abs",
    "art",
    "bspw",
    "bzw",
    "ca",
    "dr",
    "drs",
    "etc",
    "evtl",
    "ggf",
    "gem",
    "inkl",
    "insb",
    "lt",
    "max",
    "mind",
    "mio",
    "mrd",
    "nr",
    "nrn",
    "prof",
    "rd",
    "s",
    "sog",
    "st",
    "str",
    "tsd",
    "usw",
    "vgl",
    "z",
    "zzgl",
    "zb",
    "ua",
    "dh",
    "jan",
    "feb",
    "febr",
    "aug",
    "sept",
    "okt",
    "nov",
    "dez",
    "mdl",
    "ziff",
    "kap",
    "abschn",
    "anl",
    "bd",
    "hrsg",
    "jh",
    "ltd",
    "min",
    "std",
    "tel",
}
# Words that start a sentence but never follow an ordinal ("… unter den Top 20. In den …").
SENTENCE_STARTERS = {
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einer",
    "eines",
    "in",
    "im",
    "am",
    "an",
    "auf",
    "aus",
    "bei",
    "mit",
    "nach",
    "für",
    "zur",
    "zum",
    "von",
    "vom",
    "es",
    "er",
    "sie",
    "wir",
    "ich",
    "dies",
    "diese",
    "dieser",
    "dieses",
    "damit",
    "dabei",
    "daher",
    "deshalb",
    "auch",
    "zudem",
    "außerdem",
    "insgesamt",
    "so",
    "als",
    "wie",
    "was",
    "welche",
    "hierzu",
    "darüber",
    "seit",
    "bis",
    "nur",
    "alle",
    "insofern",
    "ebenso",
    "zugleich",
    "gerade",
    "gleichzeitig",
}
MONTHS = {
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
}

_BOUNDARY = re.compile(r"([.?!])([“”\"')\]]*)\s+(?=\S)")
_LINE_HAZARD = re.compile(r"^(#{1,6}(\s|$)|[-+*](\s|$)|\d{1,9}[.)](\s|$)|>|=+\s*$|-+\s*$|\|)")
_ITEM = re.compile(r"^(\d{1,9}[.)]|[-+*])(\s+)")


_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def escape(text: str) -> str:
    """Escape characters of data text that Markdown would interpret inline (also "&amp;"-like entities)."""
    return _LINK_CLOSE.sub(r"\\]", _ENTITY.sub(r"\\&", _ESCAPE.sub(r"\\\1", text)))


def escape_block(text: str) -> str:
    """Escape a paragraph of data text, including a start that would read as structure ("1. FC …")."""
    return _protect(escape(text))


def escape_cell(text: str) -> str:
    """Escape a text for a table cell: inline escapes, no line breaks."""
    return " ".join(escape(text).split())


def split_sentences(text: str) -> list[str]:
    """Split running German text into sentences.

    A period ends a sentence only before an uppercase letter, an opening quote or a parenthesis
    followed by an uppercase letter, and not after an abbreviation, an ordinal ("28. November",
    "17. Wahlperiode") or a single letter ("u. a.").
    """
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(2)
        following = text[match.end() :]
        if not _starts_sentence(following):
            continue
        if match.group(1) == "." and not _ends_sentence(text[start : match.start(1)], following):
            continue
        sentences.append(text[start:end].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _starts_sentence(following: str) -> bool:
    if not following:
        return False
    first = following[0]
    if first.isupper() or first in '„"' or following.startswith("[["):
        return True
    return first == "(" and len(following) > 1 and following[1].isupper()


def _ends_sentence(before: str, following: str) -> bool:
    token = before.rsplit(" ", 1)[-1] if before else ""
    bare = token.lstrip('(„"').replace("\\", "")
    if not bare:
        return False
    if "." in bare or bare.casefold() in ABBREVIATIONS:
        return False
    if len(bare) == 1 and bare.isalpha():
        return False
    if bare.isdigit():
        next_word = following.split(" ", 1)[0].strip('„"(),').casefold()
        # "28. November", "17. Wahlperiode": one or two digits before a period are an ordinal,
        # unless a word follows that only starts sentences ("unter den Top 20. In den …").
        if next_word in MONTHS:
            return False
        return len(bare) >= 3 or next_word in SENTENCE_STARTERS
    return True


def _protect(line: str) -> str:
    """Escape a line start that Markdown would read as structure (list, heading, rule, table)."""
    if _LINE_HAZARD.match(line):
        match = re.match(r"^(\d{1,9})([.)])", line)
        if match:
            return f"{match.group(1)}\\{match.group(2)}{line[match.end() :]}"
        return "\\" + line
    return line


def _reflow_item(block: list[str]) -> list[str]:
    """Reflow a list item (question or bullet), keeping its marker and continuation indent."""
    match = _ITEM.match(block[0])
    assert match
    marker = match.group(1)
    indent = " " * (len(marker) + 1)
    body = [block[0][match.end() :]] + [line.strip() for line in block[1:]]
    sentences = split_sentences(" ".join(body))
    if not sentences:
        return [marker]
    out = [f"{marker} {sentences[0]}"]
    out += [indent + _protect(s) for s in sentences[1:]]
    return out


def _items(block: list[str]) -> list[list[str]]:
    items: list[list[str]] = []
    for line in block:
        if _ITEM.match(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return items


def normalise(markdown: str) -> str:
    """Reflow the body of a rendered draft to one sentence per line and make its bytes stable."""
    text = markdown.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    front: list[str] = []
    if lines and lines[0] == "---":
        end = lines.index("---", 1) if "---" in lines[1:] else -1
        if end > 0:
            front, lines = lines[: end + 1], lines[end + 1 :]
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    out_blocks = []
    for block in blocks:
        out_blocks.append(_normalise_block(block))
    body = "\n\n".join("\n".join(b) for b in out_blocks)
    head = "\n".join(front) + "\n\n" if front else ""
    return head + body + "\n"


def _normalise_block(block: list[str]) -> list[str]:
    first = block[0]
    if any(line.endswith("\\") for line in block[:-1]):
        return block  # hard-broken lines (title block, URL lists) stay as written
    if first.startswith(("#", "|", "<http", "```", "~~~", "---")):
        return block
    if _ITEM.match(first):
        out: list[str] = []
        for item in _items(block):
            out.extend(_reflow_item(item))
        return out
    sentences = split_sentences(" ".join(line.strip() for line in block))
    return [_protect(s) for s in sentences]
