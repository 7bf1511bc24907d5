"""Series in ``anfrage check``: load each, render it for every region in scope, guard each draft,
and warn about programmes that end before or soon after the answer date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from anfrage import german
from anfrage import models as m
from anfrage.check.common import ANFRAGEN, WARN_MONTHS, Context, Findings, SeriesReport, as_problems
from anfrage.errors import AnfrageError, Problem
from anfrage.load.catalogue import DATA, Catalogue
from anfrage.load.series import Bundle, load_bundle
from anfrage.pipeline import guard_problems, make_draft
from anfrage.select import effective_antwort, in_scope


def check_series(ctx: Context, path: Path) -> SeriesReport | None:
    """Load a series (or an Anfrage's series) and render it for every region in its scope."""
    cat = ctx.cat
    display = cat.rel(path)
    try:
        bundle = load_bundle(cat, path)
    except AnfrageError as exc:
        ctx.report(as_problems(exc, display))
        if path.parent.resolve() != (cat.root / ANFRAGEN).resolve():
            return None  # an Anfrage given as argument; its problems are reported
        ctx.broken.add(path.stem)
        return SeriesReport(path.stem, display, blocked_by=[display])
    serie = bundle.serie
    if bundle.file != display:
        # An Anfrage: check its whole series (once).
        if path.parent.resolve() == (cat.root / ANFRAGEN).resolve():
            ctx.report(
                [
                    Problem(
                        display,
                        1,
                        "",
                        "ist keine Serie, sondern eine Kleine Anfrage; sie gehört in den Ordner "
                        f"{ANFRAGEN}/{serie.id}/.",
                    )
                ]
            )
        if serie.id in ctx.bundles:
            return None
        return check_series(ctx, cat.root / ANFRAGEN / f"{serie.id}.yaml")
    if path.parent.resolve() == (cat.root / ANFRAGEN).resolve() and serie.id != path.stem:
        ctx.report(
            [
                Problem(
                    display,
                    bundle.doc.line_of(("id",)),
                    "id",
                    f"Kennung „{serie.id}“ passt nicht zum Dateinamen „{path.name}“; "
                    "Kleine Anfragen finden ihre Serie über den Dateinamen.",
                )
            ]
        )
    if serie.id in ctx.bundles:
        return None
    ctx.bundles[serie.id] = bundle
    return _render_series(ctx, bundle)


def _render_series(ctx: Context, bundle: Bundle) -> SeriesReport:
    cat = ctx.cat
    serie = bundle.serie
    template = f"templates/{serie.vorlage}"
    report = SeriesReport(serie.id, bundle.file)
    # Without these files every draft would fail with follow-up errors (the files are reported).
    report.blocked_by = sorted(f for f in cat.unreadable if f != f"{DATA}/quellen.yaml")
    if report.blocked_by:
        return report
    findings = Findings()
    regions = [e for e in cat.einheiten.values() if in_scope(cat, serie, e)]
    without_text: list[str] = []
    used: set[tuple[str, dt.date | None]] = set()  # (programme, answer date) of the drafts
    guarded_model = False
    for region in regions:
        loaded = bundle.anfrage_for(region.id)
        if loaded is None and serie.muster is None:
            without_text.append(region.name)
            continue
        try:
            draft = make_draft(ctx.renderer, bundle, region)
        except AnfrageError as exc:
            for problem in as_problems(exc, template):
                if problem not in ctx.problems:  # e.g. a syntax error the catalogue check found
                    findings.add(problem, region.name)
            report.failed += 1
            continue
        except RecursionError:
            findings.add(
                Problem(template, 0, "", "Die Vorlage ist zu tief verschachtelt oder ruft sich selbst auf."),
                region.name,
            )
            report.failed += 1
            continue
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not hide the other findings
            findings.add(
                Problem(template, 0, "", f"Interner Fehler beim Erstellen des Entwurfs ({type(exc).__name__}: {exc})."),
                region.name,
            )
            report.failed += 1
            continue
        ctx.drafts[(serie.id, region.id)] = draft
        report.drafts += 1
        report.placeholders += draft.placeholders
        # The verbatim guard compares the questions of an entered Anfrage; model-text questions
        # are not compared, so one model-text draft per series shows the template's structure.
        if loaded is not None or not guarded_model:
            guarded_model = guarded_model or loaded is None
            for problem in guard_problems(draft):
                findings.add(Problem(template, 0, problem.key, f"Im Entwurf: {problem.message}"), region.name)
        antwort = effective_antwort(serie, loaded.anfrage if loaded else None)
        used.update((pid, antwort.datum) for pid in draft.programme)
    ctx.report(findings.problems(serie.id, len(regions)))
    if without_text:
        shown = without_text[:3] + ([f"{len(without_text) - 3} weitere"] if len(without_text) > 3 else [])
        ctx.report(
            [
                Problem(
                    bundle.file,
                    bundle.doc.line_of(("anfragen",)) or 1,
                    "anfragen",
                    f"Für {german.anzahl(len(without_text), 'Region', 'Regionen')} ist keine Kleine Anfrage "
                    "erfasst und die Serie hat "
                    f"keinen Mustertext („muster:“); für sie entsteht kein Entwurf: {german.aufzaehlung(shown)}.",
                    "warnung",
                )
            ]
        )
    ctx.report(_programme_warnings(cat, serie, used))
    return report


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` plus whole months, clamped to the last day of the month (2018-11-30 + 3 → 2019-02-28)."""
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    for day in range(date.day, 27, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, min(date.day, 28))


def _programme_warnings(cat: Catalogue, serie: m.Serie, used: set[tuple[str, dt.date | None]]) -> list[Problem]:
    """Programmes a series uses that do not run (or stop soon) at its answer date."""
    problems = []
    for pid, date in sorted(used, key=lambda item: (item[0], item[1] or dt.date.min)):
        programm = cat.programme.get(pid)
        if programm is None:
            continue
        loc = cat.locate("programm", pid)
        name = f"Programm „{programm.name}“"
        end, start = programm.gueltig_bis, programm.gueltig_von
        message = ""
        key = f"{loc.key}.gueltig_bis"
        if date is None:
            if end is not None:
                message = (
                    f"{name} läuft am {german.datum(end)} aus und die Serie „{serie.id}“ hat kein "
                    "Antwortdatum; es fehlt in deren Entwürfen."
                )
        elif start is not None and start > date:
            key = f"{loc.key}.gueltig_von"
            message = (
                f"{name} beginnt erst am {german.datum(start)}, nach dem Antwortdatum {german.datum(date)} "
                f"der Serie „{serie.id}“; es fehlt in deren Entwürfen."
            )
        elif end is not None and end < date:
            message = (
                f"{name} ist am {german.datum(end)} ausgelaufen, vor dem Antwortdatum {german.datum(date)} "
                f"der Serie „{serie.id}“; es fehlt in deren Entwürfen."
            )
        elif end is not None and end <= add_months(date, WARN_MONTHS):
            message = (
                f"{name} läuft am {german.datum(end)} aus, weniger als drei Monate nach dem Antwortdatum "
                f"{german.datum(date)} der Serie „{serie.id}“; bitte prüfen, ob es noch genannt werden soll."
            )
        if message:
            problems.append(Problem(loc.file, loc.line, key, message, "warnung"))
    return problems
