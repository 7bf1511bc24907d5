"""The ``anfrage`` command: the typer app, its commands registered explicitly, and ``main``.

The console script starts in ``cli/entry.py``, which answers ``anfrage text DATEI`` and
``anfrage --version`` without importing this module.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from anfrage.cli import batch, catalogue, check, files, init, render, roundtrip, serie, status
from anfrage.cli.common import GermanCommand, GermanGroup, err, out, rich_escape
from anfrage.cli.encoding import utf8_output, version_line
from anfrage.errors import EXIT_OK, EXIT_UNUSABLE

app = typer.Typer(
    name="anfrage",
    cls=GermanGroup,
    help=(
        "Antwortentwürfe auf Kleine Anfragen des Landtags Nordrhein-Westfalen – aus Katalogen "
        "(data/) und Vorlagen (templates/), als Markdown und Word-Datei."
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion (German help texts in common.py)
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        out.print(version_line())
        raise typer.Exit(EXIT_OK)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Die Versionsnummer von anfrage anzeigen.",
            is_eager=True,
            callback=_show_version,
        ),
    ] = False,
) -> None:
    pass


app.command(cls=GermanCommand)(init.init)
app.command(cls=GermanCommand)(render.render)
app.command(cls=GermanCommand)(batch.batch)
app.command(cls=GermanCommand)(check.check)
app.command("list", cls=GermanCommand)(catalogue.list_)
app.command(cls=GermanCommand)(files.text)
app.command("import", cls=GermanCommand)(files.import_)
app.add_typer(serie.app, name="serie")
app.command(cls=GermanCommand)(roundtrip.vergleich)
app.command(cls=GermanCommand)(roundtrip.herkunft)
app.command(cls=GermanCommand)(roundtrip.uebernehmen)
app.command("übernehmen", cls=GermanCommand, hidden=True)(roundtrip.uebernehmen)
app.command(cls=GermanCommand)(status.status)
app.command(cls=GermanCommand)(status.mitzeichnung)
app.command(cls=GermanCommand)(status.versand)


def main() -> None:
    """Run the typer app on the command line (``cli/entry.py`` calls it for all but the lean paths)."""
    utf8_output()  # again for callers that start here; changes nothing the second time
    # pydantic searches every installed package's entry points for plugins (about 10 ms at each
    # start); anfrage uses none. An explicit setting of the user wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int):
            sys.exit(code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("Abgebrochen.")
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors of the command line
        if type(exc).__name__ == "NoArgsIsHelpError":  # "anfrage" alone: the help is shown already
            sys.exit(EXIT_UNUSABLE)
        err.print(f"[bold red]Aufruf fehlerhaft:[/] {rich_escape(_german_usage(exc))}")
        err.print("Hilfe: anfrage --help")
        sys.exit(EXIT_UNUSABLE)
    sys.exit(EXIT_OK)


def _german_usage(exc: typer.TyperException) -> str:
    message = exc.format_message()
    replacements = [
        ("Value error, ", ""),
        ("No such option:", "Unbekannte Option:"),
        ("No such command", "Unbekannter Befehl"),
        ("Missing argument", "Argument fehlt"),
        ("Missing option", "Option fehlt"),
        ("Invalid value for", "Ungültiger Wert für"),
        ("Did you mean", "Meinten Sie"),
        ("is not one of", "ist keiner der Werte"),
        ("Got unexpected extra argument", "Unerwartetes zusätzliches Argument"),
        ("Got unexpected extra arguments", "Unerwartete zusätzliche Argumente"),
        ("requires an argument", "verlangt einen Wert"),
        ("does not exist", "existiert nicht"),
        ("Possible options:", "Mögliche Optionen:"),
        ("Directory '", "Ordner '"),
        ("dir '", "Ordner '"),
        ("File '", "Datei '"),
        ("file '", "Datei '"),
        ("is a file.", "ist eine Datei, kein Ordner."),
        ("is a directory.", "ist ein Ordner, keine Datei."),
    ]
    for english, german in replacements:
        message = message.replace(english, german)
    return message


if __name__ == "__main__":  # pragma: no cover
    main()
