"""``anfrage init``: a new workspace from the example shipped with the package.

The example catalogues and templates are the repository's ``data/`` and ``templates/``; building
the package copies them to ``anfrage/example/`` (``setup.py``). An editable install or a run from
the source tree has no copy and reads the checkout's folders. Besides them the workspace gets a
German README and a ``.gitattributes``. An existing file is never replaced: it is named as skipped.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

import typer

from anfrage.cli.common import err, handle_errors, out, rich_escape
from anfrage.errors import UserError
from anfrage.german import anzahl

EXAMPLE_FOLDERS = ("data", "templates")

GITATTRIBUTES = """\
# Zeilenenden und Word-Dateien für git (angelegt von „anfrage init“, siehe README.md).
# Texte immer mit LF, auch unter Git für Windows: anfrage schreibt LF, so bleibt ein Diff klein.
*.md text eol=lf
*.yaml text eol=lf
*.j2 text eol=lf
*.json text eol=lf
# git diff zeigt den Text von Word-Dateien, sobald „git config diff.anfrage.textconv“ gesetzt ist.
*.docx diff=anfrage
"""

README = """\
# Arbeitsbereich für anfrage

In diesem Ordner erstellt **anfrage** Entwürfe für die Antworten der Landesregierung auf Kleine
Anfragen – aus Katalogen (`data/`) und Vorlagen (`templates/`). `anfrage init` hat ihn mit den
Beispielserien „digitalisierung-2018“ und „ruhrkonferenz-2020“ angelegt; ändern, ergänzen oder
löschen Sie sie nach Bedarf.

## Was liegt wo

```
data/                      Kataloge: Quellen, Ministerien, Regionen, Programme, Projekte
data/anfragen/SERIE.yaml   eine Serie: Vorlage, Antwortdaten, Mustertext, Liste der Anfragen
data/anfragen/SERIE/       die Kleinen Anfragen der Serie im Wortlaut (ka-NNNN-region.yaml)
templates/                 Vorlagen: Gerüst der Drucksache, eine Vorlage je Serie, Bausteine
entwuerfe/                 die Entwürfe (.md und .docx); legt anfrage beim ersten Lauf an
.gitattributes             Zeilenenden und Word-Vergleich für git
```

## Die wichtigsten Befehle

Im Terminal (PowerShell, Eingabeaufforderung oder bash) in diesem Ordner:

```
anfrage check
anfrage render digitalisierung-2018 --region bochum --format beide
anfrage batch digitalisierung-2018 --regionen alle --format beide --out entwuerfe
anfrage text entwuerfe/digitalisierung-2018-bochum.docx
```

- `check` prüft alle Kataloge, Vorlagen und Serien und meldet jeden Fehler mit Datei und Zeile.
- `render` erstellt den Entwurf für eine Region, `batch` die Entwürfe für alle Regionen einer Serie
  (hier 53 Kreise und kreisfreie Städte) in `entwuerfe/`.
- `text` gibt den Text einer Word-Datei aus.

`anfrage BEFEHL --help` erklärt jede Option. Was Sie in einem Entwurf von Hand ändern (in der
`.md`- oder der `.docx`-Datei), bleibt beim nächsten `render` oder `batch` erhalten: anfrage führt
es mit der neuen Fassung aus dem Katalog zusammen.

## Was in git gehört

Alles in diesem Ordner, auch die Entwürfe – und ausdrücklich **`entwuerfe/.anfrage/`** und
**`entwuerfe/.anfrage-manifest.json`**. Dort merkt sich anfrage die zuletzt erzeugte Fassung jedes
Entwurfs; nur mit ihr lassen sich Ihre Änderungen von einer alten Fassung unterscheiden und
zusammenführen. Tragen Sie diese Dateien nicht in `.gitignore` ein.

```
git init
git add .
git commit -m "Arbeitsbereich angelegt"
```

## Word-Dateien in git vergleichen

`.gitattributes` ordnet `.docx`-Dateien dem Vergleich „anfrage“ zu. Einmal je Rechner und
Ablage sagen Sie git, welcher Befehl den Text liefert; danach zeigen `git diff` und `git log -p`
den Text der Word-Dateien statt „Binärdateien unterscheiden sich“:

```
git config diff.anfrage.textconv "anfrage text"
git config diff.anfrage.cachetextconv true
```

**Git für Windows** muss den Befehl `anfrage` finden. Liegt anfrage in einer virtuellen Umgebung
(`.venv`), tragen Sie den vollen Pfad ein – in PowerShell, bei aktivierter Umgebung:

```
git config diff.anfrage.textconv "'$((Get-Command anfrage).Source -replace '\\\\','/')' text"
```

Das trägt zum Beispiel `'C:/Users/name/anfrage/.venv/Scripts/anfrage.exe' text` ein: mit
Schrägstrichen `/` und in einfachen Anführungszeichen, weil git den Befehl mit seiner eigenen
Shell startet (so gehen auch Pfade mit Leerzeichen). Prüfen mit `git config diff.anfrage.textconv`.
`anfrage text` schreibt immer UTF-8; Umlaute erscheinen in `git diff` richtig, welche Codepage
das Terminal auch hat.
"""


@handle_errors
def init(
    ordner: Annotated[
        Path,
        typer.Argument(
            help="Ordner für den Arbeitsbereich; wird angelegt, wenn es ihn nicht gibt.",
            metavar="ORDNER",
            show_default="aktueller Ordner",
            file_okay=False,
        ),
    ] = Path("."),
) -> None:
    """Einen Arbeitsbereich mit den Beispieldaten anlegen: Kataloge, Vorlagen, README, .gitattributes."""
    files = _example_files()
    files["README.md"] = README.encode("utf-8")
    files[".gitattributes"] = GITATTRIBUTES.encode("utf-8")
    _check_folders(ordner, files)

    created: list[str] = []
    skipped: list[str] = []
    for relative, data in sorted(files.items()):
        target = ordner.joinpath(*relative.split("/"))
        if _create(target, data):
            created.append(str(target))
        else:
            skipped.append(str(target))

    for shown in skipped:
        err.print(f"[yellow]{rich_escape(shown)}: gibt es schon – übersprungen, nicht überschrieben[/]")
    where = "im aktuellen Ordner" if str(ordner) == "." else f"in „{rich_escape(str(ordner))}“"
    summary = f"Arbeitsbereich {where}: {anzahl(len(created), 'Datei', 'Dateien')} neu angelegt"
    out.print(summary + (f", {len(skipped)} übersprungen." if skipped else "."))
    if created:
        out.print("Weiter (siehe README.md):")
        if str(ordner) != ".":
            out.print(f"  cd {rich_escape(_quoted(str(ordner)))}")
        out.print("  anfrage batch digitalisierung-2018 --regionen alle --format beide --out entwuerfe")


def _example_files() -> dict[str, bytes]:
    """The example workspace as relative POSIX path → content."""
    root = _example_root()
    files: dict[str, bytes] = {}
    for name in EXAMPLE_FOLDERS:
        _collect(root / name, name, files)
    return files


def _example_root() -> Traversable:
    packaged = resources.files("anfrage") / "example"
    if packaged.is_dir():
        return packaged
    # An editable install or a run from the source tree: src/anfrage/cli/init.py → the checkout.
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "pyproject.toml").is_file() and all((checkout / n).is_dir() for n in EXAMPLE_FOLDERS):
        return checkout
    raise UserError(
        "Die Beispieldaten fehlen in dieser Installation von anfrage. Bitte anfrage neu installieren "
        "(pip install --force-reinstall …)."
    )


def _collect(folder: Traversable, prefix: str, files: dict[str, bytes]) -> None:
    for entry in folder.iterdir():
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        relative = f"{prefix}/{entry.name}"
        if entry.is_dir():
            _collect(entry, relative, files)
        else:
            files[relative] = entry.read_bytes()


def _check_folders(ordner: Path, files: dict[str, bytes]) -> None:
    """Refuse before writing anything when a file stands where a folder must be created."""
    folders = {ordner}
    for relative in files:
        parts = relative.split("/")[:-1]
        folders.update(ordner.joinpath(*parts[:i]) for i in range(1, len(parts) + 1))
    for folder in sorted(folders):
        if folder.exists() and not folder.is_dir():
            raise UserError(f"„{folder}“ ist eine Datei; dort legt anfrage init einen Ordner an. Nichts angelegt.")


def _create(target: Path, data: bytes) -> bool:
    """Write a new file; False when something named ``target`` exists (it is never replaced)."""
    if os.path.lexists(target):  # a file, a folder or a link, even a broken one
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = target.open("xb")  # exclusive: fails if the file appeared just now
    except FileExistsError:
        return False
    except OSError as exc:
        raise UserError(f"„{target}“ lässt sich nicht anlegen: {exc.strerror or exc}.") from None
    try:
        with handle:
            handle.write(data)
    except BaseException as exc:
        target.unlink(missing_ok=True)  # no half-written file that a second init would skip
        if isinstance(exc, OSError):
            raise UserError(f"„{target}“ lässt sich nicht schreiben: {exc.strerror or exc}.") from None
        raise
    return True


def _quoted(path: str) -> str:
    return f'"{path}"' if any(c in path for c in " &()[]{};'$`") else path
