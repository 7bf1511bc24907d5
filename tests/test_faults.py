"""Faults, signals and limits: what a disk, a kill, a second run or a runaway template does to a run.

The fault-injection part fails each write the tool makes (draft, twin, base, manifest, backup) in
turn – with ENOSPC, EROFS and EIO, and with a SIGKILL of the process at that write – and asserts
what a clerk relies on: no partial draft, no lost edit, a manifest that matches the disk, no
temporary file after the next run, and a clean rerun. Anchors: SQLite's I/O-error and crash tests,
git's lock files.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anfrage.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
RUHR = "ruhrkonferenz-2020"
REGIONS = "bochum,dortmund,hagen"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def batch(ws: Path, *args: str, serie: str = RUHR) -> object:
    out = ws / "entwuerfe"
    return CliRunner().invoke(
        app,
        ["batch", serie, "-r", REGIONS, "--format", "beide", "--out", str(out), "-w", str(ws), "--jobs", "1", *args],
    )


def change_catalogue(ws: Path) -> None:
    projects = ws / "data/projects.yaml"
    text = projects.read_text(encoding="utf-8")
    projects.write_text(
        text.replace("Vernetzte Mobilität – kurze Wege", "Vernetzte Mobilität – sehr kurze Wege"), "utf-8"
    )


def manifest_matches_disk(out: Path, edited: dict[str, bytes] | None = None) -> None:
    """Every file the manifest records is on disk with the recorded bytes – except a draft that
    still is exactly as the clerk left it (an edit is never recorded as anfrage's)."""
    path = out / ".anfrage-manifest.json"
    if not path.exists():
        return
    for name, record in json.loads(path.read_text(encoding="utf-8"))["dateien"].items():
        data = (out / name).read_bytes()
        if edited and data == edited.get(name):
            continue
        assert hashlib.sha256(data).hexdigest() == record["sha256"], name


def complete_drafts(out: Path, old: dict[str, bytes]) -> None:
    """Each draft on disk is its old or its new version, never half of one."""
    from anfrage.draft import split_front_matter

    for path in out.glob(f"{RUHR}-*.md"):
        data = path.read_bytes()
        text = data.decode("utf-8")
        meta, _body, _lines = split_front_matter(text)
        assert meta.get("serie") == RUHR and text.endswith("\n"), path.name
        assert data == old.get(path.name) or "sehr kurze Wege" in text, path.name


def temp_files(out: Path) -> list[Path]:
    return [p for p in out.rglob(".*.tmp")]


# --- fault injection ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EIO])
@pytest.mark.parametrize("nth", [1, 2, 3, 5, 8, 10])
def test_a_failing_write_loses_nothing(ws: Path, monkeypatch: pytest.MonkeyPatch, code: int, nth: int) -> None:
    out = ws / "entwuerfe"
    assert batch(ws).exit_code == 0
    old = {p.name: p.read_bytes() for p in out.glob("*.md")}
    edited = out / f"{RUHR}-hagen.md"
    clerk = edited.read_text(encoding="utf-8").replace(
        "# Antwort der Landesregierung", "# Antwort der Landesregierung\n\nVon Hand."
    )
    edited.write_text(clerk, encoding="utf-8")
    change_catalogue(ws)
    real_replace = os.replace
    calls = {"n": 0}

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls["n"] += 1
        if calls["n"] == nth:
            raise OSError(code, os.strerror(code), str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    result = batch(ws)
    monkeypatch.setattr(os, "replace", real_replace)
    assert result.exit_code in (0, 1, 2), result.output
    if calls["n"] >= nth:
        assert result.exit_code != 0, result.output
        assert "kann nicht geschrieben werden" in result.output or "nicht erstellt" in result.output
        assert "Traceback" not in result.output and "Interner Fehler" not in result.output
    assert not temp_files(out)
    manifest_matches_disk(out, {edited.name: clerk.encode()})
    # the clerk's line is in the draft or in a backup
    assert any("Von Hand." in p.read_text(encoding="utf-8") for p in out.glob(f"{RUHR}-hagen*.md"))
    complete_drafts(out, {**old, edited.name: clerk.encode()})

    rerun = batch(ws)
    assert rerun.exit_code == 0, rerun.output
    manifest_matches_disk(out)
    assert "sehr kurze Wege" in (out / f"{RUHR}-bochum.md").read_text(encoding="utf-8")
    assert "Von Hand." in edited.read_text(encoding="utf-8")


KILLER = """
import os, signal, sys
real = os.replace
count = [0]
def replace(src, dst):
    count[0] += 1
    if count[0] == int(os.environ["KILL_AT"]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
os.replace = replace
sys.argv = ["anfrage", *sys.argv[1:]]
from anfrage.cli.app import main
main()
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
@pytest.mark.parametrize("nth", [1, 2, 4, 7, 9])
def test_a_kill_at_any_write_leaves_complete_files_and_a_clean_rerun(ws: Path, nth: int) -> None:
    out = ws / "entwuerfe"
    assert batch(ws).exit_code == 0
    old = {p.name: p.read_bytes() for p in out.glob("*.md")}
    change_catalogue(ws)
    args = ["batch", RUHR, "-r", REGIONS, "--format", "beide", "--out", str(out), "-w", str(ws), "--jobs", "1"]
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, *args], env={**os.environ, "KILL_AT": str(nth)}, capture_output=True, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    complete_drafts(out, old)
    rerun = batch(ws)
    assert rerun.exit_code == 0, rerun.output
    assert not temp_files(out)
    manifest_matches_disk(out)
    for region in REGIONS.split(","):
        assert "sehr kurze Wege" in (out / f"{RUHR}-{region}.md").read_text(encoding="utf-8")


def test_temp_files_of_a_live_run_are_kept(ws: Path) -> None:
    from anfrage.output import remove_stale_temp_files
    from anfrage.process import HOST

    out = ws / "entwuerfe"
    out.mkdir()
    live = out / f".x.md.{HOST}-{os.getpid()}.abc.tmp"
    dead = out / f".x.md.{HOST}-999999999.abc.tmp"
    foreign = out / ".x.md.00000000-1.abc.tmp"
    for path in (live, dead, foreign):
        path.write_bytes(b"")
    assert remove_stale_temp_files(out) == [dead]
    assert live.exists() and foreign.exists()


# --- two runs, one folder --------------------------------------------------------------------------


def test_two_batches_into_one_folder_keep_all_records(ws: Path) -> None:
    out = ws / "entwuerfe"
    base = [sys.executable, "-m", "anfrage", "batch", "--format", "beide", "--out", str(out), "-w", str(ws)]
    first = subprocess.Popen([*base, "digitalisierung-2018", "-r", "regbez:arnsberg"], stdout=subprocess.DEVNULL)
    second = subprocess.Popen([*base, RUHR], stdout=subprocess.DEVNULL)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    records = json.loads((out / ".anfrage-manifest.json").read_text(encoding="utf-8"))["dateien"]
    drafts = {p.name for p in out.glob("*.md")} | {p.name for p in out.glob("*.docx")}
    assert set(records) == drafts and len(drafts) == 2 * (12 + 15)
    manifest_matches_disk(out)


def test_a_live_lock_is_waited_for_and_a_stale_one_taken_over(tmp_path: Path) -> None:
    from anfrage.errors import UserError
    from anfrage.output import folder_lock
    from anfrage.process import HOST

    lock = tmp_path / ".anfrage" / "sperre"
    lock.parent.mkdir()
    lock.write_text(json.dumps({"pid": 999999999, "rechner": HOST}), encoding="utf-8")  # dead process
    with folder_lock(tmp_path, wait=0.2):
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert not lock.exists()
    lock.parent.mkdir(exist_ok=True)
    lock.write_text(json.dumps({"pid": os.getppid(), "rechner": HOST}), encoding="utf-8")  # alive
    start = time.monotonic()
    with pytest.raises(UserError, match="wird gerade von Prozess"), folder_lock(tmp_path, wait=0.3):
        pass
    assert time.monotonic() - start >= 0.3


# --- signals ---------------------------------------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="Linux: /proc lists the processes")
@pytest.mark.parametrize("signum", [signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)])
def test_sigterm_and_sighup_end_a_batch_like_ctrl_c(ws: Path, signum: int) -> None:
    out = ws / "entwuerfe"
    cmd = [sys.executable, "-m", "anfrage", "batch", "digitalisierung-2018", "--format", "beide", "--out", str(out)]
    proc = subprocess.Popen([*cmd, "-w", str(ws), "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    manifest = out / ".anfrage-manifest.json"
    deadline = time.monotonic() + 60
    while not any(out.glob("*.docx")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signum)
    _stdout, stderr = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the batch finished before the signal arrived")
    assert proc.returncode == 128 + signum
    assert "Abgebrochen (Signal" in stderr.decode("utf-8")
    assert manifest.exists()
    manifest_matches_disk(out)
    time.sleep(0.2)
    assert not processes_mentioning(str(out))  # no worker left behind


def processes_mentioning(text: str) -> list[int]:
    """Pids of the processes whose command line contains ``text`` (Linux /proc, as pgrep -f)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in cmdline and int(entry.name) != os.getpid():
            found.append(int(entry.name))
    return found


# --- runaway templates -----------------------------------------------------------------------------


RUNAWAY = [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "range() mit 100.000"),
    ("{{ 9 ** (9 ** 9) }}", "Die Potenz 9 ** 387420489 ist zu groß"),
    ('{{ "x" * 1000000000 }}', "Die Vervielfachung ergäbe 1.000.000.000 Zeichen"),
    ('{{ "x" * 11000000 }}', "Die Vervielfachung ergäbe 11.000.000 Zeichen"),
    ("{% set l = [1] %}{% for x in l %}{{ l.append(x) }}{% endfor %}", "„append“"),
    ("{{ range(100000000) | length }}", "range() mit 100.000.000"),
    (
        "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
        "{% endfor %}{% endfor %}{% endfor %}",
        "lief länger als 1 Sekunden",
    ),
]


@pytest.mark.parametrize(("snippet", "message"), RUNAWAY)
def test_runaway_templates_end_within_the_limit_with_a_german_message(ws: Path, snippet: str, message: str) -> None:
    (ws / "data/einstellungen.yaml").write_text("grenzen:\n  sekunden: 1\n", encoding="utf-8")
    template = ws / "templates/ruhrkonferenz-2020.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("{% endblock %}", snippet + "\n{% endblock %}", 1))
    start = time.monotonic()
    result = batch(ws)
    assert time.monotonic() - start < 10
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "templates/ruhrkonferenz-2020.md.j2:" in result.output
    assert "Interner Fehler" not in result.output


# --- text variants ---------------------------------------------------------------------------------


def test_a_template_saved_with_a_bom_gives_a_draft_without_one(ws: Path) -> None:
    template = ws / "templates/drucksache.md.j2"
    template.write_bytes(b"\xef\xbb\xbf" + template.read_bytes().replace(b"\n", b"\r\n"))
    assert batch(ws).exit_code == 0
    draft = (ws / "entwuerfe" / f"{RUHR}-bochum.md").read_bytes()
    assert draft.startswith(b"---\n") and b"\r" not in draft and b"\xef\xbb\xbf" not in draft


def test_a_crlf_draft_is_still_guarded(ws: Path) -> None:
    out = ws / "entwuerfe"
    assert batch(ws).exit_code == 0
    draft = out / f"{RUHR}-bochum.md"
    text = draft.read_text(encoding="utf-8")
    assert "Welche konkreten Zielperspektiven" in text
    changed = text.replace("Welche konkreten Zielperspektiven", "Welche genauen Zielperspektiven", 1)
    draft.write_bytes(changed.replace("\n", "\r\n").encode("utf-8"))
    result = CliRunner().invoke(app, ["check", "-w", str(ws), "-e", str(out)])
    assert result.exit_code == 1, result.output
    assert "weicht vom Wortlaut der Kleinen Anfrage ab" in result.output


def test_link_syntax_in_a_vorbemerkung_comes_out_verbatim_in_both_twins(ws: Path) -> None:
    from anfrage.docx.text import docx_to_text

    anfrage = ws / "data/anfragen/ruhrkonferenz-2020/ka-4284-bochum.yaml"
    text = anfrage.read_text(encoding="utf-8")
    marker = "vorbemerkung: |\n"
    assert marker in text
    anfrage.write_text(
        text.replace(marker, marker + "  Siehe [Studie](https://example.org/studie) und ![Bild](x.png).\n\n", 1)
    )
    assert batch(ws).exit_code == 0
    md = (ws / "entwuerfe" / f"{RUHR}-bochum.md").read_text(encoding="utf-8")
    word = docx_to_text(ws / "entwuerfe" / f"{RUHR}-bochum.docx")
    assert "Siehe [Studie](https://example.org/studie) und ![Bild](x.png)." in word
    assert "[Studie\\](https://example.org/studie)" in md


def test_a_utf16_catalogue_is_read(ws: Path) -> None:
    path = ws / "data/ressorts.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    result = CliRunner().invoke(app, ["check", "-w", str(ws), RUHR])
    assert result.exit_code == 0, result.output


# --- hostile imports -------------------------------------------------------------------------------


def _pdf(tmp_path: Path, user_password: str) -> Path:
    from pypdf import PdfWriter

    source = ROOT / "tests/fixtures/import/antwort-2960-kleve.pdf"
    writer = PdfWriter(clone_from=str(source))
    writer.encrypt(user_password=user_password, owner_password="geheim", algorithm="AES-256")
    path = tmp_path / f"verschluesselt-{len(user_password)}.pdf"
    writer.write(path)
    return path


def test_an_aes_encrypted_pdf_with_an_empty_password_is_read(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import", str(_pdf(tmp_path, "")), "--json"])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["nummer"] == 2960


def test_a_pdf_with_a_password_is_refused_in_german(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["import", str(_pdf(tmp_path, "kennwort"))])
    assert result.exit_code == 2
    assert "PDF ist mit einem Kennwort verschlüsselt" in result.output


def test_a_docx_renamed_pdf_is_named_without_library_noise(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "anfrage.pdf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    result = subprocess.run(
        [sys.executable, "-m", "anfrage", "import", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"Fehler: {path}: ist eine Word- oder ZIP-Datei mit der Endung .pdf, kein PDF"


def test_a_utf16_text_file_is_imported(tmp_path: Path) -> None:
    source = ROOT / "tests/fixtures/import/ka-2231-hoexter.txt"
    path = tmp_path / "utf16.txt"
    path.write_bytes(source.read_text(encoding="utf-8").encode("utf-16"))
    plain = CliRunner().invoke(app, ["import", str(source), "--json"])
    wide = CliRunner().invoke(app, ["import", str(path), "--json"])
    assert wide.exit_code == plain.exit_code and wide.stdout == plain.stdout


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux: peak memory from /proc")
def test_anfrage_text_refuses_a_docx_zip_bomb_without_unpacking_it(tmp_path: Path) -> None:
    import zipfile

    from anfrage.docx.writer import markdown_to_docx

    source = markdown_to_docx((ROOT / "tests/golden/digitalisierung-2018-bochum.md").read_text(encoding="utf-8"))
    bomb = tmp_path / "bombe.docx"
    with zipfile.ZipFile(io.BytesIO(source)) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/document.xml":
                head, tail = data.split(b"</w:body>")
                data = head + b"<w:p><w:r><w:t>" + b"A" * (80 * 1024 * 1024) + b"</w:t></w:r></w:p></w:body>" + tail
            out.writestr(item, data)
    assert bomb.stat().st_size < 1024 * 1024
    # the peak resident memory of this process since exec (VmHWM; ru_maxrss would include the
    # memory of the forking test process)
    probe = (
        "import sys\n"
        "from anfrage.cli.entry import main\n"
        f"sys.argv = ['anfrage', 'text', {str(bomb)!r}]\n"
        "try:\n    main()\n"
        "finally:\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]\n"
        "    print(status, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "ist als Word-Datei zu groß oder ungewöhnlich stark gepackt" in result.stderr
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    assert peak_kb < 256 * 1024
