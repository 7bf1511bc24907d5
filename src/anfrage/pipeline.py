"""The one production path: open a workspace, render a draft, normalise and guard it, make its bytes.

``anfrage render``, ``anfrage batch`` and ``anfrage check`` all produce drafts through
:func:`make_draft` (scope → render → normalise → structure) and :func:`produce` (→ verbatim guard →
Markdown and DOCX bytes). Kept free of printing; the CLI reports what these functions return or
raise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from anfrage import draft as contract
from anfrage import markdown, update
from anfrage import models as m
from anfrage.errors import CatalogueError, Problem
from anfrage.guard import check_questions, check_structure, guard
from anfrage.load.catalogue import Catalogue, load_catalogue
from anfrage.load.series import Bundle
from anfrage.output import OnDisk, OutputFolder, Written
from anfrage.render import Renderer
from anfrage.render.context import AnfrageView
from anfrage.select import Subject, require_in_scope
from anfrage.update import Aenderungen, Plan

FORMATS = {"md": ("md",), "docx": ("docx",), "beide": ("md", "docx")}


def open_workspace(root: Path) -> Catalogue:
    """Load and validate the catalogues; any error aborts before anything is written."""
    cat = load_catalogue(root)
    if cat.errors():
        raise CatalogueError(cat.problems)
    return cat


@dataclass
class Draft:
    """A draft as it is written: file stem, normalised Markdown, its Anfrage, warnings."""

    name: str
    markdown: str
    region: m.Einheit
    serie: m.Serie
    anfrage: AnfrageView
    fragen: list[tuple[int, str]]
    warnings: list[Problem] = field(default_factory=list)
    programme: list[str] = field(default_factory=list)  # ids the template asked for, in order

    @property
    def placeholders(self) -> int:
        return contract.count_placeholders(self.markdown)


def make_draft(renderer: Renderer, bundle: Bundle, region: Subject) -> Draft:
    """Render the draft of ``bundle``'s series for ``region``, normalised and structurally checked.

    Raises ``UserError`` for a region outside the series' scope and ``RenderError`` for a
    template that fails or leaves a question out or unanswered.
    """
    require_in_scope(renderer.cat, bundle.serie, region)
    rendered = renderer.render(bundle, region)
    text = markdown.normalise(rendered.text)
    check_structure(text, list(rendered.anfrage.fragen), rendered.questions, rendered.template)
    return Draft(
        name=rendered.name,
        markdown=text,
        region=rendered.region,
        serie=rendered.serie,
        anfrage=rendered.anfrage,
        fragen=rendered.fragen,
        warnings=rendered.warnings,
        programme=rendered.programme,
    )


def guard_problems(draft: Draft) -> list[Problem]:
    """The verbatim guard: a problem for every question of the draft that is not its Anfrage's."""
    return check_questions(draft.markdown, draft.fragen, f"{draft.name}.md")


def check_vorlage(vorlage: Path | None) -> list[str]:
    """Open the Word template once up front, so a broken one fails the run, not every draft.

    Returns German warnings about what of the Drucksache layout the template cannot take over.
    """
    if vorlage is None:
        return []
    from anfrage.docx.writer import check_vorlage as check

    return list(check(vorlage))


def produce(
    renderer: Renderer,
    bundle: Bundle,
    region: Subject,
    formats: tuple[str, ...],
    vorlage: Path | None = None,
    *,
    folder: OutputFolder | None = None,
    force: bool = False,
    aenderungen: Aenderungen = None,
) -> tuple[Draft, Plan]:
    """The draft of one region and what its folder gets: the new render, or the clerk's edits
    merged into it (``update.plan``). ``VerbatimError`` if a question differs from the Anfrage.

    Nothing is written here; :meth:`OutputFolder.commit` writes the plan's commit.
    """
    draft = make_draft(renderer, bundle, region)
    guard(draft.markdown, draft.fragen, f"{draft.name}.md")
    disk = folder.inspect(draft.name) if folder is not None else OnDisk(draft.name)

    def make_docx(text: str) -> bytes:
        from anfrage.docx.writer import markdown_to_docx  # python-docx is loaded only when a DOCX is made

        return markdown_to_docx(text, vorlage=vorlage)

    planned = update.plan(disk, draft.markdown, formats, make_docx, force=force, aenderungen=aenderungen)
    return draft, planned


@dataclass
class Result:
    draft: Draft
    plan: Plan
    written: list[Written] = field(default_factory=list)


def render_and_write(
    renderer: Renderer,
    bundle: Bundle,
    region: Subject,
    folder: OutputFolder,
    formats: tuple[str, ...],
    vorlage: Path | None = None,
    force: bool = False,
    aenderungen: Aenderungen = None,
) -> Result:
    """Render one draft, guard it, merge the clerk's edits and write both twins as a unit."""
    draft, planned = produce(
        renderer, bundle, region, formats, vorlage, folder=folder, force=force, aenderungen=aenderungen
    )
    return Result(draft, planned, folder.commit(planned.commit))
