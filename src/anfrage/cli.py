"""Command line of anfrage: thin typer commands over the library.

The only module that prints and exits. Every ``AnfrageError`` becomes one German message and an
exit code: 0 ok, 1 problems found, 2 unusable input. No Python traceback reaches the clerk.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import typer.rich_utils as rich_utils
from typer.core import TyperCommand, TyperGroup
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from anfrage.german import anzahl
from anfrage.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, AnfrageError, CatalogueError, UserError, VerbatimError

# German panel titles for typer's help screens.
rich_utils.ARGUMENTS_PANEL_TITLE = "Argumente"
rich_utils.OPTIONS_PANEL_TITLE = "Optionen"
rich_utils.COMMANDS_PANEL_TITLE = "Befehle"
rich_utils.ERRORS_PANEL_TITLE = "Fehler"
rich_utils.ABORTED_TEXT = "Abgebrochen."
rich_utils.DEFAULT_STRING = "[Standard: {}]"
rich_utils.REQUIRED_LONG_STRING = "[Pflicht]"
rich_utils.RICH_HELP = "Hilfe: [blue]'{command_path} {help_option}'[/]"

class _German:
    """German help screens: typer's help option and usage line are English by default."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Diese Hilfe anzeigen."
        return option

    def get_usage(self, ctx: Any) -> str:
        return super().get_usage(ctx).replace("Usage: ", "Aufruf: ", 1)  # type: ignore[misc]


class GermanCommand(_German, TyperCommand):
    pass


class GermanGroup(_German, TyperGroup):
    pass


out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

app = typer.Typer(
    name="anfrage",
    cls=GermanGroup,
    help=(
        "Antwortentwürfe auf Kleine Anfragen des Landtags Nordrhein-Westfalen – aus Katalogen "
        "(data/) und Vorlagen (templates/), als Markdown und Word-Datei."
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

Workspace = Annotated[
    Path,
    typer.Option(
        "--workspace",
        "-w",
        help="Arbeitsbereich mit den Ordnern data/ und templates/.",
        file_okay=False,
        show_default="aktueller Ordner",
    ),
]


class Format(str, Enum):
    md = "md"
    docx = "docx"
    beide = "beide"


class Liste(str, Enum):
    programme = "programme"
    regionen = "regionen"


def print_problems(problems: list[Any]) -> None:
    for problem in problems:
        style = "yellow" if getattr(problem, "severity", "fehler") == "warnung" else "red"
        err.print(f"[{style}]{problem}[/]", markup=True, highlight=False)


def rich_escape(text: str) -> str:
    """Show text literally in rich output ("[[ERGÄNZEN: …]]" is not markup)."""
    return escape(text)


def handle_errors(func: F) -> F:
    """Turn library errors into one German message and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (CatalogueError, VerbatimError) as exc:
            print_problems(exc.problems)
            err.print(f"[bold red]{rich_escape(exc.message)}[/]")
            raise typer.Exit(exc.exit_code) from None
        except AnfrageError as exc:
            err.print(f"[bold red]Fehler:[/] {rich_escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("[red]Abgebrochen.[/] Bereits geschriebene Dateien sind vollständig; halb geschriebene gibt es nicht.")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:  # a bug of ours: still no traceback for the clerk
            if os.environ.get("ANFRAGE_DEBUG"):
                raise
            err.print(
                f"[bold red]Interner Fehler:[/] {rich_escape(type(exc).__name__)}: {rich_escape(str(exc))}\n"
                "Bitte mit ANFRAGE_DEBUG=1 erneut aufrufen und die Ausgabe an das Entwicklungsteam geben."
            )
            raise typer.Exit(EXIT_UNUSABLE) from None

    return wrapper  # type: ignore[return-value]


def workspace_root(workspace: Path | None) -> Path:
    return (workspace or Path.cwd()).resolve()


# --- render ---------------------------------------------------------------------------------


@app.command()
@handle_errors
def render(
    anfrage_oder_serie: Annotated[
        Path, typer.Argument(help="Serie (z. B. data/anfragen/digitalisierung-2018.yaml) oder eine einzelne Kleine Anfrage.", show_default=False)
    ],
    region: Annotated[
        str, typer.Option("--region", "-r", help="Region als Kennung (bochum), Name (Kreis Höxter) oder Kreisschlüssel/AGS (05911).", show_default=False)
    ],
    format: Annotated[Format, typer.Option("--format", "-f", help="Ausgabeformat: md, docx oder beide.")] = Format.md,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Ausgabeordner für die Entwürfe.", file_okay=False)] = Path("entwuerfe"),
    vorlage: Annotated[
        Path | None, typer.Option("--vorlage", help="Word-Vorlage (.docx) des Hauses: Formatvorlagen, Seitenränder, Kopf- und Fußzeilen.", exists=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Von Hand bearbeitete Entwürfe ersetzen (die bearbeitete Fassung wird vorher gesichert).")] = False,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Einen Antwortentwurf für eine Region erstellen (Markdown und/oder Word)."""
    from anfrage.output import OutputFolder, Status
    from anfrage.pipeline import FORMATS, open_bundle, open_workspace, render_and_write
    from anfrage.render import Renderer
    from anfrage.select import find_region

    root = workspace_root(workspace)
    cat = open_workspace(root)
    bundle = open_bundle(cat, anfrage_oder_serie)
    chosen = find_region(cat, region)
    vorlage_path = check_vorlage(vorlage)
    folder = OutputFolder(out_dir if out_dir.is_absolute() else Path.cwd() / out_dir)
    result = render_and_write(Renderer(cat), bundle, chosen, folder, FORMATS[format.value], vorlage_path, force)
    folder.save()
    print_problems(result.draft.warnings)
    skipped = False
    for item in result.written:
        shown = display_path(item.path)
        if item.status is Status.BEARBEITET:
            skipped = True
            err.print(f"[yellow]{shown}: {item.status.value}[/] (von Hand geändert; mit --force ersetzen, die Fassung wird gesichert)")
        elif item.status is Status.GESICHERT:
            out.print(f"{shown}: {item.status.value} (Sicherung: {display_path(item.backup)})")
        else:
            out.print(f"{shown}: {item.status.value}")
    count = anzahl(result.draft.placeholders, "offener Platzhalter", "offene Platzhalter", "kein offener Platzhalter")
    out.print(f"{chosen.name}: {count} im Entwurf.")
    if skipped:
        raise typer.Exit(EXIT_PROBLEMS)


def check_vorlage(vorlage: Path | None) -> Path | None:
    if vorlage is None:
        return None
    if not vorlage.is_file():
        raise UserError(f"Word-Vorlage „{vorlage}“ nicht gefunden.")
    if vorlage.suffix.lower() not in (".docx", ".dotx"):
        raise UserError(f"Word-Vorlage „{vorlage}“ ist keine .docx-Datei.")
    return vorlage


def display_path(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --- list -----------------------------------------------------------------------------------


@app.command("list")
@handle_errors
def list_(
    was: Annotated[Liste, typer.Argument(help="programme oder regionen.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON ausgeben (für Skripte).")] = False,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Kataloge anzeigen: die Förderangebote (programme) oder die 53 Kreise und kreisfreien Städte (regionen)."""
    from anfrage.pipeline import open_workspace

    cat = open_workspace(workspace_root(workspace))
    if was is Liste.regionen:
        rows = [
            {
                "id": r.id,
                "name": r.name,
                "art": r.art,
                "ags": r.ags,
                "kreisschluessel": r.kreisschluessel,
                "regierungsbezirk": cat.regierungsbezirke[r.regierungsbezirk].name,
                "gruppen": [g.id for g in cat.gruppen.values() if r.id in g.mitglieder],
            }
            for r in cat.regionen.values()
        ]
        columns = [("id", "Kennung"), ("name", "Name"), ("art", "Art"), ("ags", "AGS"), ("regierungsbezirk", "Regierungsbezirk")]
        title = f"{len(rows)} Kreise und kreisfreie Städte"
    else:
        rows = [
            {
                "id": p.id,
                "name": p.name,
                "ressort": p.ressort,
                "themen": p.themen,
                "urls": p.urls,
                "gueltig_von": p.gueltig_von.isoformat() if p.gueltig_von else None,
                "gueltig_bis": p.gueltig_bis.isoformat() if p.gueltig_bis else None,
                "quelle": p.quelle,
            }
            for p in cat.programme.values()
        ]
        columns = [("id", "Kennung"), ("name", "Name"), ("ressort", "Ressort"), ("themen", "Themen")]
        title = f"{len(rows)} Förderangebote"
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=title)
    for _, header in columns:
        table.add_column(header)
    for row in rows:
        table.add_row(*[_cell(row[key]) for key, _ in columns])
    out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return rich_escape(str(value))


# --- text -----------------------------------------------------------------------------------


@app.command()
@handle_errors
def text(
    datei: Annotated[Path, typer.Argument(help="Word-Datei (.docx).", show_default=False)],
) -> None:
    """Den Text einer Word-Datei ausgeben (für „git diff“ von .docx-Dateien)."""
    from anfrage.docx_text import docx_to_text

    if not datei.is_file():
        raise UserError(f"Datei „{datei}“ nicht gefunden.")
    sys.stdout.write(docx_to_text(datei))


# --- import ---------------------------------------------------------------------------------


@app.command("import")
@handle_errors
def import_(
    datei: Annotated[Path, typer.Argument(help="Drucksache der Kleinen Anfrage als PDF oder Text (.txt).", show_default=False)],
    serie: Annotated[str | None, typer.Option("--serie", "-s", help="Kennung der Serie, zu der die Anfrage gehört.")] = None,
    ausgabe: Annotated[Path | None, typer.Option("--ausgabe", "-o", help="YAML-Datei, in die die Anfrage geschrieben wird.", dir_okay=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Den erkannten Datensatz als JSON ausgeben.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Eine vorhandene Ausgabedatei überschreiben.")] = False,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Eine Kleine Anfrage aus ihrer Drucksache (PDF oder Text) einlesen."""
    from anfrage.importer import load_region_names, read_drucksache, record_to_yaml
    from anfrage.output import atomic_write

    root = workspace_root(workspace)
    regions_file = root / "data" / "regions.yaml"
    regions = load_region_names(regions_file) if regions_file.exists() else []
    record = read_drucksache(datei, regions)
    if serie:
        record = {"serie": serie, **record}
    if as_json:
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    if ausgabe is not None:
        if ausgabe.exists() and not force:
            raise UserError(f"„{ausgabe}“ gibt es schon; mit --force überschreiben.")
        atomic_write(ausgabe, record_to_yaml(record, serie).encode("utf-8"))
        err.print(f"{display_path(ausgabe.resolve())}: Kleine Anfrage {record.get('nummer')} mit {len(record.get('fragen', []))} Fragen geschrieben.")
    elif not as_json:
        sys.stdout.write(record_to_yaml(record, serie))


# Commands with more code live in their own CLI modules; they register themselves on ``app``.
from anfrage import cli_batch as _cli_batch  # noqa: E402,F401
from anfrage import cli_check as _cli_check  # noqa: E402,F401

for _info in app.registered_commands:
    if _info.cls in (None, TyperCommand):
        _info.cls = GermanCommand


def main() -> None:
    """Entry point of the console script ``anfrage`` and of ``python -m anfrage``."""
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
        err.print(f"[bold red]Aufruf fehlerhaft:[/] {rich_escape(_german_usage(exc))}")
        err.print("Hilfe: anfrage --help")
        sys.exit(EXIT_UNUSABLE)
    sys.exit(EXIT_OK)


def _german_usage(exc: typer.TyperException) -> str:
    message = exc.format_message()
    replacements = [
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
