"""``anfrage text`` as git's textconv: one new process per Word file (a measurement, not a test).

Run from the repository root after ``pip install -e .`` (or with a wheel installed)::

    python benchmarks/textconv.py               # 5 rounds
    python benchmarks/textconv.py --rounds 9
    python benchmarks/textconv.py --typer       # also the same command through the typer app
    git archive 8a9f535 src | tar -x -C /tmp/alt
    python benchmarks/textconv.py --alt /tmp/alt/src   # also an older anfrage (here: before the lean path)

``git diff`` and ``git log -p`` start the textconv command once for every changed .docx, so what
counts is the start of a process, not the reading. The script writes the 53 drafts of
``anfrage batch digitalisierung-2018 --format docx`` to a temporary folder and then, in every
round and in alternating order, makes 53 calls of each command, one after the other, each output
read from a pipe as git reads it:

* **bloßes Python**: ``python -c "zipfile.ZipFile(p).read('word/document.xml')"`` – a Python that
  only opens the DOCX, the floor for any textconv written in Python;
* **anfrage text**: the console script, the lean path of ``cli/entry.py``;
* with ``--typer`` also **über typer**: the same command through ``anfrage.cli.app.main`` (typer,
  rich, pydantic), the way every command ran before the lean path;
* with ``--alt SRC`` also ``python -m anfrage text`` with ``PYTHONPATH=SRC``: another version of
  the source, e.g. one from before the lean path (which also read the DOCX with python-docx).

Reported are the best and the median round (53 calls each) and the ratio anfrage : bare Python,
target at most 3. Besides, ``python -X importtime`` lists what ``anfrage text`` imports; none of
typer, click, rich, pydantic, jinja2, yaml, babel or python-docx may be among it. The script
prints Markdown (German labels) for benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERIE = "digitalisierung-2018"
TARGET = 3.0
BARE = "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).read('word/document.xml')"
TYPER = "import sys; sys.argv[0] = 'anfrage'; from anfrage.cli.app import main; main()"
HEAVY = ("typer", "click", "rich", "pydantic", "jinja2", "yaml", "babel", "docx", "markdown_it")


def _round(command: list[str], drafts: list[Path]) -> float:
    """Seconds for one call of ``command + [draft]`` per draft, one after the other."""
    env = None
    if command[0].startswith("PYTHONPATH="):
        env = {**os.environ, "PYTHONPATH": command[0].removeprefix("PYTHONPATH=")}
        command = command[1:]
    start = time.perf_counter()
    for draft in drafts:
        proc = subprocess.run([*command, str(draft)], capture_output=True, env=env, check=False)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(command)} {draft}: Rückgabewert {proc.returncode}\n{proc.stderr.decode()}")
    return time.perf_counter() - start


def _imports(command: list[str], draft: Path) -> list[str]:
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    proc = subprocess.run([*command, str(draft)], capture_output=True, text=True, env=env, check=True)
    return [line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")][1:]


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s".replace(".", ",")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms".replace(".", ",")


def _x(ratio: float) -> str:
    return f"{ratio:.2f}".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="Runden je Befehl (Standard: 5)")
    parser.add_argument("--typer", action="store_true", help="auch den Weg über die typer-App messen")
    parser.add_argument("--alt", type=Path, help="auch python -m anfrage text mit PYTHONPATH=ALT messen")
    parser.add_argument("--workspace", type=Path, default=ROOT, help="Arbeitsbereich (Standard: das Repository)")
    args = parser.parse_args()
    anfrage = shutil.which("anfrage")
    if anfrage is None:
        sys.exit("anfrage ist nicht installiert (pip install -e .)")
    py = sys.executable
    commands = {"bloßes Python (öffnet die DOCX)": [py, "-c", BARE], "`anfrage text`": [anfrage, "text"]}
    if args.typer:
        commands["`anfrage text` über typer (wie vor dem schlanken Weg)"] = [py, "-c", TYPER, "text"]
    if args.alt:
        commands[f"`anfrage text` aus {args.alt}"] = [f"PYTHONPATH={args.alt.resolve()}", py, "-m", "anfrage", "text"]

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "entwuerfe"
        subprocess.run(
            [anfrage, "batch", SERIE, "--format", "docx", "--out", str(out)],
            cwd=args.workspace,
            check=True,
            capture_output=True,
        )
        drafts = sorted(out.glob("*.docx"))
        for command in commands.values():  # warm the file cache and the .pyc files
            _round(command, drafts[:3])
        times: dict[str, list[float]] = {label: [] for label in commands}
        for i in range(args.rounds):
            order = list(commands.items()) if i % 2 == 0 else list(reversed(commands.items()))
            for label, command in order:
                times[label].append(_round(command, drafts))
        imported = _imports([anfrage, "text"], drafts[0])

    n = len(drafts)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"## Messung `anfrage text` als textconv ({n} Word-Dateien, {args.rounds} Runden)\n")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} Kerne, Systemlast (1 min) danach: {_x(load)}.\n")
    print(f"| Befehl, {n} Aufrufe nacheinander | bester | Median | je Aufruf (bester) |")
    print("|---|--:|--:|--:|")
    for label, values in times.items():
        best = min(values)
        print(f"| {label} | {_s(best)} | {_s(statistics.median(values))} | {_ms(best / n)} |")
    bare, lean = list(times.values())[:2]
    ratio_best = min(lean) / min(bare)
    ratio_median = statistics.median(lean) / statistics.median(bare)
    print(f"\nVerhältnis `anfrage text` : bloßes Python – bester {_x(ratio_best)}, Median {_x(ratio_median)}")
    verdict = "erreicht" if ratio_best <= TARGET else "verfehlt"
    print(f"(Ziel: höchstens {_x(TARGET)}) – {verdict}.\n")
    heavy = sorted({m for m in imported if m.split(".")[0] in HEAVY})
    print(
        f"`anfrage text` lädt {len(imported)} Module; typer, click, rich, pydantic, jinja2, yaml, babel, "
        f"python-docx, markdown-it: {', '.join(heavy) if heavy else 'keines davon'}."
    )


if __name__ == "__main__":
    main()
