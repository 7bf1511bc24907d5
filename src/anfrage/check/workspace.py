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
   compared with their Anfrage, questions without an answer; open placeholders in a draft whose
   Anfrage is due at the Staatskanzlei (``heute`` ≥ Freigabe, not sent) are a warning, so an error
   with ``--strict``.

Nothing here prints: :func:`check_workspace` returns a :class:`CheckResult` (problems, sorted, plus a
summary of drafts and placeholders); ``cli/check.py`` prints it. A workspace that cannot be checked
at all (no ``data/`` folder, an argument that names nothing) raises ``UserError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from jinja2 import nodes

from anfrage.check.common import ANFRAGEN, CheckResult, Context, as_problems, display
from anfrage.check.drafts import check_draft
from anfrage.check.series import check_series
from anfrage.errors import AnfrageError, Problem, UserError
from anfrage.load.catalogue import Catalogue, load_catalogue
from anfrage.load.series import find_series_file, load_bundle
from anfrage.render import Renderer
from anfrage.yamlio import load_yaml, read_text


def check_workspace(
    root: Path,
    targets: Sequence[str | Path] = (),
    entwuerfe: Path | None = None,
    cwd: Path | None = None,
    heute: dt.date | None = None,
) -> CheckResult:
    """Check the workspace at ``root`` and return every problem found.

    ``targets`` restrict the series checked (series or Anfrage files, or series ids) and add drafts
    (``*.md``); without series targets every series in ``data/anfragen/`` is checked. ``entwuerfe``
    is a folder of drafts written earlier; ``heute`` (default: today) decides which of them are due at
    the Staatskanzlei (a warning for each with open placeholders). Raises ``UserError`` when the
    workspace or an argument is unusable; everything else is reported in the result.
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

    ctx = Context(cat, Renderer(cat), heute=heute or dt.date.today())
    ctx.report(cat.problems)
    ctx.report(ignored_template_text(ctx))
    result = CheckResult()
    all_series = not series_files
    if all_series:
        series_files = sorted(p for p in (root / ANFRAGEN).glob("*.yaml") if p.is_file())
    for path in series_files:
        report = check_series(ctx, path)
        if report is not None:
            result.series.append(report)
    if all_series:
        check_unlisted_anfragen(ctx, root)
    for path in draft_files:
        result.drafts.append(check_draft(ctx, path, display(path, root, cwd)))
    result.problems = sorted(ctx.problems)
    return result


def ignored_template_text(ctx: Context) -> list[Problem]:
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
                        "Text außerhalb von „{% block %}“ erscheint nicht im Entwurf, weil die Vorlage "
                        "„{% extends %}“ verwendet; "
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


def check_unlisted_anfragen(ctx: Context, root: Path) -> None:
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
            ctx.report(as_problems(exc, display))
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
                    f"Die Kleine Anfrage steht nicht unter „anfragen:“ der Serie „{series}“ "
                    f"({ANFRAGEN}/{series}.yaml); "
                    "ihre Entwürfe verwenden deshalb den Mustertext.",
                    "warnung",
                )
            ]
        )


# --- drafts written earlier -----------------------------------------------------------------------
