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
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from anfrage.docx.text import docx_to_text
from anfrage.docx.writer import PLACEHOLDER_RE, STYLE_NAMES, markdown_to_docx
from anfrage.errors import AnfrageError, UserError

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
    assert [text.split("\t")[0] for _, text in questions] == ["1.", "2.", "3.", "4.", "5."]
    assert questions[0][1].startswith("1.\tDurch welche Maßnahmen wurde in Bochum seit 2015")
    # soft break inside the bold question → a space
    assert "gefördert? (Bitte einzeln nach Jahr" in questions[0][1]
    # questions 4 and 5 are answered together: two Frage paragraphs in a row
    assert questions[4][0] == questions[3][0] + 1
    assert paras[questions[4][0] + 1] == (
        "Antwort",
        "Zur Beantwortung der Fragen 4. und 5. wird auf die Vorbemerkung verwiesen.",
    )
    for p in bochum.paragraphs:
        if p.style.name == "Frage":
            text_runs = [r for r in p.runs if r.text.strip() and not r.text.endswith("\t")]
            assert text_runs and all(r.bold for r in text_runs)


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
    bullets = [text for style, text in paras if style == "Aufzählung"]
    assert bullets == [
        "•\tBreitbandausbau und Mobilfunkversorgung",
        "•\tBeratung, Vernetzung und Qualifizierung im Mittelstand",
        "•\tFinanzierung von Digitalisierungsvorhaben über die NRW.BANK",
        "•\tDigitale Modellregionen für E-Government und Smart City",
    ]
    links = [text for style, text in paras if style == "Link"]
    assert "https://www.ptj.de/innovationsgutschein" in links
    # two autolinks joined by a hard break: one Link paragraph with a line break
    assert (
        "https://www.bb-nrw.de/de/index.html\nhttps://www.pwc.de/de/offentliche-unternehmen/"
        "landesbuergschaften-nordrhein-westfalen.html"
    ) in links


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


def test_all_styles_exist_with_arial_11(bochum: docx.document.Document) -> None:
    for name in STYLE_NAMES:
        lookup = "Header" if name == "header" else name
        style = bochum.styles[lookup]
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.TABLE):
            assert style.font.name == "Arial", name
            expected = Pt(14) if name == "Titel Antwort" else Pt(11)
            assert style.font.size == expected, name
    assert bochum.styles["Platzhalter"].type == WD_STYLE_TYPE.CHARACTER
    assert bochum.styles["Hyperlink"].type == WD_STYLE_TYPE.CHARACTER
    assert bochum.styles["Tabelle Drucksache"].type == WD_STYLE_TYPE.TABLE


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
    assert rpr.find(qn("w:highlight")).get(qn("w:val")) == "yellow"


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
    questions = [t for s, t in paras if s == "Frage"]
    assert questions == ["1)\tFrage mit Klammer-Nummer?", "7.\tFrage sieben?", "8.\tFrage acht?"]
    listed = [t for s, t in paras if s == "Aufzählung"]
    assert listed[:2] == ["1.\tEin gewöhnlicher Listenpunkt", "2.\tMit teilweise fettem Text"]
    assert "•\tverschachtelt eins" in listed
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


def test_vorlage_keeps_its_styles_and_page_setup(tmp_path: Path) -> None:
    vorlage = _make_vorlage(tmp_path / "vorlage.docx")
    data = markdown_to_docx(BOCHUM, vorlage=vorlage)
    doc = _open(data)
    assert doc.styles["Antwort"].font.name == "Times New Roman"
    assert doc.styles["Antwort"].font.size == Pt(12)
    assert doc.styles["Frage"].font.name == "Arial"  # created, because the vorlage lacks it
    assert abs(doc.sections[0].page_width - Cm(21.59)) < Cm(0.01)  # Letter, as in the vorlage
    text = docx_to_text(data)
    assert "Vorlage" not in text
    assert RUNNING_HEADER in text
    assert markdown_to_docx(BOCHUM, vorlage=vorlage) == data


def test_vorlage_with_own_header_keeps_it(tmp_path: Path) -> None:
    vorlage = _make_vorlage(tmp_path / "vorlage.docx", header="Ministerium – Entwurf")
    text = docx_to_text(markdown_to_docx(BOCHUM, vorlage=vorlage))
    assert text.splitlines()[0] == "[Kopfzeile] Ministerium – Entwurf"
    assert RUNNING_HEADER not in text


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
    assert any(line.startswith("5.\tHat die Landesregierung Kenntnis") for line in lines)
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
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
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
