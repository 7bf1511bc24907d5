"""Entry point of the console script ``anfrage`` and of ``python -m anfrage``: the lean paths first.

git starts ``anfrage text DATEI`` once for every changed Word file it shows (textconv), so that path
must not pay for typer, rich, pydantic or Jinja. :func:`main` looks at the command line before it
imports the typer app: ``anfrage text DATEI`` and ``anfrage --version`` are answered here, with
``anfrage.docx.text`` (zipfile and lxml) as the only import; everything else, including
``anfrage text --help`` and every usage error, goes to :func:`anfrage.cli.app.main`.

Whatever anfrage writes to a pipe or a file is UTF-8, whatever the code page of the console
(:func:`utf8_output`).
"""

from __future__ import annotations

import io
import os
import sys

from anfrage.cli.encoding import utf8_output, version_line
from anfrage.errors import EXIT_OK, EXIT_UNUSABLE, UserError

# typer's shell completion calls the program with this variable set; typer must answer then.
_COMPLETION_VARIABLE = "_ANFRAGE_COMPLETE"


def main() -> None:
    """Run ``anfrage`` with the arguments of the command line."""
    utf8_output()
    args = sys.argv[1:]
    if _COMPLETION_VARIABLE not in os.environ:
        if args == ["--version"]:
            sys.stdout.write(version_line() + "\n")
            sys.exit(EXIT_OK)
        if len(args) == 2 and args[0] == "text" and not args[1].startswith("-"):
            sys.exit(text(args[1]))
    from anfrage.cli.app import main as typer_main

    typer_main()


def text(path: str) -> int:
    """``anfrage text DATEI``: the text of a Word file as UTF-8 on stdout; the exit code.

    Messages and exit codes are those of the typer command (``cli/files.py``); ``path`` is shown
    as typed.
    """
    try:
        if not os.path.isfile(path):
            raise UserError(f"Datei „{path}“ nicht gefunden.")
        from anfrage.docx.text import docx_to_text

        data = docx_to_text(path).encode("utf-8")
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # pragma: no cover - a replaced stdout without bytes
            sys.stdout.write(data.decode("utf-8"))
        else:
            out.write(data)  # bytes: no newline translation on Windows, no code page
        sys.stdout.flush()
    except UserError as exc:
        _error(f"Fehler: {exc}")
        return exc.exit_code
    except BrokenPipeError:  # the reader stopped reading (`anfrage text X | head`): not our error
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001  # a bug of ours: still no traceback for the clerk
        if os.environ.get("ANFRAGE_DEBUG"):
            raise
        _error(
            f"Interner Fehler: {type(exc).__name__}: {exc}\n"
            "Bitte mit ANFRAGE_DEBUG=1 erneut aufrufen und die Ausgabe an das Entwicklungsteam geben."
        )
        return EXIT_UNUSABLE
    return EXIT_OK


def _error(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _silence_stdout() -> None:
    """Point stdout at the null device, so that Python's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):  # pragma: no cover
        pass
