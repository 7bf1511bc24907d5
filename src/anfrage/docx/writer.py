"""Draft Markdown → DOCX in the layout of an answer Drucksache of the Landtag NRW.

The DOCX says exactly what the Markdown says: the draft is parsed with the one MarkdownIt
configuration of ``anfrage.draft`` and every token becomes WordprocessingML in a python-docx
document (styles, headers, relationships and core properties through python-docx). There is no
second template.

This module assembles the steps; each concern has its module:

* ``frontmatter`` – the front matter, read strictly (a DOCX needs every field);
* ``styles`` – the style sheet; style names are the contract of ``docs/design.md``;
* ``numbering`` – Word lists (``numbering.xml``) for list items and questions;
* ``body`` – the token walker: which Markdown becomes which style;
* ``inline`` – runs, hyperlinks and the highlighting of placeholders;
* ``page`` – A4 setup, the page-1 header block and the running header;
* ``vorlage`` – a Word template (.docx, .dotx) used like pandoc's reference document; what of it
  the drafts cannot take over, ``check_vorlage`` returns as German warnings;
* ``package`` – the base document, core properties and the reproducible zip (same inputs, same
  bytes);
* ``wml`` – escaping and parsing of the XML built as text.

Characters XML cannot carry (C0 controls other than tab/line feed/carriage return, DEL, C1
controls, lone surrogates, U+FFFE, U+FFFF) are refused with a ``UserError`` (with the line where
possible); they are never dropped silently, since the DOCX must say what the Markdown says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from anfrage.docx.body import BodyWriter
from anfrage.docx.frontmatter import REQUIRED_FRONT_MATTER, FrontMatter, read_front_matter
from anfrage.docx.numbering import ListNumbering
from anfrage.docx.package import new_document, package_bytes, set_compatibility_mode, set_core_properties
from anfrage.docx.page import page1_block, text_width, write_headers
from anfrage.docx.styles import STYLE_NAMES, ensure_styles, paragraph_indent
from anfrage.docx.vorlage import check_vorlage, drop_unused_rels, empty_body, open_vorlage
from anfrage.docx.wml import check_chars, parse_fragment
from anfrage.draft import PLACEHOLDER, parser
from anfrage.errors import UserError

__all__ = [
    "PLACEHOLDER_RE",
    "REQUIRED_FRONT_MATTER",
    "STYLE_NAMES",
    "FrontMatter",
    "check_vorlage",
    "markdown_to_docx",
]

#: The placeholders the DOCX highlights: exactly those of the draft contract.
PLACEHOLDER_RE: Final = PLACEHOLDER


def markdown_to_docx(markdown: str, *, vorlage: Path | None = None) -> bytes:
    """Render a draft (Markdown with YAML front matter) as the bytes of a DOCX file.

    ``vorlage``: a DOCX or DOTX whose styles, numbering, page setup, headers and footers are used
    (its body is removed); styles it lacks are created based on its Normal, its header is
    combined with the running header (``check_vorlage`` says what cannot be). Raises
    ``UserError`` for a missing or broken front matter, for characters a DOCX cannot carry and for
    an unreadable vorlage. The same inputs give the same bytes.
    """
    if not isinstance(markdown, str):
        raise UserError("Der Entwurf muss Text sein.")
    if markdown.startswith("\ufeff"):
        markdown = markdown[1:]
    if "\r" in markdown:
        markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")
    check_chars(markdown, "Der Entwurf")
    fm, body = read_front_matter(markdown)
    tokens = parser().parse(body)

    doc = new_document() if vorlage is None else open_vorlage(Path(vorlage))
    sect_pr = empty_body(doc)
    if vorlage is not None:
        drop_unused_rels(doc)
        set_compatibility_mode(doc)
    styles = ensure_styles(doc)
    numbering = ListNumbering(
        doc,
        {
            "bullet": paragraph_indent(doc, styles["Aufzählung"]),
            "ordered": paragraph_indent(doc, styles["Aufzählung"]),
            "question": paragraph_indent(doc, styles["Frage"]),
        },
    )
    writer = BodyWriter(doc, styles, text_width(doc), numbering)
    writer.emit(page1_block(writer, fm, writer.text_width), table=True)
    writer.walk(tokens)
    if writer.last_table:  # Word wants a paragraph after a table at the end of the body
        writer.emit(writer.p_xml("Antwort", []))
    for el in parse_fragment(writer.out, "Der Entwurf"):
        sect_pr.addprevious(el)
    numbering.write()
    write_headers(doc, writer, fm, writer.text_width, vorlage=vorlage is not None)
    set_core_properties(doc, fm)
    return package_bytes(doc)
