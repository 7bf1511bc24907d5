"""Benchmark of ``anfrage batch`` against pandoc and docxtpl (a measurement, not a test).

Run from the repository root (needs the ``bench`` extra: ``pip install -e '.[bench]'``)::

    python benchmarks/batch.py                      # all three measurements
    python benchmarks/batch.py --repeat 7           # more repetitions of the anfrage batch
    python benchmarks/batch.py --pandoc-drafts 10   # pandoc on the first 10 drafts only

What is measured (series ``digitalisierung-2018``, all 53 regions):

(a) anfrage in-process: the whole batch as ``anfrage batch --format beide`` does it (catalogue
    load, render, verbatim guard, Markdown and DOCX, atomic writes with fsync, manifest) into a
    fresh folder; the first run in the process ("kalt") and the best/median of the repetitions
    ("warm"); with ``jobs`` 1 and 2 (processes). A stage breakdown and a comparison of sequential,
    thread and process parallelism for producing the drafts (no writes). The command line as a
    fresh process (interpreter start and imports included).
(b) pandoc via pypandoc: the same 53 Markdown files → DOCX, one call per draft.
(c) docxtpl: a .docx template with Jinja tags (title block, Vorbemerkung, questions and answers)
    built with python-docx, filled 53 times with the texts of the same drafts.

Peak memory of (a): tracemalloc peak (Python allocations, separate run, since tracing slows the
code) and ``ru_maxrss`` of the process (all of Python and its libraries) after (a).

The machine's other load matters: compare the CPU time (``process_time``) when wall clock and
CPU time differ much.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SERIE = "digitalisierung-2018"

T_IMPORT = time.perf_counter()
from anfrage import batch as B  # noqa: E402
from anfrage.load.series import open_series  # noqa: E402
from anfrage.pipeline import FORMATS, open_workspace  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - T_IMPORT

TARGET_BATCH_S = 1.0
TARGET_PANDOC_RATIO = 5.0
TARGET_MEMORY_MB = 200.0


@dataclass
class Timing:
    wall: float
    cpu: float


def timed(func: Callable[[], Any]) -> tuple[Timing, Any]:
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    value = func()
    return Timing(time.perf_counter() - w0, time.process_time() - c0), value


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    rss = resource.getrusage(who).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024  # bytes on macOS, KiB elsewhere


# --- (a) anfrage -----------------------------------------------------------------------------


def anfrage_batch(workspace: Path, out: Path, jobs: int, formats: str = "beide") -> B.BatchResult:
    """What ``anfrage batch SERIE --format beide`` does, without the display."""
    cat = open_workspace(workspace)
    bundle, source = open_series(cat, SERIE)
    plan = B.plan_batch(cat, bundle, source, "alle")
    result = B.run_batch(cat, bundle, plan, out, FORMATS[formats], jobs=jobs)
    assert not result.problems_found, "the benchmark batch must succeed"
    return result


def stage_breakdown(workspace: Path, scratch: Path) -> dict[str, float]:
    """Seconds per stage for the 53 drafts (warm), measured one by one."""
    from anfrage.docx.writer import markdown_to_docx
    from anfrage.guard import guard
    from anfrage.output import OutputFolder
    from anfrage.pipeline import make_draft

    load, (cat, bundle, source) = timed(lambda: (lambda c: (c, *open_series(c, SERIE)))(open_workspace(workspace)))
    key = B._Key(cat.root, source, FORMATS["beide"], None, scratch / "produce")
    producer = B._Producer(key, cat, bundle)
    folder = OutputFolder(scratch)
    render = guard_s = docx = write = 0.0
    for region in cat.regionen.values():
        t0 = time.perf_counter()
        draft = make_draft(producer.renderer, bundle, region)
        t1 = time.perf_counter()
        guard(draft.markdown, draft.fragen, f"{draft.name}.md")
        t2 = time.perf_counter()
        data = markdown_to_docx(draft.markdown)
        t3 = time.perf_counter()
        folder.write(f"{draft.name}.md", draft.markdown.encode("utf-8"))
        folder.write(f"{draft.name}.docx", data)
        t4 = time.perf_counter()
        render += t1 - t0
        guard_s += t2 - t1
        docx += t3 - t2
        write += t4 - t3
    folder.save()
    return {
        "Katalog laden": load.wall,
        "Rendern": render,
        "Wortlaut-Prüfung": guard_s,
        "DOCX": docx,
        "Schreiben (atomar, fsync)": write,
    }


def produce_modes(workspace: Path, repeat: int) -> dict[str, float]:
    """Best wall clock of producing the 53 drafts in memory: sequential, 2 threads, 2 processes."""
    cat = open_workspace(workspace)
    bundle, source = open_series(cat, SERIE)
    ids = list(cat.regionen)
    key = B._Key(cat.root, source, FORMATS["beide"], None, workspace / "entwuerfe-produce")
    producer = B._Producer(key, cat, bundle)

    def produce(jobs: int) -> list[B.Produced]:
        with ExitStack() as stack:
            return list(B._produce_all(stack, producer, ids, jobs))

    def threads() -> list[B.Produced]:
        with ThreadPoolExecutor(2) as pool:
            return list(pool.map(producer.produce, ids))

    produce(1)  # warm up
    modes: dict[str, Callable[[], Any]] = {
        "sequentiell": lambda: produce(1),
        "2 Threads": threads,
        "2 Prozesse": lambda: produce(2),
    }
    best = {name: float("inf") for name in modes}
    for _ in range(repeat):  # interleaved, so that changing machine load hits all modes alike
        for name, func in modes.items():
            best[name] = min(best[name], timed(func)[0].wall)
    return best


def cli_wall(workspace: Path, out: Path, jobs: int) -> float:
    exe = Path(sys.executable).with_name("anfrage")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "anfrage"]
    command += ["batch", SERIE, "-w", str(workspace), "-o", str(out), "-f", "beide", "-j", str(jobs)]
    t0 = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - t0


# --- (b) pandoc ------------------------------------------------------------------------------


def pandoc_per_draft(markdown_files: list[Path], out: Path) -> list[float]:
    import pypandoc

    pypandoc.get_pandoc_version()  # locate pandoc once, outside the timing
    times = []
    for md in markdown_files:
        target = out / f"{md.stem}.docx"
        t0 = time.perf_counter()
        pypandoc.convert_file(str(md), "docx", format="markdown", outputfile=str(target))
        times.append(time.perf_counter() - t0)
    return times


# --- (c) docxtpl -----------------------------------------------------------------------------


def build_docxtpl_template(path: Path) -> None:
    """A small answer template in Word with Jinja tags for docxtpl (made with python-docx)."""
    from docx import Document

    doc = Document()
    doc.add_heading("Antwort der Landesregierung", level=1)
    for line in (
        "auf die Kleine Anfrage {{ nummer }} vom {{ datum }}",
        "{{ abgeordnete }}",
        "{{ fraktion }}",
        "Drucksache {{ drucksache }}",
    ):
        doc.add_paragraph(line)
    doc.add_paragraph().add_run("{{ titel }}").bold = True
    doc.add_heading("Vorbemerkung der Kleinen Anfrage", level=2)
    doc.add_paragraph("{%p for absatz in vorbemerkung %}")
    doc.add_paragraph("{{ absatz }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("Vorbemerkung der Landesregierung", level=2)
    doc.add_paragraph("{%p for absatz in vorbemerkung_lr %}")
    doc.add_paragraph("{{ absatz }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for item in antworten %}")
    doc.add_paragraph().add_run("{{ item.frage }}").bold = True
    doc.add_paragraph("{%p for absatz in item.antwort %}")
    doc.add_paragraph("{{ absatz }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(str(path))


_QUESTION = re.compile(r"^(\d+)\. \*\*(.*)\*\*$", re.S)


def _plain(block: str) -> str:
    text = block.replace("\\\n", "\n").replace("**", "")
    text = re.sub(r"\\([\\`*_\[\]])", r"\1", text)
    return " ".join(text.split())


def docxtpl_context(markdown: str) -> dict[str, Any]:
    """The texts of a draft as a docxtpl context (same data as anfrage's DOCX)."""
    from anfrage.report import passages

    blocks = passages(markdown)
    title_lines = blocks[1].split("\\\n")
    ctx: dict[str, Any] = {
        "nummer": "",
        "datum": "",
        "abgeordnete": _plain(title_lines[1]),
        "fraktion": _plain(title_lines[2]),
        "drucksache": _plain(title_lines[3]).removeprefix("Drucksache "),
        "titel": _plain(blocks[2]),
        "vorbemerkung": [],
        "vorbemerkung_lr": [],
        "antworten": [],
    }
    head = re.match(r"auf die Kleine Anfrage (.*) vom (.*)", title_lines[0])
    if head:
        ctx["nummer"], ctx["datum"] = head.group(1), head.group(2)
    section = None
    for block in blocks[3:]:
        question = _QUESTION.match(block)
        if question:
            ctx["antworten"].append({"frage": f"{question.group(1)}. {_plain(question.group(2))}", "antwort": []})
        elif block.startswith("## Vorbemerkung der Kleinen"):
            section = "vorbemerkung"
        elif block.startswith("## Vorbemerkung der Landesregierung"):
            section = "vorbemerkung_lr"
        elif ctx["antworten"]:
            ctx["antworten"][-1]["antwort"].append(_plain(block))
        elif section:
            ctx[section].append(_plain(block))
    return ctx


def docxtpl_per_draft(template: Path, contexts: list[dict[str, Any]], out: Path) -> list[float]:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    times = []
    for i, ctx in enumerate(contexts):
        t0 = time.perf_counter()
        tpl.render(ctx)  # reloads the template file on every render after the first
        tpl.save(str(out / f"entwurf-{i:02d}.docx"))
        times.append(time.perf_counter() - t0)
    return times


# --- main ------------------------------------------------------------------------------------


def num(value: float, digits: int = 1) -> str:
    """A number in German notation (decimal comma, thin space between thousands)."""
    return f"{value:,.{digits}f}".replace(",", "\u2009").replace(".", ",")


def ms(seconds: float) -> str:
    return f"{num(seconds * 1000)} ms"


def s(seconds: float) -> str:
    return f"{num(seconds, 2)} s"


def ok(flag: bool) -> str:
    return "erreicht" if flag else "**nicht erreicht**"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", type=Path, default=ROOT)
    parser.add_argument("--repeat", type=int, default=7, help="repetitions of the anfrage batch (default 7)")
    parser.add_argument("--pandoc-drafts", type=int, default=53, help="drafts converted with pandoc (default 53)")
    parser.add_argument("--skip-cli", action="store_true", help="do not time the command line as a fresh process")
    args = parser.parse_args()
    workspace = args.workspace.resolve()
    scratch = Path(tempfile.mkdtemp(prefix="anfrage-bench-"))
    n = 53
    load_before = os.getloadavg()
    try:
        # (a) anfrage in-process
        runs: dict[int, list[Timing]] = {1: [], 2: []}
        md_only: list[Timing] = []
        cold, first = timed(lambda: anfrage_batch(workspace, scratch / "kalt", 1))
        n = len(first.results)
        for i in range(args.repeat):
            for jobs in (1, 2):
                out = scratch / f"a-{jobs}-{i}"
                runs[jobs].append(timed(functools.partial(anfrage_batch, workspace, out, jobs))[0])
                shutil.rmtree(out)
            md_only.append(timed(functools.partial(anfrage_batch, workspace, scratch / f"md-{i}", 1, "md"))[0])
        rss_after_a = maxrss_mb()
        rss_workers = maxrss_mb(resource.RUSAGE_CHILDREN)  # the largest worker process of --jobs 2
        load_after = os.getloadavg()
        stages = stage_breakdown(workspace, scratch / "stufen")
        modes = produce_modes(workspace, max(3, args.repeat // 2))
        tracemalloc.start()
        anfrage_batch(workspace, scratch / "speicher", 1)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        cli = {jobs: cli_wall(workspace, scratch / f"cli-{jobs}", jobs) for jobs in (1, 0)} if not args.skip_cli else {}

        best1 = min(r.wall for r in runs[1])
        med1 = statistics.median(r.wall for r in runs[1])
        best2 = min(r.wall for r in runs[2])
        med2 = statistics.median(r.wall for r in runs[2])
        cpu1 = min(r.cpu for r in runs[1])
        anfrage_draft = best1 / n
        docx_only = stages["DOCX"] / n

        # (b) pandoc on the same Markdown
        markdown_files = sorted((scratch / "kalt").glob("*.md"))[: args.pandoc_drafts]
        (scratch / "pandoc").mkdir()
        pandoc = pandoc_per_draft(markdown_files, scratch / "pandoc")
        pandoc_draft = statistics.mean(pandoc)

        # (c) docxtpl with the same texts
        template = scratch / "vorlage-docxtpl.docx"
        build_docxtpl_template(template)
        contexts = [docxtpl_context(r.markdown) for r in first.results]
        (scratch / "docxtpl").mkdir()
        docxtpl = docxtpl_per_draft(template, contexts, scratch / "docxtpl")
        docxtpl_draft = statistics.mean(docxtpl)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    speed_pandoc = pandoc_draft / anfrage_draft
    speed_docxtpl = docxtpl_draft / anfrage_draft
    traced_mb = traced_peak / 2**20
    print(f"## Messung `anfrage batch` ({n} Regionen, Serie {SERIE}, Markdown + DOCX)")
    print()
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} Kerne, {args.repeat} Wiederholungen; "
        f"Import von anfrage: {ms(IMPORT_SECONDS)}; Systemlast (1 min) vor/nach (a): "
        f"{num(load_before[0], 2)}/{num(load_after[0], 2)}."
    )
    print()
    print("| Messung | Wert |")
    print("|---|--:|")
    print(f"| (a) anfrage, ganzer Batch im Prozess, kalt (erster Lauf, inkl. Katalog) | {s(cold.wall)} |")
    print(f"| (a) anfrage, ganzer Batch, warm, `--jobs 1`: bester / Median | {s(best1)} / {s(med1)} |")
    print(f"| (a) anfrage, ganzer Batch, warm, `--jobs 2` (Prozesse): bester / Median | {s(best2)} / {s(med2)} |")
    print(f"| (a) CPU-Zeit des Batches, `--jobs 1` (bester) | {s(cpu1)} |")
    print(
        f"| (a) zum Vergleich: nur Markdown (`--format md`), `--jobs 1`: bester / Median | "
        f"{s(min(r.wall for r in md_only))} / {s(statistics.median(r.wall for r in md_only))} |"
    )
    for jobs, wall in cli.items():
        option = (
            f"`-j {jobs}`"
            if jobs
            else f"Standard `-j 0` (automatisch, hier {B.auto_jobs(n)} "
            f"{'Prozess' if B.auto_jobs(n) == 1 else 'Prozesse'})"
        )
        print(f"| (a) Befehlszeile `anfrage batch … -f beide`, {option}, als neuer Prozess | {s(wall)} |")
    print(f"| (a) anfrage je Entwurf (bester Batch `--jobs 1` ÷ {n}, alles inklusive) | {ms(anfrage_draft)} |")
    print(f"| (a) davon nur DOCX (markdown_to_docx) je Entwurf | {ms(docx_only)} |")
    print(f"| (b) pandoc (pypandoc) Markdown → DOCX je Entwurf ({len(pandoc)} Entwürfe, Mittel) | {ms(pandoc_draft)} |")
    print(f"| (c) docxtpl je Entwurf (Vorlage laden, füllen, speichern; Mittel) | {ms(docxtpl_draft)} |")
    print(f"| anfrage : pandoc je Entwurf | 1 : {num(speed_pandoc)} |")
    print(f"| anfrage (nur DOCX) : pandoc je Entwurf | 1 : {num(pandoc_draft / docx_only)} |")
    print(f"| anfrage : docxtpl je Entwurf | 1 : {num(speed_docxtpl)} |")
    print(f"| Speicher (a): tracemalloc-Spitze eines Batches | {num(traced_mb)} MB |")
    print(f"| Speicher (a): ru_maxrss des Prozesses nach (a) | {num(rss_after_a)} MB |")
    print(f"| Speicher (a): ru_maxrss des größten Worker-Prozesses (`--jobs 2`) | {num(rss_workers)} MB |")
    print()
    print("Stufen (warm, nacheinander gemessen, Summe über alle Entwürfe):")
    print()
    print("| Stufe | Zeit | je Entwurf |")
    print("|---|--:|--:|")
    for name, value in stages.items():
        per = "" if name == "Katalog laden" else ms(value / n)
        print(f"| {name} | {ms(value)} | {per} |")
    print()
    print(f"Parallelität: {n} Entwürfe im Speicher erzeugen (ohne Schreiben), bester Lauf:")
    print()
    print("| Art | Zeit |")
    print("|---|--:|")
    for name, value in modes.items():
        print(f"| {name} | {ms(value)} |")
    print()
    print("Ziele:")
    print()
    print(
        f"- ganzer Batch mit {n} Regionen < {num(TARGET_BATCH_S, 0)} s (warm, bester Lauf): "
        f"`--jobs 1` {s(best1)} {ok(best1 < TARGET_BATCH_S)}, `--jobs 2` {s(best2)} {ok(best2 < TARGET_BATCH_S)}"
    )
    print(
        f"- mindestens {num(TARGET_PANDOC_RATIO, 0)}× schneller als pandoc je Entwurf: {num(speed_pandoc)}× – "
        f"{ok(speed_pandoc >= TARGET_PANDOC_RATIO)}"
    )
    print(
        f"- Spitzenspeicher < {num(TARGET_MEMORY_MB, 0)} MB: ru_maxrss {num(rss_after_a, 0)} MB "
        f"(Worker {num(rss_workers, 0)} MB), tracemalloc {num(traced_mb)} MB – "
        f"{ok(max(rss_after_a, rss_workers, traced_mb) < TARGET_MEMORY_MB)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
