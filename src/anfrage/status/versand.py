"""``anfrage versand``: the gate before an answer leaves the house, and the sending itself.

:func:`pruefen` collects, for every draft of the selection, each reason not to send it:

* no Kleine Anfrage registered for the region (the draft holds the series' model text), or the
  answer is already marked ``versandt:``;
* the draft (``SERIE-REGION.md``, of the Anfrage's first region) or its Word file is missing;
* open items in either file: ``[[ERGÄNZEN``, ``[[MUSTERTEXT``, ``[[PRÜFEN``, ``[[KONFLIKT`` – when
  only the Word file was edited since anfrage wrote the twins (the .md is still its base), only the
  Word file counts: it is the clerk's finished answer, and the next render merges it into the .md;
* pending tracked changes in the Word file (``wordfile.py``);
* questions that differ from the Anfrage: in the .md by the verbatim guard, in the Word file each
  question of the Anfrage must be a paragraph of its own, word for word;
* a Ressort of the Einvernehmen without a recorded co-signature (``mitzeichnung:``);
* no number of the answer's Drucksache (``antwort: drucksache:``) while the draft shows one – every
  draft anfrage makes does, in its header;
* the file already lies in the outbox.

:func:`versenden` then copies each Word file as it is – the clerk's finished file, not a new
render – into the outbox, with ``pdf`` also a PDF made by LibreOffice, and marks each Anfrage
``versandt: DATUM``. Everything is prepared first (PDFs in a temporary folder, the edits of the
Anfrage files checked); a refusal or a failed conversion writes nothing. The outbox gets no
manifest, no bases and no backups.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from anfrage import german
from anfrage import models as m
from anfrage.draft import front_matter_block, normalise_question
from anfrage.errors import AnfrageError, Problem, UserError
from anfrage.guard import check_questions
from anfrage.load.catalogue import Catalogue
from anfrage.load.series import Bundle, LoadedAnfrage
from anfrage.output import OnDisk, OutputFolder, atomic_write, sha256
from anfrage.select import effective_antwort, in_scope, scope_name, select_regions
from anfrage.status.record import Edit, versandt
from anfrage.status.rows import mitzeichnende
from anfrage.status.wordfile import tracked_changes

#: An open item, also one whose closing brackets were deleted.
OPEN_ITEM = re.compile(r"\[\[\s*(ERGÄNZEN|MUSTERTEXT|PRÜFEN|KONFLIKT)\b[^\]\n]{0,200}(?:\]\])?")
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+")
_SHOWN_ITEMS = 8
_SOFFICE_TIMEOUT = 300


@dataclass
class Sendung:
    """One draft of the selection: its files and every reason not to send it."""

    region: m.Region
    item: LoadedAnfrage | None
    name: str
    md: Path
    docx: Path
    gruende: list[Problem] = field(default_factory=list)
    data: bytes = b""  # the Word file as it will be sent


@dataclass
class VersandPlan:
    serie: str
    entwuerfe: Path
    ausgang: Path
    sendungen: list[Sendung]
    uebersprungen: int = 0  # regions of a group selection without a registered Anfrage

    @property
    def refused(self) -> list[Sendung]:
        return [s for s in self.sendungen if s.gruende]


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _explicit(cat: Catalogue, expression: str) -> bool:
    expr = expression.strip().casefold()
    return not (expr == "alle" or expr.startswith("regbez:") or expr in cat.gruppen)


def soffice() -> str | None:
    """The LibreOffice executable: ``soffice`` on the PATH, or where Windows installs it."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        if base:
            candidate = Path(base) / "LibreOffice" / "program" / "soffice.exe"
            if candidate.is_file():
                return str(candidate)
    return None


def pruefen(cat: Catalogue, bundle: Bundle, expression: str, entwuerfe: Path, ausgang: Path) -> VersandPlan:
    """Every reason not to send each draft of the selection; nothing is written."""
    serie = bundle.serie
    if entwuerfe.resolve() == ausgang.resolve():
        raise UserError("Der Ausgang muss ein anderer Ordner sein als der Ordner der Entwürfe.")
    if not entwuerfe.is_dir():
        raise UserError(f"Ordner der Entwürfe „{_display(entwuerfe)}“ nicht gefunden (--entwuerfe).")
    folder = OutputFolder(entwuerfe)
    chosen = select_regions(cat, expression)
    explicit = _explicit(cat, expression)
    plan = VersandPlan(serie.id, entwuerfe, ausgang, [])
    seen: dict[str, str] = {}
    for region in chosen:
        item = bundle.anfrage_for(region.id)
        # the draft of an Anfrage is the one of its first region (as in anfrage status)
        name = f"{serie.id}-{item.anfrage.regionen[0] if item is not None else region.id}"
        if not explicit and (item is None or not in_scope(cat, serie, region)):
            if item is None and in_scope(cat, serie, region):
                plan.uebersprungen += 1
            continue
        sendung = Sendung(region, item, name, entwuerfe / f"{name}.md", entwuerfe / f"{name}.docx")
        plan.sendungen.append(sendung)
        if not in_scope(cat, serie, region):
            sendung.gruende.append(
                Problem(
                    bundle.file, 0, "", f"{region.name} gehört nicht zum Geltungsbereich ({scope_name(cat, serie)})."
                )
            )
            continue
        if item is not None and item.file in seen:
            sendung.gruende.append(
                Problem(
                    item.file, 0, "", f"Die Kleine Anfrage wird schon mit dem Entwurf für {seen[item.file]} versandt."
                )
            )
            continue
        if item is not None:
            seen[item.file] = region.name
        _check(cat, bundle, folder, sendung, ausgang)
    if not plan.sendungen:
        raise UserError(
            f"In der Auswahl „{expression.strip()}“ ist keine Kleine Anfrage der Serie „{serie.id}“ erfasst; "
            "es gibt nichts zu versenden."
        )
    return plan


def _check(cat: Catalogue, bundle: Bundle, folder: OutputFolder, s: Sendung, ausgang: Path) -> None:
    md_name, docx_name = _display(s.md), _display(s.docx)
    item = s.item
    if item is None:
        s.gruende.append(
            Problem(
                md_name,
                0,
                "",
                f"Für {s.region.name} ist keine Kleine Anfrage erfasst; der Entwurf enthält den Mustertext der Serie "
                "(„anfrage import“ erfasst die Anfrage).",
            )
        )
        return
    a = item.anfrage
    if a.versandt is not None:
        s.gruende.append(
            Problem(
                item.file,
                item.doc.lines.get(("versandt",), 0),
                "versandt",
                f"Die Antwort wurde bereits am {german.datum(a.versandt)} versandt.",
            )
        )
    fragen = [(f.nr, f.text) for f in a.fragen]
    disk = folder.inspect(s.name)
    md_text = disk.md_text
    if md_text is None:
        s.gruende.append(Problem(md_name, 0, "", "Der Entwurf fehlt."))
    elif not _finished_in_word(disk):
        s.gruende += _open_items_md(md_text, md_name)
        s.gruende += check_questions(md_text, fragen, md_name)
    if disk.docx is not None:
        s.data = disk.docx
        s.gruende += _word_file(s.data, docx_name, fragen)
    else:
        s.gruende.append(
            Problem(docx_name, 0, "", "Die Word-Datei fehlt (mit „anfrage render … --format beide“ erstellen).")
        )
    antwort = effective_antwort(bundle.serie, a)
    for rid in mitzeichnende(antwort):
        if rid not in a.mitzeichnung:
            name = cat.ressorts[rid].name if rid in cat.ressorts else rid
            s.gruende.append(
                Problem(
                    item.file,
                    item.doc.lines.get(("mitzeichnung",), 0),
                    "mitzeichnung",
                    f"Die Mitzeichnung von „{rid}“ ({name}) fehlt; eintragen mit „anfrage mitzeichnung "
                    f"{bundle.serie.id} --region {s.region.id} --ressort {rid}“.",
                )
            )
    if antwort.drucksache is None and _shows_drucksache(md_text):
        s.gruende.append(
            Problem(
                item.file if a.antwort is not None else bundle.file,
                0,
                "antwort.drucksache",
                "Die Nummer der Antwort-Drucksache fehlt; unter „antwort: drucksache:“ eintragen (in der Kleinen "
                "Anfrage oder in der Serie).",
            )
        )
    for suffix in ("docx", "pdf"):
        target = ausgang / f"{s.name}.{suffix}"
        if target.exists():
            s.gruende.append(Problem(_display(target), 0, "", "Die Datei liegt schon im Ausgang; nicht überschrieben."))


def _finished_in_word(disk: OnDisk) -> bool:
    """Whether only the Word file was edited since anfrage wrote the twins: the .md is then its base,
    and the Word file – the one that is sent – is what counts."""
    return (
        disk.docx is not None
        and disk.docx_recorded is not None
        and sha256(disk.docx) != disk.docx_recorded
        and disk.base is not None
        and disk.md_text == disk.base
    )


def _shows_drucksache(md_text: str | None) -> bool:
    """Whether the draft shows the answer's Drucksache: its front matter has ``drucksache:``."""
    if md_text is None:
        return True
    raw, _body, _lines = front_matter_block(md_text)
    return raw is None or any(line.startswith("drucksache:") for line in raw.split("\n"))


_KIND_OF_ITEM = {
    "ERGÄNZEN": "offener Platzhalter",
    "PRÜFEN": "offener Prüfhinweis",
    "MUSTERTEXT": "Mustertext statt Wortlaut der Kleinen Anfrage",
    "KONFLIKT": "offener Konflikt aus dem Zusammenführen",
}


def _item(match: re.Match[str]) -> str:
    text = match.group(0)
    kind = _KIND_OF_ITEM[match.group(1)]
    return f"{kind}: {text if text.endswith(']]') else text + '…'}"


def _limited(problems: list[Problem], display: str) -> list[Problem]:
    if len(problems) <= _SHOWN_ITEMS:
        return problems
    rest = len(problems) - _SHOWN_ITEMS
    return [*problems[:_SHOWN_ITEMS], Problem(display, 0, "", f"und {rest} weitere offene Stellen.")]


def _open_items_md(text: str, display: str) -> list[Problem]:
    """One problem per open item of a draft, with its line."""
    problems = [
        Problem(display, text.count("\n", 0, match.start()) + 1, "", _item(match)) for match in OPEN_ITEM.finditer(text)
    ]
    return _limited(problems, display)


def _open_items_docx(text: str, display: str) -> list[Problem]:
    """One problem per distinct open item of a Word file (headers repeat them), with a count."""
    counts: dict[str, int] = {}
    for match in OPEN_ITEM.finditer(text):
        counts[_item(match)] = counts.get(_item(match), 0) + 1
    problems = [Problem(display, 0, "", item + (f" ({n}-mal)" if n > 1 else "")) for item, n in counts.items()]
    return _limited(problems, display)


def _word_file(data: bytes, display: str, fragen: list[tuple[int, str]]) -> list[Problem]:
    from anfrage.docx.text import docx_to_text  # python-docx only when a Word file is checked

    try:
        changes = tracked_changes(data, display)
        text = docx_to_text(data)
    except AnfrageError as exc:
        return [Problem(display, 0, "", exc.message)]
    problems = _open_items_docx(text, display)
    if changes:
        problems.append(
            Problem(
                display,
                0,
                "",
                f"Nachverfolgte Änderungen sind offen ({german.aufzaehlung(changes)}); in Word unter „Überprüfen“ "
                "annehmen oder ablehnen.",
            )
        )
    paragraphs: set[str] = set()
    for line in text.split("\n"):
        norm = normalise_question(line)
        paragraphs.add(norm)
        paragraphs.add(_NUMBERED.sub("", norm, count=1))
    for nr, frage in fragen:
        if normalise_question(frage) not in paragraphs:
            problems.append(
                Problem(
                    display,
                    0,
                    f"frage {nr}",
                    f"Frage {nr} steht nicht wörtlich als eigener Absatz in der Word-Datei (Wortlaut der Kleinen "
                    "Anfrage übernehmen).",
                )
            )
    return problems


@dataclass
class Versandt:
    datei: list[Path]
    edits: list[Edit]


def versenden(cat: Catalogue, plan: VersandPlan, datum: dt.date, pdf: bool) -> Versandt:
    """Copy the Word files (and PDFs) into the outbox and mark the Anfragen ``versandt: DATUM``.

    Call only for a plan without refusals. Raises ``UserError`` (nothing written) when LibreOffice
    is missing or fails.
    """
    if plan.refused:
        raise UserError("Versand abgelehnt; es wurde nichts geschrieben.")
    office = soffice() if pdf else None
    if pdf and office is None:
        raise UserError(
            "LibreOffice (soffice) ist nicht installiert; ohne --pdf versenden oder LibreOffice installieren. "
            "Es wurde nichts geschrieben."
        )
    edits = [versandt(cat, s.item, datum) for s in plan.sendungen if s.item is not None]
    files: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="anfrage-versand-") as tmp:
        work = Path(tmp)
        for s in plan.sendungen:
            (work / f"{s.name}.docx").write_bytes(s.data)
            files[plan.ausgang / f"{s.name}.docx"] = s.data
        if office is not None:
            for s, data in zip(plan.sendungen, _to_pdf(office, work, [s.name for s in plan.sendungen]), strict=True):
                files[plan.ausgang / f"{s.name}.pdf"] = data
    for path, data in files.items():
        atomic_write(path, data)
    for edit in edits:
        edit.write()
    return Versandt(sorted(files), edits)


def _to_pdf(office: str, work: Path, names: list[str]) -> list[bytes]:
    """PDFs of ``work/NAME.docx`` made by LibreOffice (own profile, so a running LibreOffice does not interfere)."""
    profile = work / "libreoffice-profil"
    command = [
        office,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(work),
        *[str(work / f"{name}.docx") for name in names],
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=_SOFFICE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UserError(
            f"LibreOffice konnte die PDF-Dateien nicht erstellen ({exc}); es wurde nichts geschrieben."
        ) from None
    pdfs = []
    for name in names:
        target = work / f"{name}.pdf"
        if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", errors="replace").strip()[:300]
            raise UserError(
                f"LibreOffice hat „{name}.pdf“ nicht erstellt"
                + (f" ({detail})" if detail else "")
                + "; es wurde nichts geschrieben."
            )
        pdfs.append(target.read_bytes())
    return pdfs
