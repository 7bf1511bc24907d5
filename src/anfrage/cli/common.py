"""What every command shares: German help screens, the consoles, common options, error handling.

The CLI is the only place that prints and exits. :func:`handle_errors` turns every
``AnfrageError`` into one German message and the documented exit code (0 ok, 1 problems found,
2 unusable input); no Python traceback reaches the clerk.
"""

from __future__ import annotations

import functools
import os
import signal
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from anfrage.errors import EXIT_UNUSABLE, AnfrageError, CatalogueError, VerbatimError
from anfrage.process import Terminated, terminate_on_signals


def _german_help_screens() -> None:
    """German panel titles for typer's help screens.

    typer's rich help module costs about 35 ms to import (rich.markdown, rich.syntax); it is loaded
    only when a help screen is shown, not on every command.
    """
    import typer.rich_utils as rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumente"
    rich_utils.OPTIONS_PANEL_TITLE = "Optionen"
    rich_utils.COMMANDS_PANEL_TITLE = "Befehle"
    rich_utils.ERRORS_PANEL_TITLE = "Fehler"
    rich_utils.ABORTED_TEXT = "Abgebrochen."
    rich_utils.DEFAULT_STRING = "[Standard: {}]"
    rich_utils.REQUIRED_LONG_STRING = "[Pflicht]"
    rich_utils.RICH_HELP = "Hilfe: [blue]'{command_path} {help_option}'[/]"
    for cls in (TyperArgument, TyperOption):
        if not getattr(cls.display_type_rich, "_german", False):
            cls.display_type_rich = _german_type(cls.display_type_rich)  # type: ignore[method-assign,assignment]


# typer shows the Python type of each parameter; clerks read German (a flag needs no type at all).
_TYPE_NAMES = {
    "<str>": "<Text>",
    "<list[str]>": "<Text …>",
    "<int>": "<Zahl>",
    "<path>": "<Pfad>",
    "<file>": "<Datei>",
    "<dir>": "<Ordner>",
    "<bool>": "",
}


def _german_type(original: Callable[[Any, Any], str | None]) -> Callable[[Any, Any], str | None]:
    def display_type_rich(self: Any, ctx: Any) -> str | None:
        shown = original(self, ctx)
        return _TYPE_NAMES.get(shown, shown) if shown is not None else None

    display_type_rich._german = True  # type: ignore[attr-defined]
    return display_type_rich


# typer adds these two options to the top command (``add_completion=True``), with English help.
_COMPLETION_HELP = {
    "install_completion": "Die Vervollständigung mit der Tabulatortaste für diese Shell einrichten "
    "(PowerShell, bash, zsh, fish).",
    "show_completion": "Das Skript für die Vervollständigung ausgeben, zum Kopieren oder Anpassen.",
}


def _german_install_completion(original: Callable[..., Any]) -> Callable[..., Any]:
    """typer's ``--install-completion`` with a German message (the work is typer's)."""

    def install_completion(ctx: Any, param: Any, value: Any) -> Any:
        if not value or ctx.resilient_parsing:
            return value
        try:
            from typer._completion_shared import install
        except ImportError:  # pragma: no cover - another typer version: its own (English) message
            return original(ctx, param, value)
        shell, path = install(shell=value if isinstance(value, str) else None)
        out.print(f"Vervollständigung für {shell} eingerichtet in {rich_escape(str(path))}.")
        out.print("Sie wirkt in jedem Terminal, das Sie ab jetzt öffnen.")
        raise typer.Exit(0)

    install_completion._german = True  # type: ignore[attr-defined]
    return install_completion


class _German:
    """German help screens: typer's help option and usage line are English by default."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            german = _COMPLETION_HELP.get(param.name)
            if german is not None:
                param.help = german
                if param.name == "install_completion" and not getattr(param.callback, "_german", False):
                    param.callback = _german_install_completion(param.callback)
        return params

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _german_help_screens()
        super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Diese Hilfe anzeigen."
        return option

    def get_usage(self, ctx: Any) -> str:
        usage: str = super().get_usage(ctx)  # type: ignore[misc]
        usage = usage.replace("Usage: ", "Aufruf: ", 1).replace("[OPTIONS]", "[OPTIONEN]")
        return usage.replace("COMMAND [ARGS]...", "BEFEHL [ARGUMENTE]...")


class GermanCommand(_German, TyperCommand):
    pass


class GermanGroup(_German, TyperGroup):
    pass


out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

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


class Aenderungen(StrEnum):
    annehmen = "annehmen"
    ablehnen = "ablehnen"


AenderungenOption = Annotated[
    Aenderungen | None,
    typer.Option(
        "--aenderungen",
        help="Nachverfolgte Änderungen in zurückgegebenen Word-Dateien annehmen oder ablehnen; ohne Angabe "
        "wird ein Entwurf mit offenen Änderungen nicht angefasst.",
        show_default=False,
    ),
]


def report_draft(written: list[Any], message: str | None, conflicts: int) -> bool:
    """Print what happened to the files of one draft; True when the clerk must act (exit 1)."""
    from anfrage.output import Status

    attention = False
    for item in written:
        shown = rich_escape(display_path(item.path))
        status = item.status
        backup = f" (Ihre Fassung gesichert als {rich_escape(display_path(item.backup))})" if item.backup else ""
        if status in (Status.BEARBEITET, Status.AENDERUNGEN, Status.GESPERRT):
            attention = True
            err.print(f"[yellow]{shown}: {status.value}[/]")
        elif status is Status.KONFLIKT:
            attention = True
            err.print(f"[yellow]{shown}: {status.value}[/]{backup}")
        elif status is Status.ZUSAMMENGEFUEHRT:
            out.print(f"{shown}: {status.value} (Ihre Änderungen und die neue Fassung){backup}")
        else:
            out.print(f"{shown}: {status.value}{backup}")
    if message:
        err.print(f"  {rich_escape(message)}")
    if conflicts:
        err.print(
            f"  {conflicts} {'Konflikt' if conflicts == 1 else 'Konflikte'}: Ihre Fassung und die neue Fassung aus "
            "dem Katalog stehen im Entwurf im Block „[[KONFLIKT: …]]“. Eine Fassung wählen, den Block durch sie "
            "ersetzen, dann „anfrage check“."
        )
    return attention


class Format(StrEnum):
    md = "md"
    docx = "docx"
    beide = "beide"


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
            with terminate_on_signals():
                return func(*args, **kwargs)
        except Terminated as exc:
            err.print(
                f"[red]Abgebrochen (Signal {signal.Signals(exc.signum).name}).[/] Bereits geschriebene Dateien sind "
                "vollständig; halb geschriebene gibt es nicht."
            )
            raise typer.Exit(exc.exit_code) from None
        except (CatalogueError, VerbatimError) as exc:
            print_problems(exc.problems)
            err.print(f"[bold red]{rich_escape(exc.message)}[/]")
            raise typer.Exit(exc.exit_code) from None
        except AnfrageError as exc:
            err.print(f"[bold red]Fehler:[/] {rich_escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print(
                "[red]Abgebrochen.[/] Bereits geschriebene Dateien sind vollständig; halb geschriebene gibt es nicht."
            )
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


def display_path(path: Path | None) -> str:
    """``path`` relative to the current folder where it lies below it, as the clerk would type it.

    Also for a resolved path when the current folder is reached through a link (or, on Windows, a
    mapped network drive): then ``Path.cwd()`` and the resolved path differ.
    """
    if path is None:
        return ""
    cwd = Path.cwd()
    for base in (cwd, cwd.resolve()):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)
