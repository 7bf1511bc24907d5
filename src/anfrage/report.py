"""The review report of a batch run (``anfrage batch --bericht``), in German Markdown.

Reviewers read a series of near-identical drafts once, not 53 times: the passages (paragraph
blocks of the Markdown body, separated by blank lines) that are identical in all drafts are shown
once, and for each region only the passages that differ. A table lists the open placeholders of
each draft. The report depends on the drafts only (no time stamps): same drafts, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from anfrage import draft as contract
from anfrage import markdown
from anfrage import models as m


class ReportItem(Protocol):
    """What the report needs of a region's outcome (``batch.RegionResult`` is one)."""

    @property
    def region(self) -> m.Einheit: ...

    @property
    def markdown(self) -> str: ...

    @property
    def error(self) -> str | None: ...


KINDS = ("ERGÄNZEN", "MUSTERTEXT", "PRÜFEN")


def passages(draft: str) -> list[str]:
    """The paragraph blocks of a draft's body (front matter left out), in order."""
    _, body, _ = contract.split_front_matter(draft)
    return [block.strip("\n") for block in body.split("\n\n") if block.strip()]


def common_passages(drafts: Sequence[str]) -> list[str]:
    """Passages found in every draft, in the order of the first draft, each once."""
    if not drafts:
        return []
    shared = set(passages(drafts[0]))
    for draft in drafts[1:]:
        shared &= set(passages(draft))
    seen: set[str] = set()
    ordered = []
    for block in passages(drafts[0]):
        if block in shared and block not in seen:
            seen.add(block)
            ordered.append(block)
    return ordered


def placeholder_counts(draft: str) -> dict[str, int]:
    """Open placeholders of a draft by kind (ERGÄNZEN, MUSTERTEXT, PRÜFEN)."""
    counts = dict.fromkeys(KINDS, 0)
    for match in contract.PLACEHOLDER.finditer(draft):
        counts[match.group(1)] += 1
    return counts


def _quote(block: str) -> str:
    """A passage as a block quote, so headings and lists of the draft keep the report's outline."""
    return "\n".join(f"> {line}" if line else ">" for line in block.split("\n"))


def _cell(text: str) -> str:
    return markdown.escape_cell(text).replace("|", "\\|")


def _section_of(blocks: list[str], index: int) -> str | None:
    """The heading (without #) under which block ``index`` stands, if any."""
    for block in reversed(blocks[:index]):
        if block.startswith("#"):
            return block.lstrip("#").strip()
    return None


def report_markdown(
    serie: m.Serie,
    results: Sequence[ReportItem],
    *,
    outside: Sequence[m.Einheit] = (),
    scope: str = "",
) -> str:
    """The review report of the drafts in ``results`` (regions in the given order)."""
    drafts = [r for r in results if r.error is None and r.markdown]
    failed = [r for r in results if r.error is not None]
    n = len(drafts)
    common = common_passages([r.markdown for r in drafts])
    common_set = set(common)

    lines: list[str] = [
        f"# Prüfbericht: {markdown.escape(serie.titel)}",
        "",
        f"Serie „{serie.id}“ – {n} {'Entwurf' if n == 1 else 'Entwürfe'}.",
        "Der gemeinsame Text steht einmal; je Region folgt nur, was von ihm abweicht.",
        "Von Hand bearbeitete Entwürfe, die nicht ersetzt wurden, sind hier in der von anfrage erzeugten Fassung "
        "berücksichtigt.",
    ]
    if outside:
        regions = "Region" if len(outside) == 1 else "Regionen"
        lines += ["", f"Außerhalb des Geltungsbereichs ({scope}) und nicht erstellt: {len(outside)} {regions}."]

    lines += ["", "## Offene Platzhalter", ""]
    if drafts:
        lines += ["| Region | ERGÄNZEN | MUSTERTEXT | PRÜFEN | gesamt |", "|---|--:|--:|--:|--:|"]
        totals = dict.fromkeys(KINDS, 0)
        for r in drafts:
            counts = placeholder_counts(r.markdown)
            for kind in KINDS:
                totals[kind] += counts[kind]
            cells = [str(counts[k]) for k in KINDS]
            lines.append(f"| {_cell(r.region.name)} | {' | '.join(cells)} | {sum(counts.values())} |")
        cells = [str(totals[k]) for k in KINDS]
        lines.append(f"| **Summe** | {' | '.join(cells)} | {sum(totals.values())} |")
    else:
        lines.append("Keine Entwürfe erstellt.")

    if failed:
        lines += ["", "## Nicht erstellt", ""]
        lines += [f"- {markdown.escape(r.region.name)}: {markdown.escape(r.error or '')}" for r in failed]

    if drafts:
        lines += ["", "## Gemeinsamer Text" + (f" (in allen {n} Entwürfen gleich)" if n > 1 else ""), ""]
        lines.append(
            "\n\n".join(_quote(block) for block in common) if common else "Kein Absatz ist in allen Entwürfen gleich."
        )
        lines += ["", "## Abweichungen je Region"]
        for r in drafts:
            blocks = passages(r.markdown)
            lines += ["", f"### {markdown.escape(r.region.name)}", ""]
            own = [(i, b) for i, b in enumerate(blocks) if b not in common_set]
            if not own:
                lines.append("Keine Abweichungen vom gemeinsamen Text.")
                continue
            parts: list[str] = []
            last_section: str | None = None
            for i, block in own:
                section = _section_of(blocks, i)
                if section is not None and section != last_section:
                    parts.append(f"*Abschnitt „{section}“:*")
                    last_section = section
                parts.append(_quote(block))
            lines.append("\n\n".join(parts))
    return "\n".join(lines).rstrip("\n") + "\n"
