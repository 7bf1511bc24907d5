"""The Word round trip (issue 12): tracked changes and comments shown and refused, redlines of two
versions, the origin of every paragraph, and a correction taken over into the catalogue."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from typer.testing import CliRunner

from anfrage.cli.app import app
from anfrage.docx.text import docx_to_text
from conftest import ROOT, soffice_convert

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SERIE = "digitalisierung-2018"
BOCHUM = f"{SERIE}-bochum"
DORTMUND = f"{SERIE}-dortmund"
GUTSCHEIN_OLD = (
    "Gefördert wird die Auftragsvergabe von Digitalisierungsdienstleistungen an einen kompetenten Auftragnehmer "
    "(Hochschule, Forschungseinrichtung oder Unternehmen) in einem Zeitraum von einem Jahr."
)
GUTSCHEIN_NEW = (
    "Gefördert wird die Vergabe von Aufträgen für Digitalisierungsdienstleistungen an einen kompetenten "
    "Auftragnehmer (Hochschule, Forschungseinrichtung oder Unternehmen) innerhalb eines Jahres."
)


def batch(out: Path, workspace: Path = ROOT, regionen: str = "bochum,dortmund", *extra: str) -> str:
    result = CliRunner().invoke(
        app,
        ["batch", SERIE, "-w", str(workspace), "-o", str(out), "--regionen", regionen, "--format", "beide", *extra],
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Bochum and Dortmund of the Digitalisierung series, as .md and .docx, as anfrage wrote them."""
    out = tmp_path_factory.mktemp("roundtrip") / "entwuerfe"
    batch(out)
    return out


def paragraph(document: docx.document.Document, start: str) -> Paragraph:
    for p in document.paragraphs:
        if p.text.startswith(start):
            return p
    raise AssertionError(f"no paragraph starts with {start!r}")


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _ins(rid: int, author: str, text: str) -> str:
    return f'<w:ins w:id="{rid}" w:author="{author}" w:date="2025-05-02T11:00:00Z">{_run(text)}</w:ins>'


def _del(rid: int, author: str, text: str) -> str:
    return (
        f'<w:del w:id="{rid}" w:author="{author}" w:date="2025-05-02T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
    )


def replace_content(p: Paragraph, xml: str) -> None:
    """Replace the runs of ``p`` by ``xml`` (runs, w:ins, w:del), keeping its properties."""
    for child in list(p._p):
        if child.tag != qn("w:pPr"):
            p._p.remove(child)
    for node in parse_xml(f'<w:x xmlns:w="{W_NS}">{xml}</w:x>'):
        p._p.append(node)


def returned(data: bytes) -> bytes:
    """A draft as a co-signing ministry returns it: MAGS deletes a word, Referat 123 inserts one, and MAGS
    comments on the Breitband paragraph (made with python-docx and raw w:ins/w:del)."""
    document = docx.Document(io.BytesIO(data))
    replace_content(
        paragraph(document, "Auf die Ausführungen in der Vorbemerkung"),
        _run("Auf die Ausführungen in der ")
        + _del(901, "MAGS", "Vorbemerkung")
        + _ins(902, "Referat 123", "Antwort zu Frage 2")
        + _run(" wird hingewiesen."),
    )
    commented = paragraph(document, "Der Ausbau der digitalen Infrastruktur wird")
    document.add_comment(commented.runs, text="Bitte Zahlen prüfen.", author="MAGS", initials="M")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def corrected(data: bytes, tracked: bool = False) -> bytes:
    """The Bochum draft with one sentence of the Digitalisierungsgutschein Textbaustein corrected in Word."""
    document = docx.Document(io.BytesIO(data))
    p = paragraph(document, "Mittelstand.innovativ! bietet")
    first = p.text[: p.text.index(GUTSCHEIN_OLD)]
    if tracked:
        replace_content(p, _run(first) + _del(903, "MAGS", GUTSCHEIN_OLD) + _ins(904, "MAGS", GUTSCHEIN_NEW))
    else:
        replace_content(p, _run(first + GUTSCHEIN_NEW))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# 2. tracked changes and comments: shown by `anfrage text`, refused by `anfrage check`


def test_text_shows_both_changes_and_the_comment(generated: Path) -> None:
    text = docx_to_text(returned((generated / f"{BOCHUM}.docx").read_bytes()))
    lines = text.splitlines()
    changed = "Auf die Ausführungen in der [-Vorbemerkung-]{+Antwort zu Frage 2+} wird hingewiesen."
    assert changed in lines
    commented = next(i for i, line in enumerate(lines) if line.startswith("Der Ausbau der digitalen Infrastruktur"))
    assert lines[commented + 1] == (
        "[Kommentar von MAGS zu „Der Ausbau der digitalen Infrastruktur wird durch das Bund-Länder-Programm "
        "zum…“: Bitte Zahlen prüfen.]"
    )
    plain = docx_to_text(generated / f"{BOCHUM}.docx")
    assert "{+" not in plain and "[-" not in plain and "[Kommentar" not in plain
    assert len(lines) == len(plain.splitlines()) + 1  # one comment line more, nothing else moved


def test_text_marks_paragraph_marks_and_moves(generated: Path) -> None:
    document = docx.Document(generated / f"{BOCHUM}.docx")
    p = paragraph(document, "Auf die Ausführungen in der Vorbemerkung")
    ppr = p._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:rPr xmlns:w="{W_NS}"><w:del w:id="7" w:author="MAGS"/></w:rPr>'))
    replace_content(
        p,
        _run("Auf die Ausführungen ")
        + '<w:moveFrom w:id="8" w:author="MAGS"><w:r><w:delText>alt</w:delText></w:r></w:moveFrom>'
        + f'<w:moveTo w:id="9" w:author="MAGS">{_run("neu")}</w:moveTo>',
    )
    out = io.BytesIO()
    document.save(out)
    assert "Auf die Ausführungen [-alt-]{+neu+}[-¶-]" in docx_to_text(out.getvalue()).splitlines()


def test_text_is_unchanged_for_files_without_changes(generated: Path) -> None:
    """The textconv of an unedited draft has no markers (all 68 drafts: benchmarks/roundtrip.py)."""
    text = docx_to_text(generated / f"{DORTMUND}.docx")
    assert "{+" not in text and "[-" not in text and "[Kommentar" not in text
    assert text.splitlines()[3] == "Antwort der Landesregierung"


def test_check_refuses_pending_changes_per_author(generated: Path, tmp_path: Path) -> None:
    folder = tmp_path / "entwuerfe"
    shutil.copytree(generated, folder)
    target = folder / f"{BOCHUM}.docx"
    target.write_bytes(returned(target.read_bytes()))
    result = CliRunner().invoke(app, ["check", "-w", str(ROOT), str(target), "--heute", "2018-11-01"])
    assert result.exit_code == 1, result.output
    assert (
        f"{target} änderungen: 2 nicht angenommene Änderungen (1 von MAGS, 1 von Referat 123): in Word annehmen "
        "oder ablehnen, dann erneut prüfen." in result.output
    )
    # the comment is an open placeholder of the read-back text (those of the generated draft + 1)
    from anfrage.draft import count_placeholders

    generated_count = count_placeholders((generated / f"{BOCHUM}.md").read_text(encoding="utf-8"))
    shown = (
        f"{target}: {generated_count + 1} offene Platzhalter, 2 nicht angenommene Änderungen (siehe oben) – "
        "Freigabe 16. November 2018, Frist 21. November 2018."
    )
    assert shown in result.output

    every = CliRunner().invoke(app, ["check", "-w", str(ROOT), SERIE, "-e", str(folder), "--heute", "2018-11-01"])
    assert every.exit_code == 1
    dortmund = count_placeholders((generated / f"{DORTMUND}.md").read_text(encoding="utf-8"))
    assert f"{DORTMUND}.docx: {dortmund} offene Platzhalter" in every.output
    assert f"{DORTMUND}.md: {dortmund} offene Platzhalter" in every.output
    assert "1 Fehler, 0 Warnungen gefunden." in every.output


def test_check_reads_questions_of_a_docx(generated: Path, tmp_path: Path) -> None:
    folder = tmp_path / "entwuerfe"
    shutil.copytree(generated, folder)
    target = folder / f"{BOCHUM}.docx"
    document = docx.Document(target)
    question = next(p for p in document.paragraphs if p.style is not None and p.style.name == "Frage")
    run = next(r for r in question.runs if "welche" in r.text)
    run.text = run.text.replace("welche", "welcher", 1)
    document.save(target)
    result = CliRunner().invoke(app, ["check", "-w", str(ROOT), str(target)])
    assert result.exit_code == 1, result.output
    assert f"{target} frage 1:" in result.output
    (folder / f"{BOCHUM}.docx").unlink()
    shutil.copy(generated / f"{BOCHUM}.docx", target)
    clean = CliRunner().invoke(app, ["check", "-w", str(ROOT), str(target)])
    assert clean.exit_code == 0, clean.output


# --------------------------------------------------------------------------------------------------
# 3. anfrage vergleich: a Word document with real tracked changes


def vergleich(*args: str) -> str:
    result = CliRunner().invoke(app, ["vergleich", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_vergleich_gives_real_tracked_changes_reproducibly(generated: Path, tmp_path: Path) -> None:
    from anfrage.docx.reader import docx_to_markdown, revisions

    neu = tmp_path / "bochum-zurueck.docx"
    neu.write_bytes(corrected((generated / f"{BOCHUM}.docx").read_bytes()))
    alt = generated / f"{BOCHUM}.docx"
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    shown = vergleich(str(alt), str(neu), "-o", str(first), "--autor", "Referat 123", "--datum", "2025-05-12")
    vergleich(str(alt), str(neu), "-o", str(second), "--autor", "Referat 123", "--datum", "2025-05-12")
    assert first.read_bytes() == second.read_bytes()
    assert "nachverfolgte Änderungen" in shown and "von „Referat 123“ vom 12.05.2025." in shown
    found = revisions(first)
    assert found and {(r.author, r.date.isoformat() if r.date else None) for r in found} == {
        ("Referat 123", "2025-05-12T00:00:00+00:00")
    }
    assert {r.kind for r in found} == {"einfügung", "löschung"}
    # accepting every change gives the new version, rejecting every change the old one
    assert docx_to_markdown(first, front_matter="", aenderungen="annehmen") == docx_to_markdown(neu, front_matter="")
    assert docx_to_markdown(first, front_matter="", aenderungen="ablehnen") == docx_to_markdown(alt, front_matter="")


def test_vergleich_takes_markdown_and_refuses_pending_changes(generated: Path, tmp_path: Path) -> None:
    from anfrage.docx.reader import revisions

    edited = tmp_path / "bochum.md"
    edited.write_text((generated / f"{BOCHUM}.md").read_text(encoding="utf-8").replace(GUTSCHEIN_OLD, GUTSCHEIN_NEW))
    out = tmp_path / "md.docx"
    vergleich(str(generated / f"{BOCHUM}.md"), str(edited), "-o", str(out))
    assert {r.date.date().isoformat() for r in revisions(out) if r.date} == {"2018-11-28"}  # the answer date
    assert {r.author for r in revisions(out)} == {"anfrage"}

    pending = tmp_path / "zurueck.docx"
    pending.write_bytes(returned((generated / f"{BOCHUM}.docx").read_bytes()))
    refused = CliRunner().invoke(app, ["vergleich", str(generated / f"{BOCHUM}.docx"), str(pending), "-o", str(out)])
    assert refused.exit_code == 2
    assert "enthält 2 nicht angenommene Änderungen (1 von MAGS, 1 von Referat 123)" in refused.output
    rejected = vergleich(str(generated / f"{BOCHUM}.docx"), str(pending), "-o", str(out), "--aenderungen", "ablehnen")
    assert "keine nachverfolgten Änderungen" in rejected
    accepted = vergleich(str(generated / f"{BOCHUM}.docx"), str(pending), "-o", str(out), "--aenderungen", "annehmen")
    assert "Antwort zu Frage 2" in docx_to_text(out)
    assert "nachverfolgte Änderungen" in accepted


def test_engine_is_unpacked_once_and_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from anfrage.docx import redline

    monkeypatch.setenv("ANFRAGE_CACHE", str(tmp_path / "cache"))
    parent = redline.engine_folder()
    (folder,) = [p for p in parent.iterdir()]
    assert (folder / ".vollstaendig").is_file() and not folder.name.startswith(".")
    stamp = (folder / ".vollstaendig").stat().st_mtime_ns
    assert redline.engine_folder() == parent and (folder / ".vollstaendig").stat().st_mtime_ns == stamp
    # a folder left half unpacked (no marker) is replaced, not used
    (folder / ".vollstaendig").unlink()
    assert redline.engine_folder() == parent and (folder / ".vollstaendig").is_file()


@pytest.mark.libreoffice
def test_vergleich_shows_as_tracked_changes_in_libreoffice(generated: Path, tmp_path: Path) -> None:
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext not installed")
    neu = tmp_path / "bochum-zurueck.docx"
    neu.write_bytes(corrected((generated / f"{BOCHUM}.docx").read_bytes()))
    out = tmp_path / "aenderungen.docx"
    vergleich(str(generated / f"{BOCHUM}.docx"), str(neu), "-o", str(out), "--autor", "Referat 123")
    soffice_convert("pdf", tmp_path, out)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "aenderungen.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    # LibreOffice shows changes by default: the deleted words (struck through) and the new ones
    assert "Auftragsvergabe" in flat and "Aufträgen für Digitalisierungsdienstleistungen" in flat
    assert "in einem Zeitraum von einem Jahr" in flat and "innerhalb eines Jahres" in flat


# --------------------------------------------------------------------------------------------------
# 4. anfrage herkunft: the origin of every line


def herkunft(draft: Path, *extra: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["herkunft", str(draft), "-w", str(ROOT), "--json", *extra])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_herkunft_traces_the_gutschein_line_to_its_catalogue_entry(generated: Path) -> None:
    rows = herkunft(generated / f"{BOCHUM}.md")
    lines = (generated / f"{BOCHUM}.md").read_text(encoding="utf-8").split("\n")
    assert [r["zeile"] for r in rows] == [i + 1 for i, line in enumerate(lines) if line.strip()]
    assert not [r for r in rows if r["art"] in ("unbekannt", "von Hand")]
    (row,) = [r for r in rows if r["text"] == GUTSCHEIN_OLD]
    assert (row["art"], row["datei"], row["eintrag"], row["daten"]) == (
        "textbaustein",
        "data/programmes.yaml",
        "digitalisierungsgutschein",
        False,
    )
    yaml_lines = (ROOT / "data" / "programmes.yaml").read_text(encoding="utf-8").split("\n")
    assert isinstance(row["quellzeile"], int)
    assert "Gefördert wird die" in yaml_lines[row["quellzeile"] - 1]
    hub = next(r for r in rows if str(r["text"]).startswith("In Bochum ist das Hub"))
    assert (hub["eintrag"], hub["daten"]) == ("dwnrw-hubs", True)
    question = next(r for r in rows if str(r["text"]).startswith("1. **Durch welche Maßnahmen"))
    assert (question["art"], question["datei"], question["hinweis"]) == (
        "anfrage",
        "data/anfragen/digitalisierung-2018/ka-1640-bochum.yaml",
        "Frage 1",
    )
    heading = next(r for r in rows if r["text"] == "## Vorbemerkung der Landesregierung")
    assert (heading["art"], heading["datei"]) == ("vorlage", "templates/digitalisierung-2018.md.j2")
    assert (
        "Vorbemerkung der Landesregierung"
        in (ROOT / "templates" / "digitalisierung-2018.md.j2")
        .read_text(encoding="utf-8")
        .split("\n")[int(str(heading["quellzeile"])) - 1]
    )


def test_herkunft_of_an_edited_docx_and_of_every_line_of_a_model_draft(generated: Path, tmp_path: Path) -> None:
    folder = tmp_path / "entwuerfe"
    shutil.copytree(generated, folder)
    target = folder / f"{BOCHUM}.docx"
    target.write_bytes(corrected(target.read_bytes()))
    rows = herkunft(target)
    (changed,) = [r for r in rows if r["text"] == GUTSCHEIN_NEW]
    assert (changed["eintrag"], changed["geaendert"]) == ("digitalisierungsgutschein", True)
    dortmund = herkunft(folder / f"{DORTMUND}.md")
    assert {r["art"] for r in dortmund} == {"kopf", "vorlage", "mustertext", "textbaustein"}
    shown = CliRunner().invoke(app, ["herkunft", str(folder / f"{DORTMUND}.md"), "-w", str(ROOT)])
    assert shown.exit_code == 0
    assert "Textbaustein „digitalisierungsgutschein“ (data/programmes.yaml:43–49)" in shown.output


# --------------------------------------------------------------------------------------------------
# 5. anfrage uebernehmen: one correction, the whole series


def uebernehmen(draft: Path, workspace: Path, *extra: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, ["uebernehmen", str(draft), "-w", str(workspace), *extra])
    assert result.exit_code == code, result.output
    return result.output


def test_correction_in_the_docx_goes_into_the_catalogue_and_every_draft(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "entwuerfe"
    batch(out, workspace)
    before = {name: (out / f"{name}.md").read_text(encoding="utf-8") for name in (BOCHUM, DORTMUND)}
    catalogue = (workspace / "data" / "programmes.yaml").read_text(encoding="utf-8")
    target = out / f"{BOCHUM}.docx"
    target.write_bytes(corrected(target.read_bytes()))

    shown = uebernehmen(target, workspace)
    assert "Herkunft: Textbaustein „digitalisierungsgutschein“ (data/programmes.yaml:45)" in shown
    assert "steht in 53 von 53 Entwürfen der Serie" in shown
    assert "→ mit --in-katalog übernehmen" in shown
    assert (workspace / "data" / "programmes.yaml").read_text(encoding="utf-8") == catalogue  # only shown

    done = uebernehmen(target, workspace, "--in-katalog")
    assert "übernommen in data/programmes.yaml, Zeilen 46–47" in done
    after = (workspace / "data" / "programmes.yaml").read_text(encoding="utf-8")
    old_lines, new_lines = catalogue.split("\n"), after.split("\n")
    assert len(old_lines) == len(new_lines)
    assert [i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b] == [46, 47]
    assert " ".join(" ".join(new_lines[42:47]).split()).endswith(GUTSCHEIN_NEW)

    report = batch(out, workspace)
    assert "Konflikt" not in report
    for name in (BOCHUM, DORTMUND):
        now = (out / f"{name}.md").read_text(encoding="utf-8")
        assert now == before[name].replace(GUTSCHEIN_OLD, GUTSCHEIN_NEW)
    assert docx_to_text(out / f"{DORTMUND}.docx").count("innerhalb eines Jahres") == 1
    assert "keine Änderungen gegenüber" in uebernehmen(target, workspace)


def test_uebernehmen_reports_what_it_cannot_place(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "entwuerfe"
    batch(out, workspace)
    draft = out / f"{DORTMUND}.md"
    text = draft.read_text(encoding="utf-8")
    edits = {
        "Kernelement der Initiative „Digitale Wirtschaft NRW“ sind die sechs DWNRW-Hubs.": (
            "Kern der Initiative „Digitale Wirtschaft NRW“ sind die sechs DWNRW-Hubs."
        ),
        "Auf die Ausführungen in der Vorbemerkung wird hingewiesen.": "Auf die Vorbemerkung wird hingewiesen.",
        "Die Digitalisierung von Unternehmen gelingt häufig ohne staatliche Unterstützung.": (
            "Die Digitalisierung von Unternehmen gelingt oft ohne staatliche Unterstützung."
        ),
    }
    for old, new in edits.items():
        assert f"\n{old}\n" in text
        text = text.replace(f"\n{old}\n", f"\n{new}\n")
    hub = next(line for line in text.split("\n") if line.startswith("In Dortmund ist") or "DWNRW-Hubs" in line)
    draft.write_text(text, encoding="utf-8")
    templates = (workspace / "templates" / "digitalisierung-2018.md.j2").read_text(encoding="utf-8")
    catalogue = (workspace / "data" / "programmes.yaml").read_text(encoding="utf-8")

    result = CliRunner().invoke(app, ["uebernehmen", str(draft), "-w", str(workspace), "--in-katalog", "--json"])
    assert result.exit_code == 1, result.output
    rows = json.loads(result.stdout)
    by_start = {row["neu"][0]: row for row in rows}
    data = next(row for row in rows if row["eintrag"] == "dwnrw-hubs")
    assert data["ziel"] == "offen" and "festem Text und Daten" in data["grund"] and not data["geschrieben"]
    floskel = next(row for row in rows if row["datei"] == "templates/bausteine/floskeln.md.j2")
    assert floskel["ziel"] == "offen" and "andere Serien" in floskel["grund"]
    template = by_start["Die Digitalisierung von Unternehmen gelingt oft ohne staatliche Unterstützung."]
    assert template["ziel"] == "vorlage" and template["geschrieben"] == "templates/digitalisierung-2018.md.j2, Zeile 17"
    assert (workspace / "data" / "programmes.yaml").read_text(encoding="utf-8") == catalogue  # nothing guessed
    changed = (workspace / "templates" / "digitalisierung-2018.md.j2").read_text(encoding="utf-8")
    assert changed == templates.replace("gelingt häufig ohne", "gelingt oft ohne")
    assert hub


def test_uebernehmen_keeps_region_text_and_refuses_pending_changes(generated: Path, tmp_path: Path) -> None:
    folder = tmp_path / "entwuerfe"
    shutil.copytree(generated, folder)
    draft = folder / f"{BOCHUM}.md"
    text = draft.read_text(encoding="utf-8")
    hub = "In Bochum ist das Hub „ruhr:HUB GmbH“ aktiv."
    draft.write_text(text.replace(f"\n{hub}\n", "\nIn Bochum ist das Hub „ruhr:HUB“ aktiv.\n"), encoding="utf-8")
    shown = uebernehmen(draft, ROOT, "--json")
    (row,) = json.loads(shown)
    assert (row["ziel"], row["anzahl"], row["eintrag"]) == ("regional", 1, "dwnrw-hubs")
    docx_file = folder / f"{BOCHUM}.docx"
    docx_file.write_bytes(returned(docx_file.read_bytes()))
    refused = uebernehmen(docx_file, ROOT, code=2)
    assert "2 nicht angenommene Änderungen" in refused
    accepted = json.loads(uebernehmen(docx_file, ROOT, "--aenderungen", "annehmen", "--json"))
    assert [r["ziel"] for r in accepted] == ["offen"]  # "Auf die Ausführungen …" is a shared floskel
