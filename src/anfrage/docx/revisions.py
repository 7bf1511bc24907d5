"""Tracked changes and comments in a DOCX, so that reading a file back never accepts or drops them silently.

This module works on parsed WordprocessingML trees (lxml elements); ``reader.py`` opens the package and
offers the public functions ``revisions(source)`` and ``comments(source)``.

Revisions
    Every pending change is one ``Revision``: text inserted or deleted (``w:ins``, ``w:del``, also of a
    paragraph mark, a table row or a cell), text moved (``w:moveFrom`` → ``"verschoben_von"``,
    ``w:moveTo`` → ``"verschoben_nach"``) and changed formatting (``w:rPrChange``, ``w:pPrChange``, the
    table, row, cell, grid, section and numbering changes → ``"formatierung"``). Neighbouring pieces of
    the same kind, author and date count as one change, as Word's review pane shows them: a sentence
    typed with tracking on is one insertion even when Word split it into several runs, and a paragraph
    inserted as a whole (its text and its paragraph mark) is one insertion. Unchanged text or an
    unchanged paragraph mark between two pieces separates them.

Comments
    Every ``w:comment`` of the comments part is one ``Comment`` with its author, date, text, the text it
    is anchored to (between ``w:commentRangeStart`` and ``w:commentRangeEnd``, as shown with all changes
    accepted) and whether it is marked as done (``w15:done`` in ``commentsExtended.xml``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

__all__ = [
    "Comment",
    "Revision",
    "RevisionKind",
    "comments_message",
    "has_revisions",
    "revisions_message",
    "scan_comments",
    "scan_revisions",
]

W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W14: Final = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_W15: Final = "{http://schemas.microsoft.com/office/word/2012/wordml}"
_MC_FALLBACK: Final = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

RevisionKind = Literal["einfügung", "löschung", "verschoben_von", "verschoben_nach", "formatierung"]

#: Elements that wrap changed content (runs, or a paragraph mark / table row when inside w:rPr / w:trPr).
WRAPPERS: Final[dict[str, RevisionKind]] = {
    W + "ins": "einfügung",
    W + "del": "löschung",
    W + "moveFrom": "verschoben_von",
    W + "moveTo": "verschoben_nach",
}
_CELL_CHANGES: Final[dict[str, RevisionKind]] = {
    W + "cellIns": "einfügung",
    W + "cellDel": "löschung",
    W + "cellMerge": "formatierung",
}
_PROPERTY_CHANGES: Final = frozenset(
    W + tag
    for tag in (
        "rPrChange",
        "pPrChange",
        "tblPrChange",
        "tblPrExChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "sectPrChange",
        "numberingChange",
    )
)
#: Every element that marks a pending change (for a quick existence check).
REVISION_TAGS: Final = (*WRAPPERS, *_CELL_CHANGES, *_PROPERTY_CHANGES)

_P: Final = W + "p"
_R: Final = W + "r"
_T: Final = W + "t"
_DELTEXT: Final = W + "delText"
_TAB: Final = W + "tab"
_BR: Final = W + "br"
_CR: Final = W + "cr"
_RPR: Final = W + "rPr"
_PPR: Final = W + "pPr"
_TRPR: Final = W + "trPr"
_TR: Final = W + "tr"
_TC: Final = W + "tc"
_AUTHOR: Final = W + "author"
_DATE: Final = W + "date"
_ID: Final = W + "id"


@dataclass(frozen=True, slots=True)
class Revision:
    """One pending tracked change.

    ``text``: the inserted, deleted or moved text (for a formatting change the text it applies to; a
    paragraph mark counts as a line break; leading and trailing whitespace is removed). ``part``: the
    package part, e.g. ``word/document.xml`` or ``word/header1.xml``.
    """

    kind: RevisionKind
    author: str
    date: dt.datetime | None
    text: str
    part: str = "word/document.xml"


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment: ``commented_text`` is the text it is anchored to (whitespace collapsed, may be empty)."""

    id: str
    author: str
    date: dt.datetime | None
    text: str
    commented_text: str
    done: bool = False


def parse_date(value: str | None) -> dt.datetime | None:
    """``w:date`` (ISO 8601, e.g. ``2024-05-02T10:30:00Z``) as a datetime; None when missing or invalid."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def has_revisions(root: Any) -> bool:
    """True when the tree holds any pending change (fast: one C-level scan)."""
    return next(root.iter(*REVISION_TAGS), None) is not None


def _text(element: Any) -> str:
    """Visible text of an element: ``w:t`` and ``w:delText``, tabs, line breaks, paragraph ends."""
    parts: list[str] = []
    for el in element.iter(_T, _DELTEXT, _TAB, _BR, _CR, _P):
        tag = el.tag
        if tag == _P:
            if parts and el is not element:
                parts.append("\n")
        elif tag in (_T, _DELTEXT):
            parts.append(el.text or "")
        elif tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _row_text(tr: Any) -> str:
    return " | ".join(" ".join(_text(tc).split()) for tc in tr.iter(_TC))


class _Collector:
    """Groups change pieces into revisions; unchanged text closes every open group."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.groups: list[tuple[tuple[RevisionKind, str, str], list[str]]] = []
        self.open: dict[tuple[RevisionKind, str, str], int] = {}

    def add(self, key: tuple[RevisionKind, str, str], text: str) -> None:
        index = self.open.get(key)
        if index is None:
            self.open[key] = len(self.groups)
            self.groups.append((key, [text]))
        else:
            self.groups[index][1].append(text)

    def plain(self, text: str) -> None:
        if text.strip():
            self.open.clear()

    def close(self) -> None:
        self.open.clear()

    def result(self) -> list[Revision]:
        out: list[Revision] = []
        for (kind, author, date), texts in self.groups:
            out.append(Revision(kind, author, parse_date(date), "".join(texts).strip(), self.part))
        return out


def _key(element: Any, kind: RevisionKind) -> tuple[RevisionKind, str, str]:
    return kind, (element.get(_AUTHOR) or "").strip(), element.get(_DATE) or ""


def _walk(element: Any, stack: list[tuple[RevisionKind, str, str]], col: _Collector) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag == _MC_FALLBACK:
            continue
        kind = WRAPPERS.get(tag)
        if kind is not None:
            key = _key(child, kind)
            parent = element.tag
            if parent == _RPR:  # a paragraph mark (w:pPr/w:rPr) inserted, deleted or moved
                col.add(key, "\n")
            elif parent == _TRPR:  # a table row
                row = element.getparent()
                col.add(key, _row_text(row) if row is not None else "")
            else:
                col.add(key, "")
                _walk(child, [*stack, key], col)
            continue
        cell = _CELL_CHANGES.get(tag)
        if cell is not None:
            tcpr = element
            tc = tcpr.getparent() if tcpr is not None else None
            col.add(_key(child, cell), " ".join(_text(tc).split()) if tc is not None else "")
            continue
        if tag in _PROPERTY_CHANGES:
            col.add(_key(child, "formatierung"), _changed_text(element, tag))
            continue  # the old properties inside hold no further changes
        if tag == _R:
            _walk(child, stack, col)  # w:rPr → w:rPrChange
            text = "".join(
                (el.text or "") if el.tag in (_T, _DELTEXT) else "\t" if el.tag == _TAB else "\n"
                for el in child
                if el.tag in (_T, _DELTEXT, _TAB, _BR, _CR)
            )
            if stack:
                col.add(stack[-1], text)
            else:
                col.plain(text)
            continue
        _walk(child, stack, col)
        if tag == _P and not stack and not _mark_changed(child):
            col.close()


def _mark_changed(p: Any) -> bool:
    ppr = p.find(_PPR)
    rpr = ppr.find(_RPR) if ppr is not None else None
    return rpr is not None and any(c.tag in WRAPPERS for c in rpr)


def _changed_text(parent: Any, tag: str) -> str:
    """The text a formatting change applies to: the run's, the paragraph's, or none (table, section)."""
    if tag == W + "rPrChange":
        owner = parent.getparent() if parent is not None else None
        if owner is not None and owner.tag == _R:
            return _text(owner)
        return ""
    if tag == W + "pPrChange":
        owner = parent.getparent() if parent is not None else None
        if owner is not None and owner.tag == _P:
            return _text(owner)
    return ""


def scan_revisions(root: Any, part: str = "word/document.xml") -> list[Revision]:
    """All pending changes of one part (document, header, footer, footnotes), in document order."""
    if not has_revisions(root):
        return []
    col = _Collector(part)
    _walk(root, [], col)
    return col.result()


# --------------------------------------------------------------------------------------------------
# comments


def _comment_anchors(root: Any) -> dict[str, str]:
    """Comment id → the text between its range start and end (accepted view, whitespace collapsed)."""
    texts: dict[str, list[str]] = {}
    open_ids: list[str] = []

    def walk(element: Any) -> None:
        for el in element:
            tag = el.tag
            if not isinstance(tag, str) or tag in (W + "del", W + "moveFrom", _MC_FALLBACK):
                continue
            if tag == W + "commentRangeStart":
                cid = el.get(_ID, "")
                texts.setdefault(cid, [])
                open_ids.append(cid)
            elif tag == W + "commentRangeEnd":
                cid = el.get(_ID, "")
                if cid in open_ids:
                    open_ids.remove(cid)
            elif open_ids and tag == _T:
                for cid in open_ids:
                    texts[cid].append(el.text or "")
            elif open_ids and tag in (_TAB, _BR, _CR):
                for cid in open_ids:
                    texts[cid].append(" ")
            else:
                walk(el)
                if tag == _P:
                    for cid in open_ids:
                        texts[cid].append(" ")

    walk(root)
    return {cid: " ".join("".join(parts).split()) for cid, parts in texts.items()}


def _done_paragraphs(extended: Any | None) -> set[str]:
    """paraIds of the last paragraphs of comments marked as done, replies to a done comment included."""
    if extended is None:
        return set()
    done: set[str] = set()
    parents: dict[str, str] = {}
    for ex in extended.iter(_W15 + "commentEx"):
        para = ex.get(_W15 + "paraId", "")
        if ex.get(_W15 + "done") in ("1", "true", "on"):
            done.add(para)
        parent = ex.get(_W15 + "paraIdParent")
        if parent:
            parents[para] = parent
    for para, parent in parents.items():
        if parent in done:
            done.add(para)
    return done


def scan_comments(comments_root: Any | None, document_root: Any, extended_root: Any | None = None) -> list[Comment]:
    """The comments of a document in the order of the comments part."""
    if comments_root is None:
        return []
    anchors = _comment_anchors(document_root)
    done = _done_paragraphs(extended_root)
    out: list[Comment] = []
    for comment in comments_root.iter(W + "comment"):
        cid = comment.get(_ID, "")
        paragraphs = comment.findall(".//" + _P)
        text = "\n".join(" ".join(_text(p).split()) for p in paragraphs).strip("\n")
        last_para = paragraphs[-1].get(_W14 + "paraId", "") if paragraphs else ""
        out.append(
            Comment(
                id=cid,
                author=(comment.get(_AUTHOR) or "").strip(),
                date=parse_date(comment.get(_DATE)),
                text=text,
                commented_text=anchors.get(cid, ""),
                done=bool(last_para) and last_para in done,
            )
        )
    return out


# --------------------------------------------------------------------------------------------------
# messages


def _per_author(authors: Iterable[str], none: str) -> str:
    counts: dict[str, int] = {}
    for author in authors:
        counts[author] = counts.get(author, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])  # stable: first appearance breaks ties
    if len(ranked) == 1:
        author, n = ranked[0]
        if not author:
            return none if n == 1 else f"alle {none}"
        return f"von {author}" if n == 1 else f"alle von {author}"
    return ", ".join(f"{n} von {a}" if a else f"{n} {none}" for a, n in ranked)


def revisions_message(found: list[Revision], label: str) -> str:
    """„{label} enthält 3 nicht angenommene Änderungen (2 von Referat 123, 1 von MAGS); …“."""
    n = len(found)
    what = "nicht angenommene Änderung" if n == 1 else "nicht angenommene Änderungen"
    who = _per_author((r.author for r in found), "ohne Angabe des Verfassers")
    return (
        f"{label} enthält {n} {what} ({who}); bitte in Word annehmen oder ablehnen "
        "oder --aenderungen annehmen|ablehnen angeben."
    )


def comments_message(found: list[Comment], label: str) -> str:
    """„{label} enthält 2 offene Kommentare (1 von …, 1 von …); …“."""
    n = len(found)
    what = "offenen Kommentar" if n == 1 else "offene Kommentare"
    who = _per_author((c.author for c in found), "ohne Angabe des Verfassers")
    return (
        f"{label} enthält {n} {what} ({who}); bitte in Word erledigen oder löschen "
        "oder --kommentare platzhalter|ignorieren angeben."
    )
