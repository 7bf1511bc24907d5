"""What applies to a region: lookup, selection and scope of a series, groupings and hierarchy,
hubs, Modellregionen, projects, the answer data in effect, and values valid at the answer date."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass

from anfrage import german
from anfrage import models as m
from anfrage.errors import UserError
from anfrage.load.catalogue import Catalogue

_SAFE_ARGUMENT = re.compile(r"^[\w .,()'’/-]{1,80}$")


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def find_region(cat: Catalogue, query: str) -> m.Region:
    """A region by id, name, alias, Kreisschlüssel or AGS, case-insensitive.

    A kreisangehörige Gemeinde named in the catalogue (e.g. "Lippstadt") is not a region of its
    own: the message points to its Kreis.
    """
    # NFC and plain spaces: "Ho\u0308xter" (macOS, some Windows input) and a no-break space are the
    # same name as the clerk sees it
    raw = " ".join(unicodedata.normalize("NFC", query).split())
    if not raw or not _SAFE_ARGUMENT.match(raw) or ".." in raw or "/" in raw or "\\" in raw:
        raise UserError(
            f"Ungültige Regionsangabe „{_printable(query)}“: erwartet wird eine Kennung (z. B. bochum), "
            "ein Name (z. B. Kreis Höxter) oder ein Kreisschlüssel (z. B. 05911)."
        )
    key = _normalise(raw)
    for region in cat.regionen.values():
        labels = [region.id, region.name, *region.aliase, region.kreisschluessel, region.ags]
        if key in {_normalise(label) for label in labels}:
            return region
    for gemeinde in cat.gemeinden.values():
        if key in {gemeinde.id, _normalise(gemeinde.name)}:
            kreis = cat.regionen.get(gemeinde.kreis) if gemeinde.kreis else None
            hint = f" Gemeint ist vermutlich „{kreis.name}“ ({kreis.id})." if kreis else ""
            raise UserError(f"„{gemeinde.name}“ ist eine Gemeinde, keine Region der Serie.{hint}")
    raise UserError(f"Unbekannte Region „{raw}“.{_suggestions(cat, key)}")


def _suggestions(cat: Catalogue, key: str) -> str:
    labels: dict[str, m.Region] = {}
    for region in cat.regionen.values():
        for label in [region.id, region.name, *region.aliase]:
            labels[_normalise(label)] = region
    close = difflib.get_close_matches(key, list(labels), n=5, cutoff=0.6)
    contains = [label for label in labels if key and key in label]
    found: list[m.Region] = []
    for label in close + contains:
        if labels[label] not in found:
            found.append(labels[label])
    if not found:
        return " Alle Regionen zeigt „anfrage list regionen“."
    listed = ", ".join(f"{r.name} ({r.id})" for r in found[:5])
    return f" Meinten Sie: {listed}?"


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:80]


def select_regions(cat: Catalogue, expression: str) -> list[m.Region]:
    """Regions for batch runs: ``alle``, a group id (``ruhrgebiet``), ``regbez:arnsberg`` or ``id,id,…``."""
    expr = expression.strip()
    if expr.casefold() == "alle":
        return list(cat.regionen.values())
    if expr.casefold().startswith("regbez:"):
        bez = expr.split(":", 1)[1].strip().casefold()
        matches = [b for b in cat.regierungsbezirke.values() if bez in (b.id, b.name.casefold(), b.schluessel)]
        if not matches:
            names = ", ".join(b.id for b in cat.regierungsbezirke.values())
            raise UserError(f"Unbekannter Regierungsbezirk „{_printable(bez)}“. Bekannt: {names}.")
        return [r for r in cat.regionen.values() if r.regierungsbezirk == matches[0].id]
    if expr.casefold() in cat.gruppen:
        members = set(cat.gruppen[expr.casefold()].mitglieder)
        return [r for r in cat.regionen.values() if r.id in members]
    chosen: list[m.Region] = []
    for part in expr.split(","):
        if part.strip():
            region = find_region(cat, part)
            if region not in chosen:
                chosen.append(region)
    if not chosen:
        raise UserError("Keine Region angegeben.")
    return chosen


Subject = m.Region | m.Einheit
"""What a draft is about; a region is taken as its :class:`~anfrage.models.Einheit`."""


def einheit_of(cat: Catalogue, subject: Subject) -> m.Einheit:
    """The Einheit of a region (or the Einheit itself)."""
    if isinstance(subject, m.Einheit):
        return subject
    return cat.einheiten.get(subject.id) or m.Einheit(
        subject.id,
        subject.name,
        subject.art,
        "region",
        subject.formen,
        german.region_nominativ(subject.name, subject.art),
        subject.kreisschluessel,
        subject.ags,
        subject.regierungsbezirk,
        (subject.id,),
        tuple(subject.aliase),
    )


def find_einheit(cat: Catalogue, query: str, art: m.EinheitArt | None = "region") -> m.Einheit:
    """What a clerk typed (id, name, alias; for a region also its Kreisschlüssel or AGS; for a
    Landtagswahlkreis also its number) as an Einheit of kind ``art`` (None: any kind)."""
    if art in ("region", None):
        try:
            return einheit_of(cat, find_region(cat, query))
        except UserError:
            if art == "region":
                raise
    key = _normalise(query)
    candidates = [e for e in cat.einheiten.values() if art is None or e.einheit == art]
    for einheit in candidates:
        if key in {_normalise(label) for label in (einheit.id, einheit.name, *einheit.aliase)}:
            return einheit
    kind = m.EINHEIT_NAMEN.get(art or "", "Einheit")
    close = difflib.get_close_matches(key, [_normalise(e.name) for e in candidates], n=3, cutoff=0.6)
    hint = f" Meinten Sie: {', '.join(close)}?" if close else ""
    raise UserError(f"Unbekannte Einheit „{_printable(query.strip())}“ (gesucht: {kind}).{hint}")


def select_einheiten(cat: Catalogue, serie: m.Serie, expression: str) -> list[m.Einheit]:
    """What a batch covers: for a series of regions as :func:`select_regions`; otherwise ``alle``
    (every catalogued Einheit of the series' kind) or ``id,id,…``."""
    if serie.einheit == "region":
        return [einheit_of(cat, r) for r in select_regions(cat, expression)]
    expr = expression.strip()
    if expr.casefold() == "alle":
        return [e for e in cat.einheiten.values() if e.einheit == serie.einheit]
    chosen: list[m.Einheit] = []
    for part in expr.split(","):
        if part.strip():
            einheit = find_einheit(cat, part, serie.einheit)
            if einheit not in chosen:
                chosen.append(einheit)
    if not chosen:
        raise UserError("Keine Einheit angegeben.")
    return chosen


def in_scope(cat: Catalogue, serie: m.Serie, subject: Subject) -> bool:
    """Whether a series applies to a region or other Einheit (its ``geltungsbereich``).

    ``alle`` means every Einheit of the series' kind; a group or Regierungsbezirk also takes in what
    lies in its regions, where a source says so.
    """
    einheit = einheit_of(cat, subject)
    scope = serie.geltungsbereich
    if isinstance(scope, list):
        return einheit.id in scope
    if scope == "alle":
        return einheit.einheit == serie.einheit
    if scope.startswith("regbez:"):
        return einheit.einheit == serie.einheit and einheit.regierungsbezirk == scope.split(":", 1)[1]
    if scope in cat.gruppen:
        members = cat.gruppen[scope].mitglieder
        return einheit.einheit == serie.einheit and any(r in members for r in einheit.regionen)
    return einheit.id == scope


def require_in_scope(cat: Catalogue, serie: m.Serie, subject: Subject) -> None:
    """Refuse a draft outside the series' ``geltungsbereich`` (``UserError``)."""
    if not in_scope(cat, serie, subject):
        raise UserError(
            f"Die Serie „{serie.id}“ gilt nur für „{scope_name(cat, serie)}“; "
            f"{subject.name} gehört nicht dazu. Es wird kein Entwurf erstellt."
        )


def effective_antwort(serie: m.Serie, anfrage: m.Anfrage | None) -> m.Antwort:
    """The answer data in effect for one Anfrage, field by field.

    What the Anfrage's own ``antwort:`` sets (even to null) wins; the other fields come from the
    series. The answer's Drucksache number never comes from the series: each answer has its own
    (``anfrage check`` refuses one in a series), so a draft without one shows a placeholder.
    """
    if anfrage is None or anfrage.antwort is None:
        return serie.antwort.model_copy(update={"drucksache": None})
    return anfrage.antwort.over(serie.antwort)


def region_rows(cat: Catalogue) -> list[dict[str, object]]:
    """The regions as rows for listings: ids, names, keys, Bezirk and the groups they belong to."""
    return [
        {
            "id": r.id,
            "name": r.name,
            "art": r.art,
            "ags": r.ags,
            "kreisschluessel": r.kreisschluessel,
            "regierungsbezirk": cat.regierungsbezirke[r.regierungsbezirk].name,
            "gruppen": [g.id for g in cat.gruppen.values() if r.id in g.mitglieder],
        }
        for r in cat.regionen.values()
    ]


def scope_name(cat: Catalogue, serie: m.Serie) -> str:
    scope = serie.geltungsbereich
    if isinstance(scope, list):
        return ", ".join(cat.einheiten[r].name for r in scope if r in cat.einheiten)
    if scope in cat.gruppen:
        return cat.gruppen[scope].name
    if scope.startswith("regbez:"):
        bez = cat.regierungsbezirke.get(scope.split(":", 1)[1])
        return f"Regierungsbezirk {bez.name}" if bez else scope
    return scope


def concerns(cat: Catalogue, anchors: list[str], subject: Subject) -> bool:
    """Whether something anchored at ``anchors`` concerns a region or other Einheit.

    Land concerns everything; an anchor at the Einheit itself concerns it. For the regions an
    Einheit lies in (a region: itself): a group concerns its members, a Regierungsbezirk its Kreise
    and kreisfreie Städte, and something anchored at a region everything known to lie in it. A
    kreisangehörige Gemeinde concerns its Kreis (where a source gives the Kreis).
    """
    einheit = einheit_of(cat, subject)
    for anchor in anchors:
        if anchor in ("land", einheit.id):
            return True
        for rid in einheit.regionen:
            region = cat.regionen.get(rid)
            if anchor == rid or (region is not None and anchor == region.regierungsbezirk):
                return True
            if anchor in cat.gruppen and rid in cat.gruppen[anchor].mitglieder:
                return True
            gemeinde = cat.gemeinden.get(anchor)
            if einheit.einheit == "region" and gemeinde is not None and gemeinde.kreis == rid:
                return True
    return False


def hub_for(cat: Catalogue, subject: Subject) -> m.Hub | None:
    """The DWNRW hub a source says is active in the Einheit itself, if any (not inferred from a Kreis)."""
    einheit = einheit_of(cat, subject)
    for hub in cat.hubs.values():
        if einheit.id in hub.regionen:
            return hub
    return None


def modellregionen_for(cat: Catalogue, subject: Subject) -> list[m.Modellregion]:
    """Digitale Modellregionen the Einheit takes part in (directly or through a Gemeinde of its Kreis)."""
    found = []
    for modell in cat.modellregionen.values():
        if concerns(cat, [modell.leitkommune, *modell.partner], subject):
            found.append(modell)
    return found


def valid_from(stand: dt.date | int) -> dt.date:
    """The first day a value can apply: its date, or 1 January of a year-only Stand."""
    return stand if isinstance(stand, dt.date) else dt.date(stand, 1, 1)


def value_at(values: list[m.Wert], date: dt.date | None) -> m.Wert | None:
    """The value valid at ``date``: the one with the latest Stand on or before it.

    Without a date (answer date not yet known) the newest value is taken. A value without Stand
    (the source is undated) is taken only where no dated value applies. A Stand given as a year
    only counts from 1 January of that year (:func:`value_uncertain` says when that matters).
    """
    dated = [(valid_from(v.stand), v) for v in values if v.stand is not None]
    dated.sort(key=lambda item: item[0])
    undated = [v for v in values if v.stand is None]
    valid = [v for start, v in dated if date is None or start <= date]
    if valid:
        return valid[-1]
    return undated[-1] if undated else None


def value_uncertain(values: list[m.Wert], date: dt.date | None) -> bool:
    """Whether the value at ``date`` is in doubt: a value whose Stand is only a year may or may not
    apply yet on a day of that year (the source does not say when in the year it changed)."""
    if date is None:
        return False
    return any(isinstance(v.stand, int) and v.stand == date.year for v in values)


def programme_active(programm: m.Programm, date: dt.date | None) -> bool:
    """An offer appears in an answer only while it runs (ended offers must not be offered)."""
    if date is None:
        return programm.gueltig_bis is None
    if programm.gueltig_von and programm.gueltig_von > date:
        return False
    return not (programm.gueltig_bis and programm.gueltig_bis < date)


@dataclass
class ProjectRow:
    projekt: m.Projekt
    bezug: m.Bezug | None


def projects_for(cat: Catalogue, subject: Subject) -> list[tuple[m.Handlungsfeld, list[ProjectRow]]]:
    """Projects that concern the Einheit, grouped by Handlungsfeld in catalogue order.

    The local relevance is the Einheit's own entry; for a region, a Gemeinde's entry counts for its Kreis.
    """
    region = einheit_of(cat, subject)
    groups: list[tuple[m.Handlungsfeld, list[ProjectRow]]] = []
    for feld in cat.handlungsfelder.values():
        rows = []
        for projekt in cat.projekte.values():
            if projekt.handlungsfeld != feld.id or not concerns(cat, projekt.verankerung, region):
                continue
            bezug = projekt.bezug.get(region.id)
            if bezug is None and region.einheit == "region":
                for place, entry in projekt.bezug.items():
                    gemeinde = cat.gemeinden.get(place)
                    if gemeinde is not None and gemeinde.kreis == region.id:
                        bezug = entry
                        break
            rows.append(ProjectRow(projekt, bezug))
        if rows:
            groups.append((feld, rows))
    return groups
