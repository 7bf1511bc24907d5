"""CLI command ``anfrage check`` (registered in ``cli/app.py``).

Only printing happens here; what is checked lives in ``anfrage.check``. The findings are the output
of the command, so they go to stdout (``anfrage check > bericht.txt``); an unusable workspace is
reported on stderr by ``handle_errors``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from anfrage.cli.common import Workspace, handle_errors, out, workspace_root
from anfrage.errors import EXIT_OK, EXIT_PROBLEMS
from anfrage.german import anzahl, datum


@handle_errors
def check(
    ziele: Annotated[
        list[str] | None,
        typer.Argument(
            help=(
                "Serien (Datei oder Kennung, z. B. digitalisierung-2018) oder Entwürfe (.md oder .docx), die geprüft "
                "werden; ohne Angabe alle Serien."
            ),
            metavar="SERIE_ODER_ENTWURF",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnungen als Fehler werten (Rückgabewert 1).")] = False,
    entwuerfe: Annotated[
        Path | None,
        typer.Option(
            "--entwuerfe",
            "-e",
            help=(
                "Ordner mit Entwürfen (.md und .docx): offene Platzhalter zählen, die Fragen mit den Kleinen "
                "Anfragen vergleichen, offene Word-Änderungen melden."
            ),
            show_default=False,
        ),
    ] = None,
    quellen: Annotated[
        bool,
        typer.Option(
            "--quellen",
            help="Auch Katalogeinträge ohne Quelle und Quellen, deren Fundstelle fehlt, als Warnung melden.",
        ),
    ] = False,
    heute: Annotated[
        str | None,
        typer.Option(
            "--heute",
            help="Stichtag: offene Platzhalter in Entwürfen, deren Antwort ab diesem Tag bei der Staatskanzlei zur "
            "Freigabe fällig ist, sind Warnungen (mit --strict Fehler).",
            show_default="heutiges Datum",
        ),
    ] = None,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Kataloge, Vorlagen, Serien und Entwürfe prüfen und alle Probleme auf einmal melden (nach Datei und Zeile)."""
    from anfrage.check import check_workspace
    from anfrage.status.clock import heute_oder

    result = check_workspace(
        workspace_root(workspace), ziele or [], entwuerfe, quellen=quellen, heute=heute_oder(heute)
    )
    for problem in result.problems:
        style = "yellow" if problem.severity == "warnung" else "red"
        out.print(str(problem), style=style, markup=False, highlight=False)
    for series in result.series:
        if series.blocked_by:
            if series.blocked_by == [series.file]:
                reason = "weil die Serie oder eine ihrer Kleinen Anfragen Fehler hat"
            else:
                verb = "ist" if len(series.blocked_by) == 1 else "sind"
                reason = f"weil {' und '.join(series.blocked_by)} nicht verwendbar {verb}"
            out.print(
                f"Serie „{series.serie}“: keine Entwürfe probeweise erstellt, {reason} (siehe oben).",
                markup=False,
                highlight=False,
            )
            continue
        line = (
            f"Serie „{series.serie}“: {anzahl(series.drafts, 'Entwurf', 'Entwürfe')} probeweise erstellt (nicht "
            "gespeichert), "
            f"{anzahl(series.placeholders, 'offener Platzhalter', 'offene Platzhalter')}"
        )
        if series.failed:
            line += f"; {anzahl(series.failed, 'Region', 'Regionen')} ohne Entwurf wegen Fehlern (siehe oben)"
        out.print(line + ".", markup=False, highlight=False)
    for draft in result.drafts:
        if draft.placeholders is None:
            line = f"{draft.file}: nicht lesbar (siehe oben)."
        else:
            line = f"{draft.file}: {anzahl(draft.placeholders, 'offener Platzhalter', 'offene Platzhalter')}"
            if draft.aenderungen:
                changes = anzahl(draft.aenderungen, "nicht angenommene Änderung", "nicht angenommene Änderungen")
                line += f", {changes} (siehe oben)"
            if draft.freigabe is not None and draft.frist is not None:
                line += f" – Freigabe {datum(draft.freigabe)}, Frist {datum(draft.frist)}"
            line += "."
        out.print(line, markup=False, highlight=False)
    for hint in result.hints:
        out.print(f"Hinweis: {hint}", markup=False, highlight=False)
    errors = len([p for p in result.problems if p.severity == "fehler"])
    warnings = len(result.warnings)
    failed = bool(result.errors(strict))
    if not result.problems:
        out.print("Keine Probleme gefunden.", style="green", markup=False)
    else:
        summary = f"{anzahl(errors, 'Fehler', 'Fehler')}, {anzahl(warnings, 'Warnung', 'Warnungen')} gefunden"
        if strict and warnings:
            summary += " (--strict: Warnungen zählen als Fehler)"
        out.print(summary + ".", style="bold red" if failed else "yellow", markup=False)
    raise typer.Exit(EXIT_PROBLEMS if failed else EXIT_OK)
