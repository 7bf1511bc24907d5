"""One correction, the whole series (``anfrage uebernehmen``).

A clerk (or a co-signing ministry) corrected a draft – its .md or its .docx. :func:`plan` compares the
draft with what anfrage generated last (its base, ``.anfrage/basis/NAME.md``) paragraph by paragraph
and, for each changed paragraph, says where it came from (``anfrage.origin``) and in how many drafts
of the series the same paragraph stands. :func:`apply` writes what can be placed back to its source:

* a paragraph of a **Textbaustein** → the ``text:`` of its catalogue entry. The YAML holds the text as
  a folded block (``>-``) wrapped at some width, the draft one sentence per line: only the block's
  lines that hold the changed text are rewrapped, every other line, comment and the layout stay as
  they are (checked: the file read back gives the old data with just this text changed);
* a paragraph of fixed text of the **series' template** → those template lines.

What cannot be placed is reported, never guessed: a sentence made of fixed text and data (a region's
name, a value, the hub sentence – ``daten`` in ``anfrage.origin``), text of the Kleine Anfrage (it
stays in this draft: region-specific), paragraphs added or removed as a whole, text of templates
shared by other series, and lines whose origin is unknown (the catalogue changed since the render).

After writing, the draft's region is rendered again from the changed workspace; unless the corrected
paragraphs come out exactly as the clerk wrote them, every file is restored and the takeover fails.
The next ``anfrage batch`` then gives the correction to every draft of the series (the corrected
draft itself merges cleanly: the clerk and the catalogue made the same change).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anfrage import markdown
from anfrage.errors import AnfrageError, UserError
from anfrage.load.catalogue import Catalogue
from anfrage.load.series import Bundle
from anfrage.origin import (
    ANFRAGE,
    MUSTER,
    TEXTBAUSTEIN,
    VORLAGE,
    Origin,
    Render,
    TracedLine,
    baustein_source,
    collapse_with_offsets,
    draft_identity,
    literal_mask,
    open_render,
    read_draft,
    trace,
    unescape,
)
from anfrage.pipeline import make_draft
from anfrage.select import in_scope
from anfrage.takeover.apply import apply
from anfrage.takeover.types import (
    _JINJA,
    KATALOG,
    OFFEN,
    REGIONAL,
    VORLAGE_ZIEL,
    Change,
    Takeover,
    _TemplateEdit,
    _YamlEdit,
)
from anfrage.yamlio import Document

__all__ = ["KATALOG", "OFFEN", "REGIONAL", "VORLAGE_ZIEL", "Change", "Takeover", "apply", "as_row", "plan"]


# --------------------------------------------------------------------------------------------------
# paragraphs


@dataclass
class _Para:
    first: int  # 1-based line
    lines: list[str]


def _paragraphs(text: str) -> list[_Para]:
    """Paragraphs of a draft body (front matter excluded), each with its first line number."""
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    start = 0
    if lines and lines[0] == "---" and "---" in lines[1:]:
        start = lines.index("---", 1) + 1
    out: list[_Para] = []
    current: list[str] = []
    first = 0
    for number in range(start, len(lines)):
        line = lines[number]
        if line.strip():
            if not current:
                first = number + 1
            current.append(line)
        elif current:
            out.append(_Para(first, current))
            current = []
    if current:
        out.append(_Para(first, current))
    return out


def _pairs(base: str, ours: str) -> list[tuple[_Para | None, _Para | None]]:
    """Changed paragraphs: (generated, edited); one side None for a paragraph added or deleted."""
    old, new = _paragraphs(base), _paragraphs(ours)
    matcher = difflib.SequenceMatcher(
        None, ["\n".join(p.lines) for p in old], ["\n".join(p.lines) for p in new], autojunk=False
    )
    out: list[tuple[_Para | None, _Para | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            out += [(old[i1 + k], new[j1 + k]) for k in range(i2 - i1)]
            continue
        out += [(old[i], None) for i in range(i1, i2)]
        out += [(None, new[j]) for j in range(j1, j2)]
    return out


# --------------------------------------------------------------------------------------------------
# planning


def _common_affixes(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and (non-overlapping) common suffix of ``a`` and ``b``."""
    prefix = 0
    limit = min(len(a), len(b))
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[len(a) - 1 - suffix] == b[len(b) - 1 - suffix]:
        suffix += 1
    return prefix, suffix


def _changed_lines(old: list[str], new: list[str]) -> list[int]:
    """Indices of lines of ``old`` that the edit touches (for an insertion: its neighbours)."""
    touched: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, _j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:
            touched.update(k for k in (i1 - 1, i1) if 0 <= k < len(old))
        else:
            touched.update(range(i1, i2))
    return sorted(touched)


def _plan_baustein(
    cat: Catalogue, pid: str, old: list[str], new: list[str], docs: dict[str, tuple[Document, list[str]]]
) -> tuple[_YamlEdit | None, str]:
    """The edit of catalogue entry ``pid`` that turns paragraph ``old`` into ``new``, or a reason."""
    source = baustein_source(cat, pid, docs)
    where_text = f"{source.file}, Eintrag „{pid}“"
    if source.block is None:
        return None, f"der Text von {where_text} ist kein einfacher Block (text: >-); bitte von Hand ändern"
    if source.block.style != ">":
        return None, f"der Text von {where_text} ist ein wörtlicher Block (text: |); bitte von Hand ändern"
    value = source.block.value
    rendered_old = unescape(" ".join(old))
    rendered_new = unescape(" ".join(new))
    if markdown.normalise(markdown.escape_block(rendered_new)).rstrip("\n").split("\n") != new:
        return None, "der neue Absatz ergäbe aus dem Katalog nicht genau diese Zeilen (Satzgrenzen, Auszeichnung)"
    if _JINJA.search(rendered_new):
        return None, "der neue Text enthält Zeichen der Vorlagensprache ({{ … }}, {% … %})"
    paragraphs = [p for p in cat.programme[pid].text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    for paragraph in paragraphs:
        collapsed, offsets = collapse_with_offsets(paragraph)
        aligned = literal_mask(collapsed, rendered_old)
        if aligned is None:
            continue
        mask, where = aligned
        prefix, suffix = _common_affixes(rendered_old, rendered_new)
        start, end = prefix, len(rendered_old) - suffix
        span = range(max(0, start - 1), min(len(rendered_old), end + 1)) if start == end else range(start, end)
        if not all(mask[k] for k in span):
            return None, "der geänderte Text enthält Daten (einen Wert oder einen Satz zur Region)"
        base = value.find(paragraph.strip())
        lead = len(paragraph) - len(paragraph.lstrip())
        if base < 0:
            break

        def value_offset(k: int, where: list[int | None] = where, offsets: list[int] = offsets) -> int:
            at = where[k]
            assert at is not None
            return base + offsets[at] - lead  # noqa: B023  # used within this iteration only

        if start < end:
            v_start, v_end = value_offset(start), value_offset(end - 1) + 1
        elif start < len(rendered_old):
            v_start = v_end = value_offset(start)
        else:
            v_start = v_end = value_offset(start - 1) + 1
        replacement = rendered_new[start : len(rendered_new) - suffix]
        if " ".join(value[v_start:v_end].split()) != " ".join(rendered_old[start:end].split()):
            break
        return _YamlEdit(source.file, pid, v_start, v_end, replacement), f"{where_text} (Katalog)"
    return None, f"der Absatz lässt sich dem Text von {where_text} nicht Zeichen für Zeichen zuordnen"


def _plan_template(
    root: Path, bundle: Bundle, origins: list[Origin], old: list[str], new: list[str]
) -> tuple[_TemplateEdit | None, str]:
    file = origins[0].datei or ""
    series_template = f"templates/{bundle.serie.vorlage}"
    if any(o.datei != file for o in origins):
        return None, "der Absatz stammt aus mehreren Vorlagen"
    if file != series_template:
        return None, (
            f"der Text steht in {file}, einer Vorlage, die auch andere Serien verwenden; bitte dort von Hand ändern"
        )
    if any(_JINJA.search(line) for line in new):
        return None, "der neue Text enthält Zeichen der Vorlagensprache ({{ … }}, {% … %})"
    try:
        lines = (root / file).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None, f"{file} lässt sich nicht lesen"
    numbers = [o.quellzeile or 0 for o in origins]
    consecutive = all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))
    if consecutive and all(
        0 < n <= len(lines) and lines[n - 1].strip() == t for n, t in zip(numbers, old, strict=True)
    ):
        indent = lines[numbers[0] - 1][: len(lines[numbers[0] - 1]) - len(lines[numbers[0] - 1].lstrip())]
        return _TemplateEdit(file, numbers[0], numbers[-1], [indent + line.strip() for line in new]), file
    if len(old) != len(new):
        return None, f"die Sätze stehen in {file} nicht je Zeile; bitte dort von Hand ändern"
    edits: dict[int, str] = {}
    for number, a, b in zip(numbers, old, new, strict=True):
        if a == b:
            continue
        text = edits.get(number, lines[number - 1] if 0 < number <= len(lines) else "")
        if text.count(a.strip()) != 1:
            return None, f"der Satz steht in {file}, Zeile {number}, nicht genau einmal; bitte dort von Hand ändern"
        edits[number] = text.replace(a.strip(), b.strip())
    if len(edits) != 1:
        return None, f"die Änderung verteilt sich auf mehrere Zeilen von {file}; bitte dort von Hand ändern"
    ((number, text),) = edits.items()
    return _TemplateEdit(file, number, number, [text]), file


def _series_drafts(render: Render) -> list[str]:
    """The Markdown of every draft of the series (as rendered now)."""
    cat, bundle = render.cat, render.bundle
    out: list[str] = []
    for region in cat.regionen.values():
        if not in_scope(cat, bundle.serie, region):
            continue
        try:
            out.append(make_draft(render.renderer, bundle, region).markdown)
        except AnfrageError:
            continue
    return out


def plan(path: Path, root: Path, aenderungen: str | None = None) -> Takeover:
    """What changed in draft ``path`` against its base, and where each change can go."""
    ours, base = read_draft(path, aenderungen)
    if base is None:
        raise UserError(
            f"Zu „{path.name}“ fehlt die zuletzt erzeugte Fassung (.anfrage/basis/{path.stem}.md im Ordner des "
            "Entwurfs); ohne sie ist nicht zu erkennen, was geändert wurde."
        )
    serie, region = draft_identity(base, path.name)
    render = open_render(root, serie, region)
    traced: dict[int, TracedLine] = {t.zeile: t for t in trace(base, render)}
    result = Takeover(str(path), serie, render.region.name, root=root)
    pairs = _pairs(base, ours)
    if not pairs:
        return result
    drafts = _series_drafts(render)
    docs: dict[str, tuple[Document, list[str]]] = {}
    for old_para, new_para in pairs:
        old = old_para.lines if old_para else []
        new = new_para.lines if new_para else []
        change = Change(
            old,
            new,
            old_para.first if old_para else 0,
            new_para.first if new_para else 0,
            OFFEN,
            None,
            "",
            von=len(drafts),
        )
        result.changes.append(change)
        if old_para is None:
            change.ziel, change.grund = REGIONAL, "neuer Absatz, von Hand eingefügt: bleibt in diesem Entwurf"
            continue
        origins = [traced[old_para.first + i].origin if old_para.first + i in traced else None for i in range(len(old))]
        touched_at = _changed_lines(old, new) if new_para is not None else list(range(len(old)))
        touched_lines = [old[i] for i in touched_at] or old
        change.anzahl = sum(1 for text in drafts if all(f"\n{line}\n" in "\n" + text for line in touched_lines))
        known = [o for o in origins if o is not None]
        first_touched = origins[touched_at[0]] if touched_at else None
        change.herkunft = first_touched or (known[0] if known else None)
        if new_para is None:
            change.grund = "Absatz gestrichen: das lässt sich nicht für die ganze Serie übernehmen"
            continue
        if len(known) != len(origins) or any(o.art in ("unbekannt", "von Hand") for o in known):
            change.grund = (
                "Herkunft unbekannt (Katalog oder Vorlage wurden seit der Erzeugung geändert, oder der Absatz wurde "
                "schon vorher von Hand geändert)"
            )
            continue
        arts = {o.art for o in known}
        touched = [known[i] for i in touched_at]
        if arts & {ANFRAGE, MUSTER}:
            change.ziel, change.grund = REGIONAL, "Text der Kleinen Anfrage: bleibt in diesem Entwurf"
            continue
        with_data = [old[i] for i, o in zip(touched_at, touched, strict=True) if o.daten]
        if with_data:
            sentence = with_data[0] if len(with_data[0]) <= 70 else with_data[0][:69] + "…"
            if change.anzahl <= 1:
                change.ziel = REGIONAL
                change.grund = f"der Satz „{sentence}“ gehört nur zu diesem Entwurf (Daten der Region)"
            else:
                change.grund = (
                    f"der Satz „{sentence}“ besteht aus festem Text und Daten (z. B. dem Namen der Region oder einem "
                    "Wert); bitte im Katalog oder in der Vorlage von Hand ändern"
                )
            continue
        edit: _YamlEdit | _TemplateEdit | None
        if arts == {TEXTBAUSTEIN} and len({o.eintrag for o in known}) == 1 and not any(o.hinweis for o in known):
            edit, reason = _plan_baustein(render.cat, str(known[0].eintrag), old, new, docs)
        elif arts == {VORLAGE}:
            edit, reason = _plan_template(root, render.bundle, known, old, new)
        else:
            edit, reason = None, "der Absatz stammt aus mehreren Quellen"
        if edit is None:
            change.grund = reason
            continue
        change.edit = edit
        change.ziel = KATALOG if isinstance(edit, _YamlEdit) else VORLAGE_ZIEL
        change.grund = reason
    return result


def as_row(change: Change) -> dict[str, Any]:
    """A change as JSON for ``anfrage uebernehmen --json``."""
    o = change.herkunft
    return {
        "zeile": change.zeile_neu or change.zeile_alt,
        "ziel": change.ziel,
        "grund": change.grund,
        "datei": o.datei if o else None,
        "eintrag": o.eintrag if o else None,
        "quellzeile": o.quellzeile if o else None,
        "anzahl": change.anzahl,
        "von": change.von,
        "alt": change.alt,
        "neu": change.neu,
        "geschrieben": change.geschrieben,
    }
