"""Hand edits survive every re-render: one test per scenario of the hand-edits issue.

Each scenario starts from a fresh copy of the shipped workspace and a first batch into
``entwuerfe``, then does what a clerk, a co-signing ministry, git or Word would do, and runs the
batch again. The catalogue change is always the same: one sentence of the Digitalisierungsgutschein
Textbaustein in ``data/programmes.yaml``.
"""

from __future__ import annotations

import copy
import os
import shutil
import stat
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from anfrage.cli.app import app
from anfrage.docx.text import docx_to_text

ROOT = Path(__file__).resolve().parent.parent
SERIE = "digitalisierung-2018"
OLD = "in einem Zeitraum von einem Jahr."
NEW = "in einem Zeitraum von zwölf Monaten."
HUB_PLACEHOLDER = "[[ERGÄNZEN: Satz zum DWNRW-Hub, der in Hagen aktiv ist"
FILLED = "Von Hand ergänzt: ein Satz zum Hub in Hagen."


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A copy of the shipped workspace with the drafts of the Regierungsbezirk Arnsberg (12) in it."""
    root = tmp_path / "ws"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    result = run(root, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 0, result.output
    return root


def run(ws: Path, *args: str, serie: str = SERIE) -> object:
    out = ws / "entwuerfe"
    return CliRunner().invoke(
        app, ["batch", serie, "--format", "beide", "--out", str(out), "-w", str(ws), *args], catch_exceptions=False
    )


def change_catalogue(ws: Path) -> None:
    programmes = ws / "data/programmes.yaml"
    text = programmes.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    programmes.write_text(text.replace(OLD, NEW), encoding="utf-8")


def draft(ws: Path, region: str, suffix: str = "md") -> Path:
    return ws / "entwuerfe" / f"{SERIE}-{region}.{suffix}"


def fill_placeholder(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(HUB_PLACEHOLDER))
    lines[index] = FILLED
    edited = "\n".join(lines)
    path.write_text(edited, encoding="utf-8")
    return edited


def test_a_filled_placeholder_and_a_catalogue_change_both_reach_both_twins(ws: Path) -> None:
    fill_placeholder(draft(ws, "hagen"))
    change_catalogue(ws)
    result = run(ws, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 0, result.output
    assert "1 zusammengeführt" in result.output and "11 aktualisiert" in result.output
    md = draft(ws, "hagen").read_text(encoding="utf-8")
    assert FILLED in md and NEW in md and OLD not in md and HUB_PLACEHOLDER not in md
    word = docx_to_text(draft(ws, "hagen", "docx"))
    assert FILLED in word and NEW in word and OLD not in word
    for other in ("bochum", "dortmund", "kreis-olpe"):
        assert NEW in draft(ws, other).read_text(encoding="utf-8")
        assert NEW in docx_to_text(draft(ws, other, "docx"))
    assert not list((ws / "entwuerfe").glob("*.bearbeitet-*"))  # a clean merge needs no backup


def test_b_a_paragraph_added_in_word_survives_the_next_catalogue_change(ws: Path) -> None:
    path = draft(ws, "hagen", "docx")
    document = Document(str(path))
    anchor = next(p for p in document.paragraphs if p.text.startswith("Kernelement der Initiative"))
    added = copy.deepcopy(anchor._p)
    anchor._p.addnext(added)
    paragraph = next(p for p in document.paragraphs if p._p is added)
    for run_ in paragraph.runs[1:]:
        run_._r.getparent().remove(run_._r)
    paragraph.runs[0].text = "In Word ergänzt: Der Hub berät auch Handwerksbetriebe."
    document.save(str(path))

    change_catalogue(ws)
    result = run(ws, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 0, result.output
    md = draft(ws, "hagen").read_text(encoding="utf-8")
    assert "In Word ergänzt: Der Hub berät auch Handwerksbetriebe." in md and NEW in md
    word = docx_to_text(path)
    assert "In Word ergänzt: Der Hub berät auch Handwerksbetriebe." in word and NEW in word


def test_c_clerk_and_catalogue_change_the_same_sentence_conflict(ws: Path) -> None:
    path = draft(ws, "hagen")
    mine = "in einem Zeitraum von einem Kalenderjahr."
    edited = path.read_text(encoding="utf-8").replace(OLD, mine)
    path.write_text(edited, encoding="utf-8")
    change_catalogue(ws)
    result = run(ws, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 1, result.output
    assert "Konflikt" in result.output
    md = path.read_text(encoding="utf-8")
    block = next(line for line in md.split("\n") if "[[KONFLIKT" in line)
    assert "Ihre Fassung" in block and mine in block
    assert "Neue Fassung aus dem Katalog" in block and NEW in block
    assert "[[KONFLIKT" in docx_to_text(draft(ws, "hagen", "docx"))
    backups = list((ws / "entwuerfe").glob(f"{SERIE}-hagen.bearbeitet-*.md"))
    assert [b.read_text(encoding="utf-8") for b in backups] == [edited]
    checked = CliRunner().invoke(app, ["check", "-w", str(ws), "-e", str(ws / "entwuerfe")])
    assert checked.exit_code == 1
    assert "Offener Konflikt" in checked.output


def test_d_a_crlf_checkout_is_unchanged(ws: Path) -> None:
    for path in (ws / "entwuerfe").glob("*.md"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = {p: p.read_bytes() for p in (ws / "entwuerfe").glob("*.md")}
    result = run(ws, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 0, result.output
    assert "12 unverändert" in result.output
    assert "bearbeitet" not in result.output
    assert {p: p.read_bytes() for p in before} == before


def test_e_a_locked_docx_leaves_its_draft_alone_and_the_others_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    ruhr = "ruhrkonferenz-2020"
    assert run(root, serie=ruhr).exit_code == 0
    out = root / "entwuerfe"
    # a catalogue change that reaches all 15 drafts of the series: the name of a Handlungsfeld
    projects = root / "data/projects.yaml"
    text = projects.read_text(encoding="utf-8")
    projects.write_text(
        text.replace("Vernetzte Mobilität – kurze Wege", "Vernetzte Mobilität – ganz kurze Wege"), encoding="utf-8"
    )
    locked = out / f"{ruhr}-dortmund.docx"
    before = {p.name: p.read_bytes() for p in out.glob(f"{ruhr}-dortmund.*")}
    real_replace = os.replace

    def sharing_violation(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst) == locked:
            raise PermissionError(13, "Der Prozess kann nicht auf die Datei zugreifen", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", sharing_violation)
    result = run(root, serie=ruhr)
    assert result.exit_code == 1, result.output
    assert "ist geöffnet, z. B. in Word – nicht ersetzt; bitte schließen und erneut ausführen" in result.output
    assert "14 aktualisiert" in result.output and "1 geöffnet – nicht ersetzt" in result.output
    assert {p.name: p.read_bytes() for p in out.glob(f"{ruhr}-dortmund.*")} == before
    assert "ganz kurze Wege" in (out / f"{ruhr}-bochum.md").read_text(encoding="utf-8")
    assert not list(out.glob(".*.tmp"))
    monkeypatch.setattr(os, "replace", real_replace)
    again = run(root, serie=ruhr)
    assert again.exit_code == 0, again.output
    assert "1 aktualisiert" in again.output


def test_f_a_clone_without_manifest_reports_no_false_edits(ws: Path) -> None:
    (ws / "entwuerfe" / ".anfrage-manifest.json").unlink()
    result = run(ws, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 0, result.output
    assert "12 unverändert" in result.output and "bearbeitet" not in result.output
    # and an edit is still recognised and merged without the manifest
    (ws / "entwuerfe" / ".anfrage-manifest.json").unlink()
    fill_placeholder(draft(ws, "hagen"))
    change_catalogue(ws)
    result = run(ws, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 0, result.output
    md = draft(ws, "hagen").read_text(encoding="utf-8")
    assert FILLED in md and NEW in md


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_g_files_get_the_umask_permissions_and_keep_their_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        root = tmp_path / "ws"
        shutil.copytree(ROOT / "data", root / "data")
        shutil.copytree(ROOT / "templates", root / "templates")
        assert run(root, "--regionen", "bochum").exit_code == 0
        out = root / "entwuerfe"
        for name in (f"{SERIE}-bochum.md", f"{SERIE}-bochum.docx", ".anfrage-manifest.json"):
            assert stat.S_IMODE((out / name).stat().st_mode) == 0o644, name
        assert stat.S_IMODE((out / ".anfrage/basis" / f"{SERIE}-bochum.md").stat().st_mode) == 0o644
        (out / f"{SERIE}-bochum.md").chmod(0o600)
        change_catalogue(root)
        assert run(root, "--regionen", "bochum").exit_code == 0
        assert NEW in (out / f"{SERIE}-bochum.md").read_text(encoding="utf-8")
        assert stat.S_IMODE((out / f"{SERIE}-bochum.md").stat().st_mode) == 0o600
    finally:
        os.umask(old)


def _underline_answers(path: Path) -> None:
    document = Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("Kernelement der Initiative"):
            for run_ in paragraph.runs:
                run_.underline = True
    document.save(str(path))


def test_formatting_made_in_word_is_kept_or_backed_up(ws: Path) -> None:
    word = draft(ws, "hagen", "docx")
    _underline_answers(word)
    formatted = word.read_bytes()
    result = run(ws, "--regionen", "regbez:arnsberg")  # nothing changed in the catalogue
    assert result.exit_code == 0, result.output
    assert word.read_bytes() == formatted  # the clerk's formatting stays
    change_catalogue(ws)
    result = run(ws, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 0, result.output
    assert NEW in docx_to_text(word)
    backups = list((ws / "entwuerfe").glob(f"{SERIE}-hagen.bearbeitet-*.docx"))
    assert [b.read_bytes() for b in backups] == [formatted]
    assert "Formatierungen sind in der neuen Fassung nicht enthalten" in result.output


def test_force_keeps_a_word_file_with_pending_changes_as_a_backup(ws: Path) -> None:
    from lxml import etree

    word = draft(ws, "hagen", "docx")
    document = Document(str(word))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Kernelement der Initiative"))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    insertion = etree.fromstring(
        f'<w:ins xmlns:w="{w}" w:id="901" w:author="MAGS" w:date="2018-11-20T10:00:00Z">'
        '<w:r><w:t xml:space="preserve"> Eingefügt.</w:t></w:r></w:ins>'
    )
    paragraph._p.append(insertion)
    document.save(str(word))
    revised = word.read_bytes()
    result = run(ws, "--regionen", "hagen")
    assert result.exit_code == 1 and "Word-Änderungen offen" in result.output
    assert word.read_bytes() == revised
    result = run(ws, "--regionen", "hagen", "--force")
    assert result.exit_code == 0, result.output
    backups = list((ws / "entwuerfe").glob(f"{SERIE}-hagen.bearbeitet-*.docx"))
    assert [b.read_bytes() for b in backups] == [revised]


def test_a_draft_saved_as_windows_1252_is_left_alone(ws: Path) -> None:
    path = draft(ws, "hagen")
    text = path.read_text(encoding="utf-8").replace("Studien wie", "Studien über Hagen wie")
    path.write_bytes(text.encode("cp1252"))
    word = draft(ws, "hagen", "docx").read_bytes()
    change_catalogue(ws)
    result = run(ws, "--regionen", "regbez:arnsberg")
    assert result.exit_code == 1, result.output
    assert "ist nicht in UTF-8 gespeichert" in result.output
    assert path.read_bytes() == text.encode("cp1252") and draft(ws, "hagen", "docx").read_bytes() == word
