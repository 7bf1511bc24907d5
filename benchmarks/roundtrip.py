"""The Word round trip on the 53 drafts of a series (a measurement, not a test).

Run from the repository root after ``pip install -e .``::

    python benchmarks/roundtrip.py                 # about 2 minutes; the redlines take most of it
    python benchmarks/roundtrip.py --drafts 10     # the first 10 regions only
    python benchmarks/roundtrip.py --kandidaten    # also jubarte-redlines and docx-trackdiff, if installed

Series ``digitalisierung-2018``, all 53 regions, written as Markdown and Word into a temporary
folder. Each Word file is then "returned" in two ways, with python-docx: edited without tracking
(one sentence of the Digitalisierungsgutschein Textbaustein corrected, one paragraph deleted, one
added) and with two tracked changes and one comment. Measured per draft:

* **Rücklesen** – ``docx_to_markdown`` of the generated file (must give the draft byte for byte)
  and of the edited file;
* **Text (textconv)** – ``docx_to_text`` of the file with tracked changes and a comment;
* **Herkunft** – ``origin.render_origins`` + ``trace`` of the draft (render again, trace every line);
* **Vergleich** – ``docx.redline.compare`` of generated and edited file (one Docxodus process each),
  twice, to count identical bytes; fidelity: accepting all changes gives the edited version,
  rejecting all the generated one (compared as read back);
* with ``--kandidaten``: the same comparison with jubarte-redlines and docx-trackdiff.

Prints Markdown with German labels for ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from anfrage import batch as B
from anfrage.docx import redline
from anfrage.docx.reader import docx_to_markdown
from anfrage.docx.text import docx_to_text
from anfrage.load.series import open_series
from anfrage.origin import render_origins, trace
from anfrage.pipeline import FORMATS, open_workspace
from anfrage.render import Renderer

ROOT = Path(__file__).resolve().parent.parent
SERIE = "digitalisierung-2018"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OLD = "Gefördert wird die Auftragsvergabe von Digitalisierungsdienstleistungen"
NEW = "Gefördert wird die Vergabe von Aufträgen für Digitalisierungsdienstleistungen"


def _paragraph(document: object, start: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(start))  # type: ignore[attr-defined]


def edited(data: bytes) -> bytes:
    """Edited without tracking: a sentence corrected, a paragraph deleted, a paragraph added."""
    document = docx.Document(io.BytesIO(data))
    p = _paragraph(document, "Mittelstand.innovativ! bietet")
    text = p.text.replace(OLD, NEW)
    for run in p.runs[1:]:
        run._r.getparent().remove(run._r)
    p.runs[0].text = text
    gone = _paragraph(document, "Die Digitalisierung von Unternehmen gelingt")
    gone._p.getparent().remove(gone._p)
    hub = _paragraph(document, "Kernelement der Initiative")
    new = copy.deepcopy(hub._p)
    hub._p.addnext(new)
    added = Paragraph(new, hub._parent)
    for run in added.runs[1:]:
        run._r.getparent().remove(run._r)
    added.runs[0].text = "Ein in Word ergänzter Absatz."
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def tracked(data: bytes) -> bytes:
    """Two tracked changes (MAGS, Referat 123) and one comment."""
    document = docx.Document(io.BytesIO(data))
    p = _paragraph(document, "Auf die Ausführungen in der Vorbemerkung")
    for child in list(p._p):
        if child.tag != qn("w:pPr"):
            p._p.remove(child)
    xml = (
        '<w:r><w:t xml:space="preserve">Auf die Ausführungen in der </w:t></w:r>'
        '<w:del w:id="901" w:author="MAGS" w:date="2025-05-02T10:00:00Z"><w:r><w:delText>Vorbemerkung</w:delText>'
        '</w:r></w:del><w:ins w:id="902" w:author="Referat 123" w:date="2025-05-02T11:00:00Z"><w:r>'
        "<w:t>Antwort</w:t></w:r></w:ins>"
        '<w:r><w:t xml:space="preserve"> wird hingewiesen.</w:t></w:r>'
    )
    for node in parse_xml(f'<w:x xmlns:w="{W_NS}">{xml}</w:x>'):
        p._p.append(node)
    commented = _paragraph(document, "Der Ausbau der digitalen Infrastruktur")
    document.add_comment(commented.runs, text="Bitte Zahlen prüfen.", author="MAGS", initials="M")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms".replace(",", "X").replace(".", ",").replace("X", ".")


def sec(seconds: float) -> str:
    return f"{seconds:,.2f} s".replace(",", "X").replace(".", ",").replace("X", ".")


def timed(items: list[bytes], fn: Callable[[bytes], object]) -> list[float]:
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--drafts", type=int, default=0, help="only the first N regions")
    parser.add_argument("--kandidaten", action="store_true", help="also jubarte-redlines and docx-trackdiff")
    parser.add_argument("--workspace", type=Path, default=ROOT)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "entwuerfe"
        os.environ.setdefault("ANFRAGE_CACHE", str(Path(tmp) / "cache"))  # the engine's first unpack is timed
        cat = open_workspace(args.workspace)
        bundle, source = open_series(cat, SERIE)
        plan = B.plan_batch(cat, bundle, source, "alle")
        B.run_batch(cat, bundle, plan, out, FORMATS["beide"], jobs=1)
        names = sorted(p.stem for p in out.glob(f"{SERIE}-*.md"))
        if args.drafts:
            names = names[: args.drafts]
        md = [(out / f"{n}.md").read_text(encoding="utf-8") for n in names]
        generated = [(out / f"{n}.docx").read_bytes() for n in names]
        changed = [edited(d) for d in generated]
        with_changes = [tracked(d) for d in generated]
        n = len(names)

        read_back = timed(generated, lambda d: docx_to_markdown(d, front_matter=""))
        exact = sum(docx_to_markdown(d, front_matter=m) == m for d, m in zip(generated, md, strict=True))
        read_edited = timed(changed, lambda d: docx_to_markdown(d, front_matter=""))
        textconv = timed(with_changes, docx_to_text)
        marked = sum(
            "{+Antwort+}" in docx_to_text(d) and "[Kommentar von MAGS" in docx_to_text(d) for d in with_changes
        )

        renderer = Renderer(cat)
        origin_times, untraced = [], 0
        for text, name in zip(md, names, strict=True):
            start = time.perf_counter()
            render = render_origins(renderer, bundle, cat.regionen[name.removeprefix(f"{SERIE}-")])
            lines = trace(text, render)
            origin_times.append(time.perf_counter() - start)
            untraced += sum(1 for line in lines if line.origin.art in ("unbekannt", "von Hand"))

        folder = Path(tmp) / "paare"
        folder.mkdir()
        pairs = []
        for name, a, b in zip(names, generated, changed, strict=True):
            (folder / f"{name}-alt.docx").write_bytes(a)
            (folder / f"{name}-neu.docx").write_bytes(b)
            pairs.append((folder / f"{name}-alt.docx", folder / f"{name}-neu.docx"))
        when = redline.parse_datum("2025-05-12")
        start = time.perf_counter()
        redline.engine_folder()
        unpack = time.perf_counter() - start
        red_times, same, faithful = [], 0, 0
        cpu_before = os.times()
        for alt, neu in pairs:
            start = time.perf_counter()
            first = redline.compare(alt, neu, autor="Referat 123", datum=when).docx
            red_times.append(time.perf_counter() - start)
            same += redline.compare(alt, neu, autor="Referat 123", datum=when).docx == first
            accepted = docx_to_markdown(first, front_matter="", aenderungen="annehmen")
            rejected = docx_to_markdown(first, front_matter="", aenderungen="ablehnen")
            faithful += accepted == docx_to_markdown(neu, front_matter="") and rejected == docx_to_markdown(
                alt, front_matter=""
            )
        cpu_after = os.times()
        engine_cpu = (cpu_after.children_user + cpu_after.children_system) - (
            cpu_before.children_user + cpu_before.children_system
        )
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

        print(f"## Messung Word-Rundweg ({n} Entwürfe der Serie {SERIE})\n")
        print(
            f"Python {platform.python_version()}, {os.cpu_count()} Kerne, {platform.system()}; "
            f"Systemlast (1 min) am Ende: {load:.2f}.\n".replace(f"{load:.2f}", f"{load:.2f}".replace(".", ","))
        )
        print("| Messung | je Entwurf (Median) | alle zusammen |")
        print("|---|--:|--:|")
        rows = [
            ("Rücklesen DOCX → Markdown, erzeugte Datei", read_back, f"{exact}/{n} byte-gleich"),
            ("Rücklesen DOCX → Markdown, in Word bearbeitete Datei", read_edited, ""),
            ("`anfrage text` mit 2 Änderungen und 1 Kommentar", textconv, f"{marked}/{n} mit allen dreien"),
            ("Herkunft jeder Zeile (neu rendern + zuordnen)", origin_times, f"{untraced} Zeilen ohne Herkunft"),
            ("Vergleich (Docxodus), erzeugte ↔ bearbeitete Datei", red_times, f"{same}/{n} zweimal gleiche Bytes"),
        ]
        for label, times, note in rows:
            extra = f" ({note})" if note else ""
            print(f"| {label} | {ms(statistics.median(times))} | {sec(sum(times))}{extra} |")
        print(f"\nVergleich: {faithful}/{n} treu (alle annehmen = bearbeitete, alle ablehnen = erzeugte Fassung).")
        print(f"CPU-Zeit des Vergleichsprogramms je Vergleich: {ms(engine_cpu / (2 * n))}.")
        print(f"Erstes Entpacken des Vergleichsprogramms in den Cache: {sec(unpack)}.")

        if args.kandidaten:
            print("\n| Bibliothek | je Vergleich (Median) | treu | gleiche Bytes |")
            print("|---|--:|--:|--:|")
            for label, fn in _candidates(Path(tmp)):
                times, ok, det = [], 0, 0
                for a, b in zip(generated, changed, strict=True):
                    start = time.perf_counter()
                    result = fn(a, b)
                    times.append(time.perf_counter() - start)
                    det += fn(a, b) == result
                    ok += docx_to_markdown(
                        result, front_matter="", aenderungen="annehmen", kommentare="ignorieren"
                    ) == docx_to_markdown(b, front_matter="") and docx_to_markdown(
                        result, front_matter="", aenderungen="ablehnen", kommentare="ignorieren"
                    ) == docx_to_markdown(a, front_matter="")
                print(f"| {label} | {ms(statistics.median(times))} | {ok}/{n} | {det}/{n} |")


def _candidates(tmp: Path) -> list[tuple[str, Callable[[bytes, bytes], bytes]]]:
    found: list[tuple[str, Callable[[bytes, bytes], bytes]]] = []
    try:
        import jubarte_redlines  # type: ignore[import-not-found]

        found.append(
            (
                "jubarte-redlines",
                lambda a, b: jubarte_redlines.compare_documents(
                    a, b, author="Referat 123", date="2025-05-12T00:00:00Z"
                ),
            )
        )
    except ImportError:
        print("(jubarte-redlines nicht installiert)", file=sys.stderr)
    try:
        import docx_trackdiff.compare as trackdiff  # type: ignore[import-not-found]

        def run(a: bytes, b: bytes) -> bytes:
            (tmp / "a.docx").write_bytes(a)
            (tmp / "b.docx").write_bytes(b)
            argv = sys.argv
            sys.argv = ["docx-trackdiff", str(tmp / "a.docx"), str(tmp / "b.docx"), str(tmp / "o.docx")]
            sys.argv += ["--author", "Referat 123", "--date", "2025-05-12T00:00:00Z"]
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    trackdiff.main()
            finally:
                sys.argv = argv
            return (tmp / "o.docx").read_bytes()

        found.append(("docx-trackdiff (im Prozess)", run))
    except ImportError:
        print("(docx-trackdiff nicht installiert)", file=sys.stderr)
    return found


if __name__ == "__main__":
    main()
