"""``anfrage serie neu``: a new series from Drucksachen; the report shared with ``anfrage import --serie``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from anfrage.cli.common import (
    GermanCommand,
    GermanGroup,
    Workspace,
    err,
    handle_errors,
    out,
    rich_escape,
    workspace_root,
)
from anfrage.errors import EXIT_PROBLEMS

if TYPE_CHECKING:  # pragma: no cover
    from anfrage.inbox import Bericht

app = typer.Typer(
    name="serie",
    cls=GermanGroup,
    help="Serien anlegen: aus den Drucksachen einer Serie Anfragen, Serie und Antwortvorlage.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Einheit(StrEnum):
    region = "region"
    gemeinde = "gemeinde"
    landtagswahlkreis = "landtagswahlkreis"
    projekt = "projekt"


Titel = Annotated[
    str | None,
    typer.Option("--titel", help="Titel der Serie (sonst der Titel der ersten Anfrage).", show_default=False),
]
Federfuehrend = Annotated[
    str | None,
    typer.Option(
        "--federfuehrend",
        help="Federführendes Ressort (Kennung aus data/ressorts.yaml), z. B. mags oder mags:w "
        "(w/m: Geschlecht der Amtsinhaberin/des Amtsinhabers).",
        metavar="RESSORT",
        show_default=False,
    ),
]
Einvernehmen = Annotated[
    str | None,
    typer.Option(
        "--einvernehmen",
        help="Ressorts im Einvernehmen, mit Komma, z. B. mp:m,mwide.",
        metavar="RESSORT,…",
        show_default=False,
    ),
]
EinheitOption = Annotated[
    Einheit | None,
    typer.Option(
        "--einheit",
        help="Wovon je ein Entwurf handelt: region (Kreis/kreisfreie Stadt), gemeinde, landtagswahlkreis oder "
        "projekt. Ohne Angabe: wie in den Anfragen erkannt.",
        show_default=False,
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Schon eingelesene Anfrage-Dateien überschreiben.")]


@handle_errors
def neu(
    serie: Annotated[
        str, typer.Argument(help="Kennung der neuen Serie, z. B. pflege-2025.", metavar="ID", show_default=False)
    ],
    dateien: Annotated[
        list[str],
        typer.Argument(
            help="Drucksachen der Kleinen Anfragen (PDF oder Text), auch ein Ordner oder ein Muster wie eingang/*.pdf.",
            metavar="DATEI…",
            show_default=False,
        ),
    ],
    titel: Titel = None,
    federfuehrend: Federfuehrend = None,
    einvernehmen: Einvernehmen = None,
    einheit: EinheitOption = None,
    force: Force = False,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Eine neue Serie aus Drucksachen anlegen: je Anfrage eine Datei, die Serie und ihre Antwortvorlage."""
    from anfrage.inbox import Optionen, serie_neu

    optionen = Optionen(titel, federfuehrend, _list(einvernehmen), einheit.value if einheit else None, force)
    bericht = serie_neu(workspace_root(workspace), serie, dateien, optionen, Path.cwd())
    report(bericht)


app.command(cls=GermanCommand)(neu)


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def report(bericht: Bericht) -> None:
    """Print what happened to each file (and what was created); exit 1 if a file was not registered."""
    from anfrage.cli.common import display_path

    for datei in bericht.dateien:
        name = rich_escape(Path(datei.quelle).name)
        if datei.ok:
            out.print(f"{name}: {rich_escape(datei.meldung)}")
        else:
            err.print(f"[yellow]{name}:[/] {rich_escape(datei.meldung)}")
    for path in bericht.geschrieben:
        out.print(f"{rich_escape(display_path(path))}: neu angelegt")
    for hinweis in bericht.hinweise:
        err.print(f"[yellow]Hinweis:[/] {rich_escape(hinweis)}")
    done = sum(1 for d in bericht.dateien if d.ok)
    total = len(bericht.dateien)
    line = f"Serie „{bericht.serie}“: {done} von {total} Kleinen Anfragen eingetragen."
    if bericht.neu:
        line += f" Nächste Schritte: anfrage check {bericht.serie} – anfrage batch {bericht.serie} --format beide"
    out.print(rich_escape(line))
    if not bericht.ok:
        err.print(
            "[yellow]Nicht eingetragene Anfragen[/] erscheinen in keinem Entwurf; „anfrage check“ meldet sie, bis sie "
            "ergänzt und unter „anfragen:“ der Serie stehen."
        )
        raise typer.Exit(EXIT_PROBLEMS)
