"""Reading a DOCX back into the draft Markdown: lossless for anfrage's own files, edits made in Word
come back as exactly those Markdown changes, tracked changes and comments are never taken silently."""

from __future__ import annotations

import copy
import io
import random
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from lxml import etree

from anfrage.docx.reader import KNOWN_STYLE_NAMES, comments, docx_to_markdown, revisions
from anfrage.docx.text import docx_to_text
from anfrage.docx.writer import STYLE_NAMES, markdown_to_docx
from anfrage.draft import front_matter_block
from anfrage.errors import UserError
from conftest import soffice_convert

BOCHUM = "digitalisierung-2018-bochum"
RUHR_BOCHUM = "ruhrkonferenz-2020-bochum"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="session")
def drafts(shipped_drafts: Path) -> Path:
    """The 68 shipped drafts (53 + 15), each as .md and .docx, written by the CLI."""
    return shipped_drafts


def names(drafts: Path) -> list[str]:
    return sorted(
        p.stem
        for p in drafts.glob("*.md")
        if ".bearbeitet-" not in p.name and not p.name.endswith("-bericht.md") and p.with_suffix(".docx").exists()
    )


def front(markdown: str) -> str:
    """The front matter block of a draft, delimiters included."""
    _, body, _ = front_matter_block(markdown)
    return markdown[: len(markdown) - len(body)]


def load(drafts: Path, name: str) -> tuple[str, bytes]:
    return (drafts / f"{name}.md").read_text(encoding="utf-8"), (drafts / f"{name}.docx").read_bytes()


def edit(data: bytes, change: Callable[[docx.document.Document], None]) -> bytes:
    """Open a DOCX with python-docx, apply ``change``, return the saved bytes."""
    document = docx.Document(io.BytesIO(data))
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraph(document: docx.document.Document, start: str) -> Paragraph:
    for p in document.paragraphs:
        if p.text.startswith(start):
            return p
    raise AssertionError(f"no paragraph starts with {start!r}")


def replace_line(markdown: str, old: str, new: str) -> str:
    """``markdown`` with the first line ``old`` replaced by ``new``."""
    assert f"\n{old}\n" in markdown, old
    return markdown.replace(f"\n{old}\n", f"\n{new}\n", 1)


# --------------------------------------------------------------------------------------------------
# lossless


def test_all_68_drafts_read_back_byte_for_byte(drafts: Path) -> None:
    found = names(drafts)
    assert len(found) == 68
    differ = []
    started = time.perf_counter()
    for name in found:
        markdown, data = load(drafts, name)
        if docx_to_markdown(data, front_matter=front(markdown)) != markdown:
            differ.append(name)
    elapsed = time.perf_counter() - started
    assert differ == []
    assert elapsed < 3.0, f"reading 68 drafts back took {elapsed:.2f} s"


def test_path_and_whole_draft_as_front_matter(drafts: Path) -> None:
    markdown, _ = load(drafts, BOCHUM)
    path = drafts / f"{BOCHUM}.docx"
    assert docx_to_markdown(path, front_matter=markdown) == markdown  # the whole draft is fine too
    _, body, _ = front_matter_block(markdown)
    assert docx_to_markdown(path, front_matter="") == body.lstrip("\n")


def test_front_matter_rebuilt_from_the_docx(drafts: Path) -> None:
    """Without the front matter: what the DOCX gives (page-1 block, document properties)."""
    for name in (BOCHUM, RUHR_BOCHUM):
        markdown, data = load(drafts, name)
        raw, body, _ = front_matter_block(markdown)
        assert raw is not None
        known = ("wahlperiode", "drucksache", "datum", "titel", "ressort", "antwortdatum")
        expected = "".join(line + "\n" for line in raw.splitlines() if line.split(":")[0] in known)
        assert docx_to_markdown(data) == f"---\n{expected}---\n{body}"


def test_drucksache_filled_in_in_word_updates_the_front_matter(drafts: Path) -> None:
    markdown, data = load(drafts, BOCHUM)

    def fill(document: docx.document.Document) -> None:
        cell = document.tables[0].cell(0, 1)
        first = cell.paragraphs[0]
        first.runs[0].text = "Drucksache 17/4711"
        for run in first.runs[1:]:
            run._r.getparent().remove(run._r)

    got = docx_to_markdown(edit(data, fill), front_matter=front(markdown))
    placeholder = next(line for line in markdown.split("\n") if line.startswith("drucksache: "))
    assert "ERGÄNZEN" in placeholder
    assert got == markdown.replace(placeholder + "\n", "drucksache: 17/4711\n", 1)


def test_reader_knows_every_paragraph_style_of_the_writer() -> None:
    not_paragraph_styles = {"header", "platzhalter", "hyperlink", "tabelle drucksache"}
    assert {n.lower() for n in STYLE_NAMES} - not_paragraph_styles <= KNOWN_STYLE_NAMES


def test_special_cases_reach_a_fixpoint() -> None:
    """Constructs the drafts do not use (code, quotes, nested lists, alignments, links with text)
    come back as Markdown that writes the same Word text and reads back unchanged."""
    source = (Path(__file__).parent / "fixtures" / "docx" / "sonderfaelle.md").read_text(encoding="utf-8")
    first = markdown_to_docx(source)
    once = docx_to_markdown(first, front_matter=source)
    second = markdown_to_docx(once)
    assert docx_to_markdown(second, front_matter=source) == once
    assert docx_to_text(second) == docx_to_text(first)
    assert "*kursiv* und **fett** und ***beides***" in once
    assert "[Link mit Text](https://www.land.nrw/de)" in once
    assert "|---|--:|" in once and "|---|:-:|---|" in once
    assert "\\*kein Fett\\*, \\_kein Kursiv\\_" in once


# --------------------------------------------------------------------------------------------------
# edits made in Word


def test_sentence_changed_in_word_is_one_changed_line(drafts: Path) -> None:
    markdown, data = load(drafts, BOCHUM)
    old = "Dieser zeigt ein Gesamtbild zur Digitalisierung aller Städte und Landkreise in Deutschland."
    new = "Dieser zeigt ein Gesamtbild zur Digitalisierung aller Städte, Gemeinden und Landkreise in Deutschland."

    def change(document: docx.document.Document) -> None:
        p = paragraph(document, "Im September hat das Prognos Institut")
        (run,) = p.runs
        before, after = run.text.split("aller Städte und", 1)
        run.text = before + "aller Städte"  # Word puts typed text into runs of its own
        run._r.addnext(copy.deepcopy(run._r))
        inserted = p.runs[1]
        inserted.text = ", Gemeinden und"
        inserted._r.addnext(copy.deepcopy(run._r))
        p.runs[2].text = after

    got = docx_to_markdown(edit(data, change), front_matter=front(markdown))
    assert got == replace_line(markdown, old, new)


def test_paragraph_added_and_paragraph_removed_in_word(drafts: Path) -> None:
    markdown, data = load(drafts, BOCHUM)
    removed = (
        "Die Digitalisierung von Unternehmen gelingt häufig ohne staatliche Unterstützung.\n"
        "Gerade besonders erfolgreiche Projekte werden vom Markt getragen, ohne dass es öffentlicher Mittel bedarf.\n"
        "Der Begriff „erfolgreich“ ist außerdem aufgrund der vielen Facetten von Digitalisierung und Unternehmen "
        "objektiv schwer bestimmbar.\n"
        "Die Nennung von aus Sicht der Landesregierung besonders erfolgreichen Digitalisierungsmaßnahmen scheint "
        "daher nicht sinnvoll.\n\n"
    )
    anchor = "Auf die Ausführungen in der Vorbemerkung wird hingewiesen.\n\n"

    def change(document: docx.document.Document) -> None:
        gone = paragraph(document, "Die Digitalisierung von Unternehmen gelingt")
        gone._p.getparent().remove(gone._p)
        after = paragraph(document, "Der Ausbau der digitalen Infrastruktur wird")
        after.insert_paragraph_before("Das Referat ergänzt einen Absatz. Er hat zwei Sätze.", style="Antwort")

    got = docx_to_markdown(edit(data, change), front_matter=front(markdown))
    expected = markdown.replace(removed, "", 1)
    expected = expected.replace(anchor, anchor + "Das Referat ergänzt einen Absatz.\nEr hat zwei Sätze.\n\n", 1)
    assert got == expected


def test_paragraph_in_normal_style_bold_italic_and_links(drafts: Path) -> None:
    markdown, data = load(drafts, BOCHUM)
    line = "Auf die Ausführungen in der Vorbemerkung wird hingewiesen."

    def change(document: docx.document.Document) -> None:
        p = paragraph(document, "Auf die Ausführungen in der Vorbemerkung")
        p.add_run(" Siehe ")
        p.add_run("Anlage 1").bold = True
        p.add_run(" und ")
        p.add_run("Anlage 2").italic = True
        p.add_run(" im ")
        url = "https://www.foerderportal.nrw/"
        rid = document.part.relate_to(url, RT.HYPERLINK, is_external=True)
        p._p.append(
            parse_xml(f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t>Förderportal</w:t></w:r></w:hyperlink>')
        )
        p.add_run(".")
        added = p.insert_paragraph_before()  # no style: Word's "Normal"
        added.add_run("Mehr unter ")
        rid2 = document.part.relate_to("https://www.land.nrw/", RT.HYPERLINK, is_external=True)
        added._p.append(
            parse_xml(
                f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid2}">'
                "<w:r><w:t>https://www.land.nrw/</w:t></w:r></w:hyperlink>"
            )
        )
        added.add_run(" und mit *Sternchen* und <Spitzen>.")

    got = docx_to_markdown(edit(data, change), front_matter=front(markdown))
    expected = markdown.replace(
        f"\n\n{line}\n",
        "\n\nMehr unter <https://www.land.nrw/> und mit \\*Sternchen\\* und \\<Spitzen\\>.\n\n"
        f"{line}\nSiehe **Anlage 1** und *Anlage 2* im [Förderportal](https://www.foerderportal.nrw/).\n",
        1,
    )
    assert got == expected


def test_table_row_added_in_word(drafts: Path) -> None:
    markdown, data = load(drafts, RUHR_BOCHUM)
    last_row = next(line for line in markdown.splitlines() if line.startswith("| Vernetzte Mobilität: Der Weg"))

    def change(document: docx.document.Document) -> None:
        table = next(t for t in document.tables if len(t.rows) > 2 and "Mobilitätsregion" in t.cell(2, 0).text)
        row = table.add_row()
        row.cells[0].text = "Neues Projekt | mit Strich [99-01]"
        row.cells[1].text = "Bochum ist Partner."

    got = docx_to_markdown(edit(data, change), front_matter=front(markdown))
    assert got == markdown.replace(
        last_row + "\n", last_row + "\n| Neues Projekt \\| mit Strich [99-01] | Bochum ist Partner. |\n", 1
    )


def test_question_and_list_item_added_in_word(drafts: Path) -> None:
    """Word: a new item or question is a copy of the one above it (its numbering included)."""
    markdown, data = load(drafts, RUHR_BOCHUM)

    def change(document: docx.document.Document) -> None:
        item = paragraph(document, "Nachhaltigkeit")
        item._p.addnext(copy.deepcopy(item._p))
        paragraph(document, "Nachhaltigkeit").runs[0].text = "Sicherheit"  # the first of the two
        question = paragraph(document, "Wie zahlt das Erreichen")
        last = document.paragraphs[-1]
        last._p.addnext(copy.deepcopy(question._p))
        added = document.paragraphs[-1]
        added.runs[0].text = "Wann berichtet die Landesregierung?"
        for run in added.runs[1:]:
            run._r.getparent().remove(run._r)

    got = docx_to_markdown(edit(data, change), front_matter=front(markdown))
    expected = markdown.replace("- Wohlstand\n- Nachhaltigkeit\n", "- Wohlstand\n- Sicherheit\n- Nachhaltigkeit\n")
    assert got == expected + "\n6. **Wann berichtet die Landesregierung?**\n"


def test_three_way_merge_with_an_edit_in_word(drafts: Path, tmp_path: Path) -> None:
    """The use case: base = last generated draft, ours = changed Markdown, theirs = the Word file."""
    if shutil.which("git") is None:
        pytest.skip("git fehlt")
    markdown, data = load(drafts, BOCHUM)
    ours = replace_line(
        markdown,
        "Insgesamt schneidet Bochum auf Rang 11 in NRW bzw. 69 im Bund ab.",
        "Insgesamt schneidet Bochum auf Rang 11 in NRW bzw. Rang 69 im Bund ab.",
    )

    def change(document: docx.document.Document) -> None:
        p = paragraph(document, "Die Kleine Anfrage ist im Gesamtbild")
        p.runs[0].text = p.runs[0].text.replace("Nachstehend werden", "Im Folgenden werden")

    theirs = docx_to_markdown(edit(data, change), front_matter=front(markdown))
    for name, text in (("base.md", markdown), ("ours.md", ours), ("theirs.md", theirs)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        ["git", "merge-file", "-p", str(tmp_path / "ours.md"), str(tmp_path / "base.md"), str(tmp_path / "theirs.md")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout == ours.replace(
        "Nachstehend werden die allgemeinen Angebote", "Im Folgenden werden die allgemeinen Angebote"
    )


# --------------------------------------------------------------------------------------------------
# what Word does when it saves a file


def word_noise(data: bytes, seed: int) -> bytes:
    """The document as Word might save it: runs split anywhere with rsids and language, proofing marks,
    bookmarks, smart tags, content controls, rendered page breaks, hyperlinks as fields."""
    rnd = random.Random(seed)
    w = "{" + W_NS + "}"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(entries["word/document.xml"])

    def el(tag: str, **attrs: str) -> etree._Element:
        node = etree.Element(w + tag)
        for k, v in attrs.items():
            node.set(w + k, v)
        return node

    for n, p in enumerate(root.iter(w + "p")):
        p.set(w + "rsidR", f"{rnd.randrange(16**8):08X}")
        style = p.find(f"{w}pPr/{w}pStyle")
        heading = style is not None and style.get(w + "val", "").startswith("Heading")
        if rnd.random() < 0.1:  # an index entry: a field with an instruction and no result
            runs = [el("r"), el("r"), el("r")]
            runs[0].append(el("fldChar", fldCharType="begin"))
            etree.SubElement(runs[1], w + "instrText").text = ' XE "Digitalisierung" '
            runs[2].append(el("fldChar", fldCharType="end"))
            for node in runs:
                p.append(node)
        if rnd.random() < 0.05:  # a content control that shows its prompt text
            sdt = etree.SubElement(p, w + "sdt")
            etree.SubElement(etree.SubElement(sdt, w + "sdtPr"), w + "showingPlcHdr")
            prompt = etree.SubElement(etree.SubElement(sdt, w + "sdtContent"), w + "r")
            etree.SubElement(prompt, w + "t").text = "Klicken Sie hier, um Text einzugeben."
        for r in list(p.iter(w + "r")):
            children = [c for c in r if c.tag != w + "rPr"]
            if len(children) != 1 or children[0].tag != w + "t" or len(children[0].text or "") < 4:
                continue
            text = children[0].text or ""
            cuts = sorted(rnd.sample(range(1, len(text)), k=min(3, len(text) - 1)))
            pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
            parent = r.getparent()
            at = parent.index(r)
            parent.remove(r)
            for k, piece in enumerate(pieces):
                new = copy.deepcopy(r)
                new.set(w + "rsidRPr", f"{rnd.randrange(16**8):08X}")
                rpr = new.find(w + "rPr")
                if rpr is None:
                    rpr = el("rPr")
                    new.insert(0, rpr)
                rpr.append(el("lang", val=rnd.choice(["de-DE", "en-US"])))
                if rnd.random() < 0.3:  # direct formatting that Markdown does not carry
                    rpr.append(el("color", val="000000"))
                    rpr.append(el("sz", val="22"))
                if rpr.find(w + "i") is None and rnd.random() < 0.2:
                    rpr.append(el("i", val="0"))
                if heading and rpr.find(w + "b") is None:
                    rpr.append(el("b"))  # Word often repeats the style's bold on the runs
                t = new.find(w + "t")
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                if k == 0 and rnd.random() < 0.3:
                    t.addprevious(el("lastRenderedPageBreak"))
                node = new
                if rnd.random() < 0.2:
                    node = el("smartTag", uri="urn:schemas-microsoft-com:office:smarttags", element="place")
                    node.append(new)
                elif rnd.random() < 0.1:
                    node = el("sdt")
                    node.append(el("sdtPr"))
                    content = el("sdtContent")
                    content.append(new)
                    node.append(content)
                parent.insert(at, node)
                at += 1
                if rnd.random() < 0.3:
                    parent.insert(at, el("proofErr", type=rnd.choice(["spellStart", "spellEnd", "gramStart"])))
                    at += 1
                if rnd.random() < 0.2:
                    parent.insert(at, el("bookmarkStart", id=str(n), name=f"_Hlk{n}"))
                    parent.insert(at + 1, el("bookmarkEnd", id=str(n)))
                    at += 2
    rels = etree.fromstring(entries["word/_rels/document.xml.rels"])
    targets = {r.get("Id"): r.get("Target") for r in rels}
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for k, link in enumerate(list(root.iter(w + "hyperlink"))):
        if k % 2:
            continue
        url = targets[link.get(r_id)]
        base, _, anchor = url.partition("#")
        instr = f' HYPERLINK "{base}"' + (f' \\l "{anchor}"' if anchor else "") + " "
        parent, at = link.getparent(), link.getparent().index(link)
        runs = list(link)
        parent.remove(link)
        begin, sep, end = (el("r"), el("r"), el("r"))
        begin.append(el("fldChar", fldCharType="begin"))
        instr_run = el("r")
        instr_el = etree.SubElement(instr_run, w + "instrText")
        instr_el.text = instr
        sep.append(el("fldChar", fldCharType="separate"))
        end.append(el("fldChar", fldCharType="end"))
        for offset, node in enumerate([begin, instr_run, sep, *runs, end]):
            parent.insert(at + offset, node)
    body = root.find(w + "body")
    block = body[3]  # a paragraph of the body in a block-level content control
    sdt = el("sdt")
    sdt.append(el("sdtPr"))
    content = el("sdtContent")
    body.replace(block, sdt)
    content.append(block)
    sdt.append(content)
    entries["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in entries.items():
            z.writestr(name, blob)
    return out.getvalue()


def test_word_noise_reads_back_equal(drafts: Path) -> None:
    for seed, name in enumerate(names(drafts)):
        markdown, data = load(drafts, name)
        noisy = word_noise(data, seed)
        assert noisy != data
        assert docx_to_markdown(noisy, front_matter=front(markdown)) == markdown, name


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) fehlt")
def test_libreoffice_round_trip_reads_back_equal(drafts: Path, tmp_path: Path) -> None:
    """Every draft opened and saved as DOCX by LibreOffice still reads back to its Markdown
    (LibreOffice renames style ids, turns some hyperlinks into fields, adds direct formatting)."""
    out = tmp_path / "lo"
    found = names(drafts)
    special = (Path(__file__).parent / "fixtures" / "docx" / "sonderfaelle.md").read_text(encoding="utf-8")
    (tmp_path / "sonderfaelle.docx").write_bytes(markdown_to_docx(special))
    sources = [*(drafts / f"{name}.docx" for name in found), tmp_path / "sonderfaelle.docx"]
    soffice_convert("docx:MS Word 2007 XML", out, *sources, profile=tmp_path / "lo-profile", timeout=600)
    differ = []
    for name in found:
        markdown = (drafts / f"{name}.md").read_text(encoding="utf-8")
        resaved = (out / f"{name}.docx").read_bytes()
        assert resaved != (drafts / f"{name}.docx").read_bytes()
        if docx_to_markdown(resaved, front_matter=front(markdown)) != markdown:
            differ.append(name)
    assert differ == []
    # what the drafts do not use reads back the same, too (a list item's second paragraph included)
    direct = docx_to_markdown(tmp_path / "sonderfaelle.docx", front_matter=special)
    assert docx_to_markdown(out / "sonderfaelle.docx", front_matter=special) == direct


def test_strict_open_xml(drafts: Path) -> None:
    """Word's "Strict Open XML Document" uses other namespaces and relationship types."""
    markdown, data = load(drafts, RUHR_BOCHUM)
    transitional_rels = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    for name, blob in entries.items():
        blob = blob.replace(W_NS.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main")
        entries[name] = blob.replace(transitional_rels, b"http://purl.oclc.org/ooxml/officeDocument/relationships")
    assert b"schemas.openxmlformats.org/wordprocessingml" not in entries["word/document.xml"]
    assert docx_to_markdown(_zip(entries), front_matter=front(markdown)) == markdown


# --------------------------------------------------------------------------------------------------
# tracked changes and comments

W = f'xmlns:w="{W_NS}"'


def _replace_content(p: Paragraph, xml: str) -> None:
    for child in list(p._p):
        if child.tag != qn("w:pPr"):
            p._p.remove(child)
    for node in parse_xml(f"<w:x {W}>{xml}</w:x>"):
        p._p.append(node)


def _ins(rid: int, author: str, text: str, date: str = "2024-05-02T11:00:00Z") -> str:
    return (
        f'<w:ins w:id="{rid}" w:author="{author}" w:date="{date}">'
        f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'
    )


def _del(rid: int, author: str, text: str, date: str = "2024-05-02T10:00:00Z") -> str:
    return (
        f'<w:del w:id="{rid}" w:author="{author}" w:date="{date}">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
    )


def _t(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


LINE = "Auf die Ausführungen in der Vorbemerkung wird hingewiesen."
COMMENTED = (
    "Der Ausbau der digitalen Infrastruktur wird durch das Bund-Länder-Programm zum Breitbandausbau, die Förderung "
    "von Breitbandkoordination und von NGA-Entwicklungskonzepten, die Förderung von NGA-Netzen im ländlichen Raum, "
    "die GAK-Breitbandförderung und dem Regionalen Wirtschaftsförderprogramm unterstützt."
)


@pytest.fixture(scope="module")
def tracked(drafts: Path) -> tuple[str, bytes]:
    """Two tracked changes (MAGS deletes, Referat 123 inserts) and one comment by Referat 123."""
    markdown, data = load(drafts, BOCHUM)

    def change(document: docx.document.Document) -> None:
        p = paragraph(document, "Auf die Ausführungen in der Vorbemerkung")
        _replace_content(
            p,
            _t("Auf die Ausführungen in der ")
            + _del(901, "MAGS", "Vorbemerkung")
            + _ins(902, "Referat 123", "Antwort zu Frage 2")
            + _t(" wird hingewiesen."),
        )
        commented = paragraph(document, "Der Ausbau der digitalen Infrastruktur wird")
        document.add_comment(commented.runs, text="Bitte Zahlen prüfen.", author="Referat 123", initials="R1")

    return markdown, edit(data, change)


def test_revisions_and_comments_are_listed(tracked: tuple[str, bytes]) -> None:
    _, data = tracked
    found = revisions(data)
    assert [(r.kind, r.author, r.text) for r in found] == [
        ("löschung", "MAGS", "Vorbemerkung"),
        ("einfügung", "Referat 123", "Antwort zu Frage 2"),
    ]
    assert found[0].date is not None and found[0].date.isoformat() == "2024-05-02T10:00:00+00:00"
    (comment,) = comments(data)
    assert (comment.author, comment.text, comment.commented_text, comment.done) == (
        "Referat 123",
        "Bitte Zahlen prüfen.",
        COMMENTED,
        False,
    )


def test_pending_changes_refuse_the_default_read(tracked: tuple[str, bytes], drafts: Path) -> None:
    markdown, data = tracked
    with pytest.raises(UserError) as caught:
        docx_to_markdown(data, front_matter=front(markdown))
    assert caught.value.message == (
        "Die Word-Datei enthält 2 nicht angenommene Änderungen (1 von MAGS, 1 von Referat 123); "
        "bitte in Word annehmen oder ablehnen oder --aenderungen annehmen|ablehnen angeben."
    )
    path = drafts.parent / "tracked.docx"
    path.write_bytes(data)
    with pytest.raises(UserError, match="^Die Word-Datei „.*tracked.docx“ enthält 2 nicht angenommene"):
        docx_to_markdown(path)


def test_accept_and_reject(tracked: tuple[str, bytes]) -> None:
    markdown, data = tracked
    fm = front(markdown)
    accepted = docx_to_markdown(data, front_matter=fm, aenderungen="annehmen", kommentare="ignorieren")
    assert accepted == replace_line(markdown, LINE, "Auf die Ausführungen in der Antwort zu Frage 2 wird hingewiesen.")
    rejected = docx_to_markdown(data, front_matter=fm, aenderungen="ablehnen", kommentare="ignorieren")
    assert rejected == markdown


def test_comments_become_placeholders_or_refuse(tracked: tuple[str, bytes]) -> None:
    markdown, data = tracked
    fm = front(markdown)
    got = docx_to_markdown(data, front_matter=fm, aenderungen="ablehnen")
    anchor = COMMENTED[:79].rstrip() + "…"
    placeholder = f"[[PRÜFEN: Kommentar von Referat 123 zu „{anchor}“: Bitte Zahlen prüfen.]]"
    assert got == replace_line(markdown, COMMENTED, f"{COMMENTED}\n\n{placeholder}")
    with pytest.raises(UserError) as caught:
        docx_to_markdown(data, front_matter=fm, aenderungen="ablehnen", kommentare="fehler")
    assert caught.value.message == (
        "Die Word-Datei enthält 1 offenen Kommentar (von Referat 123); bitte in Word erledigen oder löschen "
        "oder --kommentare platzhalter|ignorieren angeben."
    )


def test_comments_marked_as_done_are_left_out(tracked: tuple[str, bytes]) -> None:
    markdown, data = tracked
    w14 = "http://schemas.microsoft.com/office/word/2010/wordml"
    w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(entries["word/comments.xml"])
    for p in root.iter(qn("w:p")):
        p.set(f"{{{w14}}}paraId", "0000AB12")
    entries["word/comments.xml"] = etree.tostring(root)
    entries["word/commentsExtended.xml"] = (
        f'<w15:commentsEx xmlns:w15="{w15}"><w15:commentEx w15:paraId="0000AB12" w15:done="1"/></w15:commentsEx>'
    ).encode()
    rels = entries["word/_rels/document.xml.rels"]
    entries["word/_rels/document.xml.rels"] = rels.replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.microsoft.com/office/2011/relationships/commentsExtended" '
        b'Target="commentsExtended.xml"/></Relationships>',
    )
    done = _zip(entries)
    (comment,) = comments(done)
    assert comment.done
    got = docx_to_markdown(done, front_matter=front(markdown), aenderungen="ablehnen", kommentare="fehler")
    assert got == markdown


def test_message_counts_per_author_and_in_singular(drafts: Path) -> None:
    markdown, data = load(drafts, BOCHUM)

    def three(document: docx.document.Document) -> None:
        p = paragraph(document, "Auf die Ausführungen in der Vorbemerkung")
        _replace_content(
            p,
            _ins(1, "Referat 123", "Ergänzend: ")
            + _t("Auf die Ausführungen in der ")
            + _del(2, "MAGS", "Vorbemerkung")
            + _t("Vorbemerkung wird ")
            + _ins(3, "Referat 123", "ausdrücklich ")
            + _t("hingewiesen."),
        )

    with pytest.raises(UserError) as caught:
        docx_to_markdown(edit(data, three))
    assert caught.value.message == (
        "Die Word-Datei enthält 3 nicht angenommene Änderungen (2 von Referat 123, 1 von MAGS); "
        "bitte in Word annehmen oder ablehnen oder --aenderungen annehmen|ablehnen angeben."
    )

    def one(document: docx.document.Document) -> None:
        p = paragraph(document, "Auf die Ausführungen in der Vorbemerkung")
        # Word splits a typed sentence into several w:ins (rsids): still one change
        _replace_content(p, _t("Auf die Ausführungen ") + _ins(1, "MAGS", "in ") + _ins(2, "MAGS", "der ") + _t("X."))

    with pytest.raises(UserError) as caught:
        docx_to_markdown(edit(data, one))
    assert "enthält 1 nicht angenommene Änderung (von MAGS); bitte" in caught.value.message


def test_whole_paragraphs_inserted_and_deleted(drafts: Path) -> None:
    markdown, data = load(drafts, BOCHUM)
    mark = '<w:rPr><w:{kind} w:id="{id}" w:author="MAGS" w:date="2024-05-02T10:00:00Z"/></w:rPr>'

    def change(document: docx.document.Document) -> None:
        gone = paragraph(document, "Die Digitalisierung von Unternehmen gelingt")
        text = gone.text
        _replace_content(gone, _del(10, "MAGS", text))
        gone._p.pPr.append(parse_xml(f"<w:x {W}>{mark.format(kind='del', id=11)}</w:x>")[0])
        new = paragraph(document, "Der Ausbau der digitalen Infrastruktur wird").insert_paragraph_before(
            style="Antwort"
        )
        new._p.get_or_add_pPr().append(parse_xml(f"<w:x {W}>{mark.format(kind='ins', id=12)}</w:x>")[0])
        new._p.append(parse_xml(f"<w:x {W}>{_ins(13, 'MAGS', 'Neu eingefügt.', '2024-05-02T10:00:00Z')}</w:x>")[0])

    changed = edit(data, change)
    assert [(r.kind, r.author) for r in revisions(changed)] == [("löschung", "MAGS"), ("einfügung", "MAGS")]
    fm = front(markdown)
    block = next(b for b in markdown.split("\n\n") if b.startswith("Die Digitalisierung von Unternehmen"))
    accepted = markdown.replace(block + "\n\n", "").replace(
        f"{LINE}\n\nDer Ausbau", f"{LINE}\n\nNeu eingefügt.\n\nDer Ausbau", 1
    )
    assert docx_to_markdown(changed, front_matter=fm, aenderungen="annehmen") == accepted
    assert docx_to_markdown(changed, front_matter=fm, aenderungen="ablehnen") == markdown


SAMMEL = "Die Fragen 1 bis 5 werden wegen des Sachzusammenhangs gemeinsam beantwortet:"


def test_formatting_moves_rows_and_headers(drafts: Path) -> None:
    markdown, data = load(drafts, RUHR_BOCHUM)
    attrs = 'w:author="Referat 123" w:date="2024-05-02T10:00:00Z"'

    def change(document: docx.document.Document) -> None:
        p = paragraph(document, "Solchen Metropolregionen gehört die Zukunft.")
        moved = "Das Ruhrgebiet wird eine davon sein. "
        first, rest = p.text.split(" ", 1)
        before, after = rest.split(moved)
        _replace_content(
            p,
            f'<w:r><w:rPr><w:b/><w:rPrChange w:id="20" {attrs}><w:rPr/></w:rPrChange></w:rPr><w:t>{first}</w:t></w:r>'
            + _t(" " + before)
            + f'<w:moveFrom w:id="22" {attrs}>{_t(moved)}</w:moveFrom>'
            + _t(after),
        )
        target = paragraph(document, "Die Impulse der Ruhr-Konferenz wirken")
        target._p.append(parse_xml(f'<w:x {W}><w:moveTo w:id="23" {attrs}>{_t(" " + moved)}</w:moveTo></w:x>')[0])
        heading = paragraph(document, "Die Fragen 1 bis 5 werden wegen")
        ppr = heading._p.get_or_add_pPr()
        ppr.remove(ppr.find(qn("w:pStyle")))
        sub = document.styles["Zwischenüberschrift"].style_id
        style, change = list(
            parse_xml(
                f'<w:x {W}><w:pStyle w:val="{sub}"/><w:pPrChange w:id="21" {attrs}>'
                '<w:pPr><w:pStyle w:val="Antwort"/></w:pPr></w:pPrChange></w:x>'
            )
        )
        ppr.insert(0, style)  # schema order: pStyle first, pPrChange last
        ppr.append(change)
        table = next(t for t in document.tables if len(t.rows) > 2 and "Mobilitätsregion" in t.cell(2, 0).text)
        row = table.add_row()
        row.cells[0].text = "Zeile"
        row._tr.get_or_add_trPr().append(parse_xml(f'<w:ins {W} w:id="24" {attrs}/>'))
        header = document.sections[0].header.part.element
        header_p = header.find(".//" + qn("w:p"))
        header_p.append(parse_xml(f"<w:x {W}>{_ins(25, 'Referat 123', 'Entwurf ')}</w:x>")[0])

    changed = edit(data, change)
    kinds = [(r.kind, r.text, r.part.startswith("word/header")) for r in revisions(changed)]
    assert ("formatierung", "Solchen", False) in kinds
    assert ("formatierung", SAMMEL, False) in kinds
    assert ("verschoben_von", "Das Ruhrgebiet wird eine davon sein.", False) in kinds
    assert ("verschoben_nach", "Das Ruhrgebiet wird eine davon sein.", False) in kinds
    assert ("einfügung", "Entwurf", True) in kinds
    assert any(k == "einfügung" and t.startswith("Zeile") for k, t, _ in kinds)
    with pytest.raises(UserError, match="6 nicht angenommene Änderungen \\(alle von Referat 123\\)"):
        docx_to_markdown(changed)
    fm = front(markdown)
    assert docx_to_markdown(changed, front_matter=fm, aenderungen="ablehnen") == markdown
    accepted = docx_to_markdown(changed, front_matter=fm, aenderungen="annehmen")
    expected = (
        markdown.replace(
            "\nSolchen Metropolregionen gehört die Zukunft.\nDas Ruhrgebiet wird eine davon sein.\n",
            "\n**Solchen** Metropolregionen gehört die Zukunft.\n",
        )
        .replace("um ein gutes Ganzes.\n", "um ein gutes Ganzes.\nDas Ruhrgebiet wird eine davon sein.\n")
        .replace(f"\n{SAMMEL}\n", f"\n## {SAMMEL}\n")
    )
    last_row = next(line for line in markdown.splitlines() if line.startswith("| Vernetzte Mobilität: Der Weg"))
    expected = expected.replace(last_row + "\n", last_row + "\n| Zeile |  |\n", 1)
    assert accepted == expected


# --------------------------------------------------------------------------------------------------
# hostile and broken input


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in entries.items():
            z.writestr(name, blob)
    return out.getvalue()


def test_not_a_docx_names_the_file(tmp_path: Path) -> None:
    text = tmp_path / "entwurf.docx"
    text.write_text("# Kein Word\n", encoding="utf-8")
    with pytest.raises(UserError, match="^Die Datei „.*entwurf.docx“ ist keine lesbare Word-Datei \\(DOCX\\)\\.$"):
        docx_to_markdown(text)
    with pytest.raises(UserError, match="gibt es nicht"):
        docx_to_markdown(tmp_path / "fehlt.docx")
    old = tmp_path / "alt.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(UserError, match="„.*alt.doc“ ist keine DOCX-Datei, sondern eine ältere Word-Datei"):
        revisions(old)
    with pytest.raises(UserError, match="^Die übergebenen Daten sind keine lesbare Word-Datei"):
        comments(b"PK\x03\x04 kaputt")


@pytest.mark.parametrize(
    "entries",
    [
        {"hallo.txt": b"kein Word"},
        {  # a spreadsheet
            "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
        },
        {"word/document.xml": b"<w:document xmlns:w='" + W_NS.encode() + b"'><w:body><w:p>"},  # truncated
    ],
)
def test_broken_packages(entries: dict[str, bytes]) -> None:
    with pytest.raises(UserError, match="keine lesbare Word-Datei"):
        docx_to_markdown(_zip(entries))


def test_zip_bomb_and_entities() -> None:
    bomb = _zip({"word/document.xml": b" " * (65 * 1024 * 1024)})
    with pytest.raises(UserError, match="zu groß"):
        docx_to_markdown(bomb)
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "geheim">]>'
        b"<w:document xmlns:w='" + W_NS.encode() + b"'><w:body><w:p><w:r><w:t>a&x;&y;b</w:t></w:r></w:p>"
        b"</w:body></w:document>"
    )
    got = docx_to_markdown(_zip({"word/document.xml": xxe}), front_matter="")
    assert "root:" not in got and "geheim" not in got


def test_unknown_modes_are_user_errors(drafts: Path) -> None:
    _, data = load(drafts, BOCHUM)
    with pytest.raises(UserError, match="--aenderungen"):
        docx_to_markdown(data, aenderungen="alle")  # type: ignore[arg-type]
    with pytest.raises(UserError, match="--kommentare"):
        docx_to_markdown(data, kommentare="weg")  # type: ignore[arg-type]
