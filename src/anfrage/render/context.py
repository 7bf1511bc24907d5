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
from anfrage.select import einheit_of


@dataclass(frozen=True)
class RegionView:
    """What templates see of the subject of a draft (``region``): a region, Gemeinde,
    Landtagswahlkreis or project. Keys that do not apply to its kind are placeholders."""

    id: str
    name: str
    art: str
    einheit: str
    kreisschluessel: str
    ags: str
    regierungsbezirk: str
    formen: dict[str, str]


def region_view(
    cat: Catalogue, subject: m.Region | m.Einheit, escaped: bool = True, wortlaut: m.Wortlaut | None = None
) -> RegionView:
    """What templates see of a draft's subject; names escaped for Markdown unless ``escaped`` is False.

    ``wortlaut`` (an Anfrage's own wording, e.g. "in der Stadt Hagen") replaces the forms it gives.
    """
    einheit = einheit_of(cat, subject)
    bez = cat.regierungsbezirke.get(einheit.regierungsbezirk or "")
    esc = markdown.escape if escaped else str
    forms = {
        "nominativ": einheit.nominativ,
        "in": einheit.formen.in_,
        "zu": einheit.formen.zu,
        "genitiv": einheit.formen.genitiv,
    }
    if wortlaut is not None:
        own = {"nominativ": wortlaut.nominativ, "in": wortlaut.in_, "zu": wortlaut.zu, "genitiv": wortlaut.genitiv}
        forms.update({key: value for key, value in own.items() if value})
    return RegionView(
        id=einheit.id,
        name=esc(einheit.name),
        art=einheit.art,
        einheit=einheit.einheit,
        kreisschluessel=einheit.kreisschluessel or german.placeholder(f"Kreisschlüssel {einheit.name}"),
        ags=einheit.ags or german.placeholder(f"Gemeindeschlüssel {einheit.name}"),
        regierungsbezirk=bez.name if bez else german.placeholder(f"Regierungsbezirk {einheit.name}"),
        formen={key: esc(value) for key, value in forms.items()},
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
