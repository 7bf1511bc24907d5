"""Property-based tests: arbitrary text never crashes a stage; it gives a result or an AnfrageError.

Examples are kept modest (the suite must stay fast); no timing assertions. ``ANFRAGE_EXAMPLES``
raises the number of examples for a deeper search by hand.
"""

from __future__ import annotations

import importlib
import io
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# --- markdown.normalise -------------------------------------------------------------------------


@SETTINGS
@given(TEXT)
def test_normalise_is_idempotent_and_never_raises(text: str) -> None:
    once = markdown.normalise(text)
    assert markdown.normalise(once) == once
    assert once.endswith("\n") and not once.endswith("\n\n") or once == "\n"
    assert "\r" not in once
    assert all(line == line.rstrip() for line in once.split("\n"))


@SETTINGS
@given(TEXT)
def test_escaped_text_keeps_its_words(text: str) -> None:
    """Escaping changes markup characters only; the words stay (what the guard relies on)."""
    escaped = markdown.escape(text)
    assert escaped.replace("\\", "") == text.replace("\\", "")


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
@given(frage=FIELD, vorbemerkung=FIELD, titel=FIELD)
def test_arbitrary_anfrage_text_gives_a_guarded_draft_or_an_error(
    digital, catalogue, frage: str, vorbemerkung: str, titel: str
) -> None:
    from anfrage.guard import check_questions

    renderer, bundle = digital
    try:
        loaded = _anfrage_from_yaml(frage, vorbemerkung, titel)
        test_bundle = Bundle(bundle.serie, bundle.file, [loaded], bundle.doc)
        draft = make_draft(renderer, test_bundle, catalogue.regionen["bochum"])
    except AnfrageError:
        return
    assert check_questions(draft.markdown, draft.fragen, "entwurf.md") == []
    assert markdown.normalise(draft.markdown) == draft.markdown


# --- Markdown → DOCX -------------------------------------------------------------------------------

FRONT = (
    "---\nwahlperiode: 17\ndrucksache: 17/1\ndatum: 28.11.2018\ntitel: Titel\nressort: Ressort\n"
    "antwortdatum: 2018-11-28\n---\n\n"
)


@pytest.fixture(scope="module")
def docx_writer():
    """Skips cleanly while the DOCX writer is not importable (it is written alongside)."""
    return importlib.import_module("anfrage.docx.writer")


@SETTINGS
@given(st.one_of(TEXT, TEXT.map(lambda body: FRONT + body)))
def test_arbitrary_markdown_gives_a_docx_or_an_error(docx_writer, text: str) -> None:
    import docx

    try:
        data = docx_writer.markdown_to_docx(text)
    except AnfrageError:
        return
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs is not None


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
def test_arbitrary_text_file_gives_a_record_or_an_error(importer, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "drucksache.txt"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            record = importer.read_drucksache(path, [("bochum", ["Bochum"])])
        except AnfrageError:
            return
    assert isinstance(record, dict)
