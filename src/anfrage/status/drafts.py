"""What the output folder holds of one draft, read from disk – drafts are never rendered here.

The text of a draft is its ``.md``. Without one (``--format docx``), a Word file that anfrage wrote
and nobody changed says what its base says (``.anfrage/basis/NAME.md``); an edited Word file is
read as text, which shows its open items but not its questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from anfrage.draft import CONFLICT_START, count_placeholders
from anfrage.errors import AnfrageError, Problem
from anfrage.output import OnDisk, OutputFolder, sha256


@dataclass
class DraftState:
    """One draft as found: open items, hand edits, questions compared with the Anfrage."""

    name: str
    exists: bool = False
    platzhalter: int | None = None  # open placeholders and conflict blocks; None: no draft
    bearbeitet: bool | None = None  # None: no draft, or nothing to compare it with
    wortlaut: list[Problem] | None = None  # None: questions not compared
    problems: list[Problem] = field(default_factory=list)  # the draft could not be read

    def to_json(self) -> dict[str, Any]:
        def rows(problems: list[Problem]) -> list[list[Any]]:
            return [[p.file, p.line, p.key, p.message, p.severity] for p in problems]

        return {
            "vorhanden": self.exists,
            "platzhalter": self.platzhalter,
            "bearbeitet": self.bearbeitet,
            "wortlaut": None if self.wortlaut is None else rows(self.wortlaut),
            "probleme": rows(self.problems),
        }

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> DraftState:
        wortlaut = data["wortlaut"]
        return cls(
            name,
            exists=bool(data["vorhanden"]),
            platzhalter=data["platzhalter"],
            bearbeitet=data["bearbeitet"],
            wortlaut=None if wortlaut is None else [Problem(*p) for p in wortlaut],
            problems=[Problem(*p) for p in data["probleme"]],
        )


def open_items(text: str) -> int:
    """Open placeholders plus conflict blocks left by a merge."""
    return count_placeholders(text) + len(CONFLICT_START.findall(text))


def edited(disk: OnDisk) -> bool | None:
    """Whether a twin differs from what anfrage wrote last; None when that is not known.

    The .md is compared with its base (line endings and a BOM are no edit), the .docx with the
    sha256 recorded in the manifest.
    """
    known = False
    if disk.md is not None:
        if disk.base is not None:
            known = True
            if disk.md_text != disk.base:
                return True
        elif disk.md_recorded is not None:
            known = True
            if sha256(disk.md) != disk.md_recorded:
                return True
    if disk.docx is not None and disk.docx_recorded is not None:
        known = True
        if sha256(disk.docx) != disk.docx_recorded:
            return True
    return False if known else None


def read_draft(folder: OutputFolder, name: str, fragen: Sequence[tuple[int, str]]) -> DraftState:
    """The state of draft ``name`` in ``folder``; ``fragen`` are its Anfrage's questions."""
    state = DraftState(name)
    try:
        disk = folder.inspect(name)
    except (AnfrageError, OSError) as exc:
        message = exc.message if isinstance(exc, AnfrageError) else f"nicht lesbar ({exc.strerror})"
        state.problems.append(Problem(f"{name}.md", 0, "", message, "warnung"))
        return state
    if disk.md is None and disk.docx is None:
        return state
    state.exists = True
    state.bearbeitet = edited(disk)
    text = disk.md_text
    if text is None and disk.docx is not None and disk.base is not None and sha256(disk.docx) == disk.docx_recorded:
        text = disk.base  # an unchanged Word file is the render of its base
    if text is not None:
        from anfrage.guard import check_questions  # markdown-it only when a draft is read

        state.platzhalter = open_items(text)
        try:
            state.wortlaut = check_questions(text, fragen, f"{name}.md")
        except RecursionError:
            message = "Der Entwurf ist zu tief verschachtelt; die Fragen werden nicht verglichen."
            state.problems.append(Problem(f"{name}.md", 0, "", message, "warnung"))
    elif disk.docx is not None:
        from anfrage.docx.text import docx_to_text  # python-docx only for an edited Word file without .md

        try:
            state.platzhalter = open_items(docx_to_text(disk.docx))
        except AnfrageError as exc:
            state.problems.append(Problem(f"{name}.docx", 0, "", exc.message, "warnung"))
    return state
