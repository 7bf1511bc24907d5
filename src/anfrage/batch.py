"""Drafts for a whole series: every region in scope, isolated failures, no lost hand edits.

The library side of ``anfrage batch``. It never prints: progress is reported through a callback,
the outcome is returned as a :class:`BatchResult` that the CLI shows.

Stages:

1. :func:`open_series` and :func:`plan_batch` validate everything first (workspace, series,
   region expression, Word template, manifest). Any error raises before a file is written.
2. :func:`run_batch` renders each region (render → verbatim guard → DOCX bytes) and writes the
   files through one :class:`~anfrage.output.OutputFolder` in region order. A region that fails
   (``AnfrageError``) is recorded and the others go on. The manifest is saved once at the end,
   also when the run is interrupted.

Producing a draft is pure (bytes in memory); writing happens in the calling process, in region
order, by one writer thread that overlaps the ``fsync`` waits of region *i* with rendering region
*i + 1*. So the output is the same for any ``jobs``. With ``jobs > 1`` the drafts are produced in
worker processes (threads do not help: rendering is pure Python and holds the GIL). Each worker
needs the loaded catalogue: on Linux the workers are forked and inherit the caller's (they are
started before the writer thread exists); elsewhere each loads the workspace once itself, which
is why the automatic choice (:func:`auto_jobs`) uses processes only where ``fork`` is available.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from anfrage import models as m
from anfrage.errors import AnfrageError, FileError, Problem, UserError, VerbatimError
from anfrage.load.catalogue import Catalogue
from anfrage.load.series import Bundle, open_bundle
from anfrage.output import Commit, DraftLocked, OutputFolder, Status, Written
from anfrage.pipeline import FORMATS, check_vorlage, open_workspace, produce
from anfrage.process import die_with_parent
from anfrage.render import Renderer
from anfrage.report import report_markdown
from anfrage.select import in_scope, scope_name, select_einheiten
from anfrage.update import Aenderungen

#: Order in which a draft's overall status is chosen from the statuses of its files.
_PRECEDENCE = (
    Status.GESPERRT,
    Status.BEARBEITET,
    Status.AENDERUNGEN,
    Status.KONFLIKT,
    Status.GESICHERT,
    Status.ZUSAMMENGEFUEHRT,
    Status.AKTUALISIERT,
    Status.NEU,
    Status.UNVERAENDERT,
)
#: Statuses of a draft that make the run exit with 1: the clerk must act.
ATTENTION = frozenset({Status.BEARBEITET, Status.AENDERUNGEN, Status.KONFLIKT, Status.GESPERRT})


# --- planning --------------------------------------------------------------------------------


@dataclass
class Plan:
    """What a batch run will do, known before anything is rendered."""

    source: Path
    """The series file, absolute (workers load it again when they cannot inherit it)."""
    regions: list[m.Einheit]
    """Regions of the run, in catalogue order (or in the given order for an explicit list)."""
    outside: list[m.Einheit]
    """Regions of the selection outside the series' geltungsbereich, skipped without error."""
    scope: str
    """Readable name of the geltungsbereich (e.g. "Ruhrgebiet")."""
    refused: set[str] = field(default_factory=set)
    """Ids of regions named one by one but outside the geltungsbereich: an error each."""

    @property
    def total(self) -> int:
        return len(self.regions)


def _is_explicit(cat: Catalogue, expression: str) -> bool:
    """Whether the expression lists regions one by one (as opposed to alle, a group, regbez:…)."""
    expr = expression.strip().casefold()
    return not (expr == "alle" or expr.startswith("regbez:") or expr in cat.gruppen)


def plan_batch(cat: Catalogue, bundle: Bundle, source: Path, expression: str = "alle") -> Plan:
    """Select the regions of ``expression`` and split off those outside the geltungsbereich.

    Regions named one by one stay in the plan even when outside the scope: rendering refuses
    them, so they are reported as an error of that region.
    """
    serie = bundle.serie
    chosen = select_einheiten(cat, serie, expression)
    scope = scope_name(cat, serie)
    if _is_explicit(cat, expression):
        refused = {r.id for r in chosen if not in_scope(cat, serie, r)}
        return Plan(source=source, regions=chosen, outside=[], scope=scope, refused=refused)
    regions = [r for r in chosen if in_scope(cat, serie, r)]
    if not regions:
        raise UserError(
            f"Keine Region der Auswahl „{expression.strip()}“ gehört zum Geltungsbereich der Serie "
            f"„{serie.id}“ ({scope}). Es wird nichts erstellt."
        )
    outside = [r for r in chosen if not in_scope(cat, serie, r)]
    return Plan(source=source, regions=regions, outside=outside, scope=scope)


# --- producing drafts (pure, may run in a worker process) ------------------------------------


@dataclass
class Produced:
    """A rendered draft in memory, or why it could not be rendered. Picklable."""

    region_id: str
    commit: Commit | None = None
    message: str | None = None  # why an edited draft was left alone
    markdown: str = ""
    placeholders: int = 0
    warnings: list[Problem] = field(default_factory=list)
    error: str | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Key:
    """Identifies the work of a batch; a worker holding a producer for the same key reuses it."""

    root: Path
    source: Path
    formats: tuple[str, ...]
    vorlage: Path | None
    out_dir: Path
    force: bool = False
    aenderungen: Aenderungen = None


class _Producer:
    """Renders, guards and converts drafts of one series."""

    def __init__(self, key: _Key, cat: Catalogue, bundle: Bundle):
        self.key = key
        self.cat = cat
        self.bundle = bundle
        self.renderer = Renderer(cat)
        self.folder = OutputFolder(key.out_dir)  # read here; written by the caller's writer thread

    @classmethod
    def load(cls, key: _Key) -> _Producer:
        cat = open_workspace(key.root)
        return cls(key, cat, open_bundle(cat, key.source))

    def produce(self, region_id: str) -> Produced:
        result = Produced(region_id)
        try:
            region = self.cat.einheiten[region_id]
            key = self.key
            draft, planned = produce(
                self.renderer,
                self.bundle,
                region,
                key.formats,
                key.vorlage,
                folder=self.folder,
                force=key.force,
                aenderungen=key.aenderungen,
            )
        except VerbatimError as exc:
            result.error = exc.message
            result.problems = list(exc.problems)
            return result
        except AnfrageError as exc:
            result.error = str(exc)
            return result
        result.commit = planned.commit
        result.message = planned.message
        result.markdown = draft.markdown
        result.placeholders = draft.placeholders
        result.warnings = list(draft.warnings)
        return result


_WORKER: _Producer | None = None


def _init_worker(key: _Key) -> None:
    """Initialiser of a worker process: keep an inherited producer (fork) or load one.

    Ctrl+C is left to the calling process, which shuts the pool down in order.
    """
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()  # no orphaned worker holding the caller's stdout when the parent is killed
    if _WORKER is None or _WORKER.key != key:
        _WORKER = _Producer.load(key)


def _produce_in_worker(region_id: str) -> Produced:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.produce(region_id)


AUTO_MIN_REGIONS = 8
"""Below this many drafts ``jobs=None`` (automatic) renders in the calling process."""

AUTO_MAX_JOBS = 2
"""Processes chosen automatically; measured on 2 cores (see benchmarks/README.md)."""


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """The ``fork`` start method where it is safe: Linux, and no other thread running."""
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return None
    if threading.active_count() > 1:
        return None
    return multiprocessing.get_context("fork")


def auto_jobs(regions: int) -> int:
    """Processes that pay off for ``regions`` drafts.

    Measured on 2 cores: forked workers (which inherit the loaded catalogue) make 53 drafts about
    1.5× faster. Spawned workers (Windows, macOS) must import anfrage and load the catalogue again,
    which costs more than they save; so are a handful of drafts not worth any process.
    """
    if regions < AUTO_MIN_REGIONS or _fork_context() is None:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(AUTO_MAX_JOBS, cpus))


def _produce_all(stack: ExitStack, producer: _Producer, region_ids: list[str], jobs: int | None) -> Iterator[Produced]:
    """Produced drafts in the order of ``region_ids``, sequentially or from ``jobs`` processes.

    ``jobs=None`` chooses automatically (:func:`auto_jobs`). With processes, all work is submitted
    (and the workers are started) before this returns, i.e. before the caller starts its writer
    thread; ``stack`` shuts the pool down.
    """
    global _WORKER
    jobs = auto_jobs(len(region_ids)) if jobs is None else jobs
    jobs = max(1, min(jobs, len(region_ids)))
    if jobs == 1:
        return (producer.produce(region_id) for region_id in region_ids)
    context = _fork_context()
    if context is not None:
        _WORKER = producer  # inherited by the forked workers: no second catalogue load
    else:
        context = multiprocessing.get_context()  # workers load the workspace themselves

    def reset() -> None:
        global _WORKER
        _WORKER = None

    stack.callback(reset)
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(producer.key,))
    stack.callback(pool.shutdown, wait=True, cancel_futures=True)
    chunk = max(1, len(region_ids) // (jobs * 4))
    return pool.map(_produce_in_worker, region_ids, chunksize=chunk)


def _write(folder: OutputFolder, commit: Commit | None) -> list[Written]:
    """Write the twins of one draft (runs in the writer thread); ``DraftLocked`` and ``FileError``
    pass through to the region's result."""
    if commit is None:
        return []
    return folder.commit(commit)


def _write_file(folder: OutputFolder, name: str, data: bytes, force: bool) -> Written:
    return folder.write(name, data, force=force)


# --- writing and the result ------------------------------------------------------------------


@dataclass
class RegionResult:
    """The outcome for one region."""

    region: m.Einheit
    written: list[Written] = field(default_factory=list)
    placeholders: int = 0
    warnings: list[Problem] = field(default_factory=list)
    error: str | None = None
    """Why no draft was written (German), or None."""
    problems: list[Problem] = field(default_factory=list)
    """Details of the error (e.g. the questions that differ from the Anfrage)."""
    markdown: str = ""
    message: str | None = None
    """Why an edited draft was left alone, or which file was held open (German), or None."""

    @property
    def status(self) -> Status | None:
        """The draft's overall status (None on error): the most notable status of its files."""
        if self.error is not None or not self.written:
            return None
        statuses = {w.status for w in self.written}
        return next(s for s in _PRECEDENCE if s in statuses)


@dataclass
class BatchResult:
    """Everything ``run_batch`` did, in region order."""

    serie: m.Serie
    plan: Plan
    results: list[RegionResult]
    report: Written | None = None

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status is status)

    @property
    def failed(self) -> list[RegionResult]:
        return [r for r in self.results if r.error is not None]

    @property
    def attention(self) -> list[RegionResult]:
        """Drafts the clerk must look at: conflicts, edits left alone, files held open."""
        return [r for r in self.results if r.status in ATTENTION]

    @property
    def skipped_edits(self) -> list[Written]:
        """Files edited by hand and left alone (including the report)."""
        skipped = (Status.BEARBEITET, Status.AENDERUNGEN)
        files = [w for r in self.results for w in r.written if w.status in skipped]
        if self.report is not None and self.report.status is Status.BEARBEITET:
            files.append(self.report)
        return files

    @property
    def unchanged(self) -> bool:
        """Nothing written at all: every draft (and the report) as it was."""
        statuses = [w.status for r in self.results for w in r.written]
        if self.report is not None:
            statuses.append(self.report.status)
        return not self.failed and all(s is Status.UNVERAENDERT for s in statuses)

    def failures_by_reason(self) -> list[tuple[str, list[Problem], list[str]]]:
        """Failed regions grouped by their reason (one template error fails every region alike):
        (reason, its problems, region names), in the order the reasons first occur."""
        reasons: dict[tuple[str, tuple[Problem, ...]], list[str]] = {}
        for item in self.failed:
            reasons.setdefault((item.error or "", tuple(item.problems)), []).append(item.region.name)
        return [(reason, list(problems), names) for (reason, problems), names in reasons.items()]

    @property
    def problems_found(self) -> bool:
        """Failed regions, conflicts, edits left alone, files held open: the CLI exits with 1."""
        return bool(self.failed or self.skipped_edits or self.attention)


ProgressCallback = Callable[[int, int, RegionResult], None]
"""Called after each region with (done, total, result of that region)."""


def run_batch(
    cat: Catalogue,
    bundle: Bundle,
    plan: Plan,
    out_dir: Path,
    formats: tuple[str, ...] = FORMATS["md"],
    *,
    vorlage: Path | None = None,
    force: bool = False,
    aenderungen: Aenderungen = None,
    jobs: int | None = 1,
    bericht: bool = False,
    progress: ProgressCallback | None = None,
) -> BatchResult:
    """Render and write the drafts of ``plan``; returns what happened to each region.

    ``jobs``: processes producing the drafts (1: none; ``None``: :func:`auto_jobs`). The files
    are the same for any value. Raises only for unusable input found before writing
    (``UserError``, e.g. a damaged manifest or an unreadable Word template); failures of single
    regions are part of the result.
    """
    if "docx" in formats:
        check_vorlage(vorlage)
    folder = OutputFolder(out_dir)
    folder.clean_up()
    key = _Key(cat.root, plan.source, formats, vorlage, out_dir, force, aenderungen)
    producer = _Producer(key, cat, bundle)
    by_id = {r.id: r for r in plan.regions}
    refused = {
        rid: RegionResult(by_id[rid], error=f"liegt außerhalb des Geltungsbereichs der Serie ({plan.scope})")
        for rid in plan.refused
    }
    results: list[RegionResult] = []
    batch = BatchResult(bundle.serie, plan, results)

    def finish(result: RegionResult, future: Future[list[Written]]) -> None:
        try:
            result.written = future.result()
        except DraftLocked as exc:
            result.written = [Written(exc.path, Status.GESPERRT)]
            result.message = exc.message
        except FileError as exc:  # e.g. a full disk: the draft's files are as they were
            result.error = exc.message
        results.append(result)
        if progress is not None:
            progress(len(results), plan.total, result)

    try:
        with ExitStack() as stack:
            drafts = _produce_all(stack, producer, [rid for rid in by_id if rid not in refused], jobs)
            # One writer thread: region i is written (fsync waits off the GIL) while region i+1
            # is rendered. A single writer keeps the order of writes and the manifest simple.
            writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="anfrage-schreiben")
            stack.callback(writer.shutdown, wait=True, cancel_futures=True)
            in_flight: tuple[RegionResult, Future[list[Written]]] | None = None
            for region in plan.regions:
                commit: Commit | None = None
                result = refused.get(region.id)
                if result is None:
                    produced = next(drafts)
                    assert produced.region_id == region.id
                    result = RegionResult(
                        region=region,
                        placeholders=produced.placeholders,
                        warnings=produced.warnings,
                        error=produced.error,
                        problems=produced.problems,
                        markdown=produced.markdown,
                        message=produced.message,
                    )
                    commit = produced.commit
                future = writer.submit(_write, folder, commit)
                if in_flight is not None:
                    finish(*in_flight)
                in_flight = (result, future)
            if in_flight is not None:
                finish(*in_flight)
        if bericht:
            text = report_markdown(bundle.serie, results, outside=plan.outside, scope=plan.scope)
            batch.report = _write_file(folder, f"{bundle.serie.id}-bericht.md", text.encode("utf-8"), force)
    finally:
        folder.save()  # after the writer has finished: also when interrupted
    return batch
