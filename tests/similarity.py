"""Word-level similarity between a draft and a published answer (acceptance measure of the issues).

difflib's SequenceMatcher over the word sequences; URLs are ignored, Markdown markup and the
front matter are removed from the draft, so only the text a reader sees is compared.
"""

from __future__ import annotations

import difflib
import re

from anfrage.draft import split_front_matter

_URL = re.compile(r"(?:https?://|www\.)\S+|\S+\.html\S*|\S+/\S+\.\S+")
_MARKUP = re.compile(r"[*#<>|\\]|^\s*-{3,}\s*$|^\|?[-: |]+\|?$", re.MULTILINE)


def words(text: str) -> list[str]:
    text = _URL.sub(" ", text)
    return text.split()


def draft_words(markdown: str) -> list[str]:
    _, body, _ = split_front_matter(markdown)
    body = re.sub(r"<https?://[^>]+>", " ", body)
    body = _MARKUP.sub(" ", body)
    return words(body)


def similarity(draft_markdown: str, published_text: str) -> float:
    a = draft_words(draft_markdown)
    b = words(published_text)
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
