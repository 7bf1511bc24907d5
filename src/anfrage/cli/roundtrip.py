"""The Word round trip: ``anfrage vergleich``, ``anfrage herkunft`` and ``anfrage uebernehmen``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from anfrage.cli.common import (
    AenderungenOption,
    Workspace,
    display_path,
    handle_errors,
    out,
    rich_escape,
    workspace_root,
)
from anfrage.errors import UserError
from anfrage.german import anzahl


@handle_errors
def vergleich(
    alt: Annotated[
        Path,
        typer.Argument(help="Ältere Fassung (.docx oder .md).", metavar="ALT", show_default=False),
    ],
    neu: Annotated[
        Path,
        typer.Argument(help="Neuere Fassung (.docx oder .md).", metavar="NEU", show_default=False),
    ],
    ausgabe: Annotated[
        Path | None,
        typer.Option(
            "--ausgabe",
            "-o",
            help="Word-Datei mit den Änderungen (Standard: NEU-aenderungen.docx im aktuellen Ordner).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    autor: Annotated[
        str, typer.Option("--autor", help="Verfasser der Änderungen, wie Word ihn anzeigt, z. B. „Referat 123“.")
    ] = "anfrage",
    datum: Annotated[
        str | None,
        typer.Option(
            "--datum",
            help="Datum der Änderungen, z. B. 2025-05-12 oder jetzt; ohne Angabe das Änderungsdatum aus den "
            "Dokumenteigenschaften der neueren Fassung (gleiche Eingaben ergeben dieselbe Datei).",
            show_default=False,
        ),
    ] = None,
    aenderungen: AenderungenOption = None,
) -> None:
    """Zwei Fassungen als Word-Datei mit nachverfolgten Änderungen vergleichen (in Word annehmen oder ablehnen)."""
    from anfrage.docx.reader import revisions
    from anfrage.docx.redline import compare, parse_datum
    from anfrage.output import atomic_write

    target = ausgabe if ausgabe is not None else Path(f"{neu.stem}-aenderungen.docx")
    for given in (alt, neu):
        if given.exists() and target.exists() and given.resolve() == target.resolve():
            raise UserError(f"Die Ausgabe „{target}“ würde eine der verglichenen Dateien überschreiben.")
    result = compare(
        alt,
        neu,
        autor=autor,
        datum=parse_datum(datum) if datum is not None else None,
        aenderungen=aenderungen.value if aenderungen else None,
    )
    atomic_write(target.resolve(), result.docx)
    found = revisions(result.docx)
    inserted = sum(1 for r in found if r.kind in ("einfügung", "verschoben_nach"))
    deleted = sum(1 for r in found if r.kind in ("löschung", "verschoben_von"))
    other = len(found) - inserted - deleted
    parts = [anzahl(inserted, "Einfügung", "Einfügungen"), anzahl(deleted, "Löschung", "Löschungen")]
    if other:
        parts.append(anzahl(other, "Formatänderung", "Formatänderungen"))
    when = result.datum.strftime("%d.%m.%Y")
    if not found:
        summary = "keine nachverfolgten Änderungen – die beiden Fassungen sagen dasselbe"
    else:
        summary = (
            f"{anzahl(len(found), 'nachverfolgte Änderung', 'nachverfolgte Änderungen')} ({', '.join(parts)}) "
            f"von „{result.autor}“ vom {when}"
        )
    out.print(f"{rich_escape(display_path(target.resolve()))}: {rich_escape(summary)}.")


Entwurf = Annotated[
    Path,
    typer.Argument(help="Entwurf (.md) oder seine Word-Datei (.docx).", metavar="ENTWURF", show_default=False),
]


@handle_errors
def herkunft(
    entwurf: Entwurf,
    as_json: Annotated[bool, typer.Option("--json", help="Eine Zeile je Absatzzeile als JSON ausgeben.")] = False,
    aenderungen: AenderungenOption = None,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Zeigen, woher jede Zeile eines Entwurfs stammt: Vorlage, Textbaustein im Katalog oder Kleine Anfrage."""
    from anfrage.origin import as_row, draft_identity, open_render, read_draft, summary, trace

    text, _base = read_draft(entwurf, aenderungen.value if aenderungen else None)
    serie, region = draft_identity(text, str(entwurf))
    render = open_render(workspace_root(workspace), serie, region)
    traced = trace(text, render)
    if as_json:
        sys.stdout.write(json.dumps([as_row(line) for line in traced], ensure_ascii=False, indent=1) + "\n")
        return
    out.print(
        f"{rich_escape(display_path(entwurf.resolve()))}: Serie „{rich_escape(serie)}“, "
        f"{rich_escape(render.region.name)} – Herkunft jeder Zeile:",
        highlight=False,
    )
    groups: list[tuple[int, int, str, int | None, int | None]] = []  # first, last line, summary, source lines
    for line in traced:
        label = summary(line.origin) + (" – von Hand geändert" if line.geaendert else "")
        key_line = line.origin.quellzeile
        if groups:
            first, last, previous, q_first, q_last = groups[-1]
            same_source = previous == label or (
                line.origin.quellzeile is not None
                and q_last is not None
                and _without_line(previous) == _without_line(label)
                and line.origin.quellzeile >= q_last
            )
            if same_source and line.zeile <= last + 2:
                groups[-1] = (first, line.zeile, previous, q_first, key_line if key_line is not None else q_last)
                continue
        groups.append((line.zeile, line.zeile, label, key_line, key_line))
    for first, last, label, q_first, q_last in groups:
        lines = f"Zeile {first}" if first == last else f"Zeilen {first}–{last}"
        if q_first is not None and q_last is not None and q_last != q_first:
            label = label.replace(f":{q_first})", f":{q_first}–{q_last})").replace(
                f":{q_first},", f":{q_first}–{q_last},"
            )
        out.print(f"  {lines}: {rich_escape(label)}", highlight=False)


def _without_line(label: str) -> str:
    """A summary without its source line number, to group lines of one source."""
    import re

    return re.sub(r":\d+\)", ")", re.sub(r":\d+,", ",", label))


@handle_errors
def uebernehmen(
    entwurf: Entwurf,
    in_katalog: Annotated[
        bool,
        typer.Option(
            "--in-katalog",
            help="Korrekturen an Textbausteinen in den Katalog (data/) und an festem Text in die Vorlage der Serie "
            "schreiben; ohne diese Option wird nur angezeigt.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Die Änderungen als JSON ausgeben.")] = False,
    aenderungen: AenderungenOption = None,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Korrekturen in einem Entwurf für die ganze Serie übernehmen: in den Katalog oder die Vorlage der Serie."""
    from anfrage.errors import EXIT_PROBLEMS
    from anfrage.origin import summary
    from anfrage.takeover import KATALOG, OFFEN, REGIONAL, VORLAGE_ZIEL, apply, as_row, plan

    root = workspace_root(workspace)
    result = plan(entwurf, root, aenderungen.value if aenderungen else None)
    if in_katalog:
        apply(result)
    if as_json:
        sys.stdout.write(json.dumps([as_row(c) for c in result.changes], ensure_ascii=False, indent=1) + "\n")
    else:
        shown = rich_escape(display_path(entwurf.resolve()))
        if not result.changes:
            out.print(f"{shown}: keine Änderungen gegenüber der zuletzt erzeugten Fassung.")
        else:
            count = anzahl(len(result.changes), "geänderter Absatz", "geänderte Absätze")
            out.print(
                f"{shown}: {count} gegenüber der zuletzt erzeugten Fassung (Serie „{rich_escape(result.serie)}“)."
            )
        for change in result.changes:
            where = f"Zeile {change.zeile_neu}" if change.zeile_neu else f"bisher Zeile {change.zeile_alt}"
            out.print("")
            out.print(f"[bold]{where}[/]: {rich_escape((change.neu or change.alt)[0][:90])}")
            if change.herkunft is not None:
                out.print(f"  Herkunft: {rich_escape(summary(change.herkunft))}")
            if change.alt and change.von:
                out.print(f"  steht in {change.anzahl} von {change.von} Entwürfen der Serie")
            for line in difflib_lines(change.alt, change.neu):
                out.print(f"  {rich_escape(line)}", highlight=False)
            if change.ziel in (KATALOG, VORLAGE_ZIEL):
                if change.geschrieben:
                    out.print(f"  [green]übernommen in {rich_escape(change.geschrieben)}[/]")
                else:
                    out.print(f"  → mit --in-katalog übernehmen in {rich_escape(change.grund)}")
            elif change.ziel == REGIONAL:
                out.print(f"  bleibt in diesem Entwurf: {rich_escape(change.grund)}")
            else:
                out.print(f"  [yellow]nicht zuzuordnen:[/] {rich_escape(change.grund)}")
        if result.written:
            out.print("")
            out.print(
                f"Geändert: {rich_escape(', '.join(result.written))}. Der nächste „anfrage batch "
                f"{rich_escape(result.serie)} --regionen alle“ gibt die Korrektur jedem Entwurf der Serie."
            )
    if in_katalog and any(c.ziel == OFFEN for c in result.changes):
        raise typer.Exit(EXIT_PROBLEMS)


def difflib_lines(old: list[str], new: list[str]) -> list[str]:
    """The changed lines of a paragraph, as „- alt“ / „+ neu“."""
    import difflib

    out_lines: list[str] = []
    for line in difflib.ndiff(old, new):
        if line.startswith(("- ", "+ ")):
            out_lines.append(line)
    return out_lines
