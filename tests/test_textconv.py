"""``anfrage text`` as git's textconv: the lean path of ``cli/entry.py`` as a new process.

Every test starts ``python -m anfrage`` (which runs ``cli/entry.py`` like the console script) with
the console encoding of a German Windows, ``PYTHONIOENCODING=cp1252``: what goes to a pipe must be
UTF-8 all the same.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from anfrage.docx.text import docx_to_text
from conftest import ROOT

# What reading a DOCX does not need; none of it may be imported on the textconv path.
HEAVY = ("typer", "click", "rich", "pydantic", "pydantic_core", "jinja2", "yaml", "babel", "docx", "markdown_it")
FOREIGN = "Doğan Öztürk – „Zitat“ ½ € ✓ 中文"


def anfrage(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[bytes]:
    environment = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0", **env}
    environment.pop("ANFRAGE_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "anfrage", *args], cwd=cwd, env=environment, capture_output=True, check=False
    )


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("entwuerfe")
    result = anfrage("render", "digitalisierung-2018", "-r", "bochum", "-f", "docx", "-o", str(out))
    assert result.returncode == 0, result.stderr.decode("utf-8")
    return out / "digitalisierung-2018-bochum.docx"


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Word file with characters that cp1252 cannot encode."""
    doc = docx.Document()
    doc.add_paragraph(FOREIGN)
    path = tmp_path_factory.mktemp("fremd") / "fremd.docx"
    doc.save(str(path))
    return path


def test_text_writes_utf8_to_a_pipe_whatever_the_encoding(draft: Path, foreign: Path) -> None:
    result = anfrage("text", str(draft))
    assert result.returncode == 0, result.stderr.decode("utf-8")
    assert result.stdout == docx_to_text(draft).encode("utf-8")
    assert b"Vorbemerkung der Kleinen Anfrage" in result.stdout
    assert "„ruhr:HUB GmbH“".encode() in result.stdout
    assert b"\r\n" not in result.stdout

    result = anfrage("text", str(foreign))
    assert result.returncode == 0, result.stderr.decode("utf-8")
    assert result.stdout.decode("utf-8") == FOREIGN + "\n"
    assert result.stderr == b""


def test_text_does_not_import_typer_rich_pydantic_or_jinja(draft: Path) -> None:
    result = anfrage("text", str(draft), PYTHONPROFILEIMPORTTIME="1")
    assert result.returncode == 0
    imported = {
        line.split("|")[-1].strip()
        for line in result.stderr.decode("utf-8").splitlines()
        if line.startswith("import time:")
    }
    assert "anfrage.docx.text" in imported and "lxml.etree" in imported
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
    assert heavy == []
    assert not any(m.startswith("anfrage.cli.app") or m.startswith("anfrage.cli.common") for m in imported)


def test_version_takes_the_lean_path_too() -> None:
    from anfrage import __version__

    result = anfrage("--version", PYTHONPROFILEIMPORTTIME="1")
    assert result.returncode == 0
    assert result.stdout == f"anfrage {__version__}\n".encode()
    assert "typer" not in result.stderr.decode("utf-8")


def test_missing_file_is_named_as_typed_exit_2(tmp_path: Path) -> None:
    result = anfrage("text", "fehlt/Doğan.docx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode("utf-8") == "Fehler: Datei „fehlt/Doğan.docx“ nicht gefunden.\n"


@pytest.mark.parametrize("content", [b"kein zip", b"PK\x03\x04 kaputt", b""])
def test_a_broken_file_is_a_german_error_without_traceback(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "kaputt.docx").write_bytes(content)
    result = anfrage("text", "kaputt.docx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode("utf-8") == "Fehler: Die Datei „kaputt.docx“ ist keine lesbare Word-Datei (DOCX).\n"


def test_a_docx_without_its_header_part_is_a_german_error(draft: Path, tmp_path: Path) -> None:
    import zipfile

    broken = tmp_path / "ohne-kopf.docx"
    with zipfile.ZipFile(draft) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if not item.filename.startswith("word/header"):
                target.writestr(item, source.read(item))
    result = anfrage("text", str(broken))
    assert result.returncode == 2
    assert "keine lesbare Word-Datei" in result.stderr.decode("utf-8")
    assert b"Traceback" not in result.stderr


def test_other_uses_of_text_go_to_the_typer_command(tmp_path: Path) -> None:
    helped = anfrage("text", "--help")
    assert helped.returncode == 0
    assert "anfrage text [OPTIONEN] {DATEI}" in helped.stdout.decode("utf-8")
    none = anfrage("text")
    assert none.returncode == 2
    assert "Argument fehlt" in none.stderr.decode("utf-8")


def test_the_typer_command_gives_the_same_text(draft: Path) -> None:
    from typer.testing import CliRunner

    from anfrage.cli.app import app

    result = CliRunner().invoke(app, ["text", str(draft)])
    assert result.exit_code == 0
    assert result.stdout == docx_to_text(draft)
