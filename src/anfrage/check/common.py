"""Results of ``anfrage check`` and the state one check run shares between its parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from anfrage import german
from anfrage.errors import AnfrageError, CatalogueError, Problem
from anfrage.load.catalogue import DATA, Catalogue
from anfrage.load.series import Bundle
from anfrage.pipeline import Draft
from anfrage.render import Renderer

ANFRAGEN = f"{DATA}/anfragen"
PROGRAMMES = f"{DATA}/programmes.yaml"
WARN_MONTHS = 3  # warn when a programme ends this soon after the answer date


@dataclass
class SeriesReport:
    """How a series fared: drafts rendered, open placeholders in them, regions without a draft."""

    serie: str
    file: str
    drafts: int = 0
    placeholders: int = 0
    failed: int = 0
    blocked_by: list[str] = field(default_factory=list)  # files with errors: nothing was rendered


@dataclass
class DraftReport:
    """An existing draft file: its series, region and open placeholders."""

    file: str
    serie: str | None
    region: str | None
    placeholders: int | None  # None: the file could not be read
    aenderungen: int = 0  # pending tracked changes of a Word draft
    freigabe: dt.date | None = None  # the clock of its Anfrage, while the answer is not sent
    frist: dt.date | None = None


@dataclass
class CheckResult:
    """Everything ``anfrage check`` found; ``problems`` sorted by file and line."""

    problems: list[Problem] = field(default_factory=list)
    series: list[SeriesReport] = field(default_factory=list)
    drafts: list[DraftReport] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warnung"]

    def errors(self, strict: bool = False) -> list[Problem]:
        """Problems that make the check fail; with ``strict`` warnings count too."""
        return [p for p in self.problems if strict or p.severity == "fehler"]


# --- per-region findings, merged into one problem per series ------------------------------------


class Findings:
    """Collects the same finding from many drafts of a series as one problem naming the regions."""

    def __init__(self) -> None:
        self._found: dict[Problem, list[str]] = {}

    def add(self, problem: Problem, region: str) -> None:
        regions = self._found.setdefault(problem, [])
        if region not in regions:
            regions.append(region)

    def problems(self, serie: str, total: int) -> list[Problem]:
        out = []
        for problem, regions in self._found.items():
            message = problem.message.rstrip(".") + _affected(regions, serie, total) + "."
            out.append(Problem(problem.file, problem.line, problem.key, message, problem.severity))
        return out


def _affected(regions: list[str], serie: str, total: int) -> str:
    if not regions:
        return ""
    if len(regions) == total and total > 1:
        return f" (alle {total} Entwürfe der Serie „{serie}“)"
    if len(regions) <= 3:
        return (
            f" (Entwurf für {german.aufzaehlung(regions)})"
            if len(regions) == 1
            else f" (Entwürfe für {german.aufzaehlung(regions)})"
        )
    return f" ({len(regions)} Entwürfe der Serie „{serie}“, z. B. für {german.aufzaehlung(regions[:3])})"


# --- the state of one run ------------------------------------------------------------------


@dataclass
class Context:
    cat: Catalogue
    renderer: Renderer
    bundles: dict[str, Bundle] = field(default_factory=dict)  # series id → bundle that loaded
    broken: set[str] = field(default_factory=set)  # series ids whose files have errors
    drafts: dict[tuple[str, str], Draft] = field(default_factory=dict)  # (series, region) → draft
    problems: set[Problem] = field(default_factory=set)
    hints: list[str] = field(default_factory=list)  # notes that are no problem (not counted, not --strict)
    heute: dt.date = field(default_factory=dt.date.today)  # for drafts due at the Staatskanzlei

    def report(self, problems: Sequence[Problem]) -> None:
        self.problems.update(problems)


def display(path: Path, root: Path, cwd: Path) -> str:
    for base in (root, cwd):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def as_problems(exc: AnfrageError, default_file: str) -> list[Problem]:
    if isinstance(exc, CatalogueError):
        return exc.problems
    return [Problem(exc.file or default_file, exc.line, exc.key, exc.message)]
