"""Typed records of the catalogues, Anfragen and series.

Keys are German because clerks edit the YAML files; every model forbids unknown keys so that a typo
("regierungsbezrik") is reported instead of silently ignored. Cross references (region ids, sources,
ressorts …) are checked in ``catalogue.py``, which knows all files at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=50_000)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"]+$", max_length=2000)]
Geschlecht = Literal["m", "w"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return value


class Quelle(Record):
    id: Slug
    titel: Text
    datum: dt.date | None = None
    fundstelle: str | None = None


class Ressort(Record):
    id: Slug
    name: Text
    amt: Text
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


class Regierungsbezirk(Record):
    id: Slug
    name: Text
    schluessel: Annotated[str, StringConstraints(pattern=r"^05[1-9]$")]
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


class Formen(Record):
    """Grammatical forms of a region's name used in running text."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    in_: Text = Field(alias="in")  # "in Bochum", "im Kreis Höxter"
    zu: Text  # "zu Bochum", "zum Kreis Höxter"
    genitiv: Text  # "der Stadt Bochum", "des Kreises Höxter"


class Wortlaut(Record):
    """Some forms of a name as one text words them; what is left out comes from the catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    in_: Text | None = Field(default=None, alias="in")
    zu: Text | None = None
    genitiv: Text | None = None
    nominativ: Text | None = None


class Region(Record):
    """A Kreis, the Städteregion Aachen or a kreisfreie Stadt."""

    id: Slug
    name: Text
    art: Literal["kreisfreie Stadt", "Kreis", "Städteregion"]
    kreisschluessel: Annotated[str, StringConstraints(pattern=r"^05\d{3}$")]
    regierungsbezirk: Slug
    formen: Formen
    aliase: list[Text] = Field(default_factory=list)
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)

    @property
    def ags(self) -> str:
        """Amtlicher Gemeindeschlüssel: 8 digits for a kreisfreie Stadt, the Kreisschlüssel for a Kreis."""
        return self.kreisschluessel + "000" if self.art == "kreisfreie Stadt" else self.kreisschluessel


class Gemeinde(Record):
    """A Gemeinde (not one of the 53 regions) named in a source.

    ``kreis`` and ``art`` only where a source gives them; null (unknown) otherwise: a Gemeinde
    without ``kreis`` belongs to no region's hierarchy.
    """

    id: Slug
    name: Text
    kreis: Slug | None = None
    art: Text | None = None  # "kreisangehörige Stadt", "Gemeinde" … as a source words it
    formen: Formen | None = None  # grammar in running text; derived from the name when left out
    aliase: list[Text] = Field(default_factory=list)
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


class Landtagswahlkreis(Record):
    """A Landtagswahlkreis named in a source, e.g. 115 "Unna I".

    Numbers and boundaries change from one Landtagswahl to the next: ``wahlperiode`` says for which
    period the number holds, where a source says so. ``regionen`` and ``gemeinden`` (what the
    Wahlkreis covers) only where a source gives them; null means unknown.
    """

    id: Slug
    nummer: int = Field(ge=1, le=999)
    name: Text  # without the number: "Unna I"
    wahlperiode: int | None = Field(default=None, ge=1, le=30)
    regionen: list[Slug] | None = None
    gemeinden: list[Slug] | None = None
    formen: Formen | None = None  # derived ("im Landtagswahlkreis 115 Unna I", …) when left out
    aliase: list[Text] = Field(default_factory=list)
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)

    @property
    def titel(self) -> str:
        """ "Landtagswahlkreis 115 Unna I"."""
        return f"Landtagswahlkreis {self.nummer} {self.name}"


EinheitArt = Literal["region", "gemeinde", "landtagswahlkreis", "projekt"]
"""What the drafts of a series are about: a Kreis or kreisfreie Stadt (``region``), a Gemeinde, a
Landtagswahlkreis or a catalogued project."""

EINHEIT_NAMEN: dict[str, str] = {
    "region": "Kreis oder kreisfreie Stadt",
    "gemeinde": "Gemeinde",
    "landtagswahlkreis": "Landtagswahlkreis",
    "projekt": "Projekt",
}

# The same with the indefinite article in the dative ("handelt von einem Landtagswahlkreis").
EINHEIT_DATIV: dict[str, str] = {
    "region": "einem Kreis oder einer kreisfreien Stadt",
    "gemeinde": "einer Gemeinde",
    "landtagswahlkreis": "einem Landtagswahlkreis",
    "projekt": "einem Projekt",
}


@dataclass(frozen=True)
class Einheit:
    """The subject of one draft, whatever its kind, with the forms its name takes in a sentence.

    Built by the catalogue from a region, Gemeinde, Landtagswahlkreis or project. ``regionen`` are
    the Kreise and kreisfreie Städte it lies in where a source says so (a region: itself);
    ``kreisschluessel``, ``ags`` and ``regierungsbezirk`` only where they apply and are known.
    """

    id: str
    name: str
    art: str
    einheit: EinheitArt
    formen: Formen
    nominativ: str
    kreisschluessel: str | None = None
    ags: str | None = None
    regierungsbezirk: str | None = None
    regionen: tuple[str, ...] = ()
    aliase: tuple[str, ...] = ()


class Gruppe(Record):
    id: Slug
    name: Text
    beschreibung: str | None = None
    mitglieder: list[Slug]
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


class Modellregion(Record):
    id: Slug
    name: Text
    leitkommune: Slug
    partner: list[Slug] = Field(default_factory=list)
    seit: str | None = None
    beschreibung: str | None = None
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


class Hub(Record):
    id: Slug
    name: str | None = None
    standort: str | None = None
    regionen: list[Slug] = Field(default_factory=list)
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


Jahr = Annotated[int, Field(ge=1900, le=2100)]


class Wert(Record):
    """A fact that changes over time, valid from its ``stand``.

    ``stand`` is a date, or only a year where the source gives no more ("2021er Update"): such a
    value certainly applies from the next year on; within its year a draft marks it for checking.
    """

    wert: int | float | str
    stand: dt.date | Jahr | None  # None: the source gives no date; used only where no dated value applies
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


class Thema(Record):
    """A topic of Textbausteine (``data/themen.yaml``): an id and its German label.

    Clerks add topics in data; ``programme[].themen`` must name one of them (checked in ``catalogue``).
    """

    id: Slug
    name: Text
    beschreibung: str | None = None


class Programm(Record):
    """A general offer of the Land with its official wording (Textbaustein)."""

    id: Slug
    name: Text
    ressort: Slug | None = None
    themen: list[Slug] = Field(default_factory=list)  # ids from data/themen.yaml
    text: Text
    urls: list[Url] = Field(default_factory=list)
    gueltig_von: dt.date | None = None
    gueltig_bis: dt.date | None = None
    werte: dict[Slug | str, list[Wert]] = Field(default_factory=dict)
    quelle: list[Slug] = Field(default_factory=list)
    anmerkung: str | None = None
    url_luecke: str | None = None  # a link the source gives only incompletely → placeholder

    _q = field_validator("quelle", mode="before")(_as_list)

    @model_validator(mode="after")
    def _dates_in_order(self) -> Programm:
        if self.gueltig_von and self.gueltig_bis and self.gueltig_bis < self.gueltig_von:
            raise ValueError("gueltig_bis liegt vor gueltig_von")
        return self


class Handlungsfeld(Record):
    id: Slug
    name: Text
    beschreibung: str | None = None
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


class Bezug(Record):
    """Local relevance of a project for one region."""

    text: Text | None = None
    betrag_euro: int | None = Field(default=None, ge=0)
    partner: list[Text] = Field(default_factory=list)
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


class Projekt(Record):
    id: Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{2}$")]
    name: Text
    teilprojekt: str | None = None
    handlungsfeld: Slug
    ressort: Slug | None = None
    verankerung: list[Slug] = Field(default_factory=list)
    bezug: dict[Slug, Bezug] = Field(default_factory=dict)
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


class Ruhridee(Record):
    nr: int = Field(ge=1, le=99)
    titel: Text
    querschnittsthema: Text
    ziel: Text
    hintergrund: Text
    orte: list[Text] = Field(default_factory=list)
    quelle: list[Slug] = Field(default_factory=list)

    _q = field_validator("quelle", mode="before")(_as_list)


# --- settings of a workspace ----------------------------------------------------------------


class Grenzen(Record):
    """Limits for running templates (see ``templating.Grenzen`` for what each bounds)."""

    sekunden: float = Field(default=10.0, gt=0, le=600)
    zeichen: int = Field(default=2_000_000, ge=10_000, le=100_000_000)
    bereich: int = Field(default=10_000, ge=10, le=10_000_000)
    exponent: int = Field(default=1_000, ge=2, le=100_000)


class Einstellungen(Record):
    """``data/einstellungen.yaml``: settings of a workspace; every key is optional."""

    grenzen: Grenzen = Field(default_factory=Grenzen)


# --- Anfragen and series -------------------------------------------------------------------


class Abgeordnete(Record):
    name: Text
    geschlecht: Geschlecht | None = None


class Frage(Record):
    nr: int = Field(ge=1, le=20)
    text: Text


class Amtstraeger(Record):
    """An office in the minister line: the ressort and the gender of its holder at the time."""

    ressort: Slug
    geschlecht: Geschlecht | None = None  # null: not known yet → placeholder ("Der Minister/in …")


class Einvernehmen(Record):
    """One entry of "im Einvernehmen mit …": an office (ressort + gender) or a fixed phrase such as
    "allen anderen Mitgliedern der Landesregierung"."""

    ressort: Slug | None = None
    geschlecht: Geschlecht | None = None
    text: Text | None = None

    @model_validator(mode="after")
    def _office_or_text(self) -> Einvernehmen:
        if (self.ressort is None) == (self.text is None):
            raise ValueError("entweder ressort (mit geschlecht) oder text angeben")
        return self


class Antwort(Record):
    """Metadata of the answer: who answers, in agreement with whom, when."""

    federfuehrend: Amtstraeger | None = None
    einvernehmen: list[Einvernehmen] = Field(default_factory=list)
    datum: dt.date | None = None
    drucksache: Annotated[str, StringConstraints(pattern=r"^\d{2}/\d{1,6}$")] | None = None

    def over(self, base: Antwort) -> Antwort:
        """This (an Anfrage's own) answer data laid over ``base`` (the series'), field by field: what
        this one sets – even to null – wins. The Drucksache number is always this one's own."""
        given = self.model_fields_set
        return Antwort(
            federfuehrend=self.federfuehrend if "federfuehrend" in given else base.federfuehrend,
            einvernehmen=self.einvernehmen if "einvernehmen" in given else base.einvernehmen,
            datum=self.datum if "datum" in given else base.datum,
            drucksache=self.drucksache,
        )


class Anfrage(Record):
    """One Kleine Anfrage, its text verbatim."""

    serie: Slug | None = None
    wahlperiode: int | None = Field(default=None, ge=1, le=30)  # null where the source does not state it
    nummer: int = Field(ge=1)
    drucksache: Annotated[str, StringConstraints(pattern=r"^\d{2}/\d{1,6}$")] | None = None
    datum: dt.date | None = None
    abgeordnete: list[Abgeordnete] = Field(min_length=1)
    fraktion: Text
    titel: Text
    vorbemerkung: str | None = None
    fragen: list[Frage] = Field(min_length=1, max_length=20)
    regionen: list[Slug] = Field(default_factory=list)
    # How the Anfrage words its subject where that differs from the catalogue ("in der Stadt Hagen"):
    # drafts for this Anfrage follow it.
    formen: Wortlaut | None = None
    quelle: list[Slug] = Field(default_factory=list)
    antwort: Antwort | None = None
    # The four-week clock (``anfrage status``): arrival at the Staatskanzlei when it differs from
    # ``datum``; co-signatures per ressort id of the Einvernehmen; the day the answer was sent.
    eingang: dt.date | None = None
    mitzeichnung: dict[Slug, dt.date] = Field(default_factory=dict)
    versandt: dt.date | None = None

    _q = field_validator("quelle", mode="before")(_as_list)

    @model_validator(mode="after")
    def _questions_numbered(self) -> Anfrage:
        numbers = [f.nr for f in self.fragen]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError("Fragen müssen fortlaufend ab 1 nummeriert sein")
        return self


class Muster(Record):
    """Model text of a series; stands in, visibly marked, for an Anfrage not yet entered."""

    titel: Text
    vorbemerkung: str | None = None
    fragen: list[Frage] = Field(min_length=1, max_length=20)


class Serie(Record):
    id: Slug
    titel: Text
    vorlage: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./-]+\.j2$")]
    wahlperiode: int | None = Field(default=None, ge=1, le=30)  # null → taken from the Anfrage or a placeholder
    fraktion: Text | None = None
    einheit: EinheitArt = "region"  # what one draft is about (the ids in geltungsbereich and regionen)
    geltungsbereich: str | list[Slug] = "alle"
    antwort: Antwort = Field(default_factory=Antwort)
    # Facts of single regions that the series' template uses, e.g. {bochum: {partnerprojekte: …,
    # quelle: drs-17-11212}}; a region without an entry gets placeholders.
    fakten: dict[Slug, dict[str, str | int | float | bool | list[str]]] = Field(default_factory=dict)
    muster: Muster | None = None
    anfragen: list[str] = Field(default_factory=list)

    @field_validator("vorlage")
    @classmethod
    def _inside_templates(cls, value: str) -> str:
        if ".." in value.split("/") or value.startswith("/"):
            raise ValueError("Vorlage muss im Ordner templates/ liegen")
        return value
