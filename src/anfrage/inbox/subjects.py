"""What an imported Anfrage is about: its Einheit (region, Gemeinde, Landtagswahlkreis, project),
found in its title and questions, and how the Anfrage words it.

The importer finds the 53 regions; this module also knows the Landtagswahlkreise, Gemeinden and
projects of the catalogue, which the importer does not. A Landtagswahlkreis mention wins over the
region names inside it ("im Landtagswahlkreis 115 Unna I" is not about the Kreis Unna).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from anfrage import models as m
from anfrage.importer import find_regions
from anfrage.load.catalogue import Catalogue

_WAHLKREIS = re.compile(r"(?<![\w-])(?:Landtags)?[Ww]ahlkreis(?:es|e|en)?\s+(?:Nr\.\s*)?(\d{1,3})\b")
_PROJEKT_ID = re.compile(r"\[(\d{2}-\d{2})\]")
# "in der Stadt Hagen", "in der kreisfreien Stadt Oberhausen", "in der Gemeinde Holzwickede": how an
# Anfrage may name its subject where the catalogue says "in Hagen".
_ARTIKEL_IN = r"in\s+der\s+(?:(?:kreisfreien|kreisangehörigen|großen\s+kreisangehörigen)\s+)?(?:Stadt|Gemeinde)"


@dataclass
class Gefunden:
    """The subjects of an Anfrage (ids, in order of mention) and of which kind; ``wortlaut`` holds
    the forms as the Anfrage words them where they differ from the catalogue."""

    ids: list[str] = field(default_factory=list)
    art: m.EinheitArt | None = None
    wortlaut: dict[str, str] = field(default_factory=dict)


def find_subjects(cat: Catalogue, text: str, art: m.EinheitArt | None = None) -> Gefunden:
    """The Einheiten ``text`` names, of kind ``art`` or (None) of the first kind found in the order
    Landtagswahlkreis, region, Gemeinde, project."""
    kinds: list[m.EinheitArt] = [art] if art else ["landtagswahlkreis", "region", "gemeinde", "projekt"]
    for kind in kinds:
        if kind == "region":
            ids = find_regions(_without_wahlkreise(text), [(r.id, [r.name, *r.aliase]) for r in cat.regionen.values()])
        elif kind == "landtagswahlkreis":
            ids = _wahlkreise(cat, text)
        elif kind == "gemeinde":
            ids = _by_name(text, [e for e in cat.einheiten.values() if e.einheit == "gemeinde"])
        else:
            ids = _projekte(cat, text)
        if ids:
            found = Gefunden(ids, kind)
            if len(ids) == 1 and kind in ("region", "gemeinde"):
                found.wortlaut = _wortlaut(cat.einheiten[ids[0]], text)
            return found
    return Gefunden(art=art)


def _without_wahlkreise(text: str) -> str:
    """The text with every Wahlkreis mention (and its name) blanked out."""
    return re.sub(_WAHLKREIS.pattern + r"(?:\s+[^\s,.;:?!()]+(?:\s+[IVX]+\b)?)?", " ", text)


def _wahlkreise(cat: Catalogue, text: str) -> list[str]:
    found: list[str] = []
    for match in _WAHLKREIS.finditer(text):
        number = int(match.group(1))
        candidates = [w for w in cat.landtagswahlkreise.values() if w.nummer == number]
        after = text[match.end() : match.end() + 60]
        # Two Wahlperioden may number differently: the name after the number decides.
        named = [w for w in candidates if re.match(r"\s*" + re.escape(w.name) + r"(?![\w])", after)]
        for w in named or candidates[:1]:
            if w.id not in found:
                found.append(w.id)
    return found


def _by_name(text: str, einheiten: list[m.Einheit]) -> list[str]:
    hits: list[tuple[int, str]] = []
    for einheit in einheiten:
        for label in (einheit.name, *einheit.aliase):
            words = r"\s+".join(re.escape(part) for part in label.split())
            match = re.search(r"(?<![\w-])" + words + r"s?(?![\w-])", text)
            if match:
                hits.append((match.start(), einheit.id))
                break
    return [ident for _, ident in sorted(hits)]


def _projekte(cat: Catalogue, text: str) -> list[str]:
    found = [pid for pid in _PROJEKT_ID.findall(text) if pid in cat.projekte]
    flat = " ".join(text.split())
    found += [p.id for p in cat.projekte.values() if p.name in flat and p.id not in found]
    return found


def _wortlaut(einheit: m.Einheit, text: str) -> dict[str, str]:
    """The forms of the subject as the Anfrage words them ("in der Stadt Hagen"), where they differ."""
    name = r"\s+".join(re.escape(part) for part in einheit.name.split())
    match = re.search(r"(?<![\w-])(" + _ARTIKEL_IN + r")\s+" + name + r"(?![\w-])", text)
    if match is None:
        return {}
    phrase = " ".join(match.group(0).split())
    if phrase == einheit.formen.in_:
        return {}
    rest = phrase.removeprefix("in der ")  # "Stadt Hagen", "kreisfreien Stadt Oberhausen"
    return {"in": phrase, "zu": f"zur {rest}", "genitiv": f"der {rest}"}
