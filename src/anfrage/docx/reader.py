"""DOCX → draft Markdown: the inverse of ``docx/writer.py``, so that edits made in Word can be merged.

``docx_to_markdown`` rebuilds the body of a draft from the paragraph styles and runs of a DOCX that
anfrage wrote (and a clerk may have edited in Word or LibreOffice). An unedited file reads back to the
exact bytes of its draft; edited text comes back in the draft's conventions, so that a three-way merge
with the Markdown sees a sentence changed in Word as one changed line.

Mapping (by style *name*, the contract of ``docs/design.md``; Word and LibreOffice may rename style ids):

* ``Kopf`` (the page-1 block) → not part of the body; it gives ``wahlperiode``, ``drucksache`` and
  ``datum`` (see front matter below).
* ``Titel Antwort`` → ``#``; ``Zwischenüberschrift`` → ``##``; ``Zwischenüberschrift 2`` → ``###``
  (also Word's ``heading 1``/``2``/``3``… and ``Title``); their bold is the style's, so bold runs in a
  heading (Word often repeats the style's bold on them) give no ``**``.
* ``Titelblock`` → one paragraph whose lines are joined by hard breaks (``\\`` at the line end).
* ``Titel Anfrage`` → ``**…**``; ``Frage`` → ``N. **…**`` (the number Word shows for its numbering,
  ``w:numPr``, with its delimiter "." or ")"; in older files the typed "N." + tab at its start; a
  question added in Word without a number gets the next number); its bold is the style's.
* ``Aufzählung`` and every paragraph with Word numbering → ``- …`` for a bullet, ``N. …`` for a
  number (counted as Word counts: ``read_styles.Numbering``); in older files the typed "•" or "N." +
  tab; a paragraph of this style without marker continues the list above it, unless it is indented
  with a first line offset of zero (the writer's further paragraph of an item), which makes it a
  paragraph.
* every other paragraph (``Antwort``, ``Link``, ``Tabelle Text``, ``Normal``, …) → a paragraph; an empty
  one is left out, an empty one with a bottom border is ``---``.
* tables → GFM tables; the first row is the header row (its bold is the header's, not ``**``); cell
  alignment (centre, right) of the first row gives ``:-:`` and ``--:``; cells are joined by spaces
  when they hold several paragraphs or line breaks; merged cells give empty cells.
* runs: bold → ``**``, italic → ``*`` (direct formatting or a character style); ``w:hyperlink`` and
  HYPERLINK fields → ``<url>`` when the text is the URL, ``[text](url)`` otherwise; line break →
  hard break; text is escaped with ``markdown.escape``, line starts that Markdown would read as
  structure are protected (as ``markdown.escape_block`` does), and the result goes through
  ``markdown.normalise`` (one sentence per line).

Word's noise is ignored: runs split anywhere (rsid, ``w:proofErr``, bookmarks, language), ``w:smartTag``,
``w:customXml``, content controls (``w:sdt``), fields (their result is read; a HYPERLINK field is a link),
``w:lastRenderedPageBreak``, page and column breaks, drawings, footnote references.

Front matter: the YAML front matter is not in the DOCX. With ``front_matter`` (the front matter block
of the last generated draft, or the whole draft) the result starts with that block, except that
``wahlperiode``, ``drucksache`` and ``datum`` are updated from the page-1 block when a clerk changed
them in Word (only single-line values are updated). Without it, the front matter is rebuilt from what
the DOCX gives: ``wahlperiode``, ``drucksache`` and ``datum`` from the page-1 block, ``titel`` and
``ressort`` from the document properties (title, author) and ``antwortdatum`` from the creation date;
``serie``, ``region`` and ``anfrage`` are not in the DOCX. ``front_matter=""`` gives the body alone.

Tracked changes (``aenderungen``): ``"fehler"`` (default) raises ``UserError`` when the document (body,
headers, footers, footnotes) holds any pending change, naming the count per author; ``"annehmen"`` reads
the document as if all changes were accepted (insertions kept, deletions dropped, new formatting),
``"ablehnen"`` as if all were rejected. A paragraph mark that the chosen view removes joins its
paragraph to the next one; a row that it removes is left out.

Comments (``kommentare``): ``"platzhalter"`` (default) puts every open comment after the paragraph
(or table) it is anchored in, as a paragraph ``[[PRÜFEN: Kommentar von A zu „…“: text]]``, so the
draft keeps it and ``anfrage check`` counts it; comments marked as done in Word are left out.
``"ignorieren"`` leaves comments out (callers show ``comments()``), ``"fehler"`` raises ``UserError``
when there are open comments.

Limits: what Markdown cannot say is lost (page breaks, images and text boxes, footnotes, colours,
indents, fonts); the running header and footers are not read (the page-1 block is); code blocks and
block quotes, which the writer prints as plain ``Antwort`` text, come back as paragraphs; nested lists
come back flat (``markdown.normalise`` does not keep them either); a question that is wholly italic
(``***…***``) no longer reads as a question.

Modules: ``read_package`` (the zip and its XML parts), ``read_styles`` (roles by style name, Word's
numbering), ``read_blocks`` (paragraphs, tables, runs and fields in one view of the tracked changes),
``read_markdown`` (the Markdown of those blocks), ``read_frontmatter`` (the YAML block); tracked
changes and comments are found by ``revisions``.
"""

from __future__ import annotations

import os
from typing import Final, Literal

from anfrage.docx.read_blocks import Aenderungen, BlockReader, body_blocks
from anfrage.docx.read_frontmatter import given_front_matter, kopf_fields, rebuilt_front_matter, sync_front_matter
from anfrage.docx.read_markdown import MarkdownBuilder
from anfrage.docx.read_package import Package, W
from anfrage.docx.read_styles import KNOWN_STYLE_NAMES
from anfrage.docx.revisions import Comment, Revision, comments_message, revisions_message
from anfrage.errors import UserError
from anfrage.markdown import normalise

__all__ = [
    "KNOWN_STYLE_NAMES",
    "Aenderungen",
    "Comment",
    "Kommentare",
    "Revision",
    "comments",
    "docx_to_markdown",
    "revisions",
]

Kommentare = Literal["platzhalter", "ignorieren", "fehler"]

_BODY: Final = W + "body"
_MODES: Final = ("fehler", "annehmen", "ablehnen")
_COMMENT_MODES: Final = ("platzhalter", "ignorieren", "fehler")


def revisions(source: bytes | str | os.PathLike[str]) -> list[Revision]:
    """The pending tracked changes of a DOCX (body, headers, footers, footnotes, endnotes).

    Neighbouring pieces of the same kind, author and date count as one change. Raises ``UserError``
    when the file is not a readable DOCX.
    """
    return Package(source).revisions()


def comments(source: bytes | str | os.PathLike[str]) -> list[Comment]:
    """The comments of a DOCX with the text each is anchored to (``UserError`` for an unreadable file)."""
    return Package(source).comments()


def docx_to_markdown(
    source: bytes | str | os.PathLike[str],
    *,
    front_matter: str | None = None,
    aenderungen: Aenderungen = "fehler",
    kommentare: Kommentare = "platzhalter",
) -> str:
    """Read a DOCX written by anfrage (and maybe edited in Word) back into the draft Markdown.

    ``front_matter``: the front matter block of the last generated draft (or that draft); None rebuilds
    what the DOCX gives, ``""`` leaves the front matter out (see the module docstring).
    ``aenderungen``: ``"fehler"`` raises ``UserError`` on pending tracked changes; ``"annehmen"`` /
    ``"ablehnen"`` read the document with all of them accepted / rejected.
    ``kommentare``: ``"platzhalter"`` keeps open comments as ``[[PRÜFEN: …]]`` paragraphs,
    ``"ignorieren"`` leaves them out, ``"fehler"`` raises ``UserError`` when there are any.
    Raises ``UserError`` when the file is not a readable DOCX.
    """
    if aenderungen not in _MODES:
        raise UserError(f"Unbekannter Wert „{aenderungen}“ für --aenderungen: erlaubt sind annehmen und ablehnen.")
    if kommentare not in _COMMENT_MODES:
        raise UserError(
            f"Unbekannter Wert „{kommentare}“ für --kommentare: erlaubt sind platzhalter, ignorieren und fehler."
        )
    pkg = Package(source)
    if aenderungen == "fehler" and pkg.any_revisions():
        raise UserError(revisions_message(pkg.revisions(), pkg.label))
    open_comments: dict[str, Comment] = {}
    if kommentare != "ignorieren" and pkg.related("/comments"):
        found = [c for c in pkg.comments() if not c.done]
        if kommentare == "fehler" and found:
            raise UserError(comments_message(found, pkg.label))
        open_comments = {c.id: c for c in found}

    reader = BlockReader(pkg, aenderungen)
    builder = MarkdownBuilder(reader, open_comments)
    for item in body_blocks(reader, pkg.document.find(_BODY)):
        builder.add(item)
    builder.place_comments(builder.pending_comments + list(open_comments))  # anchored nowhere in the body
    body = normalise("\n\n".join(builder.blocks) + "\n")

    shown = kopf_fields(builder.kopf)
    if front_matter is None:
        block = rebuilt_front_matter(pkg, shown)
    else:
        block = sync_front_matter(given_front_matter(front_matter), shown)
    if not block:
        return body
    head = "\n".join(line.rstrip() for line in block.rstrip("\n").split("\n"))
    return head + "\n\n" + body
