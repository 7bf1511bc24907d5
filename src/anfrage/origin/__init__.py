"""Where every line of a draft came from (``anfrage herkunft``; the basis of ``anfrage uebernehmen``).

Nothing is stored at render time. The draft's front matter names its series and region; the draft is
rendered again from the workspace as it is now, and every line of that render gets its origin:

* a **Textbaustein**: the renderer hands over the block each ``baustein()`` call gave
  (``Rendered.bausteine``); its lines are found in the render, and each sentence is traced to its
  line in the catalogue file (``data/programmes.yaml``) through the folded YAML block of ``text:``.
  A sentence that holds a value or the region's hub sentence (a ``{{ … }}`` of the Textbaustein)
  is marked ``daten``;
* a **question, the title or the Vorbemerkung of the Kleine Anfrage**: the Anfrage file (or, for a
  region whose Anfrage is not entered yet, the model text ``muster:`` of the series file);
* the **front matter**: the series file (with the Anfrage);
* everything else: the **template line** it matches – a line of fixed text, or a line whose fixed
  parts match around ``{{ … }}`` expressions (then ``daten``). The series' own template is tried
  first, then the skeleton and the other templates.

The draft on disk is then aligned with that render line by line (``difflib``): lines found
unchanged get the origin of their twin; lines the clerk changed or added are ``von Hand`` (a line
changed in place keeps the origin of the line it replaced, flagged ``geaendert``). When the
catalogue changed since the draft was written, its old lines no longer match and are reported as
such – never guessed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anfrage import markdown
from anfrage import models as m
from anfrage.draft import split_front_matter
from anfrage.errors import UserError
from anfrage.load.catalogue import Catalogue
from anfrage.load.series import Bundle, open_bundle
from anfrage.origin.templates import (
    _template_lines,
    _template_origin,
)
from anfrage.origin.types import (
    _LINE_BREAKS,
    _TAG,
    ANFRAGE,
    HAND,
    KOPF,
    MUSTER,
    TEXTBAUSTEIN,
    UNBEKANNT,
    VORLAGE,
    Origin,
    Render,
    TracedLine,
    unescape,
)
from anfrage.origin.yamlblock import (
    BlockScalar,
    block_scalar,
)
from anfrage.pipeline import open_workspace
from anfrage.render import Renderer
from anfrage.select import find_region, require_in_scope
from anfrage.yamlio import Document, load_yaml

__all__ = [
    "ANFRAGE",
    "BlockScalar",
    "HAND",
    "KOPF",
    "MUSTER",
    "Origin",
    "Render",
    "TEXTBAUSTEIN",
    "TracedLine",
    "UNBEKANNT",
    "VORLAGE",
    "block_scalar",
    "collapse_with_offsets",
    "draft_identity",
    "literal_mask",
    "open_render",
    "read_draft",
    "render_origins",
    "trace",
    "unescape",
]


# --------------------------------------------------------------------------------------------------
# rendering with origins


def draft_identity(text: str, display: str) -> tuple[str, str]:
    """Series and region named by a draft's front matter (``UserError`` when it names neither)."""
    meta, _body, _line = split_front_matter(text, display)
    serie, region = meta.get("serie"), meta.get("region")
    if not serie or not region:
        raise UserError(
            f"Der Kopf von „{display}“ nennt nicht „serie:“ und „region:“; die Herkunft der Absätze ist nicht "
            "zu bestimmen."
        )
    return str(serie), str(region)


def open_render(root: Path, serie: str, region: str) -> Render:
    """Render the draft of ``region`` in ``serie`` from the workspace at ``root``, with origins."""
    cat = open_workspace(root)
    if "/" in serie or "\\" in serie:
        raise UserError(f"Unbekannte Serie „{serie}“.")
    bundle = open_bundle(cat, serie)
    chosen = cat.regionen.get(region) or find_region(cat, region)
    return render_origins(Renderer(cat), bundle, chosen)


def _place(lines: list[str], block: list[str], start: int) -> int | None:
    """Index of the first occurrence of ``block`` in ``lines`` at or after ``start`` (else anywhere)."""
    n = len(block)
    if not n:
        return None
    for begin in (start, 0):
        for i in range(begin, len(lines) - n + 1):
            if lines[i] == block[0] and lines[i : i + n] == block:
                return i
    return None


def _normalised_lines(text: str) -> list[str]:
    return markdown.normalise(text).rstrip("\n").split("\n")


def literal_mask(source: str, rendered: str) -> tuple[list[bool], list[int | None]] | None:
    """For each character of ``rendered`` (a Textbaustein paragraph as rendered, whitespace collapsed):
    whether it is fixed text of ``source`` (the paragraph as written, collapsed) and its offset there."""
    pieces: list[tuple[str, str]] = []  # (kind, text): "t" fixed text, "e" expression, "s" statement/comment
    position = 0
    for tag in _TAG.finditer(source):
        if tag.start() > position:
            pieces.append(("t", source[position : tag.start()]))
        pieces.append(("e" if tag.group(0).startswith("{{") else "s", tag.group(0)))
        position = tag.end()
    if position < len(source):
        pieces.append(("t", source[position:]))
    regex = "".join("(.*?)" if kind == "e" else "" if kind == "s" else f"({re.escape(p)})" for kind, p in pieces)
    found = re.fullmatch(regex, rendered, flags=re.S)
    if found is None:
        return None
    mask = [False] * len(rendered)
    where: list[int | None] = [None] * len(rendered)
    group = 0
    src = 0
    for kind, piece in pieces:
        if kind != "s":
            group += 1
            a, b = found.span(group)
            for k in range(a, b):
                mask[k] = kind == "t"
                where[k] = src + (k - a) if kind == "t" else src  # a value: where its expression stands
        src += len(piece)
    return mask, where


def collapse_with_offsets(text: str) -> tuple[str, list[int]]:
    """``" ".join(text.split())`` and, for each of its characters, the offset in ``text``."""
    out: list[str] = []
    offsets: list[int] = []
    for match in re.finditer(r"\S+", text):
        if out:
            out.append(" ")
            offsets.append(match.start() - 1)
        out.append(match.group(0))
        offsets.extend(range(match.start(), match.end()))
    return "".join(out), offsets


@dataclass
class BausteinSource:
    """A Textbaustein's ``text:`` in its file: the block and, per paragraph, where it lies in the value."""

    file: str
    entry: str
    key_line: int
    block: BlockScalar | None
    urls: list[int]  # line of each url


def baustein_source(cat: Catalogue, pid: str, docs: dict[str, tuple[Document, list[str]]]) -> BausteinSource:
    loc = cat.locate("programm", pid)
    if loc.file not in docs:
        path = cat.root / loc.file
        doc = load_yaml(path, loc.file)
        docs[loc.file] = (doc, path.read_text(encoding="utf-8").split("\n"))
    doc, lines = docs[loc.file]
    index = next(
        (
            i
            for i, entry in enumerate(doc.data.get("programme", []) if isinstance(doc.data, dict) else [])
            if isinstance(entry, dict) and entry.get("id") == pid
        ),
        None,
    )
    if index is None:
        return BausteinSource(loc.file, pid, loc.line, None, [])
    key_line = doc.line_of(("programme", index, "text"))
    programm = cat.programme[pid]
    urls = [doc.line_of(("programme", index, "urls", j)) for j in range(len(programm.urls))]
    return BausteinSource(loc.file, pid, key_line, block_scalar(lines, key_line, "text", programm.text), urls)


def _baustein_lines(cat: Catalogue, pid: str, block: str, source: BausteinSource) -> list[tuple[str, Origin]] | None:
    """The normalised lines of a Textbaustein's block, each with its origin (None if it cannot be split)."""
    programm = cat.programme[pid]
    raw_paragraphs = block.split("\n\n")
    source_paragraphs = [p for p in programm.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    text_count = len([p for p in source_paragraphs if " ".join(p.split())])
    out: list[tuple[str, Origin]] = []
    value_base = 0
    value = source.block.value if source.block is not None else ""
    for k, paragraph in enumerate(raw_paragraphs):
        lines = _normalised_lines(paragraph)
        if k:
            out.append(("", Origin(TEXTBAUSTEIN, source.file, pid)))  # the empty line between paragraphs
        if k >= text_count:  # the links
            for j, line in enumerate(lines):
                url_line = source.urls[j] if j < len(source.urls) else source.key_line
                out.append((line, Origin(TEXTBAUSTEIN, source.file, pid, url_line, "Link")))
            continue
        src_para = source_paragraphs[k]
        collapsed_src, src_offsets = collapse_with_offsets(src_para)
        rendered = unescape(" ".join(lines))
        aligned = literal_mask(collapsed_src, rendered)
        para_start = value.find(src_para.strip(), value_base) if value else -1
        if para_start >= 0:
            value_base = para_start + len(src_para.strip())
        cursor = 0
        for line in lines:
            plain = unescape(line)
            at = rendered.find(plain, cursor)
            quelle = source.key_line
            daten = True
            if at >= 0 and aligned is not None:
                cursor = at + len(plain)
                mask, where = aligned
                span = range(at, at + len(plain))
                daten = not all(mask[i] for i in span)
                first = next((where[i] for i in span if where[i] is not None), None)
                if first is not None and source.block is not None and para_start >= 0:
                    inner = src_para.strip()
                    lead = len(src_para) - len(src_para.lstrip())
                    offset = src_offsets[first] - lead if first < len(src_offsets) else 0
                    quelle = source.block.line_at(para_start + max(0, min(offset, len(inner))))
            out.append((line, Origin(TEXTBAUSTEIN, source.file, pid, quelle, "", daten)))
    return out


def _yaml_line(lines: list[str], start: int, text: str) -> int:
    """The line at or after ``start`` (1-based) where ``text`` (data text) begins in a YAML value."""
    words = unescape(text).split()
    if not words or start < 1:
        return start
    stream: list[tuple[str, int]] = []
    for number in range(start, min(len(lines), start + 400) + 1):
        stream.extend((word.strip("\"'"), number) for word in lines[number - 1].split())
    for count in (6, 4, 2, 1):
        probe = [w.strip("\"'") for w in words[:count]]
        for i in range(len(stream) - len(probe) + 1):
            if all(stream[i + j][0] == probe[j] for j in range(len(probe))):
                return stream[i][1]
    return start


def render_origins(renderer: Renderer, bundle: Bundle, region: m.Region) -> Render:
    """Render ``region``'s draft and give each line of it its origin."""
    cat = renderer.cat
    require_in_scope(cat, bundle.serie, region)
    rendered = renderer.render(bundle, region)
    text = markdown.normalise(rendered.text)
    lines = text.rstrip("\n").split("\n")
    origins: list[Origin | None] = [None] * len(lines)

    def mark(block: list[tuple[str, Origin]], start: int = 0) -> int:
        at = _place(lines, [line for line, _ in block], start)
        if at is None:
            return start
        for j, (line, origin) in enumerate(block):
            if line.strip() and origins[at + j] is None:
                origins[at + j] = origin
        return at + len(block)

    # front matter
    if lines and lines[0] == "---" and "---" in lines[1:]:
        end = lines.index("---", 1)
        for i in range(end + 1):
            origins[i] = Origin(KOPF, bundle.file, None, None, "Kopf des Entwurfs (aus Serie und Kleiner Anfrage)")

    # Textbausteine, in the order the template asked for them
    docs: dict[str, tuple[Document, list[str]]] = {}
    cursor = 0
    for pid, block in rendered.bausteine:
        source = baustein_source(cat, pid, docs)
        traced = _baustein_lines(cat, pid, block, source)
        if traced is not None:
            cursor = mark(traced, cursor)

    # the Kleine Anfrage (or the model text of the series)
    aview = rendered.anfrage
    loaded = bundle.anfrage_for(region.id)
    if aview.muster or loaded is None:
        file, doc, art = bundle.file, bundle.doc, MUSTER

        def question_path(i: int) -> tuple[str | int, ...]:
            return ("muster", "fragen", i, "text")

        title_path: tuple[str | int, ...] = ("muster", "titel")
        vorbemerkung_path: tuple[str | int, ...] = ("muster", "vorbemerkung")
        numbers = [f.nr for f in bundle.serie.muster.fragen] if bundle.serie.muster else []
    else:
        file, doc, art = loaded.file, loaded.doc, ANFRAGE

        def question_path(i: int) -> tuple[str | int, ...]:
            return ("fragen", i, "text")

        title_path, vorbemerkung_path = ("titel",), ("vorbemerkung",)
        numbers = [f.nr for f in loaded.anfrage.fragen]
    file_lines = _file_lines(cat, file)
    for i, nr in enumerate(numbers):
        if nr not in aview.fragen:
            continue
        question = _LINE_BREAKS.sub(" ", aview.fragen[nr]).strip()  # as the renderer's frage() does
        key_line = doc.line_of(question_path(i))
        mark(
            [
                (line, Origin(art, file, None, key_line, f"Frage {nr}"))
                for line in _normalised_lines(f"{nr}. **{question}**")
            ]
        )
    mark(
        [
            (line, Origin(art, file, None, doc.line_of(title_path), "Titel"))
            for line in _normalised_lines(f"**{aview.titel}**")
        ]
    )
    start = doc.line_of(vorbemerkung_path)
    vorbemerkung = [
        (line, Origin(art, file, None, _yaml_line(file_lines, start, line) if line else start, "Vorbemerkung"))
        for line in _normalised_lines(aview.vorbemerkung)
    ]
    mark(vorbemerkung)

    # the rest: template lines
    index = _template_lines(cat.templates_dir, bundle.serie.vorlage)
    after: tuple[str, int] | None = None
    for i, line in enumerate(lines):
        if origins[i] is None and line.strip():
            origins[i] = _template_origin(line, index, after)
        found = origins[i]
        if found is not None and found.art == VORLAGE and found.datei and found.quellzeile:
            after = (found.datei, found.quellzeile)
    return Render(cat, renderer, bundle, region, rendered, text, lines, origins)


def _file_lines(cat: Catalogue, file: str) -> list[str]:
    try:
        return (cat.root / file).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def read_draft(path: Path, aenderungen: str | None = None) -> tuple[str, str | None]:
    """A draft as Markdown (a .md as it is, a .docx read back) and its base (the last render in
    ``.anfrage/basis/`` of its folder), or None where there is none.

    A Word draft with pending tracked changes is refused unless ``aenderungen`` is ``"annehmen"`` or
    ``"ablehnen"``; its comments are left out (``anfrage text`` shows them).
    """
    from anfrage.output import BASIS, text_of

    if not path.is_file():
        raise UserError(f"Die Datei „{path}“ gibt es nicht.")
    base_path = path.parent / BASIS / f"{path.stem}.md"
    base = text_of(base_path.read_bytes()) if base_path.is_file() else None
    suffix = path.suffix.lower()
    if suffix == ".md":
        return text_of(path.read_bytes()), base
    if suffix != ".docx":
        raise UserError(f"„{path}“ ist weder ein Entwurf (.md) noch eine Word-Datei (.docx).")
    from anfrage.docx.reader import docx_to_markdown

    twin = path.with_suffix(".md")
    front = base if base is not None else (text_of(twin.read_bytes()) if twin.is_file() else None)
    mode = aenderungen if aenderungen in ("annehmen", "ablehnen") else "fehler"
    text = docx_to_markdown(path, front_matter=front, aenderungen=mode, kommentare="ignorieren")  # type: ignore[arg-type]
    return text, base


def trace(draft_text: str, render: Render) -> list[TracedLine]:
    """Every non-empty line of ``draft_text`` with its origin, by alignment with ``render``."""
    draft_lines = draft_text.replace("\r\n", "\n").rstrip("\n").split("\n")
    matcher = difflib.SequenceMatcher(None, render.lines, draft_lines, autojunk=False)
    out: list[TracedLine] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            text = draft_lines[j]
            if not text.strip():
                continue
            origin: Origin | None
            changed = False
            if tag == "equal":
                origin = render.origins[i1 + (j - j1)]
            elif tag == "replace" and i2 - i1 == j2 - j1:
                origin = render.origins[i1 + (j - j1)]
                changed = True
            else:
                origin = Origin(HAND, hinweis="nicht in der Fassung aus Katalog und Vorlage")
            if origin is None:
                origin = Origin(UNBEKANNT, hinweis="keiner Vorlage und keinem Katalogeintrag zuzuordnen")
            out.append(TracedLine(j + 1, text, origin, changed))
    return out


def summary(origin: Origin) -> str:
    """A German phrase for an origin, e.g. „Textbaustein „digitalisierungsgutschein“ (data/programmes.yaml:45)“."""
    where = f"{origin.datei}:{origin.quellzeile}" if origin.datei and origin.quellzeile else origin.datei or ""
    if origin.art == TEXTBAUSTEIN:
        text = f"Textbaustein „{origin.eintrag}“"
    elif origin.art == VORLAGE:
        text = "Vorlage"
    elif origin.art == ANFRAGE:
        text = f"Kleine Anfrage ({origin.hinweis})" if origin.hinweis else "Kleine Anfrage"
    elif origin.art == MUSTER:
        text = f"Mustertext der Serie ({origin.hinweis})" if origin.hinweis else "Mustertext der Serie"
    elif origin.art == KOPF:
        text = "Kopf des Entwurfs"
    elif origin.art == HAND:
        return "von Hand (nicht aus Katalog oder Vorlage)"
    else:
        return "nicht zuzuordnen"
    if where:
        text += f" ({where})"
    if origin.daten:
        text += ", mit Daten"
    return text


def as_row(line: TracedLine) -> dict[str, Any]:
    """One JSON row of ``anfrage herkunft --json``."""
    o = line.origin
    return {
        "zeile": line.zeile,
        "art": o.art,
        "datei": o.datei,
        "eintrag": o.eintrag,
        "quellzeile": o.quellzeile,
        "hinweis": o.hinweis,
        "daten": o.daten,
        "geaendert": line.geaendert,
        "text": line.text,
    }
