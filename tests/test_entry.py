"""The top command: --version, shell completion, UTF-8 output of the typer commands."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from anfrage import __version__
from anfrage.cli import entry
from anfrage.cli.app import app
from conftest import ROOT


def test_version_through_typer(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"anfrage {__version__}\n"


def test_version_is_the_package_version() -> None:
    from importlib.metadata import version

    assert version("anfrage") == __version__


def test_top_help_is_german_with_version_and_completion(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = result.output
    for option in ("--version", "--install-completion", "--show-completion"):
        assert option in text
    assert "Die Versionsnummer von anfrage anzeigen." in text
    assert "Die Vervollständigung mit der Tabulatortaste für diese Shell einrichten" in text
    assert "Das Skript für die Vervollständigung ausgeben" in text
    assert "Install completion" not in text and "Show completion" not in text
    assert "init" in text


def console_script() -> str:
    """The installed ``anfrage`` command: completion is keyed to the program's name."""
    script = shutil.which("anfrage", path=str(Path(sys.executable).parent)) or shutil.which("anfrage")
    if script is None:  # pragma: no cover
        pytest.skip("the console script anfrage is not installed")
    return script


def test_no_arguments_show_the_help_without_an_error_line() -> None:
    result = subprocess.run([console_script()], cwd=ROOT, capture_output=True, text=True, check=False)
    assert "Aufruf: anfrage [OPTIONEN] BEFEHL" in result.stdout
    assert result.stderr == ""


def test_shell_completion_answers_from_a_new_process() -> None:
    env = {**os.environ, "_ANFRAGE_COMPLETE": "complete_bash", "COMP_WORDS": "anfrage i", "COMP_CWORD": "1"}
    result = subprocess.run([console_script()], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.split() == ["init", "import"]
    env.update(COMP_WORDS="anfrage text ", COMP_CWORD="2")  # not the lean path: typer answers
    result = subprocess.run([console_script()], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "Traceback" not in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="typer would change the PowerShell profile")
def test_install_completion_is_german(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    result = subprocess.run(
        [console_script(), "--install-completion"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Vervollständigung für bash eingerichtet in ")
    assert (tmp_path / ".bash_completions" / "anfrage.sh").is_file()


def test_rich_output_under_cp1252_is_utf8(tmp_path: Path) -> None:
    """A typer command (rich consoles) with a character cp1252 lacks, output to a pipe."""
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "anfrage", "init", "Doğan-ws"], cwd=tmp_path, env=env, capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode("utf-8")
    assert "Arbeitsbereich in „Doğan-ws“".encode() in result.stdout
    table = subprocess.run(
        [sys.executable, "-m", "anfrage", "list", "regionen", "-w", str(tmp_path / "Doğan-ws")],
        env=env,
        capture_output=True,
        check=False,
    )
    assert table.returncode == 0, table.stderr.decode("utf-8")
    shown = table.stdout.decode("utf-8")
    assert "53 Kreise und kreisfreie Städte" in shown and "┏" in shown


class _Stream(io.BytesIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("platform", "tty", "encoding", "errors"),
    [
        ("linux", False, "utf-8", "backslashreplace"),  # a pipe or a file
        ("win32", False, "utf-8", "backslashreplace"),
        ("win32", True, "utf-8", "backslashreplace"),  # the Windows console takes UTF-8 from Python
        ("linux", True, "cp1252", "replace"),  # a terminal keeps its encoding, but nothing raises
    ],
)
def test_utf8_output(monkeypatch: pytest.MonkeyPatch, platform: str, tty: bool, encoding: str, errors: str) -> None:
    stdout = io.TextIOWrapper(_Stream(tty), encoding="cp1252")
    stderr = io.TextIOWrapper(_Stream(tty), encoding="cp1252")
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    entry.utf8_output()
    for stream in (stdout, stderr):
        assert (stream.encoding, stream.errors) == (encoding, errors)
        stream.write("Doğan\n")  # never raises
        stream.flush()
