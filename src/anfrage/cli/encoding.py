"""How the command line writes: UTF-8 whatever the console's code page, and the version line.

Shared by the lean entry point (``entry.py``) and the typer app (``app.py``) without either
importing the other.
"""

from __future__ import annotations

import io
import sys

from anfrage import __version__

__all__ = ["utf8_output", "version_line"]


def version_line() -> str:
    return f"anfrage {__version__}"


def utf8_output() -> None:
    """Write UTF-8 to pipes and files, on Windows also to the console; never fail on a character.

    Python writes to a pipe in the locale's encoding (cp1252 on a German Windows), or in
    ``PYTHONIOENCODING``: umlauts would arrive garbled in ``git diff`` and a "ğ" would end the
    program. A Windows console takes UTF-8 from Python whatever its code page. A terminal
    elsewhere keeps its encoding; what it cannot show is replaced instead of raising.
    """
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):  # replaced (tests) or missing (pythonw)
            continue
        try:
            terminal = stream.isatty()
        except ValueError:  # closed
            continue
        if sys.platform == "win32" or not terminal:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        else:
            stream.reconfigure(errors="replace")
