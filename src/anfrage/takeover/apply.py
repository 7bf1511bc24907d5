"""Writing corrections back: a Textbaustein's folded block rewrapped line by line, or the series'
template; verified by rendering again, restored otherwise."""

from __future__ import annotations

import difflib

from anfrage.errors import UserError
from anfrage.origin import (
    block_scalar,
    render_origins,
)
from anfrage.output import atomic_write
from anfrage.pipeline import open_workspace
from anfrage.render import Renderer
from anfrage.takeover.types import (
    Change,
    Takeover,
    _TemplateEdit,
    _YamlEdit,
)
from anfrage.yamlio import parse_yaml

# --------------------------------------------------------------------------------------------------
# writing


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap at single spaces (the text has no double spaces)."""
    rows: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            rows.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        rows.append(current)
    return rows


def _apply_yaml(text: str, edit: _YamlEdit) -> str:
    """``text`` (a catalogue file) with the edit applied to entry ``edit.entry``: only the lines of the
    folded block that hold the changed text are rewrapped."""
    doc = parse_yaml(text, edit.file)
    entries = doc.data.get("programme", []) if isinstance(doc.data, dict) else []
    index = next((i for i, e in enumerate(entries) if isinstance(e, dict) and e.get("id") == edit.entry), None)
    if index is None:
        raise UserError(f"Eintrag „{edit.entry}“ nicht mehr in {edit.file}.")
    value = entries[index].get("text")
    lines = text.split("\n")
    block = block_scalar(lines, doc.line_of(("programme", index, "text")), "text", value)
    if block is None or not isinstance(value, str):
        raise UserError(f"Der Text von „{edit.entry}“ in {edit.file} ist kein einfacher Block mehr.")
    first, last = block.rows_spanning(edit.start, max(edit.start, edit.end - 1))
    if any(not row for row in block.rows[first : last + 1]):
        raise UserError(f"Die Änderung von „{edit.entry}“ reicht über einen Absatz hinaus; bitte von Hand ändern.")
    row_start = block.starts[first]
    row_last = block.starts[last]
    assert row_start is not None and row_last is not None
    row_end = row_last + len(block.rows[last])
    new_value = value[: edit.start] + edit.new + value[edit.end :]
    joined = new_value[row_start : row_end + len(edit.new) - (edit.end - edit.start)]
    if "  " in joined or joined != joined.strip() or "\n" in joined:
        raise UserError(f"Der neue Text von „{edit.entry}“ enthält doppelte Leerzeichen oder Zeilenumbrüche.")
    width = max(max(block.indent + len(row) for row in block.rows), 60)
    rows = _wrap(joined, width - block.indent)
    at = block.first_line - 1 + first
    lines[at : block.first_line + last] = [" " * block.indent + row for row in rows]
    new_text = "\n".join(lines)
    # what the file says now: the old data with exactly this text changed
    check = parse_yaml(new_text, edit.file)
    expected = parse_yaml(text, edit.file).data
    expected["programme"][index]["text"] = new_value
    if check.problems or check.data != expected:
        raise UserError(f"Die Änderung von „{edit.entry}“ in {edit.file} ließ sich nicht sicher schreiben.")
    return new_text


def _describe(first: int, last: int) -> str:
    return f"Zeile {first}" if first == last else f"Zeilen {first}–{last}"


def apply(takeover: Takeover) -> Takeover:
    """Write every placeable change into its catalogue entry or template; verify by rendering again.

    Raises ``UserError`` (and restores every file) when the new render does not show the corrections.
    """
    root = takeover.root
    placed = [c for c in takeover.changes if c.edit is not None]
    if not placed:
        return takeover
    originals: dict[str, str] = {}
    texts: dict[str, str] = {}

    def current(file: str) -> str:
        if file not in texts:
            originals[file] = texts[file] = (root / file).read_text(encoding="utf-8")
        return texts[file]

    # template edits bottom-up, YAML edits of one entry back to front: earlier offsets stay valid
    def order(change: Change) -> tuple[int, int]:
        edit = change.edit
        if isinstance(edit, _TemplateEdit):
            return 0, -edit.first
        assert isinstance(edit, _YamlEdit)
        return 1, -edit.start

    for change in sorted(placed, key=order):
        edit = change.edit
        before = current(edit.file).split("\n") if edit is not None else []
        if isinstance(edit, _TemplateEdit):
            lines = list(before)
            lines[edit.first - 1 : edit.last] = edit.lines
            texts[edit.file] = "\n".join(lines)
        elif isinstance(edit, _YamlEdit):
            texts[edit.file] = _apply_yaml(current(edit.file), edit)
        if edit is not None:
            after = texts[edit.file].split("\n")
            matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
            changed = [j for tag, _a, _b, j1, j2 in matcher.get_opcodes() if tag != "equal" for j in range(j1, j2)]
            where = _describe(changed[0] + 1, changed[-1] + 1) if changed else "unverändert"
            change.geschrieben = f"{edit.file}, {where}"
    for file, text in texts.items():
        atomic_write(root / file, text.encode("utf-8"))
    try:
        _verify(takeover, placed)
    except BaseException:
        for file, text in originals.items():
            atomic_write(root / file, text.encode("utf-8"))
        for change in placed:
            change.geschrieben = ""
        raise
    takeover.written = sorted(texts)
    return takeover


def _verify(takeover: Takeover, placed: list[Change]) -> None:
    serie = takeover.serie
    cat = open_workspace(takeover.root)
    from anfrage.load.series import open_bundle

    bundle = open_bundle(cat, serie)
    region = next(r for r in cat.regionen.values() if r.name == takeover.region)
    render = render_origins(Renderer(cat), bundle, region)
    text = "\n" + "\n".join(render.lines) + "\n"
    missing = [c for c in placed if "\n" + "\n".join(c.neu) + "\n" not in text]
    if missing:
        first = missing[0]
        raise UserError(
            "Nach dem Übernehmen ergibt der Katalog nicht den korrigierten Absatz "
            f"(„{first.neu[0][:60]}…“); nichts wurde geändert."
        )
