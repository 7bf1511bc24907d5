"""``anfrage render``: one draft for one region."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from anfrage.cli.common import (
    AenderungenOption,
    Format,
    Workspace,
    err,
    handle_errors,
    out,
    print_problems,
    report_draft,
    rich_escape,
    workspace_root,
)
from anfrage.errors import EXIT_PROBLEMS
from anfrage.german import anzahl


@handle_errors
def render(
    anfrage_oder_serie: Annotated[
        Path,
        typer.Argument(
            help="Serie (z. B. data/anfragen/digitalisierung-2018.yaml) oder eine einzelne Kleine Anfrage.",
            metavar="SERIE_ODER_ANFRAGE",
            show_default=False,
        ),
    ],
    region: Annotated[
        str,
        typer.Option(
            "--region",
            "-r",
            help="Region als Kennung (bochum), Name (Kreis Höxter) oder Kreisschlüssel/AGS (05911); in einer "
            "Serie je Gemeinde, Landtagswahlkreis (lwk-115-unna-i, 115) oder Projekt deren Kennung oder Name.",
            show_default=False,
        ),
    ],
    format: Annotated[Format, typer.Option("--format", "-f", help="Ausgabeformat: md, docx oder beide.")] = Format.md,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Ausgabeordner für die Entwürfe.", file_okay=False)
    ] = Path("entwuerfe"),
    vorlage: Annotated[
        Path | None,
        typer.Option(
            "--vorlage",
            help="Word-Vorlage (.docx oder .dotx) des Hauses: Formatvorlagen, Seitenränder, Kopf- und Fußzeilen.",
            exists=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Von Hand bearbeitete Entwürfe ersetzen (die bearbeitete Fassung wird vorher gesichert)."
        ),
    ] = False,
    aenderungen: AenderungenOption = None,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Einen Antwortentwurf für eine Region erstellen (Markdown und/oder Word)."""
    from anfrage.draft import count_placeholders
    from anfrage.load.series import open_bundle
    from anfrage.output import OutputFolder
    from anfrage.pipeline import FORMATS, check_vorlage, open_workspace, render_and_write
    from anfrage.render import Renderer
    from anfrage.select import find_einheit

    root = workspace_root(workspace)
    cat = open_workspace(root)
    bundle = open_bundle(cat, anfrage_oder_serie)
    chosen = find_einheit(cat, region, bundle.serie.einheit)
    for warning in check_vorlage(vorlage):
        err.print(f"[yellow]Warnung:[/] {rich_escape(warning)}")
    vorlage_path = vorlage
    folder = OutputFolder(out_dir if out_dir.is_absolute() else Path.cwd() / out_dir)
    folder.clean_up()
    try:
        result = render_and_write(
            Renderer(cat),
            bundle,
            chosen,
            folder,
            FORMATS[format.value],
            vorlage_path,
            force,
            aenderungen.value if aenderungen else None,
        )
    finally:
        folder.save()
    print_problems(result.draft.warnings)
    commit = result.plan.commit
    attention = report_draft(result.written, result.plan.message, commit.conflicts)
    text = commit.markdown if commit.markdown is not None else result.draft.markdown
    count = anzahl(count_placeholders(text), "offener Platzhalter", "offene Platzhalter", "kein offener Platzhalter")
    out.print(f"{chosen.name}: {count} im Entwurf.")
    if attention:
        raise typer.Exit(EXIT_PROBLEMS)
