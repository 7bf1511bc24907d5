"""What templates see: typed views of a region and of a Kleine Anfrage.

Texts from data reach templates already escaped for Markdown, so that a ``*`` in a catalogue never
turns into emphasis. ``VIEWS`` names every object a template can meet, for German messages about a
misspelt field.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from anfrage import german, markdown
from anfrage import models as m
from anfrage.load.catalogue import Catalogue


@dataclass(frozen=True)
class RegionView:
    id: str
    name: str
    art: str
    kreisschluessel: str
    ags: str
    regierungsbezirk: str
    formen: dict[str, str]


def region_view(cat: Catalogue, region: m.Region, escaped: bool = True) -> RegionView:
    """What templates see of a region; names escaped for Markdown unless ``escaped`` is False."""
    bez = cat.regierungsbezirke.get(region.regierungsbezirk)
    esc = markdown.escape if escaped else str
    return RegionView(
        id=region.id,
        name=esc(region.name),
        art=region.art,
        kreisschluessel=region.kreisschluessel,
        ags=region.ags,
        regierungsbezirk=bez.name if bez else region.regierungsbezirk,
        formen={
            "nominativ": esc(german.region_nominativ(region.name, region.art)),
            "in": esc(region.formen.in_),
            "zu": esc(region.formen.zu),
            "genitiv": esc(region.formen.genitiv),
        },
    )


@dataclass
class AnfrageView:
    nummer: str
    datum: str
    drucksache: str
    abgeordnete: str
    fraktion: str
    titel: str
    vorbemerkung: str
    fragen: dict[int, str]
    muster: bool
    quelle: str


def paragraphs(text: str | None) -> str:
    """Escape data text; keep its paragraphs (blank lines) and join wrapped lines."""
    if not text:
        return ""
    parts = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(markdown.escape_block(p) for p in parts if p)


# What templates see, by type name: how to call it in German and which fields it has.
VIEWS: dict[str, tuple[str, list[str]]] = {
    "RegionView": ("der Region", [f.name for f in fields(RegionView)]),
    "AnfrageView": ("der Kleinen Anfrage", [f.name for f in fields(AnfrageView)]),
    "Serie": ("der Serie", list(m.Serie.model_fields)),
    "Antwort": ("der Antwort", list(m.Antwort.model_fields)),
    "Hub": ("des Hubs", list(m.Hub.model_fields)),
    "Modellregion": ("der Modellregion", list(m.Modellregion.model_fields)),
    "Ruhridee": ("der Ruhridee", list(m.Ruhridee.model_fields)),
    "dict": ("des Eintrags", []),
}
