"""Property-based tests: arbitrary text never crashes a stage, and what a stage returns keeps its words.

Every property asserts something about the result, not only that there is one: normalising keeps
every non-blank character, escaped data text reads back as itself, a rendered draft carries the
Anfrage's questions, title and preamble word for word, the DOCX holds every paragraph of its
Markdown in order with exactly the questions styled "Frage" and the placeholders styled
"Platzhalter", and the importer returns a well-formed record.

Link syntax in data text ("[x](y)", "[x]: y") is left out of the generated text: it is a known bug
(``markdown.escape`` does not escape brackets, see the xfail tests below), and a property that finds
it on some runs only would make the suite flaky.

Examples are kept modest (the suite must stay fast); no timing assertions. ``ANFRAGE_EXAMPLES``
raises the number of examples for a deeper search by hand.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from docx.oxml.ns import qn
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from anfrage import draft as contract
from anfrage import markdown
from anfrage import models as m
from anfrage.errors import AnfrageError, CatalogueError, Problem
from anfrage.load.catalogue import validate
from anfrage.load.series import Bundle, LoadedAnfrage
from anfrage.pipeline import make_draft
from anfrage.render import Renderer
from anfrage.yamlio import parse_yaml
from conftest import ROOT

# ANFRAGE_EXAMPLES=5000 for a deeper search by hand.
SETTINGS = settings(
    max_examples=int(os.environ.get("ANFRAGE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Characters Markdown, YAML and the sentence splitter care about, mixed with arbitrary ones.
_SPECIAL = list("*_`\\[]<>|#-+=.,;:!?()„“\"' \n\t\r0123456789") + [
    "1. ",
    "- ",
    "**",
    "[[ERGÄNZEN: x]]",
    "---",
    "\u00a0",
    "z. B.",
    "Nr. 5",
]
TEXT = st.lists(st.one_of(st.sampled_from(_SPECIAL), st.characters(), st.text(max_size=5)), max_size=40).map("".join)
# Without control characters (which the loader rejects): lets most examples reach the renderer.
PRINTABLE = st.characters(exclude_categories=("Cc", "Cs"))
CLEAN = st.lists(st.one_of(st.sampled_from(_SPECIAL), PRINTABLE, st.text(PRINTABLE, max_size=5)), max_size=40).map(
    "".join
)
FIELD = st.one_of(CLEAN, CLEAN, CLEAN, TEXT)

# "[x](y)", "[x][y]", "[x]: y" and "![x](y)": Markdown link syntax that escape() lets through (known bug).
_LINK_SYNTAX = re.compile(r"\]\s*[(\[:]")


def _no_link_syntax(text: str) -> bool:
    return not _LINK_SYNTAX.search(text)


def _inline_text(children: list[Token] | None) -> str:
    """Plain text of inline tokens as the DOCX writer lays it out (hard break → "\n")."""
    parts: list[str] = []
    for token in children or []:
        if token.type == "softbreak":
            parts.append(" ")
        elif token.type == "hardbreak":
            parts.append("\n")
        elif token.type == "image":
            parts.append(_inline_text(token.children))
        elif token.type in ("text", "code_inline", "text_special", "html_inline"):
            parts.append(token.content)
    return "".join(parts)


def _plain_text(draft_markdown: str) -> str:
    """All inline text of a draft's body, whitespace collapsed: what a reader of the draft sees."""
    _, body, _ = contract.front_matter_block(draft_markdown)
    inline = [_inline_text(t.children) for t in contract.parser().parse(body) if t.type == "inline"]
    return " ".join(" ".join(inline).split())


# --- markdown.normalise -------------------------------------------------------------------------


@SETTINGS
@given(TEXT)
def test_normalise_is_idempotent_and_never_raises(text: str) -> None:
    once = markdown.normalise(text)
    assert markdown.normalise(once) == once
    assert once.endswith("\n") and not once.endswith("\n\n") or once == "\n"
    assert "\r" not in once
    assert all(line == line.rstrip() for line in once.split("\n"))
    # Only whitespace changes and backslashes are added (escaping a line start such as "1."):
    # no character of the text is lost, added or reordered.
    assert "".join(once.split()).replace("\\", "") == "".join(text.split()).replace("\\", "")


@SETTINGS
@given(TEXT)
def test_escaped_text_keeps_its_words(text: str) -> None:
    """Escaping changes markup characters only; the words stay (what the guard relies on)."""
    escaped = markdown.escape(text)
    assert escaped.replace("\\", "") == text.replace("\\", "")


@SETTINGS
@given(CLEAN.filter(_no_link_syntax))
@example("Bürger*innen_a `b` <c> | &amp; \\ *x*")
def test_escaped_text_reads_back_as_itself(text: str) -> None:
    """What a template puts into a sentence comes out of the Markdown parser unchanged."""
    words = " ".join(text.split())
    tokens = contract.parser().parseInline(f"Vorher {markdown.escape(words)} nachher")
    assert _inline_text(tokens[0].children) == f"Vorher {words} nachher"


@pytest.mark.parametrize("text", ["Was kostet [das](https://example.org) Projekt?", "Gilt ![Bild](x.png) noch?"])
def test_link_syntax_in_data_text_stays_text(text: str) -> None:
    tokens = contract.parser().parseInline(markdown.escape(text))
    assert _inline_text(tokens[0].children) == text


# --- arbitrary text in an Anfrage, rendered ------------------------------------------------------


@pytest.fixture(scope="module")
def digital(catalogue) -> tuple[Renderer, Bundle]:
    from anfrage.load.series import open_bundle

    return Renderer(catalogue), open_bundle(catalogue, ROOT / "data" / "anfragen" / "digitalisierung-2018.yaml")


def _anfrage_from_yaml(frage: str, vorbemerkung: str, titel: str) -> LoadedAnfrage:
    """The path a clerk's file takes: YAML text → safe loader (limits) → model validation."""
    record = {
        "serie": "digitalisierung-2018",
        "wahlperiode": 17,
        "nummer": 1640,
        "abgeordnete": [{"name": "Matthi Bolte-Richter", "geschlecht": "m"}],
        "fraktion": "BÜNDNIS 90/DIE GRÜNEN",
        "titel": titel,
        "vorbemerkung": vorbemerkung,
        "fragen": [{"nr": 1, "text": frage}] + [{"nr": n, "text": f"Frage {n}?"} for n in range(2, 6)],
        "regionen": ["bochum"],
    }
    text = yaml.safe_dump(record, allow_unicode=True)
    name = "data/anfragen/digitalisierung-2018/ka-1640-bochum.yaml"
    doc = parse_yaml(text, name)
    if doc.problems:
        raise CatalogueError(doc.problems)
    problems: list[Problem] = []
    anfrage = validate(m.Anfrage, doc.data, doc, (), problems)
    if anfrage is None:
        raise CatalogueError(problems)
    return LoadedAnfrage(anfrage, name, doc)


@SETTINGS
@given(
    frage=FIELD.filter(_no_link_syntax),
    vorbemerkung=FIELD.filter(_no_link_syntax),
    titel=FIELD.filter(_no_link_syntax),
)
@example(
    frage="Wie viele *Sterne* und `Zeichen` hat Frage 1?",
    vorbemerkung="Die Zebraquagga-Studie 1. Teil beginnt.\n\n# Keine Überschrift, sondern Text.",
    titel="Digitalisierung <in> Bochum | 2018",
)
def test_arbitrary_anfrage_text_gives_a_guarded_draft_or_an_error(
    digital, catalogue, frage: str, vorbemerkung: str, titel: str
) -> None:
    """Text that passes validation always gives a draft, and the draft keeps its words.

    Only validation may refuse the text (empty fields, control characters): a template error or a
    question the guard would reject means the renderer changed data text.
    """
    from anfrage.guard import check_questions

    renderer, bundle = digital
    try:
        loaded = _anfrage_from_yaml(frage, vorbemerkung, titel)
    except CatalogueError:
        return
    test_bundle = Bundle(bundle.serie, bundle.file, [loaded], bundle.doc)
    draft = make_draft(renderer, test_bundle, catalogue.regionen["bochum"])
    anfrage = loaded.anfrage
    assert check_questions(draft.markdown, draft.fragen, "entwurf.md") == []
    # the same, independently of the guard: the questions as a reader of the draft sees them
    found = [(nr, contract.normalise_question(text)) for nr, text, _line in contract.questions_in_draft(draft.markdown)]
    assert found == [(f.nr, contract.normalise_question(f.text)) for f in anfrage.fragen]
    shown = _plain_text(draft.markdown)
    assert " ".join(anfrage.titel.split()) in shown
    if anfrage.vorbemerkung:
        assert " ".join(anfrage.vorbemerkung.split()) in shown
    assert markdown.normalise(draft.markdown) == draft.markdown


# --- Markdown → DOCX -------------------------------------------------------------------------------

FRONT = (
    "---\nwahlperiode: 17\ndrucksache: 17/1\ndatum: 28.11.2018\ntitel: Titel\nressort: Ressort\n"
    "antwortdatum: 2018-11-28\n---\n\n"
)

_W_P, _W_R, _W_T, _W_TAB, _W_BR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br")
_W_PSTYLE, _W_RSTYLE, _W_VAL = qn("w:pStyle"), qn("w:rStyle"), qn("w:val")

# Blocks of a draft, so that questions, lists, tables and placeholders occur in most examples.
_WORDS = CLEAN.map(lambda t: " ".join(t.split())).filter(bool)
_BLOCK = st.one_of(
    _WORDS,
    _WORDS.map(lambda t: "# " + t),
    _WORDS.map(lambda t: "## " + t),
    st.builds(lambda n, t: f"{n}. **{t}**", st.integers(1, 12), _WORDS.map(lambda t: t.replace("*", "x"))),
    st.builds(lambda a, b: f"- {a}\n- {b}", _WORDS, _WORDS),
    st.builds(lambda a, b: f"| {a} | Wert |\n|---|--:|\n| {b} | 1 |", _WORDS, _WORDS),
    st.builds(
        lambda kind, t, rest: f"{rest} [[{kind}: {t}]] {rest}",
        st.sampled_from(["ERGÄNZEN", "MUSTERTEXT", "PRÜFEN"]),
        _WORDS.map(lambda t: t.replace("]", ")")),
        _WORDS,
    ),
)
DRAFT_BODY = st.lists(_BLOCK, max_size=12).map("\n\n".join)


@pytest.fixture(scope="module")
def docx_writer():
    return importlib.import_module("anfrage.docx.writer")


def _markdown_blocks(text: str) -> tuple[list[str], int]:
    """What the DOCX must show of a draft: the text of every paragraph-like block in order, and
    the number of questions (ordered-list items whose only content is one all-bold paragraph)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _, body, _ = contract.front_matter_block(text)
    tokens = contract.parser().parse(body)
    blocks: list[str] = []
    questions = 0
    for i, token in enumerate(tokens):
        if token.type == "inline":
            blocks.append(_inline_text(token.children))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.removesuffix("\n"))
        elif (
            token.type == "list_item_open"
            and token.markup in (".", ")")
            and [t.type for t in tokens[i + 1 : i + 5]]
            == ["paragraph_open", "inline", "paragraph_close", "list_item_close"]
            and contract.is_question_inline(tokens[i + 2].children or [])
        ):
            questions += 1
    return [b for b in blocks if b], questions


def _docx_paragraphs(data: bytes) -> list[tuple[str, str, str]]:
    """(style name, text, text of the runs styled "Platzhalter") of every body paragraph after the
    page-1 block, table cells included, in document order."""
    import docx

    document = docx.Document(io.BytesIO(data))
    names = {style.style_id: style.name for style in document.styles}
    out = []
    for p in document.element.body.iter(_W_P):
        pstyle = p.find(f"{qn('w:pPr')}/{_W_PSTYLE}")
        style = names.get(pstyle.get(_W_VAL), "") if pstyle is not None else ""
        if style == "Kopf":
            continue
        text, marked = [], []
        for run in p.iter(_W_R):
            rstyle = run.find(f"{qn('w:rPr')}/{_W_RSTYLE}")
            parts = []
            for el in run:
                if el.tag == _W_T:
                    parts.append(el.text or "")
                elif el.tag == _W_TAB:
                    parts.append("\t")
                elif el.tag == _W_BR:
                    parts.append("\n")
            text += parts
            if rstyle is not None and names.get(rstyle.get(_W_VAL)) == "Platzhalter":
                marked += parts
        out.append((style, "".join(text), "".join(marked)))
    return out


@SETTINGS
@given(st.one_of(TEXT, TEXT.map(lambda body: FRONT + body), DRAFT_BODY.map(lambda body: FRONT + body)))
@example(FRONT + "1. **Wie viele?**\n\nZwei.\n\n2) **Und [[ERGÄNZEN: Ort]]?**\n\n- a\n- b [[PRÜFEN: c]]\n")
@example(
    FRONT + "Zeile eins  \nZeile zwei\\\nZeile `drei`\n\n```\nCode\tmit Tab\n```\n\n"
    "| Projekt | Betrag |\n|---|--:|\n| *A* | [[ERGÄNZEN: Betrag]] |\n\n> Zitat\n\n---\n\n<https://www.land.nrw>\n"
)
def test_arbitrary_markdown_gives_a_docx_or_an_error(docx_writer, text: str) -> None:
    """The DOCX says what the Markdown says: every paragraph's text in order, the questions styled
    "Frage" and nothing else, each placeholder styled "Platzhalter" and nothing else."""
    try:
        data = docx_writer.markdown_to_docx(text)
    except AnfrageError:
        return
    blocks, questions = _markdown_blocks(text)
    paragraphs = _docx_paragraphs(data)

    position = 0
    for block in blocks:  # each block is a paragraph (after its list marker and tab), in order
        while position < len(paragraphs) and not paragraphs[position][1].endswith(block):
            position += 1
        assert position < len(paragraphs), f"missing in the DOCX, or out of order: {block!r}"
        position += 1

    assert sum(1 for style, _, _ in paragraphs if style == "Frage") == questions
    for _style, shown, marked in paragraphs:
        assert marked == "".join(m.group(0) for m in contract.PLACEHOLDER.finditer(shown))
    placeholders = sum(len(contract.placeholders(b)) for b in blocks)
    assert sum(len(contract.placeholders(shown)) for _, shown, _ in paragraphs) == placeholders


def test_golden_draft_in_docx_has_its_questions_and_placeholders(docx_writer) -> None:
    """A fixed example of the property above that must reach its assertions."""
    text = (ROOT / "tests" / "golden" / "digitalisierung-2018-bochum.md").read_text(encoding="utf-8")
    paragraphs = _docx_paragraphs(docx_writer.markdown_to_docx(text))
    frage = [shown for style, shown, _ in paragraphs if style == "Frage"]
    # the numbers are Word numbering, not text (tests/test_docx.py checks them)
    assert frage == [t for _, t, _ in contract.questions_in_draft(text)]
    _, body, _ = contract.front_matter_block(text)
    marked = [m for _, _, m in paragraphs if m]
    assert sum(len(contract.placeholders(m)) for m in marked) == contract.count_placeholders(body) == 2


def test_guard_and_docx_agree_on_questions_in_a_code_fence(docx_writer) -> None:
    text = FRONT + "```\n\n1. **Frage?**\n\n```\n"
    styled = [shown for style, shown, _ in _docx_paragraphs(docx_writer.markdown_to_docx(text)) if style == "Frage"]
    assert len(contract.questions_in_draft(text)) == len(styled)


# --- Drucksache importer --------------------------------------------------------------------------

DRUCKSACHE = st.one_of(
    TEXT,
    st.builds(
        lambda head, q, tail: (
            f"LANDTAG NORDRHEIN-WESTFALEN\n17. Wahlperiode\nKleine Anfrage 1640\n{head}\n1. {q}?\n{tail}"
        ),
        TEXT,
        TEXT,
        TEXT,
    ),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
)


@pytest.fixture(scope="module")
def importer():
    return importlib.import_module("anfrage.importer")


@SETTINGS
@given(DRUCKSACHE)
@example(  # a Kleine Anfrage the importer reads, so the assertions below are reached at least once
    "LANDTAG NORDRHEIN-WESTFALEN\n17. Wahlperiode\n\nKleine Anfrage 1640\n\n"
    "des Abgeordneten Matthi Bolte-Richter BÜNDNIS 90/DIE GRÜNEN\n\nDigitalisierung in Bochum\n\n"
    "Ich frage die Landesregierung:\n\n1. Wie viele Projekte gibt es in Bochum?\n\n2. Wann?\n"
)
def test_arbitrary_text_file_gives_a_record_or_an_error(importer, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "drucksache.txt"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            record = importer.read_drucksache(path, [("bochum", ["Bochum"])])
        except AnfrageError:
            return
    # what record_to_yaml and the model rely on: the keys, a number, questions numbered from 1
    assert set(record) >= {"wahlperiode", "nummer", "titel", "fragen", "regionen"}
    assert isinstance(record["nummer"], int) and record["nummer"] >= 1
    assert isinstance(record["wahlperiode"], int) and 1 <= record["wahlperiode"] <= 30
    assert isinstance(record["titel"], str) and record["titel"].strip()
    assert [f["nr"] for f in record["fragen"]] == list(range(1, len(record["fragen"]) + 1))
    # (a question's text may come out empty: a known bug, see the xfail test below)
    assert record["fragen"] and all(isinstance(f["text"], str) for f in record["fragen"])
    assert set(record["regionen"]) <= {"bochum"}


def test_importer_never_returns_an_empty_question(importer) -> None:
    text = "LANDTAG NORDRHEIN-WESTFALEN\n17. Wahlperiode\nKleine Anfrage 1640\n\n1. ?\n1."
    try:
        result = importer.parse_drucksache(text, [("bochum", ["Bochum"])])
    except AnfrageError:
        return  # refusing the text is fine
    assert all(f["text"].strip() for f in result.record["fragen"])
    assert any(p.key == "fragen" for p in result.problems)
