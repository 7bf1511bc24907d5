"""The pipeline as the CLI uses it: open a workspace, render a draft, check it, write it.

Kept free of printing; the CLI reports what these functions return or raise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from anfrage import models as m
from anfrage.catalogue import Bundle, Catalogue, load_bundle, load_catalogue
from anfrage.errors import CatalogueError, Problem, UserError, VerbatimError
from anfrage.output import OutputFolder, Written
from anfrage.render import Draft, Renderer

FORMATS = {"md": ("md",), "docx": ("docx",), "beide": ("md", "docx")}


def open_workspace(root: Path) -> Catalogue:
    """Load and validate the catalogues; any error aborts before anything is written."""
    cat = load_catalogue(root)
    if cat.errors():
        raise CatalogueError(cat.problems)
    return cat


def open_bundle(cat: Catalogue, path: Path) -> Bundle:
    """A series or Anfrage by path (relative to the current folder or the workspace) or series id."""
    if not path.exists() and not path.is_absolute():
        for candidate in (cat.root / path, cat.data_dir / "anfragen" / f"{path}.yaml"):
            if candidate.is_file():
                path = candidate
                break
    if not path.exists():
        raise UserError(f"Datei „{path}“ nicht gefunden (erwartet eine Serie oder eine Kleine Anfrage, z. B. data/anfragen/digitalisierung-2018.yaml).")
    return load_bundle(cat, path)


def guard_problems(draft: Draft) -> list[Problem]:
    """The verbatim guard: a problem for every question of the draft that is not its Anfrage's."""
    from anfrage.verbatim import check_questions

    return check_questions(draft.markdown, draft.fragen, f"{draft.name}.md")


def guard(draft: Draft) -> None:
    """Raise ``VerbatimError`` unless every question in the draft is exactly as in its Anfrage."""
    problems = guard_problems(draft)
    if problems:
        raise VerbatimError(problems)


def docx_bytes(draft: Draft, vorlage: Path | None) -> bytes:
    from anfrage.docx_writer import markdown_to_docx

    return markdown_to_docx(draft.markdown, vorlage=vorlage)


@dataclass
class Result:
    draft: Draft
    written: list[Written] = field(default_factory=list)


def render_and_write(
    renderer: Renderer,
    bundle: Bundle,
    region: m.Region,
    folder: OutputFolder,
    formats: tuple[str, ...],
    vorlage: Path | None = None,
    force: bool = False,
) -> Result:
    """Render one draft, guard it, and write the requested formats (nothing if any step fails)."""
    draft = renderer.render(bundle, region)
    guard(draft)
    outputs: list[tuple[str, bytes]] = []
    if "md" in formats:
        outputs.append((f"{draft.name}.md", draft.markdown.encode("utf-8")))
    if "docx" in formats:
        outputs.append((f"{draft.name}.docx", docx_bytes(draft, vorlage)))
    result = Result(draft)
    for name, data in outputs:
        result.written.append(folder.write(name, data, force=force))
    return result
