"""Start-up of the command line as a new process (a measurement, not a test).

Run from the repository root after ``pip install -e .``::

    python benchmarks/startup.py              # 15 runs of each command
    python benchmarks/startup.py --runs 31

Every command is started as a new process, the way a clerk or ``git diff`` (textconv) starts it,
and timed from ``exec`` to exit: interpreter start, imports, work. Side by side:

* ``python -c pass``: the floor, an interpreter that does nothing;
* ``python -c "import zipfile; zipfile.ZipFile(X).read('word/document.xml')"``: a bare Python that
  only opens the DOCX, the floor for ``anfrage text``;
* ``anfrage --help``, ``anfrage render … --format md``, ``anfrage render … --format beide``,
  ``anfrage text X.docx``.

Besides the wall clock, ``python -X importtime`` gives the import share of each command (the sum
of the top-level imports of the ``anfrage`` package and its dependencies). The script prints a
Markdown table (German labels) for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERIE = "digitalisierung-2018"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms".replace(",", ".")


def _time(cmd: list[str], runs: int, cwd: Path) -> tuple[float, float]:
    """Best and median wall clock of ``runs`` executions of ``cmd`` (one warm-up run first)."""
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


_IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)")


def _import_seconds(cmd: list[str], cwd: Path) -> float:
    """Cumulative time of the top-level imports of a command (``-X importtime``), in seconds."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    total = 0
    for line in proc.stderr.splitlines():
        match = _IMPORT_LINE.match(line)
        if match and len(match.group(2)) == 1:  # one space of indentation: a top-level import
            total += int(match.group(1))
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="Läufe je Befehl (Standard: 15)")
    args = parser.parse_args()
    anfrage = shutil.which("anfrage")
    if anfrage is None:
        sys.exit("anfrage ist nicht installiert (pip install -e .)")
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "entwuerfe"
        subprocess.run(
            [anfrage, "render", SERIE, "-r", "bochum", "--format", "docx", "--out", str(out)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        docx = out / f"{SERIE}-bochum.docx"
        render = [anfrage, "render", SERIE, "-r", "bochum", "--out", str(Path(tmp) / "r")]
        commands = [
            ("`python -c pass` (Python ohne Arbeit)", [py, "-c", "pass"]),
            (
                "bloßes Python, das die DOCX öffnet",
                [py, "-c", f"import zipfile; zipfile.ZipFile({str(docx)!r}).read('word/document.xml')"],
            ),
            ("`anfrage --help`", [anfrage, "--help"]),
            ("`anfrage render … --format md`", [*render, "--format", "md"]),
            ("`anfrage render … --format beide`", [*render, "--format", "beide"]),
            ("`anfrage text X.docx`", [anfrage, "text", str(docx)]),
        ]
        print(f"## Start als neuer Prozess ({args.runs} Läufe je Befehl, Python {sys.version.split()[0]})\n")
        print("| Befehl | bester | Median | davon Importe |")
        print("|---|--:|--:|--:|")
        for label, cmd in commands:
            best, median = _time(cmd, args.runs, ROOT)
            imports = _import_seconds(cmd, ROOT)
            print(f"| {label} | {_ms(best)} | {_ms(median)} | {_ms(imports)} |")


if __name__ == "__main__":
    main()
