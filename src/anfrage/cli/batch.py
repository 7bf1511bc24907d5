"""CLI command ``anfrage batch`` (registered in ``cli/app.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from anfrage.cli.common import (
    AenderungenOption,
    Format,
    Workspace,
    display_path,
    err,
    handle_errors,
    out,
    print_problems,
    rich_escape,
    workspace_root,
)
from anfrage.errors import EXIT_PROBLEMS, UserError
from anfrage.output import Status

if TYPE_CHECKING:  # pragma: no cover
    from anfrage.batch import RegionResult

# The summary line names these always, the others only when they occur.
_ORDER = (Status.NEU, Status.AKTUALISIERT, Status.UNVERAENDERT)
_RARE = (
    Status.ZUSAMMENGEFUEHRT,
    Status.KONFLIKT,
    Status.BEARBEITET,
    Status.AENDERUNGEN,
    Status.GESICHERT,
    Status.GESPERRT,
)


@handle_errors
def batch(
    serie: Annotated[
        str,
        typer.Argument(
            help="Serie als Datei (z. B. data/anfragen/digitalisierung-2018.yaml) oder Kennung (digitalisierung-2018).",
            metavar="SERIE",
            show_default=False,
        ),
    ],
    regionen: Annotated[
        str,
        typer.Option(
            "--regionen",
            "-r",
            help="Welche Regionen: alle, eine Gruppe (ruhrgebiet), ein Regierungsbezirk (regbez:arnsberg) "
            "oder Kennungen mit Komma (bochum,dortmund). Regionen außerhalb des Geltungsbereichs der Serie "
            "werden übersprungen; einzeln genannte gelten dann als Fehler.",
        ),
    ] = "alle",
    format: Annotated[Format, typer.Option("--format", "-f", help="Ausgabeformat: md, docx oder beide.")] = Format.md,
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Ausgabeordner für die Entwürfe.", file_okay=False)
    ] = Path("entwuerfe"),
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            help="Anzahl paralleler Prozesse zum Erstellen der Entwürfe: 1 = ohne Parallelität, "
            "0 = automatisch (unter Linux 2 Prozesse ab 8 Entwürfen, sonst 1).",
            show_default="0 = automatisch",
        ),
    ] = 0,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Von Hand bearbeitete Entwürfe ersetzen (die bearbeitete Fassung wird vorher gesichert)."
        ),
    ] = False,
    vorlage: Annotated[
        Path | None,
        typer.Option(
            "--vorlage",
            help="Word-Vorlage (.docx oder .dotx) des Hauses: Formatvorlagen, Seitenränder, Kopf- und Fußzeilen.",
        ),
    ] = None,
    bericht: Annotated[
        bool,
        typer.Option(
            "--bericht",
            help="Prüfbericht <Serie>-bericht.md in den Ausgabeordner schreiben: gemeinsamer Text einmal, "
            "je Region nur die Abweichungen, offene Platzhalter je Region.",
        ),
    ] = False,
    aenderungen: AenderungenOption = None,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Entwürfe für eine ganze Serie erstellen – für alle Regionen ihres Geltungsbereichs oder eine Auswahl."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from anfrage.batch import plan_batch, run_batch
    from anfrage.load.series import open_series
    from anfrage.pipeline import FORMATS, check_vorlage, open_workspace

    # Validation first: any error here ends the run before a file is written (exit 2).
    if jobs < 0:
        raise UserError(f"--jobs muss 0 (automatisch) oder eine positive Zahl sein (angegeben: {jobs}).")
    cat = open_workspace(workspace_root(workspace))
    bundle, source = open_series(cat, serie)
    plan = plan_batch(cat, bundle, source, regionen)
    for warning in check_vorlage(vorlage):
        err.print(f"[yellow]Warnung:[/] {rich_escape(warning)}")
    vorlage_path = vorlage
    folder = out_dir if out_dir.is_absolute() else Path.cwd() / out_dir

    if plan.outside:
        out.print(
            f"{len(plan.outside)} {_regions(len(plan.outside))} außerhalb des Geltungsbereichs der Serie "
            f"({rich_escape(plan.scope)}) – übersprungen."
        )

    # No auto-refresh thread: the display is refreshed after each draft, and worker processes are
    # never forked while a second thread runs.
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        auto_refresh=False,
        transient=True,
    ) as bar:
        task = bar.add_task("Entwürfe", total=plan.total)

        def progress(done: int, total: int, result: RegionResult) -> None:
            bar.update(task, completed=done, description=rich_escape(result.region.name))
            bar.refresh()

        result = run_batch(
            cat,
            bundle,
            plan,
            folder,
            FORMATS[format.value],
            vorlage=vorlage_path,
            force=force,
            aenderungen=aenderungen.value if aenderungen else None,
            jobs=jobs or None,
            bericht=bericht,
            progress=progress,
        )

    # The same warning (e.g. an ended programme) arises for every region: show it once.
    print_problems(sorted({w for item in result.results for w in item.warnings}))

    if result.results:
        table = Table(title=f"Serie {rich_escape(result.serie.id)}")
        table.add_column("Region")
        table.add_column("Dateien")
        table.add_column("Status")
        table.add_column("offene Platzhalter", justify="right")
        for item in result.results:
            table.add_row(
                rich_escape(item.region.name),
                _files(item),
                _status(item),
                "–" if item.error else str(item.placeholders),
            )
        out.print(table)

    if result.failed:
        err.print(f"[bold red]{len(result.failed)} {_drafts(len(result.failed))} nicht erstellt:[/]")
        # One template error fails every region alike: group the regions by their reason.
        for reason, problems, names in result.failures_by_reason():
            err.print(f"  {rich_escape(_names(names))}: {rich_escape(reason)}")
            print_problems(problems)
    for item in result.results:
        for w in item.written:
            if w.backup is not None:
                out.print(
                    f"{rich_escape(display_path(w.path))}: bearbeitete Fassung gesichert als "
                    f"{rich_escape(display_path(w.backup))}"
                )
    skipped = (Status.GESPERRT, Status.BEARBEITET, Status.AENDERUNGEN)
    for item in result.results:  # e.g. formatting made in Word that a new text cannot keep
        if item.message and item.status not in skipped:
            err.print(f"[yellow]{rich_escape(item.region.name)}:[/] {rich_escape(item.message)}")
    conflicts = [r for r in result.results if r.status is Status.KONFLIKT]
    if conflicts:
        n = len(conflicts)
        err.print(
            f"[yellow]{n} {_drafts(n)} mit Konflikten:[/] Ihre Fassung und die neue Fassung aus dem Katalog "
            "stehen im Block „[[KONFLIKT: …]]“. Eine Fassung wählen, den Block durch sie ersetzen, dann "
            "„anfrage check“."
        )
        for r in conflicts:
            err.print(f"  {rich_escape(r.region.name)}")
    locked = [r for r in result.results if r.status is Status.GESPERRT]
    for r in locked:
        err.print(f"[yellow]{rich_escape(r.region.name)}:[/] {rich_escape(r.message or '')}")
    if result.skipped_edits:
        err.print(
            f"[yellow]{len(result.skipped_edits)} von Hand bearbeitete "
            f"{'Datei' if len(result.skipped_edits) == 1 else 'Dateien'} "
            "nicht ersetzt.[/] Mit --force ersetzen; die bearbeitete Fassung wird vorher gesichert."
        )
        for w in result.skipped_edits:
            err.print(f"  {rich_escape(display_path(w.path))}")
        reasons = sorted({r.message for r in result.results if r.message and r.status is not Status.GESPERRT})
        for reason in reasons:
            err.print(f"  {rich_escape(reason)}")
    if result.report is not None:
        w = result.report
        extra = f" (Sicherung: {rich_escape(display_path(w.backup))})" if w.backup else ""
        out.print(f"Prüfbericht: {rich_escape(display_path(w.path))} – {w.status.value}{extra}")

    total = len(result.results)
    shown = [*_ORDER, *(s for s in _RARE if result.count(s))]
    counts = ", ".join(f"{result.count(s)} {s.value}" for s in shown)
    out.print(f"{total} {_drafts(total)}: {counts}, {len(result.failed)} Fehler.")
    if result.unchanged and total:
        out.print("Nichts geändert – alle Entwürfe sind aktuell.")
    if result.problems_found:
        raise typer.Exit(EXIT_PROBLEMS)


def _files(item: RegionResult) -> str:
    return ", ".join(w.path.suffix.lstrip(".") for w in item.written) or "–"


def _status(item: RegionResult) -> str:
    if item.error is not None:
        return f"[red]Fehler: {rich_escape(_short(item.error))}[/]"
    statuses = {w.status for w in item.written}
    if len(statuses) == 1:
        text = next(iter(statuses)).value
    else:
        text = ", ".join(f"{w.path.suffix.lstrip('.')}: {w.status.value}" for w in item.written)
    if statuses & {Status.BEARBEITET, Status.AENDERUNGEN, Status.KONFLIKT, Status.GESPERRT}:
        return f"[yellow]{rich_escape(text)}[/]"
    return rich_escape(text)


def _short(reason: str, limit: int = 90) -> str:
    reason = " ".join(reason.split())
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


def _names(names: list[str]) -> str:
    if len(names) <= 4:
        return ", ".join(names)
    return f"{', '.join(names[:3])} und {len(names) - 3} weitere Regionen"


def _drafts(n: int) -> str:
    return "Entwurf" if n == 1 else "Entwürfe"


def _regions(n: int) -> str:
    return "Region liegt" if n == 1 else "Regionen liegen"
