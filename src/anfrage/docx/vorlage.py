"""A Word template (``vorlage``) used like pandoc's reference document.

The DOCX is opened, its body is emptied, its styles, page setup, headers and footers are kept,
and only the styles it lacks are created (``styles.ensure_styles``). When it already has a
default page header with content, that header is kept as it is (``page.write_headers``);
otherwise the running header of a Drucksache is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.section import CT_SectPr

from anfrage.errors import UserError

__all__ = ["check_vorlage", "drop_unused_rels", "empty_body", "open_vorlage"]

_SECTPR: Final = qn("w:sectPr")


def check_vorlage(vorlage: Path) -> None:
    """The one check of a Word template: it exists, is a .docx/.dotx and opens (``UserError``)."""
    open_vorlage(vorlage)


def open_vorlage(vorlage: Path) -> DocxDocument:
    """Open a Word template, refusing with a German message what cannot be one."""
    if not vorlage.is_file():
        raise UserError(f"Word-Vorlage „{vorlage}“ nicht gefunden.")
    if vorlage.suffix.lower() not in (".docx", ".dotx"):
        raise UserError(f"Word-Vorlage „{vorlage}“ ist keine .docx-Datei.")
    try:
        return Document(str(vorlage))
    except Exception:  # noqa: BLE001  # python-docx, zipfile and lxml raise many kinds for broken files
        raise UserError(f"Die Word-Vorlage „{vorlage}“ ist keine lesbare Word-Datei (.docx).") from None


def empty_body(doc: DocxDocument) -> CT_SectPr:
    """Remove all body content except the final section properties; return those."""
    body = doc.element.body
    for child in list(body):
        if child.tag != _SECTPR:
            body.remove(child)
    sect_pr: CT_SectPr = body.get_or_add_sectPr()
    return sect_pr


def drop_unused_rels(doc: DocxDocument) -> None:
    """Drop the hyperlink and image relationships of the vorlage's removed body content."""
    used = set(doc.element.xpath("//@r:id | //@r:embed | //@r:link"))
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.HYPERLINK, RT.IMAGE) and rid not in used:
            del doc.part.rels[rid]
