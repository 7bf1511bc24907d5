"""Drafts written earlier in ``anfrage check``: open placeholders, unanswered questions, and the
questions compared with their Anfrage."""

from __future__ import annotations

from pathlib import Path

from anfrage import draft as contract
from anfrage import german
from anfrage.check.common import ANFRAGEN, Context, DraftReport, as_problems
from anfrage.check.series import check_series
from anfrage.draft import CONFLICT_START
from anfrage.errors import AnfrageError, Problem
from anfrage.guard import check_questions
from anfrage.status.clock import fristen
from anfrage.yamlio import read_text


def check_draft(ctx: Context, path: Path, display: str) -> DraftReport:
    """Open placeholders, verbatim questions and unanswered questions of one draft file."""
    try:
        text = read_text(path, display)
    except AnfrageError as exc:
        ctx.report(as_problems(exc, display))
        return DraftReport(display, None, None, None)
    meta, _body, _lines = contract.split_front_matter(text, display)
    serie = meta.get("serie")
    region = meta.get("region")
    serie_id = str(serie) if serie is not None else None
    region_id = str(region) if region is not None else None
    report = DraftReport(display, serie_id, region_id, contract.count_placeholders(text))
    _report_conflicts(ctx, display, text)
    try:
        for line, run in contract.unanswered_questions(text):
            ctx.report(
                [Problem(display, line, f"frage {run[0]}", f"Auf die {german.fragen_bezug(run)} folgt keine Antwort.")]
            )
        fragen = _expected_questions(ctx, display, text, serie_id, region_id)
        if fragen is not None:
            ctx.report(check_questions(text, fragen, display))
        _report_due(ctx, report)
    except RecursionError:
        ctx.report([Problem(display, 0, "", "Der Entwurf ist zu tief verschachtelt und kann nicht geprüft werden.")])
    return report


def _report_due(ctx: Context, report: DraftReport) -> None:
    """The clock of the draft's Anfrage; open placeholders once it is due at the Staatskanzlei warn."""
    bundle = ctx.bundles.get(report.serie or "")
    loaded = bundle.anfrage_for(report.region) if bundle is not None and report.region else None
    clock = fristen(loaded.anfrage) if loaded is not None and loaded.anfrage.versandt is None else None
    if clock is None or loaded is None:
        return
    report.freigabe, report.frist = clock.freigabe, clock.frist
    if report.placeholders and clock.faellig(ctx.heute):
        count = german.anzahl(report.placeholders, "offener Platzhalter", "offene Platzhalter")
        ctx.report(
            [
                Problem(
                    report.file,
                    1,
                    "",
                    f"{count} in der Antwort auf die Kleine Anfrage {loaded.anfrage.nummer}; sie ist seit dem "
                    f"{german.datum(clock.freigabe)} bei der Staatskanzlei zur Freigabe fällig (Frist: "
                    f"{german.datum(clock.frist)}).",
                    "warnung",
                )
            ]
        )


def _report_conflicts(ctx: Context, display: str, text: str) -> None:
    """Every conflict block the merge left is an error until the clerk resolves it."""
    for match in CONFLICT_START.finditer(text):  # also a block whose end the clerk deleted
        line = text.count("\n", 0, match.start()) + 1
        ctx.report(
            [
                Problem(
                    display,
                    line,
                    "konflikt",
                    "Offener Konflikt aus dem Zusammenführen: eine der beiden Fassungen übernehmen und den Block "
                    "„[[KONFLIKT: …]]“ löschen.",
                )
            ]
        )


def _expected_questions(
    ctx: Context, display: str, text: str, serie: str | None, region: str | None
) -> list[tuple[int, str]] | None:
    """The questions a draft must carry, or None (with a problem reported) when they are unknown."""
    if not serie or not region:
        ctx.report(
            [
                Problem(
                    display,
                    1,
                    "",
                    "Der Kopf des Entwurfs nennt nicht „serie:“ und „region:“; die Fragen können nicht mit der "
                    "Kleinen Anfrage verglichen werden.",
                    "warnung",
                )
            ]
        )
        return None
    draft = ctx.drafts.get((serie, region))
    if draft is not None:
        return draft.fragen
    if serie not in ctx.bundles and serie not in ctx.broken:
        path = ctx.cat.root / ANFRAGEN / f"{serie}.yaml"
        if path.is_file() and "/" not in serie and "\\" not in serie:
            check_series(ctx, path)
    bundle = ctx.bundles.get(serie)
    if bundle is None and serie not in ctx.broken:
        ctx.report(
            [
                Problem(
                    display,
                    _front_line(text, "serie"),
                    "serie",
                    f"unbekannte Serie „{serie}“ (keine Datei {ANFRAGEN}/{serie}.yaml).",
                )
            ]
        )
    if region not in ctx.cat.regionen:
        ctx.report([Problem(display, _front_line(text, "region"), "region", f"unbekannte Region „{region}“.")])
        return None
    if bundle is None:
        if serie in ctx.broken:
            message = f"Die Fragen werden nicht verglichen, weil die Serie „{serie}“ Fehler hat (siehe dort)."
            ctx.report([Problem(display, 1, "serie", message, "warnung")])
        return None
    draft = ctx.drafts.get((serie, region))
    if draft is not None:
        return draft.fragen
    loaded = bundle.anfrage_for(region)
    if loaded is None:
        ctx.report(
            [
                Problem(
                    display,
                    1,
                    "",
                    "Die Fragen werden nicht verglichen, weil der Entwurf der Serie nicht erstellt werden konnte "
                    "(siehe dort).",
                    "warnung",
                )
            ]
        )
        return None
    return [(f.nr, f.text) for f in loaded.anfrage.fragen]


def _front_line(text: str, key: str) -> int:
    """Line of ``key:`` in the front matter of a draft (1 if not found)."""
    for number, line in enumerate(text.split("\n")[:60], start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1
