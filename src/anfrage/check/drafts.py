"""Drafts written earlier in ``anfrage check``: open placeholders, unanswered questions, and the
questions compared with their Anfrage.

A Word draft (``.docx``) is read back into Markdown first (``docx.reader``), with the front matter of
its last render (``.anfrage/basis/NAME.md``) or of its Markdown twin, so that series and region are
known; open comments count as open placeholders. Pending tracked changes are an error, with their
number per author: a draft is not finished while they are open. The other checks then see the
draft as if every change were accepted, so that one run still reports everything.
"""

from __future__ import annotations

from pathlib import Path

from anfrage import draft as contract
from anfrage import german
from anfrage.check.common import ANFRAGEN, Context, DraftReport, as_problems
from anfrage.check.series import check_series
from anfrage.draft import CONFLICT_START
from anfrage.errors import AnfrageError, Problem
from anfrage.guard import check_questions
from anfrage.output import BASIS
from anfrage.status.clock import fristen
from anfrage.yamlio import read_text

DOCX_SUFFIX = ".docx"


def check_draft(ctx: Context, path: Path, display: str) -> DraftReport:
    """Open placeholders, verbatim questions and unanswered questions of one draft file (.md or .docx)."""
    if path.suffix.lower() == DOCX_SUFFIX:
        return _check_docx(ctx, path, display)
    try:
        text = read_text(path, display)
    except AnfrageError as exc:
        ctx.report(as_problems(exc, display))
        return DraftReport(display, None, None, None)
    return _check_text(ctx, text, display)


def _check_docx(ctx: Context, path: Path, display: str) -> DraftReport:
    """A Word draft: pending changes are an error; the rest is checked on the text read back.

    Line numbers of the read-back Markdown mean nothing in Word, so its problems carry none.
    """
    from anfrage.docx.reader import docx_to_markdown, revisions

    try:
        pending = revisions(path)
        text = docx_to_markdown(
            path, front_matter=_front_matter_source(path), aenderungen="annehmen" if pending else "fehler"
        )
    except AnfrageError as exc:
        ctx.report([Problem(display, 0, "", exc.message)])
        return DraftReport(display, None, None, None)
    if pending:
        ctx.report([Problem(display, 0, "änderungen", pending_changes_message([r.author for r in pending]))])
    before = set(ctx.problems)
    report = _check_text(ctx, text, display)
    for problem in ctx.problems - before:
        if problem.file == display and problem.line:
            ctx.problems.discard(problem)
            ctx.problems.add(Problem(problem.file, 0, problem.key, problem.message, problem.severity))
    report.aenderungen = len(pending)
    return report


def _front_matter_source(path: Path) -> str | None:
    """The front matter of a Word draft: its last render, else its Markdown twin, else None (rebuilt)."""
    for candidate in (path.parent / BASIS / f"{path.stem}.md", path.with_suffix(".md")):
        try:
            return candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
    return None


def pending_changes_message(authors: list[str]) -> str:
    """„2 nicht angenommene Änderungen (1 von MAGS, 1 von Referat 123): …“, most frequent author first."""
    counts: dict[str, int] = {}
    for author in authors:
        counts[author] = counts.get(author, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: -item[1])  # stable: first appearance breaks ties
    who = ", ".join(f"{n} von {a}" if a else f"{n} ohne Angabe des Verfassers" for a, n in ranked)
    what = german.anzahl(len(authors), "nicht angenommene Änderung", "nicht angenommene Änderungen")
    return (
        f"{what} ({who}): in Word annehmen oder ablehnen, dann erneut prüfen. Die übrigen Prüfungen sehen den "
        "Entwurf so, als wären alle Änderungen angenommen."
    )


def _check_text(ctx: Context, text: str, display: str) -> DraftReport:
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
