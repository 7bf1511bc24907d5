"""Cost of merging hand edits in a batch (a measurement, not a test).

Run from the repository root after ``pip install -e .``::

    python benchmarks/handedits.py             # 5 repetitions of each case
    python benchmarks/handedits.py --repeat 9

Series ``digitalisierung-2018``, all 53 regions, Markdown and Word, in-process with ``--jobs 1``
and ``--jobs 2`` (what ``anfrage batch`` does, without the display). For each repetition a
fresh copy of the workspace gets a first batch, then one sentence of a Textbaustein changes in
``data/programmes.yaml`` (it is in every draft) and the batch runs again:

* **ohne Bearbeitung** – no draft was edited: every draft is simply replaced (53 ``aktualisiert``);
* **alle .md bearbeitet** – every draft's .md got a sentence added by hand: every draft is
  merged three-way and both twins are written from the merged text (53 ``zusammengeführt``);
* **alle .docx bearbeitet** – the same edit made in every Word file instead: each .docx is read
  back into Markdown before the merge.

Only the second batch is timed. The goal of the hand-edits issue: the batch with edits takes at
most 20 % longer than the one without.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docx import Document

from anfrage import batch as B
from anfrage.load.series import open_series
from anfrage.pipeline import FORMATS, open_workspace

ROOT = Path(__file__).resolve().parent.parent
SERIE = "digitalisierung-2018"
OLD = "in einem Zeitraum von einem Jahr."
NEW = "in einem Zeitraum von zwölf Monaten."


def _batch(ws: Path, jobs: int) -> B.BatchResult:
    cat = open_workspace(ws)
    bundle, source = open_series(cat, SERIE)
    plan = B.plan_batch(cat, bundle, source, "alle")
    return B.run_batch(cat, bundle, plan, ws / "entwuerfe", FORMATS["beide"], jobs=jobs)


def _edit_md(out: Path) -> None:
    for path in out.glob(f"{SERIE}-*.md"):
        lines = path.read_text(encoding="utf-8").split("\n")
        index = next(i for i, line in enumerate(lines) if line.startswith("Kernelement der Initiative"))
        lines.insert(index + 1, "Von Hand ergänzt: ein Satz zum Hub.")
        path.write_text("\n".join(lines), encoding="utf-8")


def _edit_docx(out: Path) -> None:
    for path in out.glob(f"{SERIE}-*.docx"):
        document = Document(str(path))
        anchor = next(p for p in document.paragraphs if p.text.startswith("Kernelement der Initiative"))
        added = copy.deepcopy(anchor._p)
        anchor._p.addnext(added)
        paragraph = next(p for p in document.paragraphs if p._p is added)
        for run in paragraph.runs[1:]:
            run._r.getparent().remove(run._r)
        paragraph.runs[0].text = "Von Hand ergänzt: ein Satz zum Hub."
        document.save(str(path))


def _case(edit: Callable[[Path], None] | None, jobs: int, repeat: int) -> tuple[float, float, str]:
    times = []
    summary = ""
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            ws = Path(tmp)
            shutil.copytree(ROOT / "data", ws / "data")
            shutil.copytree(ROOT / "templates", ws / "templates")
            _batch(ws, jobs)
            if edit is not None:
                edit(ws / "entwuerfe")
            programmes = ws / "data/programmes.yaml"
            programmes.write_text(programmes.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
            start = time.perf_counter()
            result = _batch(ws, jobs)
            times.append(time.perf_counter() - start)
            counts = {s: result.count(s) for s in B.Status if result.count(s)}
            summary = ", ".join(f"{n} {s.value}" for s, n in counts.items())
    return min(times), statistics.median(times), summary


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"## Zusammenführen von Handänderungen (53 Entwürfe, Markdown + Word, {args.repeat} Wiederholungen)\n")
    print("| Fall | Prozesse | bester | Median | Mehraufwand (bester) | Ergebnis |")
    print("|---|--:|--:|--:|--:|---|")
    for jobs in (1, 2):
        base = 0.0
        cases = (("ohne Bearbeitung", None), ("alle .md bearbeitet", _edit_md), ("alle .docx bearbeitet", _edit_docx))
        for label, edit in cases:
            best, median, summary = _case(edit, jobs, args.repeat)
            base = base or best
            extra = f"{(best / base - 1) * 100:+.0f} %" if edit else "–"
            print(f"| {label} | {jobs} | {_s(best)} | {_s(median)} | {extra} | {summary} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
