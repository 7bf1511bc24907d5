"""Checking a whole workspace (``anfrage check``): every problem of every file in one run.

What is checked, in this order:

1. the catalogues and templates (``catalogue.load_catalogue``: YAML syntax, schema, duplicate ids,
   cross references, impossible dates, Jinja syntax);
2. every series in ``data/anfragen/*.yaml`` with its Anfragen (``catalogue.load_bundle``), and
   Anfragen that no series lists;
3. every series rendered for every region in its scope – this is what finds undefined variables,
   sandbox violations and questions without an answer – with the verbatim guard on each draft;
   programmes that have ended (or end soon) at the answer date become warnings per series;
4. drafts written earlier (``--entwuerfe DIR`` or ``*.md`` arguments): open placeholders, questions
   compared with their Anfrage, questions without an answer.

Nothing here prints: :func:`check_workspace` returns a :class:`CheckResult` (problems, sorted, plus a
summary of drafts and placeholders); ``cli/check.py`` prints it. A workspace that cannot be checked
at all (no ``data/`` folder, an argument that names nothing) raises ``UserError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import nodes

from anfrage import draft as contract
from anfrage import german
from anfrage import models as m
from anfrage.errors import AnfrageError, CatalogueError, Problem, UserError
from anfrage.guard import check_questions
from anfrage.load.catalogue import DATA, Catalogue, load_catalogue
from anfrage.load.series import Bundle, find_series_file, load_bundle
from anfrage.pipeline import Draft, guard_problems, make_draft
from anfrage.render import Renderer
from anfrage.select import in_scope
from anfrage.yamlio import load_yaml, read_text

ANFRAGEN = f"{DATA}/anfragen"
PROGRAMMES = f"{DATA}/programmes.yaml"
WARN_MONTHS = 3  # warn when a programme ends this soon after the answer date


@dataclass
class SeriesReport:
    """How a series fared: drafts rendered, open placeholders in them, regions without a draft."""

    serie: str
    file: str
    drafts: int = 0
    placeholders: int = 0
    failed: int = 0
    blocked_by: list[str] = field(default_factory=list)  # files with errors: nothing was rendered


@dataclass
class DraftReport:
    """An existing draft file: its series, region and open placeholders."""

    file: str
    serie: str | None
    region: str | None
    placeholders: int | None  # None: the file could not be read


@dataclass
class CheckResult:
    """Everything ``anfrage check`` found; ``problems`` sorted by file and line."""

    problems: list[Problem] = field(default_factory=list)
    series: list[SeriesReport] = field(default_factory=list)
    drafts: list[DraftReport] = field(default_factory=list)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warnung"]

    def errors(self, strict: bool = False) -> list[Problem]:
        """Problems that make the check fail; with ``strict`` warnings count too."""
        return [p for p in self.problems if strict or p.severity == "fehler"]


# --- per-region findings, merged into one problem per series ------------------------------------


class _Findings:
    """Collects the same finding from many drafts of a series as one problem naming the regions."""

    def __init__(self) -> None:
        self._found: dict[Problem, list[str]] = {}

    def add(self, problem: Problem, region: str) -> None:
        regions = self._found.setdefault(problem, [])
        if region not in regions:
            regions.append(region)

    def problems(self, serie: str, total: int) -> list[Problem]:
        out = []
        for problem, regions in self._found.items():
            message = problem.message.rstrip(".") + _affected(regions, serie, total) + "."
            out.append(Problem(problem.file, problem.line, problem.key, message, problem.severity))
        return out


def _affected(regions: list[str], serie: str, total: int) -> str:
    if not regions:
        return ""
    if len(regions) == total and total > 1:
        return f" (alle {total} Entwürfe der Serie „{serie}“)"
    if len(regions) <= 3:
        return (
            f" (Entwurf für {german.aufzaehlung(regions)})"
            if len(regions) == 1
            else f" (Entwürfe für {german.aufzaehlung(regions)})"
        )
    return f" ({len(regions)} Entwürfe der Serie „{serie}“, z. B. für {german.aufzaehlung(regions[:3])})"


# --- the check ------------------------------------------------------------------------------


@dataclass
class _Context:
    cat: Catalogue
    renderer: Renderer
    bundles: dict[str, Bundle] = field(default_factory=dict)  # series id → bundle that loaded
    broken: set[str] = field(default_factory=set)  # series ids whose files have errors
    drafts: dict[tuple[str, str], Draft] = field(default_factory=dict)  # (series, region) → draft
    problems: set[Problem] = field(default_factory=set)

    def report(self, problems: Sequence[Problem]) -> None:
        self.problems.update(problems)


def check_workspace(
    root: Path,
    targets: Sequence[str | Path] = (),
    entwuerfe: Path | None = None,
    cwd: Path | None = None,
) -> CheckResult:
    """Check the workspace at ``root`` and return every problem found.

    ``targets`` restrict the series checked (series or Anfrage files, or series ids) and add drafts
    (``*.md``); without series targets every series in ``data/anfragen/`` is checked. ``entwuerfe``
    is a folder of drafts written earlier. Raises ``UserError`` when the workspace or an argument is
    unusable; everything else is reported in the result.
    """
    root = Path(root)
    cwd = cwd or Path.cwd()
    cat = load_catalogue(root)
    series_files, draft_files = _resolve_targets(cat, targets, cwd)
    if entwuerfe is not None:
        folder = entwuerfe if entwuerfe.is_absolute() else cwd / entwuerfe
        if not folder.is_dir():
            raise UserError(f"Ordner der Entwürfe „{entwuerfe}“ nicht gefunden.")
        draft_files += sorted(p for p in folder.glob("*.md") if p.is_file() and ".bearbeitet-" not in p.name)

    ctx = _Context(cat, Renderer(cat))
    ctx.report(cat.problems)
    ctx.report(_ignored_template_text(ctx))
    result = CheckResult()
    all_series = not series_files
    if all_series:
        series_files = sorted(p for p in (root / ANFRAGEN).glob("*.yaml") if p.is_file())
    for path in series_files:
        report = _check_series(ctx, path)
        if report is not None:
            result.series.append(report)
    if all_series:
        _check_unlisted_anfragen(ctx, root)
    for path in draft_files:
        result.drafts.append(_check_draft(ctx, path, _display(path, root, cwd)))
    result.problems = sorted(ctx.problems)
    return result


def _ignored_template_text(ctx: _Context) -> list[Problem]:
    """Text outside ``{% block %}`` in a template that ``{% extends %}`` another is never output."""
    problems: list[Problem] = []
    folder = ctx.cat.templates_dir
    if not folder.is_dir():
        return problems
    for path in sorted(folder.rglob("*.j2")):
        display = f"templates/{path.relative_to(folder).as_posix()}"
        try:
            tree = ctx.renderer.env.parse(read_text(path, display))
        except Exception:  # noqa: BLE001 - the catalogue check reports it
            continue
        if not any(isinstance(node, nodes.Extends) for node in tree.body):
            continue
        for node in tree.body:
            if isinstance(node, nodes.Output) and not all(
                isinstance(child, nodes.TemplateData) and not child.data.strip() for child in node.nodes
            ):
                problems.append(
                    Problem(
                        display,
                        node.lineno,
                        "",
                        "Text außerhalb von „{% block %}“ erscheint nicht im Entwurf, weil die Vorlage „{% extends %}“ verwendet; "
                        "in einen Block verschieben oder löschen.",
                        "warnung",
                    )
                )
    return problems


def _resolve_targets(cat: Catalogue, targets: Sequence[str | Path], cwd: Path) -> tuple[list[Path], list[Path]]:
    """Series files and draft files named on the command line."""
    series: list[Path] = []
    drafts: list[Path] = []
    for target in targets:
        raw = str(target)
        if "\x00" in raw:
            raise UserError("Ungültige Angabe: enthält ein Nullzeichen.")
        found = find_series_file(cat, raw, cwd)
        if found is None or not found.is_file():
            raise UserError(
                f"„{raw}“ nicht gefunden: erwartet eine Serie (z. B. digitalisierung-2018 oder "
                "data/anfragen/digitalisierung-2018.yaml) oder einen Entwurf (.md)."
            )
        if found.suffix.lower() == ".md":
            drafts.append(found)
        elif found.suffix.lower() in (".yaml", ".yml"):
            if found not in series:
                series.append(found)
        else:
            raise UserError(f"„{raw}“ ist weder eine Serie (.yaml) noch ein Entwurf (.md).")
    return series, drafts


def _display(path: Path, root: Path, cwd: Path) -> str:
    for base in (root, cwd):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


def _as_problems(exc: AnfrageError, default_file: str) -> list[Problem]:
    if isinstance(exc, CatalogueError):
        return exc.problems
    return [Problem(exc.file or default_file, exc.line, exc.key, exc.message)]


def _check_series(ctx: _Context, path: Path) -> SeriesReport | None:
    """Load a series (or an Anfrage's series) and render it for every region in its scope."""
    cat = ctx.cat
    display = cat.rel(path)
    try:
        bundle = load_bundle(cat, path)
    except AnfrageError as exc:
        ctx.report(_as_problems(exc, display))
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
                        f"ist keine Serie, sondern eine Kleine Anfrage; sie gehört in den Ordner {ANFRAGEN}/{serie.id}/.",
                    )
                ]
            )
        if serie.id in ctx.bundles:
            return None
        return _check_series(ctx, cat.root / ANFRAGEN / f"{serie.id}.yaml")
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


def _render_series(ctx: _Context, bundle: Bundle) -> SeriesReport:
    cat = ctx.cat
    serie = bundle.serie
    template = f"templates/{serie.vorlage}"
    report = SeriesReport(serie.id, bundle.file)
    # Without these files every draft would fail with follow-up errors (the files are reported).
    report.blocked_by = sorted(f for f in cat.unreadable if f != f"{DATA}/quellen.yaml")
    if report.blocked_by:
        return report
    findings = _Findings()
    regions = [r for r in cat.regionen.values() if in_scope(cat, serie, r)]
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
            for problem in _as_problems(exc, template):
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
        except Exception as exc:  # a bug of ours must not hide the other findings
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
        antwort = (loaded.anfrage.antwort if loaded and loaded.anfrage.antwort else None) or serie.antwort
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
                    f"Für {german.anzahl(len(without_text), 'Region', 'Regionen')} ist keine Kleine Anfrage erfasst und die Serie hat "
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
                message = f"{name} läuft am {german.datum(end)} aus und die Serie „{serie.id}“ hat kein Antwortdatum; es fehlt in deren Entwürfen."
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


def _check_unlisted_anfragen(ctx: _Context, root: Path) -> None:
    """Anfragen in ``data/anfragen/<serie>/`` that no series lists are validated and reported."""
    base = root / ANFRAGEN
    listed = {a.file for b in ctx.bundles.values() for a in b.anfragen}
    for path in base.glob("*.yaml"):  # also what series with errors list
        try:
            data = load_yaml(path, ctx.cat.rel(path)).data
        except AnfrageError:
            continue
        entries = data.get("anfragen") if isinstance(data, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str):
                listed.add(ctx.cat.rel(base / entry))
    for path in sorted(base.glob("*/**/*.yaml")):
        display = ctx.cat.rel(path)
        if display in listed or not path.is_file():
            continue
        try:
            bundle = load_bundle(ctx.cat, path)
        except AnfrageError as exc:
            ctx.report(_as_problems(exc, display))
            continue
        if bundle.file == display:  # a series file in a subfolder
            ctx.report(
                [
                    Problem(
                        display,
                        1,
                        "",
                        f"Serien gehören direkt in den Ordner {ANFRAGEN}/; diese wird nicht geprüft.",
                        "warnung",
                    )
                ]
            )
            continue
        series = bundle.serie.id
        ctx.report(
            [
                Problem(
                    display,
                    1,
                    "",
                    f"Die Kleine Anfrage steht nicht unter „anfragen:“ der Serie „{series}“ ({ANFRAGEN}/{series}.yaml); "
                    "ihre Entwürfe verwenden deshalb den Mustertext.",
                    "warnung",
                )
            ]
        )


# --- drafts written earlier -----------------------------------------------------------------------


def _check_draft(ctx: _Context, path: Path, display: str) -> DraftReport:
    """Open placeholders, verbatim questions and unanswered questions of one draft file."""
    try:
        text = read_text(path, display)
    except AnfrageError as exc:
        ctx.report(_as_problems(exc, display))
        return DraftReport(display, None, None, None)
    meta, _body, _lines = contract.split_front_matter(text, display)
    serie = meta.get("serie")
    region = meta.get("region")
    serie_id = str(serie) if serie is not None else None
    region_id = str(region) if region is not None else None
    report = DraftReport(display, serie_id, region_id, contract.count_placeholders(text))
    try:
        for line, run in contract.unanswered_questions(text):
            ctx.report(
                [Problem(display, line, f"frage {run[0]}", f"Auf die {german.fragen_bezug(run)} folgt keine Antwort.")]
            )
        fragen = _expected_questions(ctx, display, text, serie_id, region_id)
        if fragen is not None:
            ctx.report(check_questions(text, fragen, display))
    except RecursionError:
        ctx.report([Problem(display, 0, "", "Der Entwurf ist zu tief verschachtelt und kann nicht geprüft werden.")])
    return report


def _expected_questions(
    ctx: _Context, display: str, text: str, serie: str | None, region: str | None
) -> list[tuple[int, str]] | None:
    """The questions a draft must carry, or None (with a problem reported) when they are unknown."""
    if not serie or not region:
        ctx.report(
            [
                Problem(
                    display,
                    1,
                    "",
                    "Der Kopf des Entwurfs nennt nicht „serie:“ und „region:“; die Fragen können nicht mit der Kleinen Anfrage verglichen werden.",
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
            _check_series(ctx, path)
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
                    "Die Fragen werden nicht verglichen, weil der Entwurf der Serie nicht erstellt werden konnte (siehe dort).",
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


__all__ = ["CheckResult", "DraftReport", "SeriesReport", "add_months", "check_workspace"]
