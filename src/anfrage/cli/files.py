"""``anfrage text`` and ``anfrage import``: reading Word files and Drucksachen."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from anfrage.cli.common import Workspace, display_path, err, handle_errors, print_problems, rich_escape, workspace_root
from anfrage.errors import EXIT_PROBLEMS, UserError


@handle_errors
def text(
    datei: Annotated[Path, typer.Argument(help="Word-Datei (.docx).", metavar="DATEI", show_default=False)],
) -> None:
    """Den Text einer Word-Datei ausgeben (für „git diff“ von .docx-Dateien)."""
    from anfrage.docx.text import docx_to_text

    if not datei.is_file():
        raise UserError(f"Datei „{datei}“ nicht gefunden.")
    sys.stdout.write(docx_to_text(datei))


@handle_errors
def import_(
    datei: Annotated[
        Path,
        typer.Argument(
            help="Drucksache der Kleinen Anfrage als PDF oder Text (.txt).", metavar="DRUCKSACHE", show_default=False
        ),
    ],
    serie: Annotated[
        str | None, typer.Option("--serie", "-s", help="Kennung der Serie, zu der die Anfrage gehört.")
    ] = None,
    ausgabe: Annotated[
        Path | None,
        typer.Option("--ausgabe", "-o", help="YAML-Datei, in die die Anfrage geschrieben wird.", dir_okay=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Den erkannten Datensatz als JSON ausgeben.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Eine vorhandene Ausgabedatei überschreiben.")] = False,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Eine Kleine Anfrage aus ihrer Drucksache (PDF oder Text) einlesen.

    Fehlt im Text eine Angabe (Nummer, Datum, Abgeordnete …), wird der Datensatz trotzdem ausgegeben
    oder geschrieben; die fehlenden Angaben stehen als Liste auf der Fehlerausgabe (Rückgabewert 1).
    """
    from anfrage.importer import default_regions, import_drucksache, record_to_yaml
    from anfrage.output import atomic_write

    record, problems = import_drucksache(datei, default_regions(workspace_root(workspace)))
    if serie:
        record = {"serie": serie, **record}
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    if ausgabe is not None:
        if ausgabe.exists() and not force:
            raise UserError(f"„{ausgabe}“ gibt es schon; mit --force überschreiben.")
        atomic_write(ausgabe, record_to_yaml(record, serie).encode("utf-8"))
        nummer = record.get("nummer")
        count = len(record.get("fragen", []))
        err.print(
            f"{rich_escape(display_path(ausgabe.resolve()))}: Kleine Anfrage "
            f"{nummer if nummer is not None else '(ohne Nummer)'} mit {count} {'Frage' if count == 1 else 'Fragen'} "
            "geschrieben."
        )
    elif not as_json:
        sys.stdout.write(record_to_yaml(record, serie))
    if problems:
        print_problems(problems)
    missing = sum(1 for p in problems if p.severity == "fehler")
    if missing:
        err.print(
            f"[bold yellow]{missing} {'Angabe' if missing == 1 else 'Angaben'} nicht im Text gefunden – "
            "bitte in der Anfrage-Datei ergänzen.[/]"
        )
        raise typer.Exit(EXIT_PROBLEMS)
