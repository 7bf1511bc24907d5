"""Word-grade DOCX: valid against the Office schemas (openxml-audit), headings and lists that other
readers see (pandoc, mammoth), a ministry template that decides the look (LibreOffice renders it)."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from anfrage.docx.writer import check_vorlage, markdown_to_docx
from conftest import soffice_convert

RUHR_BOCHUM = "ruhrkonferenz-2020-bochum"
FIXTURES = Path(__file__).parent / "fixtures" / "docx"
RUNNING_HEADER = "LANDTAG NORDRHEIN-WESTFALEN - 17. Wahlperiode"
# a 1 × 1 pixel PNG, for a template with a logo in its header
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def drafts(shipped_drafts: Path) -> Path:
    """The 68 shipped drafts (53 + 15) as .md and .docx, written by the CLI."""
    return shipped_drafts


def _docx_files(drafts: Path) -> list[Path]:
    return sorted(p for p in drafts.glob("*.docx") if ".bearbeitet-" not in p.name)


def dejavu_vorlage(path: Path) -> Path:
    """A ministry template: Normal in DejaVu Serif 12 pt, a logo and the ministry in its header."""
    v = docx.Document()
    normal = v.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(12)
    for attr in ("w:eastAsia", "w:cs"):
        normal.element.rPr.rFonts.set(qn(attr), "DejaVu Serif")
    v.styles.add_style("Vorlagentext", WD_STYLE_TYPE.PARAGRAPH).base_style = normal
    header = v.sections[0].header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(PNG), width=Cm(0.5))
    header.add_run(" Ministerium für Heimat, Kommunales, Bau und Digitalisierung")
    v.add_paragraph("Inhalt der Vorlage")
    v.save(str(path))
    return path


def as_dotx(docx_path: Path, dotx_path: Path) -> Path:
    """The same package as a Word template (.dotx): only the content type of the main part differs."""
    with zipfile.ZipFile(docx_path) as source, zipfile.ZipFile(dotx_path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, blob)
    return dotx_path


# --------------------------------------------------------------------------------------------------
# openxml-audit: the schemas and rules of the Open XML SDK


def test_openxml_audit_finds_no_errors(drafts: Path, tmp_path: Path) -> None:
    """Every shipped draft, the special cases and drafts made with templates are valid Office 2019
    documents (schema order, relationships, ids, content types)."""
    audit = pytest.importorskip("openxml_audit", reason="openxml-audit fehlt (pip install -e '.[test]')")
    files = _docx_files(drafts)
    assert len(files) == 68
    special = (FIXTURES / "sonderfaelle.md").read_text(encoding="utf-8")
    (tmp_path / "sonderfaelle.docx").write_bytes(markdown_to_docx(special))
    bochum = (FIXTURES / "bochum.md").read_text(encoding="utf-8")
    vorlage = dejavu_vorlage(tmp_path / "vorlage.docx")
    (tmp_path / "mit-vorlage.docx").write_bytes(markdown_to_docx(bochum, vorlage=vorlage))
    plain = tmp_path / "python-docx.docx"
    docx.Document().save(str(plain))  # headings, a numbering part and stylesWithEffects of its own
    (tmp_path / "mit-python-docx.docx").write_bytes(markdown_to_docx(special, vorlage=plain))
    files += [tmp_path / n for n in ("sonderfaelle.docx", "mit-vorlage.docx", "mit-python-docx.docx")]

    validator = audit.OpenXmlValidator(max_errors=20)
    errors = {f.name: [str(e) for e in validator.validate(f).errors] for f in files}
    assert {name: found for name, found in errors.items() if found} == {}


# --------------------------------------------------------------------------------------------------
# other readers see the structure


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc fehlt")
def test_pandoc_reads_headings_and_list_items(drafts: Path) -> None:
    markdown = (drafts / f"{RUHR_BOCHUM}.md").read_text(encoding="utf-8")
    out = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "markdown", str(drafts / f"{RUHR_BOCHUM}.docx")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    headings = [re.sub(r"\s*\{[^}]*\}$", "", line) for line in out.splitlines() if line.startswith("#")]
    expected = [line for line in markdown.splitlines() if line.startswith("#")]
    assert [h.replace("--", "–") for h in headings] == expected  # pandoc writes an en dash as "--"
    bullets = [line[4:] for line in out.splitlines() if line.startswith("-   ")]
    assert bullets == [line[2:] for line in markdown.splitlines() if line.startswith("- ")]
    numbers = [line.split()[0] for line in out.splitlines() if re.match(r"\d+\.  ", line)]
    assert numbers == ["1.", "2.", "3.", "4.", "5."]  # the questions
    assert "•" not in out


def test_mammoth_reads_headings_and_list_items(drafts: Path) -> None:
    mammoth = pytest.importorskip("mammoth", reason="mammoth ist nicht installiert")
    with (drafts / f"{RUHR_BOCHUM}.docx").open("rb") as f:
        html = mammoth.convert_to_html(f).value
    assert [len(re.findall(f"<h{n}>", html)) for n in (1, 2, 3)] == [1, 2, 5]
    assert html.count("<li>") == 11 + 5  # bullets and questions


# --------------------------------------------------------------------------------------------------
# a template decides the look: LibreOffice renders it


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) fehlt")
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler (pdffonts) fehlt")
@pytest.mark.parametrize("suffix", [".docx", ".dotx"])
def test_libreoffice_renders_the_template(tmp_path: Path, suffix: str) -> None:
    from pypdf import PdfReader

    vorlage = dejavu_vorlage(tmp_path / "vorlage.docx")
    if suffix == ".dotx":
        vorlage = as_dotx(vorlage, tmp_path / "vorlage.dotx")
    assert check_vorlage(vorlage) == []
    source = tmp_path / "entwurf.docx"
    source.write_bytes(markdown_to_docx((FIXTURES / "bochum.md").read_text(encoding="utf-8"), vorlage=vorlage))
    soffice_convert("pdf", tmp_path, source, profile=tmp_path / "lo-profile")
    pdf = tmp_path / "entwurf.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSerif" in fonts
    assert "Arial" not in fonts and "LiberationSans" not in fonts
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(str(pdf)).pages]
    assert "Ministerium für Heimat" in pages[0] and RUNNING_HEADER not in pages[0]
    assert pages[1].startswith("Ministerium für Heimat")  # the template's header, then the running header
    assert RUNNING_HEADER.replace(" Wahlperiode", "") in pages[1] and "Drucksache" in pages[1]
    assert re.search(r"Drucksache\]\] 2 ", pages[1])  # the page number below the running header
