"""``anfrage list``: the catalogues of the workspace as a table or JSON."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from anfrage.cli.common import Workspace, handle_errors, out, rich_escape, workspace_root


class Liste(StrEnum):
    programme = "programme"
    regionen = "regionen"
    themen = "themen"


@handle_errors
def list_(
    was: Annotated[Liste, typer.Argument(help="programme, regionen oder themen.", metavar="WAS", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON ausgeben (für Skripte).")] = False,
    workspace: Workspace = None,  # type: ignore[assignment]
) -> None:
    """Kataloge anzeigen: Förderangebote (programme), die 53 Kreise und kreisfreien Städte (regionen) oder die
    Themen der Textbausteine (themen)."""
    from rich.table import Table

    from anfrage.pipeline import open_workspace
    from anfrage.select import region_rows

    cat = open_workspace(workspace_root(workspace))
    if was is Liste.regionen:
        rows = region_rows(cat)
        columns = [
            ("id", "Kennung"),
            ("name", "Name"),
            ("art", "Art"),
            ("ags", "AGS"),
            ("regierungsbezirk", "Regierungsbezirk"),
        ]
        title = f"{len(rows)} Kreise und kreisfreie Städte"
    elif was is Liste.themen:
        rows = [
            {"id": t.id, "name": t.name, "programme": [p.id for p in cat.programme.values() if t.id in p.themen]}
            for t in cat.themen.values()
        ]
        columns = [("id", "Kennung"), ("name", "Bezeichnung"), ("programme", "Textbausteine")]
        title = f"{len(rows)} Themen"
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
