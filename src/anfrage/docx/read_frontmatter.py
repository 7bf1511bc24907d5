"""The front matter for ``reader``: the YAML block the DOCX does not carry, given or rebuilt.

``wahlperiode``, ``drucksache`` and ``datum`` are what the page-1 block shows (``kopf_fields``); a
given block is updated where a clerk changed them in Word (only single-line values), otherwise it
is kept byte for byte. Without one, the block is rebuilt from the page-1 block and the document
properties (title → ``titel``, author → ``ressort``, created → ``antwortdatum``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

import yaml

from anfrage.docx.read_package import DC, DCTERMS, Package
from anfrage.draft import front_matter as dump_front_matter
from anfrage.draft import front_matter_block

__all__ = ["given_front_matter", "kopf_fields", "rebuilt_front_matter", "sync_front_matter"]

_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_KOPF_FIELDS: Final = ("wahlperiode", "drucksache", "datum")


def kopf_fields(kopf: list[list[str]]) -> dict[str, str]:
    """wahlperiode, drucksache and datum as the page-1 block shows them (left: Landtag, Wahlperiode;
    right: Drucksache, date)."""
    found: dict[str, str] = {}
    texts = [" ".join(t.split()) for cell in kopf for t in cell]
    for text in texts:
        m = re.fullmatch(r"(.+?)\.\s*Wahlperiode", text)
        if m and "wahlperiode" not in found:
            found["wahlperiode"] = m.group(1).strip()
        m = re.fullmatch(r"Drucksache\s+(.+)", text)
        if m and "drucksache" not in found:
            found["drucksache"] = m.group(1).strip()
    if len(kopf) >= 2 and len(kopf[1]) >= 2:
        datum = " ".join(kopf[1][-1].split())
        if datum:
            found["datum"] = datum
    return found


def _display(value: Any) -> str:
    """A front matter value as the writer shows it in the DOCX."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def given_front_matter(front_matter: str) -> str:
    """The front matter block ``---`` … ``---`` of the text the caller gave (a block, a draft or raw YAML)."""
    if not front_matter.strip():
        return ""
    text = front_matter.replace("\r\n", "\n").replace("\r", "\n").removeprefix("\ufeff")
    raw, rest, _ = front_matter_block(text)
    if raw is not None:
        block = text[: len(text) - len(rest)]
        return block if block.endswith("\n") else block + "\n"
    return "---\n" + text.strip("\n") + "\n---\n"


def sync_front_matter(block: str, shown: dict[str, str]) -> str:
    """Update wahlperiode, drucksache and datum in the block where the DOCX shows other values."""
    try:
        data = yaml.load(block.strip().removeprefix("---").removesuffix("---"), Loader=_YamlLoader)
    except (yaml.YAMLError, ValueError, RecursionError):
        return block
    if not isinstance(data, dict):
        return block
    for key in _KOPF_FIELDS:
        new = shown.get(key)
        if not new or _display(data.get(key)) == new:
            continue
        value: object = int(new) if key == "wahlperiode" and new.isdigit() else new
        line = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10_000).rstrip("\n")
        if "\n" in line:
            continue
        pattern = re.compile(rf"^{re.escape(key)}:[^\n]*\n(?![ \t])", re.M)
        block = pattern.sub(line.replace("\\", "\\\\") + "\n", block, count=1)
    return block


def rebuilt_front_matter(pkg: Package, shown: dict[str, str]) -> str:
    data: dict[str, object] = {}
    if "wahlperiode" in shown:
        wp = shown["wahlperiode"]
        data["wahlperiode"] = int(wp) if wp.isdigit() else wp
    for key in ("drucksache", "datum"):
        if key in shown:
            data[key] = shown[key]
    core_names = [t for k, t in pkg.relationships("").values() if k.endswith("/core-properties")]
    core = pkg.xml(core_names[0]) if core_names else None
    if core is not None:
        for key, tag in (("titel", DC + "title"), ("ressort", DC + "creator")):
            el = core.find(tag)
            if el is not None and el.text and el.text.strip():
                data[key] = el.text.strip()
        created = core.find(DCTERMS + "created")
        if created is not None and created.text:
            m = re.match(r"\d{4}-\d{2}-\d{2}", created.text.strip())
            if m:
                data["antwortdatum"] = m.group(0)
    return dump_front_matter(data) if data else ""
