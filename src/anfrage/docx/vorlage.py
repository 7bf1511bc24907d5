"""A Word template (``vorlage``) used like pandoc's reference document.

The DOCX or DOTX is opened, its body is emptied, its styles, numbering, page setup, headers and
footers are kept, and only the styles it lacks are created (``styles.ensure_styles``). Its own page
header is combined with the running header of the Drucksache (``page.write_headers``).

What the template does that the draft cannot follow is said in German by ``vorlage_warnings``
(returned by ``check_vorlage``, once per run): nothing is printed here, the caller shows them.
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path
from typing import Final

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.section import CT_SectPr

from anfrage.docx.package import STYLES_WITH_EFFECTS
from anfrage.docx.page import has_own_page_numbers
from anfrage.docx.wml import Element
from anfrage.errors import UserError

__all__ = ["check_vorlage", "drop_unused_rels", "empty_body", "open_vorlage", "vorlage_warnings"]

_SECTPR: Final = qn("w:sectPr")
_HEADER_REF: Final = qn("w:headerReference")
_FOOTER_REF: Final = qn("w:footerReference")
_SUFFIXES: Final = (".docx", ".dotx")
_TEMPLATE_MAIN: Final = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_MAX_VORLAGE: Final = 64 * 1024 * 1024


def check_vorlage(vorlage: Path) -> list[str]:
    """The one check of a Word template: it exists, is a .docx/.dotx and opens (``UserError``).

    Returns what the draft will not take from it, as German sentences for the clerk.
    """
    return vorlage_warnings(open_vorlage(vorlage), vorlage)


def vorlage_warnings(doc: DocxDocument, vorlage: Path) -> list[str]:
    """What of the template the drafts do not show as it is (German, for the clerk)."""
    warnings: list[str] = []
    sections = len(doc.element.body.findall(f".//{_SECTPR}"))
    if sections > 1:
        warnings.append(
            f"Die Word-Vorlage „{vorlage.name}“ hat {sections} Abschnitte; die Entwürfe übernehmen "
            "Seitenformat, Kopf- und Fußzeilen nur aus dem letzten."
        )
    if has_own_page_numbers(doc):
        warnings.append(
            f"Die Word-Vorlage „{vorlage.name}“ setzt in ihrer Kopf- oder Fußzeile selbst Seitenzahlen; "
            "die Seitenzahl der Drucksache unter der Kopfzeile wird deshalb nicht zusätzlich eingefügt."
        )
    return warnings


def _as_document(data: bytes) -> bytes:
    """A .dotx as a .docx: the same package with the content type of a document (python-docx
    opens nothing else). Other packages are returned unchanged."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml")
        if _TEMPLATE_MAIN not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in z.infolist():
                blob = z.read(info)
                if info.filename == "[Content_Types].xml":
                    blob = types.replace(_TEMPLATE_MAIN, CT.WML_DOCUMENT_MAIN.encode("ascii"))
                copy.writestr(info, blob)
    return out.getvalue()


def open_vorlage(vorlage: Path) -> DocxDocument:
    """Open a Word template (.docx or .dotx), refusing with a German message what cannot be one."""
    if not vorlage.is_file():
        raise UserError(f"Word-Vorlage „{vorlage}“ nicht gefunden.")
    if vorlage.suffix.lower() not in _SUFFIXES:
        raise UserError(f"Word-Vorlage „{vorlage}“ ist keine .docx- oder .dotx-Datei.")
    try:
        if vorlage.stat().st_size > _MAX_VORLAGE:
            raise UserError(f"Die Word-Vorlage „{vorlage}“ ist zu groß.")
        return Document(io.BytesIO(_as_document(vorlage.read_bytes())))
    except UserError:
        raise
    except Exception:  # noqa: BLE001  # python-docx, zipfile and lxml raise many kinds for broken files
        raise UserError(f"Die Word-Vorlage „{vorlage}“ ist keine lesbare Word-Datei (.docx oder .dotx).") from None


def empty_body(doc: DocxDocument) -> CT_SectPr:
    """Remove all body content except the final section properties; return those.

    The last section keeps the headers and footers it shows in Word, also those it takes over from
    the sections before it ("wie vorherige"): their references move to it, since those sections go.
    """
    body = doc.element.body
    sections = [s for s in body.iter(_SECTPR) if s.getparent().tag != qn("w:sectPrChange")]
    if len(sections) > 1 and sections[-1].getparent() is body:
        last = sections[-1]
        refs: dict[tuple[str, str], Element] = {}
        for section in sections:
            for ref in section.iterchildren(_HEADER_REF, _FOOTER_REF):
                refs[(ref.tag, ref.get(qn("w:type"), "default"))] = ref
        own = {(ref.tag, ref.get(qn("w:type"), "default")) for ref in last.iterchildren(_HEADER_REF, _FOOTER_REF)}
        for key, ref in refs.items():
            if key not in own:
                last.insert(0, copy.deepcopy(ref))  # references come first in w:sectPr, in any order
    for child in list(body):
        if child.tag != _SECTPR:
            body.remove(child)
    sect_pr: CT_SectPr = body.get_or_add_sectPr()
    return sect_pr


def drop_unused_rels(doc: DocxDocument) -> None:
    """Drop the hyperlink and image relationships of the vorlage's removed body content, and its
    Word 2010 copy of the styles (``stylesWithEffects``), which would no longer match ``styles.xml``
    (Word 2013 and later do not write it)."""
    used = set(doc.element.xpath("//@r:id | //@r:embed | //@r:link"))
    for rid, rel in list(doc.part.rels.items()):
        if (rel.reltype in (RT.HYPERLINK, RT.IMAGE) and rid not in used) or rel.reltype == STYLES_WITH_EFFECTS:
            del doc.part.rels[rid]
