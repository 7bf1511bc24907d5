"""``anfrage text`` and ``anfrage import``: reading Word files and Drucksachen."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from anfrage.cli.common import (
    Workspace,
    display_path,
    err,
    handle_errors,
    print_problems,
    rich_escape,
    workspace_root,
)
from anfrage.cli.serie import EinheitOption, Einvernehmen, Federfuehrend, Titel, _list
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
    dateien: Annotated[
        list[str],
        typer.Argument(
            help="Drucksachen der Kleinen Anfragen als PDF oder Text (.txt); mit --serie auch mehrere, ein Ordner "
            "oder ein Muster wie eingang/*.pdf.",
            metavar="DRUCKSACHE…",
            show_default=False,
        ),
    ],
    serie: Annotated[
        str | None,
        typer.Option(
            "--serie",
            "-s",
            help="Kennung der Serie: jede Anfrage wird unter data/anfragen/SERIE/ gespeichert und in der Serie "
            "eingetragen (die Serie wird angelegt, wenn es sie noch nicht gibt).",
        ),
    ] = None,
    ausgabe: Annotated[
        Path | None,
        typer.Option("--ausgabe", "-o", help="YAML-Datei, in die die Anfrage geschrieben wird.", dir_okay=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Den erkannten Datensatz als JSON ausgeben.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Eine vorhandene Ausgabedatei überschreiben.")] = False,
    titel: Titel = None,
    federfuehrend: Federfuehrend = None,
    einvernehmen: Einvernehmen = None,
    einheit: EinheitOption = None,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Kleine Anfragen aus ihren Drucksachen (PDF oder Text) einlesen – mit --serie gleich in eine Serie.

    Fehlt im Text einer einzelnen Drucksache eine Angabe (Nummer, Datum, Abgeordnete …), wird der
    Datensatz trotzdem ausgegeben oder geschrieben; die fehlenden Angaben stehen auf der
    Fehlerausgabe (Rückgabewert 1).
    """
    if serie and ausgabe is None and not as_json:
        from anfrage.cli.serie import report
        from anfrage.inbox import Optionen, import_in_serie

        optionen = Optionen(titel, federfuehrend, _list(einvernehmen), einheit.value if einheit else None, force)
        report(import_in_serie(workspace_root(workspace), serie, dateien, optionen, Path.cwd()))
        return
    if len(dateien) != 1:
        raise UserError(
            "Mehrere Drucksachen nur mit --serie SERIE (ohne -o und --json): dann wird jede gespeichert und "
            "in der Serie eingetragen."
        )
    _import_one(Path(dateien[0]), serie, ausgabe, as_json, force, workspace)


def _import_one(
    datei: Path, serie: str | None, ausgabe: Path | None, as_json: bool, force: bool, workspace: Path | None
) -> None:
    """One Drucksache to stdout (YAML or JSON) or to the file ``ausgabe``; what the text lacks is reported."""
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
        if serie:
            err.print(
                f"Hinweis: nicht in der Serie „{rich_escape(serie)}“ eingetragen (mit -o). Eintragen lassen: "
                f"anfrage import {rich_escape(str(datei))} --serie {rich_escape(serie)} (ohne -o)."
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
