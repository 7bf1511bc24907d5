"""DOCX stage: Markdown draft → Word file in the layout of a Drucksache, and back to text."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, Twips

from anfrage.docx.text import docx_to_text
from anfrage.docx.writer import PLACEHOLDER_RE, STYLE_NAMES, check_vorlage, markdown_to_docx
from anfrage.errors import AnfrageError, UserError
from conftest import soffice_convert

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
BOCHUM = (FIXTURES / "bochum.md").read_text(encoding="utf-8")
SONDER = (FIXTURES / "sonderfaelle.md").read_text(encoding="utf-8")

FRONT = (
    "---\nwahlperiode: 17\ndrucksache: 17/4472\ndatum: 28.11.2018\ntitel: Titel\n"
    "ressort: Ministerium X\nantwortdatum: 2018-11-28\n---\n"
)

RUNNING_HEADER = "LANDTAG NORDRHEIN-WESTFALEN - 17. Wahlperiode"


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def bochum_bytes() -> bytes:
    return markdown_to_docx(BOCHUM)


@pytest.fixture(scope="module")
def bochum(bochum_bytes: bytes) -> docx.document.Document:
    return _open(bochum_bytes)


@pytest.fixture(scope="module")
def sonder() -> docx.document.Document:
    return _open(markdown_to_docx(SONDER))


def _body(markdown: str) -> str:
    return markdown.split("\n---\n", 1)[1]


def _paragraphs(doc: docx.document.Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs]


def _labels(doc: docx.document.Document) -> list[tuple[str, str, str]]:
    """(style name, list label as Word shows it, text) of the body paragraphs with numbering.

    Word's rule: the w:num instances of one w:abstractNum are one list; an instance with a
    w:startOverride starts anew where it is first used; a level starts anew after a higher level.
    """
    root = doc.part.numbering_part.element
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    levels = {}
    for an in root.iter(w + "abstractNum"):
        for lvl in an.iter(w + "lvl"):
            fmt, text = lvl.find(w + "numFmt").get(w + "val"), lvl.find(w + "lvlText").get(w + "val")
            levels[(an.get(w + "abstractNumId"), lvl.get(w + "ilvl"))] = (fmt, text)
    nums, starts = {}, {}
    for num in root.iter(w + "num"):
        nums[num.get(w + "numId")] = num.find(w + "abstractNumId").get(w + "val")
        for override in num.iter(w + "lvlOverride"):
            value = override.find(w + "startOverride").get(w + "val")
            starts[(num.get(w + "numId"), override.get(w + "ilvl"))] = int(value)
    counts, started, out = {}, set(), []
    for p in doc.paragraphs:
        num_pr = p._p.find(f"{w}pPr/{w}numPr")
        if num_pr is None:
            continue
        num_id, ilvl = num_pr.find(w + "numId").get(w + "val"), num_pr.find(w + "ilvl").get(w + "val")
        fmt, text = levels[(nums[num_id], ilvl)]
        count = counts.setdefault(nums[num_id], {})
        for deeper in [k for k in count if int(k) > int(ilvl)]:
            del count[deeper]
        if (num_id, ilvl) in starts and (num_id, ilvl) not in started:
            started.add((num_id, ilvl))
            count[ilvl] = starts[(num_id, ilvl)]
        else:
            count[ilvl] = count.get(ilvl, 0) + 1
        label = text if fmt == "bullet" else re.sub(r"%\d", str(count[ilvl]), text)
        out.append((p.style.name, label, p.text))
    return out


# --------------------------------------------------------------------------------------------------
# styles of the paragraphs


def test_title_block_and_headings(bochum: docx.document.Document) -> None:
    paras = _paragraphs(bochum)
    assert paras[0] == ("Titel Antwort", "Antwort der Landesregierung")
    assert paras[1][0] == "Titelblock"
    assert paras[1][1].split("\n") == [
        "auf die Kleine Anfrage 1640 vom 24. Oktober 2018",
        "der Abgeordneten Matthi Bolte-Richter und Mehrdad Mostofizadeh",
        "BÜNDNIS 90/DIE GRÜNEN",
        "Drucksache 17/[[ERGÄNZEN: Drucksache der Kleinen Anfrage]]",
    ]
    assert paras[2] == ("Titel Anfrage", "Wie unterstützt die Landesregierung die Digitalisierung in Bochum?")
    headings = [text for style, text in paras if style == "Zwischenüberschrift"]
    assert headings == ["Vorbemerkung der Kleinen Anfrage", "Vorbemerkung der Landesregierung"]
    sub = [text for style, text in paras if style == "Zwischenüberschrift 2"]
    assert sub == ["Handlungsfeld Vernetzte Mobilität – kurze Wege"]


def test_questions(bochum: docx.document.Document) -> None:
    paras = _paragraphs(bochum)
    questions = [(i, text) for i, (style, text) in enumerate(paras) if style == "Frage"]
    assert questions[0][1].startswith("Durch welche Maßnahmen wurde in Bochum seit 2015")
    # soft break inside the bold question → a space
    assert "gefördert? (Bitte einzeln nach Jahr" in questions[0][1]
    # questions 4 and 5 are answered together: two Frage paragraphs in a row
    assert questions[4][0] == questions[3][0] + 1
    assert paras[questions[4][0] + 1] == (
        "Antwort",
        "Zur Beantwortung der Fragen 4. und 5. wird auf die Vorbemerkung verwiesen.",
    )
    # the numbers are Word numbering (one list across the answers), not typed text
    labels = [(label, text) for style, label, text in _labels(bochum) if style == "Frage"]
    assert labels == [("1.", questions[0][1]), *((f"{n}.", questions[n - 1][1]) for n in range(2, 6))]
    num_ids = {p._p.pPr.numPr.numId.val for p in bochum.paragraphs if p.style.name == "Frage"}
    assert len(num_ids) == 1
    # the emphasis is the Frage style's: the runs carry no bold of their own
    for p in bochum.paragraphs:
        if p.style.name == "Frage":
            assert all(r.bold is None for r in p.runs)
    assert bochum.styles["Frage"].font.bold is True


def test_frage_style_has_hanging_indent_and_keeps_with_next(bochum: docx.document.Document) -> None:
    style = bochum.styles["Frage"]
    fmt = style.paragraph_format
    assert style.font.bold is True
    assert fmt.keep_with_next is True
    assert fmt.left_indent == Cm(0.75) or abs(fmt.left_indent - Cm(0.75)) < Cm(0.01)
    assert fmt.first_line_indent is not None and fmt.first_line_indent < 0
    assert abs(fmt.first_line_indent + fmt.left_indent) < Cm(0.01)


def test_answers_links_and_bullets(bochum: docx.document.Document) -> None:
    paras = _paragraphs(bochum)
    assert ("Antwort", "Auf die Ausführungen in der Vorbemerkung wird hingewiesen.") in paras
    bullets = [(label, text) for style, label, text in _labels(bochum) if style == "Aufzählung"]
    assert bullets == [
        ("•", "Breitbandausbau und Mobilfunkversorgung"),
        ("•", "Beratung, Vernetzung und Qualifizierung im Mittelstand"),
        ("•", "Finanzierung von Digitalisierungsvorhaben über die NRW.BANK"),
        ("•", "Digitale Modellregionen für E-Government und Smart City"),
    ]
    links = [text for style, text in paras if style == "Link"]
    assert "https://www.ptj.de/innovationsgutschein" in links
    # two autolinks joined by a hard break: one Link paragraph with a line break
    assert (
        "https://www.bb-nrw.de/de/index.html\nhttps://www.pwc.de/de/offentliche-unternehmen/"
        "landesbuergschaften-nordrhein-westfalen.html"
    ) in links


def test_numbering_definitions(bochum_bytes: bytes) -> None:
    """numbering.xml: one abstractNum per kind of marker, every abstractNum before the nums, the
    list levels indented like the paragraph style (0.75 cm hanging, one step more per level)."""
    with zipfile.ZipFile(io.BytesIO(bochum_bytes)) as z:
        xml = z.read("word/numbering.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "relationships/numbering" in rels
    assert xml.count("<w:abstractNum ") == 2  # bullets, questions
    assert xml.rindex("<w:abstractNum ") < xml.index("<w:num ")
    assert '<w:lvlText w:val="%1."/>' in xml and '<w:lvlText w:val="•"/>' in xml
    assert '<w:ind w:left="425" w:hanging="425"/>' in xml and '<w:ind w:left="850" w:hanging="425"/>' in xml
    assert '<w:startOverride w:val="1"/>' in xml


def test_headings_are_based_on_the_built_in_headings(bochum: docx.document.Document) -> None:
    """Word's navigation pane, pandoc and mammoth see headings: styles based on "heading 1"–"3"
    with an outline level, ids Heading1–3, German names."""
    for name, level in (("Titel Antwort", 1), ("Zwischenüberschrift", 2), ("Zwischenüberschrift 2", 3)):
        style = bochum.styles[name]
        assert style.style_id == f"Heading{level}"
        assert style.base_style is not None and style.base_style.name == f"Heading {level}"
        outline = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        assert outline is not None and outline.get(qn("w:val")) == str(level - 1)
        assert style.font.bold is True


def test_word_2013_document(bochum_bytes: bytes) -> None:
    """compatibilityMode 15: Word opens the file without "Kompatibilitätsmodus"."""
    with zipfile.ZipFile(io.BytesIO(bochum_bytes)) as z:
        settings = z.read("word/settings.xml").decode("utf-8")
    assert re.findall(r'w:name="compatibilityMode" w:uri="[^"]+" w:val="(\d+)"', settings) == ["15"]


def test_every_paragraph_has_a_named_style(bochum_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(bochum_bytes)) as z:
        for name in z.namelist():
            if not re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", name):
                continue
            xml = z.read(name).decode("utf-8")
            assert xml.count("<w:p>") + xml.count("<w:p ") == xml.count("<w:pStyle "), name
    doc = _open(bochum_bytes)
    allowed = set(STYLE_NAMES) | {"Header"}
    for p in doc.paragraphs:
        assert p.style.name in allowed
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    assert p.style.name in {"Kopf", "Tabelle Text"}


def _effective(doc: docx.document.Document, style_name: str, tag: str) -> str | None:
    """The w:val (or w:ascii for rFonts) a style gets for ``tag``: its own, its bases', the defaults'."""
    attr = qn("w:ascii") if tag == "rFonts" else qn("w:val")
    style = doc.styles[style_name]
    while style is not None:
        found = style.element.find(f"{qn('w:rPr')}/{qn('w:' + tag)}")
        if found is not None:
            return found.get(attr)
        style = style.base_style
    default = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:' + tag)}")
    return default.get(attr) if default is not None else None


def test_all_styles_exist_with_arial_11(bochum: docx.document.Document, bochum_bytes: bytes) -> None:
    """Arial 11 pt is the document default, and the styles inherit it: none names a font."""
    for name in STYLE_NAMES:
        lookup = "Header" if name == "header" else name
        style = bochum.styles[lookup]
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            assert _effective(bochum, lookup, "rFonts") == "Arial", name
            expected = "28" if name == "Titel Antwort" else "22"
            assert _effective(bochum, lookup, "sz") == expected, name
    assert bochum.styles["Platzhalter"].type == WD_STYLE_TYPE.CHARACTER
    assert bochum.styles["Hyperlink"].type == WD_STYLE_TYPE.CHARACTER
    assert bochum.styles["Tabelle Drucksache"].type == WD_STYLE_TYPE.TABLE
    with zipfile.ZipFile(io.BytesIO(bochum_bytes)) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    assert styles.count("Arial") == 4  # the four font attributes of w:docDefaults, nothing else


def test_page_setup_is_a4(bochum: docx.document.Document) -> None:
    section = bochum.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert abs(section.left_margin - Cm(2.5)) < Cm(0.01)
    assert abs(section.right_margin - Cm(2.5)) < Cm(0.01)


# --------------------------------------------------------------------------------------------------
# page 1 block and running header


def test_page1_block(bochum: docx.document.Document) -> None:
    kopf = bochum.tables[0]
    left, right = kopf.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["LANDTAG NORDRHEIN-WESTFALEN", "17. Wahlperiode"]
    assert [p.text for p in right.paragraphs] == [
        "Drucksache 17/[[ERGÄNZEN: Nummer der Antwort-Drucksache]]",
        "28.11.2018",
    ]
    assert {p.style.name for p in left.paragraphs + right.paragraphs} == {"Kopf"}
    body = bochum.element.body
    assert body[0].tag == qn("w:tbl")  # the block comes first on page 1


def test_running_header_from_page_2(bochum: docx.document.Document) -> None:
    section = bochum.sections[0]
    assert section.different_first_page_header_footer is True
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert "".join(p.text for p in first.paragraphs).strip() == ""
    assert not first.tables
    header = section.header
    cells = header.tables[0].rows[0].cells
    assert cells[0].text == RUNNING_HEADER
    assert cells[1].text == "Drucksache 17/[[ERGÄNZEN: Nummer der Antwort-Drucksache]]"
    fields = header.part.element.findall(f".//{qn('w:fldSimple')}")
    assert [f.get(qn("w:instr")).strip() for f in fields] == ["PAGE"]
    for p in header.paragraphs:
        assert p.style.name == "Header"


# --------------------------------------------------------------------------------------------------
# inline content


def test_placeholders_are_highlighted_runs(bochum: docx.document.Document) -> None:
    expected = [m.group() for m in PLACEHOLDER_RE.finditer(_body(BOCHUM))]
    found = []
    for p in bochum.paragraphs:
        found += [r.text for r in p.runs if r.style.name == "Platzhalter"]
    for table in bochum.tables[1:]:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    found += [r.text for r in p.runs if r.style.name == "Platzhalter"]
    assert sorted(found) == sorted(expected)
    assert len(expected) == 4
    rpr = bochum.styles["Platzhalter"].element.find(qn("w:rPr"))
    assert rpr.find(qn("w:shd")).get(qn("w:fill")) == "FFFF00"  # w:highlight is not allowed in a style


def _hyperlinks(doc: docx.document.Document) -> list[tuple[str, str, str]]:
    out = []
    for link in doc.element.body.iter(qn("w:hyperlink")):
        rel = doc.part.rels[link.get(qn("r:id"))]
        assert rel.is_external
        text = "".join(t.text for t in link.iter(qn("w:t")))
        styles = {rs.get(qn("w:val")) for rs in link.iter(qn("w:rStyle"))}
        out.append((rel.target_ref, text, ",".join(sorted(styles))))
    return out


def test_hyperlinks_are_real_links(bochum: docx.document.Document) -> None:
    links = _hyperlinks(bochum)
    expected = re.findall(r"<(https?://[^>]+)>", _body(BOCHUM))
    assert [target for target, _, _ in links] == expected
    for target, text, style in links:
        assert text == target
        assert style == "Hyperlink"
    rels_xml = bochum.part.rels.xml.decode("utf-8")
    assert 'TargetMode="External"' in rels_xml


def test_tables(bochum: docx.document.Document) -> None:
    table = bochum.tables[1]
    assert table.style.name == "Tabelle Drucksache"
    rows = table.rows
    assert [c.text for c in rows[0].cells] == ["Projekt [ID-Nr.]", "Lokaler Bezug des Projektes zu Bochum"]
    assert (
        rows[1]
        .cells[0]
        .text.startswith("ÖPNV-Initiative: Stärkung des Regional- und Nahverkehrs im Ruhrgebiet [13-01] – Teilprojekt")
    )
    assert rows[-1].cells[1].text.endswith("[[PRÜFEN: Stand der Förderung]]")
    assert len(rows) == 8
    for i, row in enumerate(rows):
        tr_pr = row._tr.trPr
        assert tr_pr.find(qn("w:cantSplit")) is not None
        assert (tr_pr.find(qn("w:tblHeader")) is not None) == (i == 0)
        for cell in row.cells:
            for p in cell.paragraphs:
                assert p.style.name == "Tabelle Text"
                if i == 0:
                    assert all(r.bold for r in p.runs)
    borders = bochum.styles["Tabelle Drucksache"].element.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
    assert borders is not None and len(borders) == 6


def test_special_cases(sonder: docx.document.Document) -> None:
    paras = _paragraphs(sonder)
    texts = [t for _, t in paras]
    assert paras[1] == ("Titel Anfrage", "Titel ohne Titelblock")
    escaped = next(t for t in texts if t.startswith("Escapes:"))
    assert "*kein Fett*, _kein Kursiv_, `kein Code`, Backslash \\ und [eckig]." in escaped
    assert "Entitäten: & <tag> © und ein" in escaped
    assert "Ein Link mit Text mitten im Satz. Hart\numbrochen." in escaped
    labels = _labels(sonder)
    questions = [(label, t) for s, label, t in labels if s == "Frage"]
    assert questions == [("1)", "Frage mit Klammer-Nummer?"), ("7.", "Frage sieben?"), ("8.", "Frage acht?")]
    listed = [(label, t) for s, label, t in labels if s == "Aufzählung"]
    assert listed[:2] == [("1.", "Ein gewöhnlicher Listenpunkt"), ("2.", "Mit teilweise fettem Text")]
    assert ("•", "verschachtelt eins") in listed
    further = next(p for p in sonder.paragraphs if p.text == "mit zweitem Absatz")
    assert further.style.name == "Aufzählung" and further._p.pPr.numPr is None  # aligned, no number
    assert further.paragraph_format.left_indent == Twips(850)
    assert "eingerückter Code\nzweite Zeile" in texts
    assert ("Zwischenüberschrift 2", "Vierte Ebene") in paras
    assert ("Antwort", "<div>HTML bleibt Text</div>") in paras
    targets = [t for t, _, _ in _hyperlinks(sonder)]
    assert "https://www.land.nrw/de" in targets
    assert "https://example.org/a_b?c=d&e=f" in targets
    # two tables in a row are kept apart by a paragraph (Word would merge them)
    body = list(sonder.element.body)
    tbl_positions = [i for i, el in enumerate(body) if el.tag == qn("w:tbl")]
    assert len(tbl_positions) == 3
    assert tbl_positions[2] - tbl_positions[1] == 2
    right = sonder.tables[1].rows[1].cells[1].paragraphs[0]
    assert right.alignment is not None and right.alignment.name == "RIGHT"
    # a placeholder with emphasis inside stays one highlighted stretch of three runs
    marked = [(r.text, bool(r.italic)) for p in sonder.paragraphs for r in p.runs if r.style.name == "Platzhalter"]
    assert marked == [
        ("[[MUSTERTEXT: Mustertext für ", False),
        ("Region", True),
        ("]]", False),
        ("[[PRÜFEN: Betrag]]", False),
    ]


def test_front_matter_only_gives_a_valid_docx() -> None:
    doc = _open(markdown_to_docx(FRONT))
    assert len(doc.tables) == 1  # the page-1 block
    assert doc.sections[0].header.tables[0].rows[0].cells[1].text == "Drucksache 17/4472"


# --------------------------------------------------------------------------------------------------
# reproducibility and metadata


def test_core_properties(bochum: docx.document.Document) -> None:
    cp = bochum.core_properties
    midnight = dt.datetime(2018, 11, 28, tzinfo=dt.UTC)
    assert cp.title == "Wie unterstützt die Landesregierung die Digitalisierung in Bochum?"
    assert cp.author == "Ministerium für Wirtschaft, Innovation, Digitalisierung und Energie"
    assert cp.last_modified_by == cp.author
    assert cp.created == midnight
    assert cp.modified == midnight
    assert cp.revision == 1
    assert cp.comments == "" and cp.keywords == "" and cp.subject == ""


def test_same_input_same_bytes(bochum_bytes: bytes) -> None:
    again = markdown_to_docx(BOCHUM)
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(bochum_bytes).hexdigest()
    with zipfile.ZipFile(io.BytesIO(bochum_bytes)) as z:
        infos = z.infolist()
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert [i.filename for i in infos[:2]] == ["[Content_Types].xml", "_rels/.rels"]
        names = [i.filename for i in infos[2:]]
        assert names == sorted(names)
        assert not any("thumbnail" in n or "customXml" in n for n in z.namelist())


def test_same_bytes_in_another_process(bochum_bytes: bytes) -> None:
    code = (
        "import hashlib, sys; from pathlib import Path; from anfrage.docx.writer import markdown_to_docx;"
        "md = Path(sys.argv[1]).read_text(encoding='utf-8');"
        "print(hashlib.sha256(markdown_to_docx(md)).hexdigest())"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run(
        [sys.executable, "-c", code, str(FIXTURES / "bochum.md")], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == hashlib.sha256(bochum_bytes).hexdigest()


def test_fresh_base_document_gives_same_bytes(monkeypatch: pytest.MonkeyPatch, bochum_bytes: bytes) -> None:
    """The deep-copied base document writes exactly what a freshly opened one writes."""
    from anfrage.docx import package as docx_package
    from anfrage.docx import writer as docx_writer

    monkeypatch.setattr(docx_writer, "new_document", lambda: docx.Document(io.BytesIO(docx_package.base_docx())))
    assert markdown_to_docx(BOCHUM) == bochum_bytes


# --------------------------------------------------------------------------------------------------
# vorlage (reference document)


def _make_vorlage(path: Path, *, header: str | None = None) -> Path:
    v = docx.Document()
    style = v.styles.add_style("Antwort", WD_STYLE_TYPE.PARAGRAPH)
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    v.add_paragraph("Inhalt der Vorlage, der nicht in den Entwurf gehört")
    v.add_table(rows=1, cols=1).cell(0, 0).text = "Tabelle der Vorlage"
    if header is not None:
        v.sections[0].header.paragraphs[0].text = header
    v.save(str(path))
    return path


def _as_dotx(docx_path: Path, dotx_path: Path) -> Path:
    """The same package as a Word template (.dotx): only the content type of the main part differs."""
    with zipfile.ZipFile(docx_path) as source, zipfile.ZipFile(dotx_path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, blob)
    return dotx_path


def _dejavu_vorlage(path: Path) -> Path:
    """A ministry template whose Normal is DejaVu Serif 12 pt (document defaults included), nothing else."""
    v = docx.Document()
    normal = v.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(12)
    fonts = normal.element.rPr.rFonts
    for attr in ("w:eastAsia", "w:cs"):
        fonts.set(qn(attr), "DejaVu Serif")
    defaults = v.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for child in list(defaults):
        if child.tag == qn("w:rFonts"):
            defaults.remove(child)
    if path.suffix == ".dotx":
        v.save(str(path.with_suffix(".docx")))
        return _as_dotx(path.with_suffix(".docx"), path)
    v.save(str(path))
    return path


def _xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def test_vorlage_keeps_its_styles_and_page_setup(tmp_path: Path) -> None:
    vorlage = _make_vorlage(tmp_path / "vorlage.docx")
    assert check_vorlage(vorlage) == []
    data = markdown_to_docx(BOCHUM, vorlage=vorlage)
    doc = _open(data)
    assert doc.styles["Antwort"].font.name == "Times New Roman"
    assert doc.styles["Antwort"].font.size == Pt(12)
    frage = doc.styles["Frage"]  # created, because the vorlage lacks it: based on its Normal, no font of its own
    assert frage.base_style.name == "Normal" and frage.font.name is None and frage.font.size is None
    assert frage.font.bold is True
    assert abs(doc.sections[0].page_width - Cm(21.59)) < Cm(0.01)  # Letter, as in the vorlage
    text = docx_to_text(data)
    assert "Vorlage" not in text
    assert RUNNING_HEADER in text
    assert markdown_to_docx(BOCHUM, vorlage=vorlage) == data
    assert "Arial" not in _xml(data, "word/styles.xml")
    assert re.findall(r'w:name="compatibilityMode" w:uri="[^"]+" w:val="(\d+)"', _xml(data, "word/settings.xml")) == [
        "15"
    ]


def test_vorlage_with_own_header_is_combined_with_the_running_header(tmp_path: Path) -> None:
    """The vorlage's header stays; the running header and page number follow it from page 2 on, and
    page 1 shows the vorlage's header without them."""
    vorlage = _make_vorlage(tmp_path / "vorlage.docx", header="Ministerium – Entwurf")
    assert check_vorlage(vorlage) == []
    text = docx_to_text(markdown_to_docx(BOCHUM, vorlage=vorlage))
    assert text.splitlines()[:4] == [
        "[Kopfzeile erste Seite] Ministerium – Entwurf",
        "[Kopfzeile] Ministerium – Entwurf",
        f"[Kopfzeile] {RUNNING_HEADER} | Drucksache 17/[[ERGÄNZEN: Nummer der Antwort-Drucksache]]",
        "[Kopfzeile] {PAGE}",
    ]


def test_vorlage_that_numbers_its_pages_keeps_its_numbers(tmp_path: Path) -> None:
    """A footer "Seite X" of the vorlage: the running header gets no second page number, and the
    clerk is told so."""
    v = docx.Document()
    footer = v.sections[0].footer.paragraphs[0]
    footer.add_run("Seite ")
    footer._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    vorlage = tmp_path / "seiten.docx"
    v.save(str(vorlage))
    (warning,) = check_vorlage(vorlage)
    assert "seiten.docx" in warning and "Seitenzahl" in warning
    data = markdown_to_docx(BOCHUM, vorlage=vorlage)
    lines = docx_to_text(data).splitlines()
    assert "[Fußzeile] Seite {PAGE}" in lines and "[Fußzeile erste Seite] Seite {PAGE}" in lines
    assert "[Kopfzeile] {PAGE}" not in lines
    assert any(line.startswith(f"[Kopfzeile] {RUNNING_HEADER}") for line in lines)


def test_vorlage_with_sections_and_even_pages(tmp_path: Path) -> None:
    """The last section's headers, also those it takes over from the section before it, and the
    even-page header get the running header; the clerk is told that only the last section counts."""
    v = docx.Document()
    v.settings.odd_and_even_pages_header_footer = True
    v.sections[0].header.paragraphs[0].text = "Ungerade Seite"
    v.sections[0].even_page_header.paragraphs[0].text = "Gerade Seite"
    v.add_paragraph("Abschnitt 1")
    v.add_section()
    v.add_paragraph("Abschnitt 2")
    vorlage = tmp_path / "abschnitte.docx"
    v.save(str(vorlage))
    (warning,) = check_vorlage(vorlage)
    assert "2 Abschnitte" in warning
    running = f"{RUNNING_HEADER} | Drucksache 17/[[ERGÄNZEN: Nummer der Antwort-Drucksache]]"
    assert docx_to_text(markdown_to_docx(BOCHUM, vorlage=vorlage)).splitlines()[:7] == [
        "[Kopfzeile erste Seite] Ungerade Seite",
        "[Kopfzeile] Ungerade Seite",
        f"[Kopfzeile] {running}",
        "[Kopfzeile] {PAGE}",
        "[Kopfzeile gerade Seiten] Gerade Seite",
        f"[Kopfzeile gerade Seiten] {running}",
        "[Kopfzeile gerade Seiten] {PAGE}",
    ]


@pytest.mark.parametrize("suffix", [".docx", ".dotx"])
def test_vorlage_decides_the_font(tmp_path: Path, suffix: str) -> None:
    """Normal in DejaVu Serif 12 pt: no Arial anywhere, the created styles follow Normal (the title
    3 pt larger), and the running header with page number stays. A .dotx works like a .docx."""
    vorlage = _dejavu_vorlage(tmp_path / f"ministerium{suffix}")
    assert check_vorlage(vorlage) == []
    data = markdown_to_docx(BOCHUM, vorlage=vorlage)
    assert "Arial" not in _xml(data, "word/styles.xml")
    assert "Arial" not in _xml(data, "word/document.xml")
    assert "document.main+xml" in _xml(data, "[Content_Types].xml")
    doc = _open(data)
    assert _effective(doc, "Frage", "rFonts") == "DejaVu Serif"
    assert _effective(doc, "Zwischenüberschrift", "rFonts") == "DejaVu Serif"
    assert _effective(doc, "Antwort", "sz") == "24"
    assert _effective(doc, "Titel Antwort", "sz") == "30"
    header = doc.sections[0].header
    assert header.tables[0].rows[0].cells[0].text == RUNNING_HEADER
    fields = header.part.element.findall(f".//{qn('w:fldSimple')}")
    assert [f.get(qn("w:instr")).strip() for f in fields] == ["PAGE"]
    assert doc.sections[0].different_first_page_header_footer


def test_vorlage_styles_are_used_as_they_are(tmp_path: Path) -> None:
    """A vorlage's Frage that is not bold gives questions that are not bold (no bold on the runs);
    its blue, numbered heading 2 is only the base of the created Zwischenüberschrift, whose look
    is the vorlage's Normal."""
    v = docx.Document()
    frage = v.styles.add_style("Frage", WD_STYLE_TYPE.PARAGRAPH)
    frage.font.bold = False
    frage.font.name = "DejaVu Sans"
    heading = v.styles["Heading 2"]
    heading.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr>')
    )
    vorlage = tmp_path / "frage.docx"
    v.save(str(vorlage))
    doc = _open(markdown_to_docx(BOCHUM, vorlage=vorlage))
    assert doc.styles["Frage"].font.bold is False and doc.styles["Frage"].font.name == "DejaVu Sans"
    questions = [p for p in doc.paragraphs if p.style.name == "Frage"]
    assert len(questions) == 5 and all(r.bold is None for p in questions for r in p.runs)
    sub = doc.styles["Zwischenüberschrift"]
    assert sub.base_style.name == "Heading 2" and sub.style_id == "Zwischenueberschrift"  # Heading2 is taken
    assert sub.font.color.rgb is None  # "auto", not the heading's blue
    rfonts = sub.element.rPr.rFonts
    assert rfonts.get(qn("w:asciiTheme")) == "minorHAnsi"  # Normal's font, not the heading's major font
    num_id = sub.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    assert num_id.get(qn("w:val")) == "0"  # the heading's numbering is switched off


def test_vorlage_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="nicht gefunden"):
        markdown_to_docx(BOCHUM, vorlage=tmp_path / "fehlt.docx")
    kaputt = tmp_path / "kaputt.docx"
    kaputt.write_bytes(b"kein zip")
    with pytest.raises(UserError, match="keine lesbare Word-Datei"):
        markdown_to_docx(BOCHUM, vorlage=kaputt)


# --------------------------------------------------------------------------------------------------
# docx_to_text


def test_docx_to_text(bochum_bytes: bytes, tmp_path: Path) -> None:
    text = docx_to_text(bochum_bytes)
    lines = text.splitlines()
    assert lines[0] == (f"[Kopfzeile] {RUNNING_HEADER} | Drucksache 17/[[ERGÄNZEN: Nummer der Antwort-Drucksache]]")
    assert lines[1] == "[Kopfzeile] {PAGE}"
    assert lines[2] == (
        "LANDTAG NORDRHEIN-WESTFALEN 17. Wahlperiode | "
        "Drucksache 17/[[ERGÄNZEN: Nummer der Antwort-Drucksache]] 28.11.2018"
    )
    assert lines[3] == "Antwort der Landesregierung"
    assert lines[4] == "auf die Kleine Anfrage 1640 vom 24. Oktober 2018"
    assert "Projekt [ID-Nr.] | Lokaler Bezug des Projektes zu Bochum" in lines
    assert any(line.startswith("Hat die Landesregierung Kenntnis") for line in lines)  # its "5." is numbering
    assert text.endswith("Zur Beantwortung der Fragen 4. und 5. wird auf die Vorbemerkung verwiesen.\n")
    path = tmp_path / "entwurf.docx"
    path.write_bytes(bochum_bytes)
    assert docx_to_text(path) == text
    assert docx_to_text(str(path)) == text


def test_docx_to_text_of_a_foreign_docx() -> None:
    """Word writes page numbers as complex fields and wraps content in content controls."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = docx.Document()
    doc.add_paragraph("Erster Absatz")
    body = doc.element.body
    body.insert(
        1,
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>Im Inhaltssteuerelement</w:t></w:r>"
            "</w:p></w:sdtContent></w:sdt>"
        ),
    )
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    header.part.element.append(
        parse_xml(
            f'<w:p {nsdecls("w")}><w:r><w:t xml:space="preserve">Seite </w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> von 9</w:t></w:r>'
            "<w:r><w:delText>gelöscht</w:delText></w:r></w:p>"
        )
    )
    buf = io.BytesIO()
    doc.save(buf)
    assert docx_to_text(buf.getvalue()) == ("[Kopfzeile] Seite {PAGE} von 9\nErster Absatz\nIm Inhaltssteuerelement\n")


def test_docx_to_text_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        docx_to_text(b"kein zip")
    with pytest.raises(UserError, match="gibt es nicht"):
        docx_to_text(tmp_path / "fehlt.docx")


# --------------------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("# Ohne Vorspann\n", "Vorspann"),
        ("---\nwahlperiode: 17\n---\n", "fehlt: drucksache, datum, titel, ressort."),
        (FRONT.replace("17/4472", "17/[[ERGÄNZEN: Nummer]]"), "kein gültiges YAML"),
        (FRONT.replace("2018-11-28", "28.11.2018"), "antwortdatum"),
        (FRONT.replace("titel: Titel", "titel: [a, b]"), "titel"),
        (FRONT + "Text\n\nmit \x07 Klingel\n", "Zeile 11"),
        (FRONT + "Seitenvorschub als Zeichenreferenz &#12;\n", "U\\+000C"),
        ("---\n- a\n---\n", "schlüssel: wert"),
    ],
)
def test_user_errors(markdown: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        markdown_to_docx(markdown)


def test_crlf_and_bom_are_accepted() -> None:
    md = "\ufeff" + FRONT.replace("\n", "\r\n") + "Ein Satz.\r\nZweiter Satz.\r\n"
    doc = _open(markdown_to_docx(md))
    assert doc.paragraphs[-1].text == "Ein Satz. Zweiter Satz."


@pytest.mark.parametrize(
    "body",
    [
        "[" * 500,
        "> " * 300 + "x",
        "- " * 300 + "x",
        "**" * 300,
        "|a|\n|-|\n" * 50,
        "1. **x**\n" * 50,
        "[[ERGÄNZEN: [[PRÜFEN: x]]]]",
        "<https://x.de/\u00e4>",
        "\t\t**\t**",
    ],
)
def test_odd_markdown_gives_valid_docx(body: str) -> None:
    try:
        data = markdown_to_docx(FRONT + body + "\n")
    except AnfrageError:  # pragma: no cover - acceptable, but none of these should need it
        pytest.fail("unexpected error")
    docx_to_text(data)


# --------------------------------------------------------------------------------------------------
# LibreOffice: the real page layout


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) fehlt")
def test_libreoffice_pages(tmp_path: Path, bochum_bytes: bytes) -> None:
    from pypdf import PdfReader

    source = tmp_path / "bochum.docx"
    source.write_bytes(bochum_bytes)
    soffice_convert("pdf", tmp_path, source, profile=tmp_path / "lo-profile")
    reader = PdfReader(str(tmp_path / "bochum.pdf"))
    assert len(reader.pages) >= 3
    page1 = reader.pages[0].extract_text()
    page2 = reader.pages[1].extract_text()
    assert "LANDTAG NORDRHEIN-WESTFALEN" in page1  # the page-1 block …
    assert RUNNING_HEADER not in page1  # … but no running header
    assert "Antwort der Landesregierung" in page1
    assert RUNNING_HEADER in page2
    assert re.search(r"(^|\n)\s*2\s*(\n|$)", page2)
    # the table header row repeats on the page where the table continues
    header_row = "Lokaler Bezug des Projektes zu Bochum"
    pages_with_header = [i for i, page in enumerate(reader.pages) if header_row in page.extract_text()]
    assert len(pages_with_header) >= 2
