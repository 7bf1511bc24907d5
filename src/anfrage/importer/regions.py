"""The regions an Anfrage is about: region names from ``data/regions.yaml``, found in running text.

An imported Anfrage lists the ids of the regions its title and questions name, so that the clerk
need not look them up. German inflects place names ("des Märkischen Kreises", "der Bochumerinnen"),
so each name becomes a few regex alternatives rather than one literal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from anfrage.errors import CatalogueError, UserError
from anfrage.yamlio import format_path, load_yaml

Regions = Sequence[tuple[str, Sequence[str]]]
"""Region ids with their names and aliases, e.g. ``[("kreis-hoexter", ["Kreis Höxter"])]``."""

REGIONS_FILE = Path("data") / "regions.yaml"


def load_regions(path: Path) -> list[tuple[str, list[str]]]:
    """Read ``regionen`` (id, name, optional aliase) from a regions.yaml as importer regions.

    The file goes through :func:`anfrage.yamlio.load_yaml` like every file a clerk edits (size,
    encoding, control characters, alias bombs, duplicate keys), so a broken file gives a German
    message with file and line. Only id, name and aliases are read: the full validation of a region
    is the catalogue's business, and an import should not fail on a field it does not use.
    """
    path = Path(path)
    doc = load_yaml(path, str(path))
    if doc.problems:
        raise CatalogueError(doc.problems)
    entries = doc.data.get("regionen") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list):
        raise UserError("Schlüssel „regionen“ (Liste) fehlt", file=path, line=doc.line_of(("regionen",)) or 1)
    result: list[tuple[str, list[str]]] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            where = ("regionen", i)
            raise UserError("Region ohne „id“", file=path, line=doc.line_of(where), key=format_path(where))
        names = [entry["name"]] if isinstance(entry.get("name"), str) else []
        aliases = entry.get("aliase") or []
        if isinstance(aliases, list):
            names += [a for a in aliases if isinstance(a, str)]
        result.append((entry["id"], names))
    return result


def default_regions(root: Path) -> list[tuple[str, list[str]]]:
    """Regions of the workspace ``root`` (its ``data/regions.yaml``); none if the file is missing.

    The root is passed in rather than taken from the current directory: the CLI decides where the
    workspace is (``--workspace``), the library does not guess.
    """
    path = root / REGIONS_FILE
    return load_regions(path) if path.exists() else []


def find_regions(text: str, regions: Regions) -> list[str]:
    """Ids of the regions named in ``text``, in order of their first mention, longest match first."""
    hits: list[tuple[int, int, str]] = []
    for rid, names in regions:
        alts = [p for name in names if isinstance(name, str) for p in _name_patterns(name)]
        if not alts:
            continue
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?!\w)")
        hits += [(m.start(), m.end(), rid) for m in pattern.finditer(text)]
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    found: list[str] = []
    covered_to = -1
    for start, end, rid in hits:
        if start < covered_to:
            continue  # inside a longer name of another region ("Siegen" in "Siegen-Wittgenstein")
        covered_to = end
        if rid not in found:
            found.append(rid)
    return found


def _name_patterns(name: str) -> list[str]:
    """Regex alternatives that find a region name in running text, with inflections."""
    name = " ".join(name.split())
    if not name:
        return []
    out = [_escape(name)]
    m = re.fullmatch(r"(?:.+-)?(?:Kreis|Städteregion|Stadt)\s+(.+)", name)
    if m:  # "Kreis Höxter" ↔ "Höxter", "in den Kreisen Gütersloh und Herford", "Städteregion Aachen"
        out.append(_demonym(m.group(1)))
    elif m := re.fullmatch(r"(.+?)(?:er|es|en|e)\s+Kreis", name):  # "Märkischer Kreis" → "im Märkischen Kreis"
        out.append(_escape(m.group(1)) + r"(?:er|en|es|e)\s+Kreis(?:es|e)?")
    elif re.search(r"kreis$", name, re.IGNORECASE):  # "Rhein-Sieg-Kreis" → "des Rhein-Sieg-Kreises"
        out.append(_escape(name) + r"(?:es|e)?")
    else:
        out.append(_demonym(name))
        m = re.fullmatch(r"(\S{4,})\s+(?:an\s+der|am|im|in\s+der|a\.\s*d\.)\s+.+", name)
        if m:  # "Mülheim an der Ruhr" → "Mülheim"
            out.append(_demonym(m.group(1)))
    return out


def _escape(s: str) -> str:
    """``s`` as a regex that allows any whitespace (a line break, too) between its words."""
    return r"\s+".join(re.escape(part) for part in s.split())


def _demonym(s: str) -> str:
    """The name with its genitive and inhabitant forms.

    "Bochum" → "Bochums", "Bochumer", "Bochumerinnen"; "Herne" → "Herner".
    """
    if s.endswith("e"):
        return _escape(s) + r"(?:s|r|rn|rin|rinnen)?"
    return _escape(s) + r"(?:s|er|ern|erin|erinnen|aner|anerin|anerinnen)?"
