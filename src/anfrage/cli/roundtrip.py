"""The Word round trip: ``anfrage vergleich``, ``anfrage herkunft`` and ``anfrage uebernehmen``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from anfrage.cli.common import AenderungenOption, display_path, handle_errors, out, rich_escape
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
