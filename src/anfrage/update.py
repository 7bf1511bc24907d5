"""Updating a draft in its folder: hand edits are merged into every re-render, never lost.

As copier's ``update`` does for projects: the *base* is the Markdown anfrage generated last time
(``.anfrage/basis/NAME.md``), *ours* is the draft as the clerk left it – the .md, or the .docx read
back into Markdown, or both merged – and *theirs* is the new render. :func:`plan` decides, without
writing, what the folder gets:

* nothing edited → the new render (``neu``, ``aktualisiert`` or ``unverändert``);
* edited, and the merge is clean → the merged text in both twins (``zusammengeführt``);
* edited, and clerk and catalogue changed the same lines → the merged text with a conflict block
  ``[[KONFLIKT: …]]`` in both twins, and the clerk's files kept as backups (``Konflikt``);
* ``force`` → the new render, the clerk's files kept as backups;
* a Word file with tracked changes not yet accepted or rejected → nothing (the changes would be
  taken in silently otherwise), unless told to accept or reject them;
* edited, but no base to merge against (the ``.anfrage/`` folder is missing) → nothing
  (``bearbeitet – übersprungen``), as before bases existed.

Line endings and a BOM are never edits. The twins are one unit: whatever is written, the .md and
the .docx say the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from anfrage.errors import AnfrageError
from anfrage.merge import merge_drafts
from anfrage.output import Commit, OnDisk, Status, sha256, text_of

Aenderungen = Literal["annehmen", "ablehnen"] | None


@dataclass
class Plan:
    """What :func:`plan` decided, with the commit to hand to the writer."""

    commit: Commit
    message: str | None = None  # why nothing was written, for the clerk


def _read_back(docx: bytes, base: str | None, aenderungen: Aenderungen) -> str:
    from anfrage.docx.reader import docx_to_markdown  # lxml only when a Word file was edited

    text: str = docx_to_markdown(docx, front_matter=base, aenderungen=aenderungen or "fehler")
    return text


def plan(
    disk: OnDisk,
    new_md: str,
    formats: tuple[str, ...],
    make_docx: Callable[[str], bytes],
    *,
    force: bool = False,
    aenderungen: Aenderungen = None,
) -> Plan:
    """Decide what draft ``disk.name`` becomes, given the new render ``new_md`` (LF, normalised).

    ``formats`` are the twins asked for; a twin already on disk is always kept up to date too.
    ``make_docx`` turns Markdown into DOCX bytes (called only for what is written).
    """
    name = disk.name
    suffixes = sorted(set(formats) | {s for s, data in (("md", disk.md), ("docx", disk.docx)) if data is not None})
    old = {s: data for s, data in (("md", disk.md), ("docx", disk.docx)) if data is not None}
    base = disk.base
    current = disk.md_text

    # a clerk's editor may save the .md as Windows-1252: never merge garbled umlauts into the Word file
    if disk.md is not None and not force:
        try:
            disk.md.decode("utf-8")
        except UnicodeDecodeError:
            return Plan(
                Commit(name, Status.BEARBEITET, old=old),
                f"„{name}.md“ ist nicht in UTF-8 gespeichert (z. B. als ANSI/Windows-1252); bitte im Editor als "
                "UTF-8 speichern und erneut ausführen – der Entwurf wurde nicht angefasst",
            )

    # ours: the clerk's version of each twin, or None where the twin is as anfrage left it
    md_ours: str | None = None
    if current is not None and current != new_md and current != base:
        legacy_unedited = base is None and disk.md is not None and sha256(disk.md) == disk.md_recorded
        if not legacy_unedited:
            md_ours = current
    docx_ours: str | None = None
    docx_text: str | None = None  # the Word file read back, where it is not the bytes anfrage wrote
    docx_keep = False  # the Word file holds more than its text (formatting made in Word): never lose it
    if disk.docx is not None and sha256(disk.docx) != disk.docx_recorded:
        try:
            docx_text = _read_back(disk.docx, base if base is not None else new_md, aenderungen)
        except AnfrageError as exc:
            if not force:
                return Plan(Commit(name, Status.AENDERUNGEN, old=old), exc.message)
            docx_keep = True  # replaced with --force: the unreadable or revised file is kept as a backup
        if docx_text is not None:
            if docx_text != new_md and docx_text != base and (base is not None or docx_text != current):
                docx_ours = docx_text
            else:  # the same text: are the bytes what anfrage writes for it, or formatted in Word?
                docx_keep = make_docx(docx_text) != disk.docx

    clerks: set[str] = set()  # twins kept as the clerk left them (not recorded as anfrage's)

    def files(text: str) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for suffix in suffixes:
            if suffix == "md":
                # a draft that differs only in line endings or a BOM stays as it is (git's CRLF checkout)
                out[suffix] = disk.md if disk.md is not None and current == text else text.encode("utf-8")
            elif docx_keep and disk.docx is not None and text == docx_text:
                out[suffix] = disk.docx  # the text is unchanged: the clerk's Word formatting stays
                clerks.add(suffix)
            else:
                out[suffix] = make_docx(text)
        return out

    def edited_backups(written: dict[str, bytes] | None = None) -> dict[str, bytes]:
        backups: dict[str, bytes] = {}
        if md_ours is not None and disk.md is not None:
            backups["md"] = disk.md
        replaced = written is None or written.get("docx", disk.docx) != disk.docx
        if disk.docx is not None and (docx_ours is not None or docx_keep) and replaced:
            backups["docx"] = disk.docx
        return backups

    formatting = (
        "In Word vorgenommene Formatierungen sind in der neuen Fassung nicht enthalten; Ihre Word-Datei ist gesichert"
    )

    if md_ours is None and docx_ours is None:
        written = files(new_md)
        if not old:
            status = Status.NEU
        elif all(old.get(s) == data for s, data in written.items()):
            status = Status.UNVERAENDERT
        else:
            status = Status.AKTUALISIERT
        backups = edited_backups(written)
        return Plan(
            Commit(name, status, written, base=new_md, backups=backups, markdown=new_md, old=old, clerks=clerks),
            formatting if "docx" in backups else None,
        )

    if force:
        return Plan(
            Commit(
                name, Status.GESICHERT, files(new_md), base=new_md, backups=edited_backups(), markdown=new_md, old=old
            )
        )

    if base is None:
        return Plan(
            Commit(name, Status.BEARBEITET, old=old),
            f"von Hand bearbeitet, aber die Basis zum Zusammenführen fehlt ({name}.md in .anfrage/basis/); "
            "mit --force ersetzen, die bearbeitete Fassung wird gesichert",
        )

    conflicts = 0
    if md_ours is not None and docx_ours is not None and md_ours != docx_ours:
        both = merge_drafts(base, md_ours, docx_ours)  # both twins edited: first one version of the clerk's
        ours: str = both.text
        conflicts = both.conflicts
    else:
        chosen = md_ours if md_ours is not None else docx_ours
        assert chosen is not None
        ours = chosen
    merged = merge_drafts(base, ours, new_md)
    conflicts += merged.conflicts
    written = files(merged.text)
    if conflicts:
        return Plan(
            Commit(
                name,
                Status.KONFLIKT,
                written,
                base=new_md,
                backups=edited_backups(),
                conflicts=conflicts,
                markdown=merged.text,
                old=old,
            )
        )
    unchanged = all(old.get(s) == data for s, data in written.items()) and base == new_md
    status = Status.UNVERAENDERT if unchanged else Status.ZUSAMMENGEFUEHRT
    backups = edited_backups(written) if docx_keep else {}
    return Plan(
        Commit(name, status, written, base=new_md, backups=backups, markdown=merged.text, old=old, clerks=clerks),
        formatting if "docx" in backups else None,
    )


__all__ = ["Aenderungen", "Plan", "plan", "text_of"]
