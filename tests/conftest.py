"""Shared fixtures: the repository's workspace, a scratch copy of it, and the CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    """A private copy of the shipped workspace (data/ and templates/) that a test may change."""
    target = tmp_path / "ws"
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copytree(ROOT / "templates", target / "templates")
    return target


@pytest.fixture(scope="session")
def catalogue():
    from anfrage.pipeline import open_workspace

    return open_workspace(ROOT)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def seed(name: str) -> str:
    """Text of a seed document; tests that need one skip when shared/ is not beside the repo."""
    matches = sorted(SEEDS.glob(f"{name}_*.txt"))
    if not matches:
        pytest.skip(f"seed {name} not available in {SEEDS}")
    return matches[0].read_text(encoding="utf-8")


UNUSED = "Textbausteinen kommen in keiner Vorlage vor"
"""The warning about Textbausteine no template uses: the shipped catalogue holds 13 (the offers of
the 2021 strategy wait for a series that needs them)."""


def besides_unused(problems: list) -> list:
    """The problems other than the warning about unused Textbausteine."""
    return [p for p in problems if UNUSED not in p.message]


SHIPPED_SERIES = ("digitalisierung-2018", "ruhrkonferenz-2020")


@pytest.fixture(scope="session")
def shipped_drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 68 shipped drafts (53 + 15), each as .md and .docx, written once by the CLI for every
    test that only reads them (copy the folder before changing anything in it)."""
    from anfrage.cli.app import app

    out = tmp_path_factory.mktemp("shipped") / "entwuerfe"
    runner = CliRunner()
    for serie in SHIPPED_SERIES:
        result = runner.invoke(
            app, ["batch", serie, "-w", str(ROOT), "-o", str(out), "--regionen", "alle", "--format", "beide"]
        )
        assert result.exit_code == 0, result.output
    return out


def soffice_convert(target: str, outdir: Path, *sources: Path, profile: Path | None = None, timeout: int = 180) -> None:
    """Convert ``sources`` with LibreOffice (``target`` e.g. "pdf" or "docx:MS Word 2007 XML") into
    ``outdir``; a profile of its own keeps parallel runs apart."""
    import subprocess

    options = [f"-env:UserInstallation={profile.as_uri()}"] if profile is not None else []
    subprocess.run(
        ["soffice", *options, "--headless", "--convert-to", target, "--outdir", str(outdir), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
