"""Checking a whole workspace (``anfrage check``): every problem of every file in one run.

What is checked, in this order:

1. the catalogues and templates (``catalogue.load_catalogue``: YAML syntax, schema, duplicate ids,
   cross references, impossible dates, Jinja syntax);
2. every series in ``data/anfragen/*.yaml`` with its Anfragen (``catalogue.load_bundle``), and
   Anfragen that no series lists;
3. every series rendered for every region in its scope – this is what finds undefined variables,
   sandbox violations and questions without an answer – with the verbatim guard on each draft;
   programmes that have ended (or end soon) at the answer date become warnings per series;
4. drafts written earlier (``--entwuerfe DIR`` or ``*.md`` / ``*.docx`` arguments): open placeholders,
   questions compared with their Anfrage, questions without an answer; Word drafts also pending
   tracked changes (see ``check/drafts.py``); open placeholders in a draft whose Anfrage is due at
   the Staatskanzlei (``heute`` ≥ Freigabe, not sent) are a warning, so an error with ``--strict``.

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
from anfrage.check.quellen import source_problems
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
    quellen: bool = False,
    heute: dt.date | None = None,
) -> CheckResult:
    """Check the workspace at ``root`` and return every problem found.

    ``targets`` restrict the series checked (series or Anfrage files, or series ids) and add drafts
    (``*.md``, ``*.docx``); without series targets every series in ``data/anfragen/`` is checked.
    ``entwuerfe`` is a folder of drafts written earlier (its .md and .docx files, without backups and
    Word's lock files ``~$…``); ``quellen`` adds the facts without a source
    (:func:`anfrage.check.quellen.source_problems`); ``heute`` (default: today) decides which drafts are
    due at the Staatskanzlei. Raises ``UserError`` when the workspace or an argument is unusable;
    everything else is reported in the result.
    """
    root = Path(root)
    cwd = cwd or Path.cwd()
    cat = load_catalogue(root)
    series_files, draft_files = _resolve_targets(cat, targets, cwd)
    if entwuerfe is not None:
        folder = entwuerfe if entwuerfe.is_absolute() else cwd / entwuerfe
        if not folder.is_dir():
            raise UserError(f"Ordner der Entwürfe „{entwuerfe}“ nicht gefunden.")
        draft_files += sorted(
            p
            for p in (*folder.glob("*.md"), *folder.glob("*.docx"))
            if p.is_file() and ".bearbeitet-" not in p.name and not p.name.startswith("~$")
        )

    ctx = Context(cat, Renderer(cat), heute=heute or dt.date.today())
    ctx.report(cat.problems)
    ctx.report(ignored_template_text(ctx))
    ctx.hints += unused_programmes(ctx)
    if quellen:
        ctx.report(source_problems(cat))
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
    result.hints = ctx.hints
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


def unused_programmes(ctx: Context) -> list[str]:
    """Textbausteine that no template asks for (``baustein("id")``, ``bausteine("id", …)`` or
    ``bausteine(thema="…")``), as one note; none when a template computes its ids at run time.

    A note, not a warning: a catalogue holds offers for series still to come, and ``--strict``
    must not fail a workspace for that.
    """
    cat = ctx.cat
    folder = cat.templates_dir
    if not cat.programme or not folder.is_dir():
        return []
    used: set[str] = set()
    for path in sorted(folder.rglob("*.j2")):
        try:
            tree = ctx.renderer.env.parse(read_text(path, f"templates/{path.relative_to(folder).as_posix()}"))
        except Exception:  # noqa: BLE001 - the catalogue check reports it; what it uses is unknown
            return []
        for call in tree.find_all(nodes.Call):
            if not (isinstance(call.node, nodes.Name) and call.node.name in ("baustein", "bausteine")):
                continue
            for arg in call.args:
                if not (isinstance(arg, nodes.Const) and isinstance(arg.value, str)):
                    return []  # ids computed at run time: nothing can be said
                used.add(arg.value)
            for kwarg in call.kwargs:
                if kwarg.key != "thema" or not isinstance(kwarg.value, nodes.Const):
                    return []
                used.update(p.id for p in cat.programme.values() if kwarg.value.value in p.themen)
    unused = [pid for pid in cat.programme if pid not in used]
    if not unused:
        return []
    loc = cat.locate("programm", unused[0])
    shown = ", ".join(unused[:15]) + (f" und {len(unused) - 15} weitere" if len(unused) > 15 else "")
    return [
        f"{loc.file}:{loc.line}: {len(unused)} von {len(cat.programme)} Textbausteinen kommen in keiner Vorlage "
        f'vor: {shown}. Mit {{{{ bausteine("…") }}}} in eine Vorlage aufnehmen oder, wenn nicht mehr gebraucht, '
        "löschen."
    ]


def _resolve_targets(cat: Catalogue, targets: Sequence[str | Path], cwd: Path) -> tuple[list[Path], list[Path]]:
    """Series files and draft files named on the command line."""
    series: list[Path] = []
    drafts: list[Path] = []
    for target in targets:
        raw = str(target)
        if "\x00" in raw:
            raise UserError("Ungültige Angabe: enthält ein Nullzeichen.")
        found = find_series_file(cat, raw, cwd)
        if found is not None and not found.is_file():
            raise UserError("ist keine Datei.", file=raw)
        if found is None:
            raise UserError(
                f"„{raw}“ nicht gefunden: erwartet eine Serie (z. B. digitalisierung-2018 oder "
                "data/anfragen/digitalisierung-2018.yaml) oder einen Entwurf (.md oder .docx)."
            )
        if found.suffix.lower() in (".md", ".docx"):
            drafts.append(found)
        elif found.suffix.lower() in (".yaml", ".yml"):
            if found not in series:
                series.append(found)
        else:
            raise UserError(f"„{raw}“ ist weder eine Serie (.yaml) noch ein Entwurf (.md oder .docx).")
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
                    "ihre Entwürfe verwenden deshalb den Mustertext oder fehlen. Eintragen: die Zeile "
                    f"„- {series}/{path.name}“ unter „anfragen:“ ergänzen.",
                    "warnung",
                )
            ]
        )


# --- drafts written earlier -----------------------------------------------------------------------
