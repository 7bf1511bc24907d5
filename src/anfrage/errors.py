"""One error hierarchy for the whole library.

The core never prints and never exits: it raises these exceptions, each carrying a German message
for the clerk and, where known, the file, line and key path. ``cli/`` turns them into one message
and an exit code (0 ok, 1 problems found, 2 unusable input).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNUSABLE = 2


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of validation, sortable by file and line.

    ``severity`` is ``"fehler"`` or ``"warnung"``; warnings become errors with ``--strict``.
    """

    file: str
    line: int
    key: str
    message: str
    severity: str = field(default="fehler", compare=False)

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        where += f" {self.key}:" if self.key else ":"
        prefix = "Warnung: " if self.severity == "warnung" else ""
        return f"{where} {prefix}{self.message}"


class AnfrageError(Exception):
    """Base of every error the user can cause. ``exit_code`` tells the CLI what to return."""

    exit_code = EXIT_UNUSABLE

    def __init__(self, message: str, *, file: str | Path | None = None, line: int = 0, key: str = ""):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.key = key

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        return str(Problem(self.file, self.line, self.key, self.message))


class UserError(AnfrageError):
    """Unusable input: a wrong argument, an unreadable or hostile file (exit 2)."""


class CatalogueError(AnfrageError):
    """Validation found problems; ``problems`` holds all of them, sorted (exit 2: nothing written)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = sum(1 for p in self.problems if p.severity == "fehler")
        super().__init__(f"{errors} Fehler in Katalogen oder Vorlagen gefunden – nichts geschrieben.")


class RenderError(AnfrageError):
    """A template failed while rendering (syntax, undefined variable, sandbox violation)."""


class UnknownProgramme(RenderError):
    """A template asked for a Textbaustein (``bausteine("id")``) that the catalogue lacks."""

    def __init__(self, programme: str, *, broken: bool = False):
        self.programme = programme
        self.broken = broken  # the entry exists but failed validation
        if broken:
            message = (
                f"Die Vorlage nennt das Programm „{programme}“, dessen Eintrag in data/programmes.yaml "
                "fehlerhaft ist (siehe dort)."
            )
        else:
            message = f"Die Vorlage nennt das unbekannte Programm „{programme}“ (nicht in data/programmes.yaml)."
        super().__init__(message)


class VerbatimError(AnfrageError):
    """A question in a draft differs from the Anfrage (exit 1: problems found)."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} Frage(n) weichen vom Wortlaut der Kleinen Anfrage ab.")


# What the operating system says, as a clerk understands it (errno → German).
_OS_REASONS = {
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.EROFS: "das Laufwerk ist schreibgeschützt",
    errno.ENOSPC: "kein Speicherplatz mehr frei",
    errno.EDQUOT: "das Speicherkontingent ist erschöpft",
    errno.ENOTDIR: "ein Teil des Pfades ist eine Datei, kein Ordner",
    errno.EISDIR: "das ist ein Ordner",
    errno.ENOENT: "nicht gefunden (oder ein Verweis ins Leere)",
    errno.EIO: "Ein-/Ausgabefehler des Laufwerks",
    errno.EBUSY: "die Datei wird gerade benutzt",
    errno.ENAMETOOLONG: "der Pfad ist zu lang",
    errno.ELOOP: "zu viele Verweise (Verknüpfungsschleife)",
    errno.EEXIST: "gibt es schon",
}


def os_reason(exc: OSError) -> str:
    """The cause of an ``OSError`` in German, e.g. „kein Speicherplatz mehr frei“."""
    reason = _OS_REASONS.get(exc.errno or -1)
    if reason is None and isinstance(exc, PermissionError):
        reason = "keine Berechtigung oder die Datei ist in einem anderen Programm geöffnet"
    return reason or f"Betriebssystem meldet Fehler {exc.errno}"


class FileError(UserError):
    """A file could not be read or written: names the file and the cause in German (exit 2)."""

    def __init__(self, path: str | Path, exc: OSError, action: str = "geschrieben"):
        super().__init__(f"„{path}“ kann nicht {action} werden: {os_reason(exc)}.")
        self.path = str(path)
        self.errno = exc.errno


class DrucksacheError(AnfrageError):
    """A Drucksache could not be read or understood (exit 2)."""
