"""``anfrage status``, ``anfrage mitzeichnung`` and ``anfrage versand``: the four-week clock of every
Kleine Anfrage, co-signatures, and the gate before sending (the work is in ``anfrage.status``)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from anfrage.cli.common import (
    Workspace,
    display_path,
    err,
    handle_errors,
    out,
    print_problems,
    rich_escape,
    workspace_root,
)
from anfrage.errors import EXIT_PROBLEMS, EXIT_UNUSABLE, CatalogueError
from anfrage.german import anzahl

if TYPE_CHECKING:  # pragma: no cover
    from anfrage.status.rows import StatusResult, Zeile

SerieArgument = Annotated[
    str,
    typer.Argument(
        help="Serie als Kennung (digitalisierung-2018) oder Datei (data/anfragen/digitalisierung-2018.yaml).",
        metavar="SERIE",
        show_default=False,
    ),
]
Entwuerfe = Annotated[
    Path,
    typer.Option("--entwuerfe", "-e", help="Ordner der Entwürfe (wie --out von anfrage batch).", file_okay=False),
]


@handle_errors
def status(
    serie: Annotated[
        str | None,
        typer.Argument(
            help="Nur diese Serie (Kennung oder Datei); ohne Angabe alle Serien.", metavar="SERIE", show_default=False
        ),
    ] = None,
    heute: Annotated[
        str | None,
        typer.Option(
            "--heute",
            help="Stichtag für die verbleibenden Tage (JJJJ-MM-TT oder TT.MM.JJJJ).",
            show_default="heutiges Datum",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON ausgeben (für Skripte).")] = False,
    entwuerfe: Entwuerfe = Path("entwuerfe"),
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            help="Fristen und Freigabetermine der offenen Anfragen als Kalenderdatei (iCalendar) schreiben, "
            "z. B. fristen.ics zum Import in Outlook; ein erneuter Export aktualisiert die Termine.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Fristen aller Kleinen Anfragen: Eingang, Frist, Freigabe, offene Platzhalter, Mitzeichnung, Zustand."""
    from anfrage.load.catalogue import load_catalogue
    from anfrage.status.clock import heute_oder
    from anfrage.status.rows import collect_status

    stichtag = heute_oder(heute)
    # the catalogue as open_workspace loads it, without importing the render pipeline (start-up time)
    cat = load_catalogue(workspace_root(workspace))
    if cat.errors():
        raise CatalogueError(cat.problems)
    folder = entwuerfe if entwuerfe.is_absolute() else Path.cwd() / entwuerfe
    result = collect_status(cat, serie, folder, stichtag)
    print_problems(result.problems)
    if result.ohne_entwuerfe:
        err.print(
            f"[yellow]Ordner der Entwürfe „{rich_escape(str(entwuerfe))}“ nicht gefunden – ohne Angaben zu den "
            "Entwürfen (--entwuerfe ORDNER).[/]"
        )
    if as_json:
        sys.stdout.write(json.dumps([z.as_json() for z in result.zeilen], ensure_ascii=False, indent=2) + "\n")
    else:
        _table(result)
    if ics is not None:
        from anfrage.status.ics import write_ics

        written = write_ics(ics, result.zeilen, stichtag, display_path(ics.resolve()))
        changes = f"{written.neu} neu, {written.geaendert} geändert"
        err.print(
            f"Kalender: {rich_escape(display_path(ics.resolve()))} – "
            f"{anzahl(written.events, 'Termin', 'Termine')} ({changes})."
        )
    if result.unusable:
        raise typer.Exit(EXIT_UNUSABLE)


def _date(value: dt.date | None) -> str:
    from anfrage.german import datum_kurz

    return datum_kurz(value) if value is not None else "–"


def _signatures(z: Zeile) -> str:
    if not z.mitzeichnung:
        return "–"
    return ", ".join(f"{r} {_date(d)}" if d else f"{r} offen" for r, d in z.mitzeichnung.items())


def _flag(value: bool | None, yes: str, no: str) -> str:
    return "–" if value is None else (yes if value else no)


def _table(result: StatusResult) -> None:
    """The rows as an aligned table, most urgent first: overdue red, due within five days yellow.

    Laid out here and printed by rich as one styled text (redirected: as plain text): rich's
    ``Table`` takes seconds for a year's worth of rows, this takes milliseconds.
    """
    from rich.text import Text

    from anfrage.german import datum

    zeilen = result.zeilen
    several = len({z.serie for z in zeilen}) > 1
    columns = [
        *([("Serie", False)] if several else []),
        ("KA", True),
        ("Drucksache", False),
        ("Region", False),
        ("Eingang", False),
        ("Frist", False),
        ("Freigabe", False),
        ("Tage", True),
        ("offen", True),
        ("bearb.", False),
        ("Wortlaut", False),
        ("Mitzeichnung", False),
        ("Zustand", False),
        ("Antwort-Drs.", False),
    ]
    rows: list[tuple[list[str], str | None]] = []
    for z in zeilen:
        f = z.fristen
        cells = [
            *([z.serie] if several else []),
            str(z.nummer),
            z.eintrag.drucksache or "–",
            z.thema,
            _date(f.eingang if f else None),
            _date(f.frist if f else None),
            _date(f.freigabe if f else None),
            str(z.tage).replace("-", "−") if z.tage is not None else "–",
            str(z.entwurf.platzhalter) if z.entwurf.platzhalter is not None else "–",
            _flag(z.entwurf.bearbeitet, "ja", "nein"),
            _flag(None if z.entwurf.wortlaut is None else not z.entwurf.wortlaut, "ok", "weicht ab"),
            _signatures(z),
            z.zustand.value,
            z.eintrag.antwort_drucksache or "–",
        ]
        style = "bold red" if z.ueberfaellig else "yellow" if z.faellig else "dim" if not z.offen else None
        rows.append((cells, style))
    widths = [max([len(name), *(len(cells[i]) for cells, _ in rows)]) for i, (name, _) in enumerate(columns)]

    def line(cells: list[str]) -> str:
        parts = [c.rjust(w) if right else c.ljust(w) for c, w, (_, right) in zip(cells, widths, columns, strict=True)]
        return "  ".join(parts).rstrip() + "\n"

    text = Text()
    text.append(f"Kleine Anfragen – Stand {datum(result.heute)}\n\n", style="bold")
    text.append(line([name for name, _ in columns]), style="bold")
    text.append("─" * (sum(widths) + 2 * (len(widths) - 1)) + "\n")
    for cells, style in rows:
        text.append(line(cells), style=style)
    if out.is_terminal:
        out.print(text, soft_wrap=True, end="")
    else:  # redirected: no colours anyway, and rich would spend more time than everything else
        sys.stdout.write(text.plain)
    overdue = sum(z.ueberfaellig for z in zeilen)
    due = sum(z.faellig for z in zeilen)
    sent = sum(not z.offen for z in zeilen)
    unknown = sum(z.offen and z.fristen is None for z in zeilen)
    parts = [
        f"[bold red]{overdue} überfällig[/]" if overdue else "0 überfällig",
        f"[yellow]{due} mit Frist in den nächsten fünf Tagen[/]" if due else "0 mit Frist in den nächsten fünf Tagen",
        f"{sent} versandt",
    ]
    if unknown:
        parts.append(f"{unknown} ohne Eingangsdatum („eingang:“ oder „datum:“ in der Kleinen Anfrage eintragen)")
    out.print(f"{anzahl(len(zeilen), 'Kleine Anfrage', 'Kleine Anfragen')}: {', '.join(parts)}.")


@handle_errors
def mitzeichnung(
    serie: SerieArgument,
    region: Annotated[
        str, typer.Option("--region", "-r", help="Region der Kleinen Anfrage (Kennung, Name oder Kreisschlüssel).")
    ],
    ressort: Annotated[str, typer.Option("--ressort", help="Kennung des mitzeichnenden Ressorts (z. B. mags).")],
    datum: Annotated[
        str | None,
        typer.Option("--datum", help="Tag der Mitzeichnung (JJJJ-MM-TT oder TT.MM.JJJJ).", show_default="heute"),
    ] = None,
    zuruecknehmen: Annotated[
        bool, typer.Option("--zuruecknehmen", help="Eine eingetragene Mitzeichnung wieder löschen.")
    ] = False,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Die Mitzeichnung eines Ressorts in der Datei der Kleinen Anfrage eintragen (eine Zeile unter „mitzeichnung:“)."""
    from anfrage.german import datum as long_date
    from anfrage.load.series import open_series
    from anfrage.pipeline import open_workspace
    from anfrage.select import effective_antwort, find_region
    from anfrage.status.clock import heute_oder
    from anfrage.status.record import mitzeichnung as record
    from anfrage.status.rows import mitzeichnende

    tag = heute_oder(datum, "--datum")
    cat = open_workspace(workspace_root(workspace))
    bundle, _source = open_series(cat, serie)
    chosen = find_region(cat, region)
    done = record(cat, bundle, chosen, ressort, tag, zuruecknehmen=zuruecknehmen)
    done.edit.write()
    a, r = done.anfrage, done.ressort
    where = f"KA {a.nummer} ({chosen.name}), {done.edit.display}"
    if zuruecknehmen:
        out.print(f"{where}: Mitzeichnung von „{r.id}“ ({r.name}) gelöscht.", markup=False)
    elif not done.edit.changed:
        out.print(f"{where}: Mitzeichnung von „{r.id}“ am {long_date(tag)} war schon eingetragen.", markup=False)
    else:
        before = f" (vorher {long_date(done.vorher)})" if done.vorher else ""
        out.print(
            f"{where}: Mitzeichnung von „{r.id}“ ({r.name}) am {long_date(tag)} eingetragen{before}.", markup=False
        )
    signed = dict(a.mitzeichnung)
    if zuruecknehmen:
        signed.pop(r.id, None)
    else:
        signed[r.id] = tag
    missing = [rid for rid in mitzeichnende(effective_antwort(bundle.serie, a)) if rid not in signed]
    if missing:
        out.print(f"Noch offen: {', '.join(missing)}.", markup=False)
    else:
        out.print("Alle Mitzeichnungen liegen vor.", markup=False)


@handle_errors
def versand(
    serie: SerieArgument,
    regionen: Annotated[
        str,
        typer.Option(
            "--regionen",
            "-r",
            help="Welche Antworten: Kennungen mit Komma (bochum,dortmund), eine Gruppe, regbez:… oder alle "
            "(dann nur Regionen mit erfasster Kleiner Anfrage).",
        ),
    ],
    ausgang: Annotated[
        Path, typer.Option("--out", "-o", help="Ausgang: Ordner für die versandfertigen Dateien.", file_okay=False)
    ],
    pdf: Annotated[bool, typer.Option("--pdf", help="Zusätzlich eine PDF-Datei erstellen (mit LibreOffice).")] = False,
    entwuerfe: Entwuerfe = Path("entwuerfe"),
    datum: Annotated[
        str | None,
        typer.Option("--datum", help="Tag des Versands (JJJJ-MM-TT oder TT.MM.JJJJ).", show_default="heute"),
    ] = None,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Fertige Antworten versenden: prüfen, die Word-Datei (und PDF) in den Ausgang legen, als versandt vermerken.

    Abgelehnt (Rückgabewert 1, nichts geschrieben) wird, solange ein Entwurf offene Platzhalter, Mustertext,
    Konflikte, offene Word-Änderungen oder abweichende Fragen enthält, eine Mitzeichnung oder die Nummer der
    Antwort-Drucksache fehlt.
    """
    from anfrage.german import datum as long_date
    from anfrage.load.series import open_series
    from anfrage.pipeline import open_workspace
    from anfrage.status.clock import heute_oder
    from anfrage.status.versand import pruefen, versenden

    tag = heute_oder(datum, "--datum")
    cat = open_workspace(workspace_root(workspace))
    bundle, _source = open_series(cat, serie)
    folder = entwuerfe if entwuerfe.is_absolute() else Path.cwd() / entwuerfe
    target = ausgang if ausgang.is_absolute() else Path.cwd() / ausgang
    plan = pruefen(cat, bundle, regionen, folder, target)
    refused = plan.refused
    if refused:
        for s in refused:
            err.print(f"[bold red]{rich_escape(s.region.name)} ({rich_escape(s.name)}) – nicht versandfertig:[/]")
            for problem in s.gruende:
                err.print(f"  {rich_escape(str(problem))}", highlight=False)
        total = len(plan.sendungen)
        err.print(
            f"[bold red]Versand abgelehnt:[/] {len(refused)} von {anzahl(total, 'Entwurf', 'Entwürfen')} nicht "
            "versandfertig; es wurde nichts geschrieben."
        )
        raise typer.Exit(EXIT_PROBLEMS)
    done = versenden(cat, plan, tag, pdf)
    for path in done.datei:
        out.print(f"{rich_escape(display_path(path))}: versandfertig")
    for edit in done.edits:
        out.print(f"{rich_escape(edit.display)}: versandt am {long_date(tag)} vermerkt", markup=False)
    if plan.uebersprungen:
        out.print(
            f"{anzahl(plan.uebersprungen, 'Region', 'Regionen')} der Auswahl ohne erfasste Kleine Anfrage "
            "übersprungen.",
            markup=False,
        )
