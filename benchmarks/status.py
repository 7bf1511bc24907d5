"""``anfrage status`` over a year's worth of Kleine Anfragen (a measurement, not a test).

Run from the repository root after ``pip install -e .``::

    python benchmarks/status.py                # 1,411 Anfragen, 7 repetitions
    python benchmarks/status.py --repeat 15
    python benchmarks/status.py --anfragen 300 # a smaller workspace

The Landtag NRW counted 1,411 Kleine Anfragen in 2019. The script builds a synthetic workspace in a
temporary folder: the repository's catalogues and templates, and in ``data/anfragen/`` as many
series as needed (a region appears once per series, so 27 series of at most 53 Anfragen), every
Anfrage a valid YAML file – the wording of KA 1640 with the region's name, dates spread over 2019,
some with ``eingang:``, co-signatures or ``versandt:``. All of it is made up for the measurement
and says nothing about real Anfragen. Every Anfrage gets its draft, Markdown and Word, in
``entwuerfe/`` (written by ``anfrage batch`` in-process), and every tenth draft has a placeholder
filled by hand.

Then ``anfrage status --heute 2019-07-01`` (table; and ``--json``) is timed

* as a new process, the way a clerk starts it (interpreter start, imports, work, output): without
  the cache in the output folder (``.anfrage/cache/``, deleted before each run: the first run in a
  fresh clone) and with it (every later run; what changed since is read again);
* in-process: ``collect_status`` alone (without and with the cache) and the whole command through
  the typer app, with stdout going nowhere.

Wall clock (best and median) and CPU time (user + system, best) of each: on a shared machine the
wall clock varies a lot, the CPU time much less.

The goal of issue 13: a year's worth of Anfragen in under a second. The script prints Markdown
(German labels) for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from anfrage import batch as B
from anfrage.load.series import open_series
from anfrage.pipeline import FORMATS, open_workspace
from anfrage.status.cache import CACHE, RACY_NS

ROOT = Path(__file__).resolve().parent.parent
MODEL = "digitalisierung-2018"
HEUTE = "2019-07-01"
YEAR = 2019


def _int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _num(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s".replace(".", ",")


def _substitute(text: str, formen: dict[str, str]) -> str:
    for key, value in formen.items():
        text = text.replace("{{ region.formen." + key + " }}", value)
    return " ".join(text.split())


def build(ws: Path, count: int) -> int:
    """The synthetic workspace at ``ws`` with ``count`` Anfragen; returns the number of series."""
    shutil.copytree(ROOT / "templates", ws / "templates")
    shutil.copytree(ROOT / "data", ws / "data", ignore=shutil.ignore_patterns("anfragen"))
    anfragen = ws / "data" / "anfragen"
    anfragen.mkdir()
    model = yaml.safe_load((ROOT / "data" / "anfragen" / f"{MODEL}.yaml").read_text(encoding="utf-8"))
    kleine = yaml.safe_load((ROOT / "data" / "anfragen" / MODEL / "ka-1640-bochum.yaml").read_text(encoding="utf-8"))
    regions = yaml.safe_load((ROOT / "data" / "regions.yaml").read_text(encoding="utf-8"))["regionen"]
    per_series = len(regions)
    series = -(-count // per_series)
    for s in range(series):
        sid = f"synthetisch-{s + 1:02d}"
        members = regions[: min(per_series, count - s * per_series)]
        files = []
        (anfragen / sid).mkdir()
        for i, region in enumerate(members):
            n = s * per_series + i
            day = dt.date(YEAR, 1, 2) + dt.timedelta(days=n * 360 // count)
            formen = region["formen"]
            record: dict[str, object] = {
                "serie": sid,
                "wahlperiode": 17,
                "nummer": 5000 + n,
                "drucksache": f"17/{6000 + n}",
                "datum": day,
                "abgeordnete": kleine["abgeordnete"],
                "fraktion": kleine["fraktion"],
                "titel": _substitute(model["muster"]["titel"], formen),
                "vorbemerkung": kleine["vorbemerkung"],
                "fragen": [{"nr": f["nr"], "text": _substitute(f["text"], formen)} for f in model["muster"]["fragen"]],
                "regionen": [region["id"]],
                "quelle": kleine["quelle"],
            }
            if n % 7 == 0:
                record["eingang"] = day + dt.timedelta(days=1)
            if n % 3 == 0:
                record["mitzeichnung"] = {"mags": day + dt.timedelta(days=14)}
            if n % 4 == 0 and day + dt.timedelta(days=25) < dt.date.fromisoformat(HEUTE):
                record["mitzeichnung"] = {"mags": day + dt.timedelta(days=14), "mulnv": day + dt.timedelta(days=15)}
                record["versandt"] = day + dt.timedelta(days=25)
            name = f"ka-{5000 + n}-{region['id']}.yaml"
            text = "# Synthetic Kleine Anfrage for benchmarks/status.py – not a real one.\n"
            text += yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)
            (anfragen / sid / name).write_text(text, encoding="utf-8")
            files.append(f"{sid}/{name}")
        serie = {
            "id": sid,
            "titel": f"Synthetische Serie {s + 1} (Messung)",
            "vorlage": model["vorlage"],
            "wahlperiode": 17,
            "fraktion": model["fraktion"],
            "geltungsbereich": "alle",
            "antwort": {**model["antwort"], "datum": None},
            "muster": model["muster"],
            "anfragen": files,
        }
        (anfragen / f"{sid}.yaml").write_text(
            yaml.safe_dump(serie, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
        )
    return series


def drafts(ws: Path) -> int:
    """Every Anfrage's draft (Markdown and Word) in ``ws/entwuerfe``; every tenth edited by hand."""
    cat = open_workspace(ws)
    out = ws / "entwuerfe"
    for path in sorted((ws / "data" / "anfragen").glob("*.yaml")):
        bundle, source = open_series(cat, path)
        regions = ",".join(a.anfrage.regionen[0] for a in bundle.anfragen)
        plan = B.plan_batch(cat, bundle, source, regions)
        result = B.run_batch(cat, bundle, plan, out, FORMATS["beide"], jobs=2)
        if result.failed:
            sys.exit(f"Entwürfe von {path.name} nicht erstellt: {result.failed[0].error}")
    edited = 0
    for i, path in enumerate(sorted(out.glob("*.md"))):
        if i % 10 == 0:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("[[ERGÄNZEN: Nummer der Antwort-Drucksache]]", "12345", 1), encoding="utf-8")
            edited += 1
    return edited


def _drop_cache(ws: Path) -> None:
    shutil.rmtree(ws / "entwuerfe" / CACHE, ignore_errors=True)


def _in_process(run: Callable[[], object], repeat: int, before: Callable[[], None] | None = None) -> list[float]:
    """Wall and CPU seconds of ``repeat`` calls: best wall, median wall, best CPU."""
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return [min(walls), statistics.median(walls), min(cpus)]


def _process(cmd: list[str], cwd: Path, repeat: int, before: Callable[[], None] | None = None) -> list[float]:
    """Best wall, median wall and best CPU (user + system) of ``cmd`` as a new process."""
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - wall)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime)
    return [min(walls), statistics.median(walls), min(cpus)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--anfragen", type=int, default=1411, help="Anzahl der Kleinen Anfragen (Standard: 1411)")
    parser.add_argument("--repeat", type=int, default=7, help="Wiederholungen je Messung (Standard: 7)")
    parser.add_argument("--cold", type=int, default=3, help="Wiederholungen ohne Cache (Standard: 3)")
    args = parser.parse_args()
    anfrage = shutil.which("anfrage")
    if anfrage is None:
        sys.exit("anfrage ist nicht installiert (pip install -e .)")
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as the console script does

    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        start = time.perf_counter()
        series = build(ws, args.anfragen)
        edited = drafts(ws)
        setup = time.perf_counter() - start
        md = len(list((ws / "entwuerfe").glob("*.md")))
        docx = len(list((ws / "entwuerfe").glob("*.docx")))
        time.sleep(RACY_NS / 1e9 + 0.1)  # files younger than this are not cached

        def drop() -> None:
            _drop_cache(ws)

        load = os.getloadavg()[0]
        command = [anfrage, "status", "--heute", HEUTE]
        figures: list[tuple[str, list[float]]] = []
        figures.append(("neuer Prozess, ohne Cache (erster Lauf)", _process(command, ws, args.cold, drop)))
        subprocess.run(command, cwd=ws, stdout=subprocess.DEVNULL, check=True)  # fills the cache
        figures.append(("neuer Prozess, mit Cache (Tabelle)", _process(command, ws, args.repeat)))
        figures.append(("neuer Prozess, mit Cache, `--json`", _process([*command, "--json"], ws, args.repeat)))

        from typer.testing import CliRunner

        from anfrage.cli.app import app
        from anfrage.status.rows import collect_status

        heute = dt.date.fromisoformat(HEUTE)
        cwd = Path.cwd()
        os.chdir(ws)
        try:
            cat = open_workspace(ws)
            rows = collect_status(cat, None, ws / "entwuerfe", heute)
            assert len(rows.zeilen) == args.anfragen, len(rows.zeilen)

            def collect() -> None:
                collect_status(cat, None, ws / "entwuerfe", heute)

            runner = CliRunner()

            def whole(*extra: str) -> None:
                with contextlib.redirect_stderr(io.StringIO()):
                    result = runner.invoke(app, ["status", "--heute", HEUTE, *extra])
                assert result.exit_code == 0, result.output[-2000:]

            figures.append(
                ("im Prozess: nur die Zeilen (`collect_status`), ohne Cache", _in_process(collect, args.cold, drop))
            )
            collect()
            figures.append(
                ("im Prozess: nur die Zeilen (`collect_status`), mit Cache", _in_process(collect, args.repeat))
            )
            figures.append(("im Prozess: ganzer Befehl (Tabelle), mit Cache", _in_process(whole, args.repeat)))
            figures.append(
                ("im Prozess: ganzer Befehl (`--json`), mit Cache", _in_process(lambda: whole("--json"), args.repeat))
            )
        finally:
            os.chdir(cwd)
        load_after = os.getloadavg()[0]

    n = args.anfragen
    count = _int(n)
    print(f"## Messung `anfrage status` ({count} Kleine Anfragen, synthetisch)\n")
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} Kerne, {args.repeat} Wiederholungen mit Cache, "
        f"{args.cold} ohne; {series} Serien, {_int(md)} Entwürfe (.md) und {_int(docx)} Word-Dateien, davon {edited} "
        "von Hand "
        f"bearbeitet; Aufbau des Arbeitsbereichs mit Entwürfen: {_s(setup)}; `--heute {HEUTE}`; Systemlast "
        f"(1 min) vorher/nachher: {_num(load)}/{_num(load_after)}.\n"
    )
    print("| Messung | bester | Median | CPU (bester) |")
    print("|---|--:|--:|--:|")
    for label, (best, median, cpu) in figures:
        print(f"| {label} | {_s(best)} | {_s(median)} | {_s(cpu)} |")
    warm = figures[1][1]
    goal = "erreicht" if warm[0] < 1 else "nicht erreicht"
    print(
        f"\nZiel: {count} Kleine Anfragen in unter einer Sekunde – als neuer Prozess mit Cache {_s(warm[0])} "
        f"(CPU {_s(warm[2])}), {goal}; ohne Cache (erster Lauf) {_s(figures[0][1][0])} (CPU {_s(figures[0][1][2])})."
    )


if __name__ == "__main__":
    main()
