"""The one Jinja environment and the rendering of a draft answer.

The environment is sandboxed (templates are user files) and strict (an undefined variable is an
error, not an empty string). Texts from data reach templates already escaped for Markdown; German
formatting lives in filters (``german.py``). The rendered Markdown is normalised (``markdown.py``)
and checked: every question rendered once, verbatim, and followed by an answer.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from anfrage import german, markdown
from anfrage import models as m
from anfrage.catalogue import Bundle, Catalogue, LoadedAnfrage
from anfrage.errors import Problem, RenderError, UserError
from anfrage.verbatim import unanswered_questions
from anfrage.yamlio import format_path
from anfrage.select import (
    hub_for,
    in_scope,
    modellregionen_for,
    programme_active,
    projects_for,
    scope_name,
    value_at,
)

SKELETON = "drucksache.md.j2"


class _TemplatesOnly(jinja2.FileSystemLoader):
    """FileSystemLoader that refuses files outside the templates folder, also through symlinks."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        root = Path(self.searchpath[0]).resolve()
        if root not in Path(filename).resolve().parents:
            raise jinja2.TemplateNotFound(f"{template} (verweist aus dem Ordner templates/ hinaus)")
        return source, filename, uptodate


def make_environment(templates_dir: Path | None) -> SandboxedEnvironment:
    """The one place that builds the Jinja environment (sandboxed, StrictUndefined, German filters)."""
    loader = _TemplatesOnly(str(templates_dir)) if templates_dir else None
    env = SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        datum=german.datum,
        datum_kurz=german.datum_kurz,
        zahl=german.zahl,
        euro=german.euro,
        zahlwort=german.zahlwort,
        aufzaehlung=german.aufzaehlung,
        zitat=german.zitat,
        gross=german.gross,
        fragen_bezug=german.fragen_bezug,
        md=markdown.escape,
        zelle=markdown.escape_cell,
    )
    env.globals.update(ergaenzen=german.placeholder)
    return env


# --- views: what templates see ---------------------------------------------------------------


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


@dataclass
class Draft:
    """A rendered draft: file stem, normalised Markdown, open placeholders, warnings."""

    name: str
    markdown: str
    region: m.Region
    serie: m.Serie
    anfrage: AnfrageView
    fragen: list[tuple[int, str]]
    warnings: list[Problem] = field(default_factory=list)
    programme: list[str] = field(default_factory=list)  # ids the template asked for, in order

    @property
    def placeholders(self) -> int:
        return markdown.count_placeholders(self.markdown)


class _Recorder:
    """Collects what a template did: questions rendered, warnings about programmes."""

    def __init__(self) -> None:
        self.questions: list[int] = []
        self.warnings: list[Problem] = []
        self.programmes: list[str] = []


# --- rendering ------------------------------------------------------------------------------


class Renderer:
    """Renders drafts for one workspace; builds the environment once."""

    def __init__(self, cat: Catalogue):
        self.cat = cat
        self.env = make_environment(cat.templates_dir)
        self._snippets: dict[str, jinja2.Template] = {}
        self._strings: dict[str, jinja2.Template] = {}

    # public API

    def render(self, bundle: Bundle, region: m.Region) -> Draft:
        """Render the draft answer of ``bundle``'s series for ``region``."""
        serie = bundle.serie
        if not in_scope(self.cat, serie, region):
            raise UserError(
                f"Die Serie „{serie.id}“ gilt nur für „{scope_name(self.cat, serie)}“; "
                f"{region.name} gehört nicht dazu. Es wird kein Entwurf erstellt."
            )
        loaded = bundle.anfrage_for(region.id)
        antwort = (loaded.anfrage.antwort if loaded and loaded.anfrage.antwort else None) or serie.antwort
        rview = region_view(self.cat, region)
        recorder = _Recorder()
        aview, questions = self._anfrage_view(bundle, loaded, region, rview)
        context = self._context(bundle, region, rview, aview, questions, antwort, recorder)
        text = self._run(serie.vorlage, context)
        md = markdown.normalise(text)
        draft = Draft(
            name=f"{serie.id}-{region.id}",
            markdown=md,
            region=region,
            serie=serie,
            anfrage=aview,
            fragen=questions,
            warnings=recorder.warnings,
            programme=recorder.programmes,
        )
        self._check_structure(draft, recorder, serie.vorlage)
        return draft

    # context

    def _anfrage_view(
        self, bundle: Bundle, loaded: LoadedAnfrage | None, region: m.Region, rview: RegionView
    ) -> tuple[AnfrageView, list[tuple[int, str]]]:
        serie = bundle.serie
        wp = serie.wahlperiode
        if loaded is not None:
            a = loaded.anfrage
            questions = [(f.nr, f.text) for f in a.fragen]
            view = AnfrageView(
                nummer=str(a.nummer),
                datum=german.datum(a.datum) if a.datum else german.placeholder("Datum der Kleinen Anfrage"),
                drucksache=a.drucksache or f"{a.wahlperiode}/" + german.placeholder("Nummer der Drucksache der Kleinen Anfrage"),
                abgeordnete=markdown.escape(german.abgeordnete(a.abgeordnete)),
                fraktion=markdown.escape(a.fraktion),
                titel=markdown.escape(a.titel),
                vorbemerkung=_paragraphs(a.vorbemerkung)
                or german.placeholder("Vorbemerkung der Kleinen Anfrage (Wortlaut aus der Drucksache übernehmen)"),
                fragen={f.nr: markdown.escape(f.text) for f in a.fragen},
                muster=False,
                quelle=loaded.file,
            )
            return view, questions
        if serie.muster is None:
            raise UserError(
                f"Für {region.name} ist in der Serie „{serie.id}“ keine Kleine Anfrage erfasst und die Serie hat "
                "keinen Mustertext („muster:“). Die Anfrage mit „anfrage import“ erfassen."
            )
        marker = german.placeholder(
            f"Kleine Anfrage für {region.name} noch nicht erfasst – Wortlaut aus der Drucksache übernehmen",
            "MUSTERTEXT",
        )
        sub = {"region": region_view(self.cat, region, escaped=False)}
        question_marker = german.placeholder("Wortlaut der Frage aus der Kleinen Anfrage übernehmen", "MUSTERTEXT")
        fragen = {
            f.nr: f"{question_marker} " + markdown.escape(self._from_string(f.text, sub, bundle, ("muster", "fragen", i, "text")))
            for i, f in enumerate(serie.muster.fragen)
        }
        vorbemerkung = _paragraphs(self._from_string(serie.muster.vorbemerkung or "", sub, bundle, ("muster", "vorbemerkung")))
        view = AnfrageView(
            nummer=german.placeholder("Nummer der Kleinen Anfrage"),
            datum=german.placeholder("Datum der Kleinen Anfrage"),
            drucksache=f"{wp}/" + german.placeholder("Nummer der Drucksache der Kleinen Anfrage"),
            abgeordnete="der Abgeordneten " + german.placeholder("Namen der Abgeordneten; bei einem Abgeordneten „des Abgeordneten“"),
            fraktion=markdown.escape(serie.fraktion) if serie.fraktion else german.placeholder("Fraktion"),
            titel=f"{marker} " + markdown.escape(self._from_string(serie.muster.titel, sub, bundle, ("muster", "titel"))),
            vorbemerkung=f"{marker}\n\n{vorbemerkung}" if vorbemerkung else marker,
            fragen=fragen,
            muster=True,
            quelle=bundle.file,
        )
        return view, [(nr, text) for nr, text in fragen.items()]

    def _context(
        self,
        bundle: Bundle,
        region: m.Region,
        rview: RegionView,
        aview: AnfrageView,
        questions: list[tuple[int, str]],
        antwort: m.Antwort,
        recorder: _Recorder,
    ) -> dict[str, Any]:
        cat = self.cat
        serie = bundle.serie
        date = antwort.datum
        hub = hub_for(cat, region)
        modelle = modellregionen_for(cat, region)

        def frage(nr: int) -> str:
            if nr not in aview.fragen:
                raise RenderError(f"Die Vorlage verlangt Frage {nr}, die Kleine Anfrage hat nur {len(aview.fragen)} Fragen.")
            recorder.questions.append(nr)
            # A question is one paragraph: a line break in its text ("|" in YAML) would let a line
            # such as "2. …" start a new list item.
            text = _LINE_BREAKS.sub(" ", aview.fragen[nr]).strip()
            return f"{nr}. **{text}**"

        def fragen(*numbers: int) -> str:
            return "\n\n".join(frage(n) for n in numbers)

        def baustein(pid: str) -> str:
            programm = cat.programme.get(pid)
            if programm is None:
                raise RenderError(f"Die Vorlage nennt das unbekannte Programm „{pid}“ (nicht in data/programmes.yaml).")
            recorder.programmes.append(pid)
            if not programme_active(programm, date):
                loc = cat.locate("programm", pid)
                recorder.warnings.append(
                    Problem(
                        loc.file,
                        loc.line,
                        f"{loc.key}.gueltig_bis",
                        f"Programm „{programm.name}“ läuft zum Antwortdatum nicht (mehr) und wird im Entwurf für {region.name} ausgelassen.",
                        "warnung",
                    )
                )
                return ""
            return self._programme_block(programm, rview, hub, date, recorder)

        def bausteine(*ids: str, thema: str | None = None) -> str:
            chosen = list(ids) or [p.id for p in cat.programme.values() if thema in p.themen]
            return "\n\n".join(block for block in (baustein(pid) for pid in chosen) if block)

        return {
            "front_matter": markdown.front_matter(self._front_matter(bundle, region, aview, antwort)),
            "serie": serie,
            "region": rview,
            "anfrage": aview,
            "antwort": antwort,
            "ministerzeile": self._minister_line(aview, antwort),
            "antwortdatum": german.datum(date) if date else german.placeholder("Antwortdatum"),
            "frage": frage,
            "fragen": fragen,
            "baustein": baustein,
            "bausteine": bausteine,
            "hub": hub,
            "modellregionen": modelle,
            "projektgruppen": self._project_groups(region, rview),
            "handlungsfelder": [
                {"id": h.id, "name": markdown.escape(h.name), "beschreibung": markdown.escape(h.beschreibung or "")}
                for h in cat.handlungsfelder.values()
            ],
            "ideen": list(cat.ideen.values()),
            "fakten": {k: (markdown.escape(v) if isinstance(v, str) else v) for k, v in serie.fakten.get(region.id, {}).items()},
        }

    def _front_matter(self, bundle: Bundle, region: m.Region, aview: AnfrageView, antwort: m.Antwort) -> dict[str, Any]:
        serie = bundle.serie
        ressort = self.cat.ressorts.get(antwort.federfuehrend.ressort) if antwort.federfuehrend else None
        loaded = bundle.anfrage_for(region.id)
        return {
            "wahlperiode": serie.wahlperiode,
            "drucksache": antwort.drucksache
            or f"{serie.wahlperiode}/" + german.placeholder("Nummer der Antwort-Drucksache"),
            "datum": german.datum_kurz(antwort.datum) if antwort.datum else german.placeholder("Datum"),
            "titel": loaded.anfrage.titel if loaded else german.placeholder("Titel der Kleinen Anfrage"),
            "ressort": ressort.name if ressort else german.placeholder("federführendes Ressort"),
            "antwortdatum": antwort.datum.isoformat() if antwort.datum else None,
            "serie": serie.id,
            "region": region.id,
            "anfrage": loaded.anfrage.nummer if loaded else None,
        }

    def _minister_line(self, aview: AnfrageView, antwort: m.Antwort) -> str:
        if antwort.federfuehrend:
            office = self.cat.ressorts[antwort.federfuehrend.ressort].amt
            speaker = german.gross(german.amt(office, antwort.federfuehrend.geschlecht, "nominativ"))
        else:
            speaker = german.placeholder("Der Minister / Die Ministerin für …")
        date = german.datum(antwort.datum) if antwort.datum else german.placeholder("Datum des Schreibens")
        partners = []
        for entry in antwort.einvernehmen:
            if entry.text:
                partners.append(entry.text)
            else:
                partners.append(german.amt(self.cat.ressorts[entry.ressort].amt, entry.geschlecht, "dativ"))
        agreement = f" im Einvernehmen mit {german.aufzaehlung(partners)}" if partners else ""
        return markdown.escape(
            f"{speaker} hat die Kleine Anfrage {aview.nummer} mit Schreiben vom {date} "
            f"namens der Landesregierung{agreement} beantwortet."
        )

    def _programme_block(
        self, programm: m.Programm, rview: RegionView, hub: m.Hub | None, date: dt.date | None, recorder: _Recorder
    ) -> str:
        werte: dict[str, Any] = {}
        for name, values in programm.werte.items():
            valid = value_at(values, date)
            werte[name] = (
                valid.wert
                if valid
                else german.placeholder(f"„{name}“ von {programm.name} zum Antwortdatum (kein Wert mit passendem Stand)")
            )
        context = {
            "region": rview,
            "werte": werte,
            "hub_satz": self._hub_sentence(rview, hub),
            "antwortdatum": date,
        }
        loc = self.cat.locate("programm", programm.id)

        def error(message: str) -> RenderError:
            return RenderError(message, file=loc.file, line=loc.line, key=f"{loc.key}.text")

        try:
            template = self._snippets.get(programm.id)
            if template is None:
                template = self._snippets[programm.id] = self.env.from_string(programm.text)
            text = template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise error(f"Vorlagen-Syntaxfehler im Textbaustein: {german_syntax(exc.message)}.") from None
        except jinja2.UndefinedError as exc:
            known = f" (Werte dieses Programms: {', '.join(werte)})" if werte else ""
            raise error(f"unbekannte Variable im Textbaustein: {_german_undefined(exc.message)}{known}.") from None
        except SecurityError as exc:
            raise error(
                f"Der Textbaustein greift auf geschützte Python-Interna zu ({_german_security(exc)}); das ist nicht erlaubt."
            ) from None
        except RecursionError:
            raise error("Der Textbaustein ist zu tief verschachtelt.") from None
        except Exception as exc:  # e.g. a filter applied to a value it cannot format
            raise error(f"Fehler im Textbaustein: {exc}") from None
        block = _paragraphs(text)
        links = [f"<{url}>" for url in programm.urls]
        if programm.url_luecke:
            links.append(german.placeholder(" ".join(programm.url_luecke.split())))
        if links:
            block += "\n\n" + "\\\n".join(links)
        return block

    def _hub_sentence(self, rview: RegionView, hub: m.Hub | None) -> str:
        if hub is None:
            return german.placeholder(
                f"Satz zum DWNRW-Hub, der {rview.formen['in']} aktiv ist (z. B. „… ist das Hub „…“ aktiv.“), oder Satz streichen"
            )
        if not hub.name:
            return german.placeholder(f"Name des DWNRW-Hubs {rview.formen['in']} (Standort {hub.standort or 'unbekannt'})")
        return f"{german.gross(rview.formen['in'])} ist das Hub {german.zitat(markdown.escape(hub.name))} aktiv."

    def _project_groups(self, region: m.Region, rview: RegionView) -> list[dict[str, Any]]:
        groups = []
        for feld, rows in projects_for(self.cat, region):
            zeilen = []
            for row in rows:
                p = row.projekt
                name = p.name + (f" [{p.id}] – Teilprojekt {p.teilprojekt}" if p.teilprojekt else f" [{p.id}]")
                if row.bezug and row.bezug.text:
                    bezug = markdown.escape_cell(row.bezug.text)
                else:
                    bezug = german.placeholder(f"lokaler Bezug des Projektes {rview.formen['zu']}; Zeile streichen, wenn keiner besteht")
                zeilen.append({"id": p.id, "projekt": markdown.escape_cell(name), "bezug": bezug, "betrag": row.bezug.betrag_euro if row.bezug else None})
            groups.append({"handlungsfeld": {"id": feld.id, "name": markdown.escape(feld.name)}, "zeilen": zeilen})
        return groups

    # running templates

    def _from_string(self, source: str, context: dict[str, Any], bundle: Bundle, path: tuple[str | int, ...]) -> str:
        """Render a model text of the series (``muster``); errors name the series file and key."""
        where = {"file": bundle.file, "line": bundle.doc.line_of(path), "key": format_path(path)}
        try:
            template = self._strings.get(source)
            if template is None:  # model texts are rendered for every region: compile once
                template = self._strings[source] = self.env.from_string(source)
            return template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise RenderError(f"Vorlagen-Syntaxfehler im Mustertext: {german_syntax(exc.message)}.", **where) from None
        except jinja2.UndefinedError as exc:
            raise RenderError(f"unbekannte Variable im Mustertext: {_german_undefined(exc.message)}.", **where) from None
        except SecurityError as exc:
            raise RenderError(f"Der Mustertext greift auf geschützte Python-Interna zu ({_german_security(exc)}); das ist nicht erlaubt.", **where) from None
        except RecursionError:
            raise RenderError("Der Mustertext ist zu tief verschachtelt.", **where) from None
        except Exception as exc:
            raise RenderError(f"Fehler im Mustertext: {exc}", **where) from None

    def _run(self, name: str, context: dict[str, Any]) -> str:
        try:
            template = self.env.get_template(name)
            return template.render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise RenderError(f"Vorlagen-Syntaxfehler: {german_syntax(exc.message)}.", file=f"templates/{exc.name or name}", line=exc.lineno or 0) from None
        except jinja2.TemplateNotFound as exc:
            file, line = _template_position(sys.exc_info()[2], name)
            raise RenderError(
                f"Vorlage „{exc.name}“ nicht gefunden (Vorlagen müssen im Ordner templates/ liegen).", file=file, line=line
            ) from None
        except jinja2.UndefinedError as exc:
            file, line = _template_position(sys.exc_info()[2], name)
            raise RenderError(f"unbekannte Variable in der Vorlage: {_german_undefined(exc.message)}.", file=file, line=line) from None
        except SecurityError as exc:
            file, line = _template_position(sys.exc_info()[2], name)
            raise RenderError(
                f"Die Vorlage greift auf geschützte Python-Interna zu ({_german_security(exc)}); das ist nicht erlaubt.",
                file=file,
                line=line,
            ) from None
        except (RenderError, UserError) as exc:
            if exc.file is not None:
                raise
            # raised by a function the template called (frage(), baustein()): name its line
            file, line = _template_position(sys.exc_info()[2], name)
            raise type(exc)(exc.message, file=file, line=line) from None
        except RecursionError:
            file, line = _template_position(sys.exc_info()[2], name)
            raise RenderError(
                "Die Vorlage ist zu tief verschachtelt oder ruft sich ohne Ende selbst auf (z. B. ein Makro, das sich selbst aufruft).",
                file=file,
                line=line,
            ) from None
        except Exception as exc:  # a template may call a filter with a wrong value
            file, line = _template_position(sys.exc_info()[2], name)
            raise RenderError(f"Fehler beim Ausführen der Vorlage: {exc}", file=file, line=line) from None

    def _check_structure(self, draft: Draft, recorder: _Recorder, template: str) -> None:
        """Every question exactly once, each run of questions followed by an answer."""
        problems = []
        where = f"templates/{template}"
        for nr in sorted(draft.anfrage.fragen):
            count = recorder.questions.count(nr)
            if count == 0:
                problems.append(f"Frage {nr} fehlt im Entwurf (die Vorlage gibt sie nicht aus).")
            elif count > 1:
                problems.append(f"Frage {nr} steht {count}-mal im Entwurf.")
        for _line, run in unanswered_questions(draft.markdown):
            problems.append(f"Auf die {german.fragen_bezug(run)} folgt keine Antwort.")
        if problems:
            raise RenderError(" ".join(problems), file=where)


def _paragraphs(text: str | None) -> str:
    """Escape data text; keep its paragraphs (blank lines) and join wrapped lines."""
    if not text:
        return ""
    paragraphs = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(markdown.escape_block(p) for p in paragraphs if p)


def _template_position(tb: TracebackType | None, default: str) -> tuple[str, int]:
    """File and line of the innermost template frame of a traceback (Jinja rewrites them)."""
    file, line = f"templates/{default}", 0
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2") or code.co_filename == "<template>":
            name = code.co_filename
            if name.endswith(".j2"):
                parts = Path(name).parts
                name = "/".join(parts[parts.index("templates") :]) if "templates" in parts else name
            file, line = name, tb.tb_lineno
        tb = tb.tb_next
    return file, line


_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_UNSAFE = re.compile(r"access to attribute '([^']*)' of '([^']*)' object is unsafe")


def _german_security(exc: Exception) -> str:
    """The sandbox's English reason in German: which attribute of which kind of object."""
    match = _UNSAFE.search(str(exc))
    if match:
        return f"Zugriff auf „{match.group(1)}“ eines Objekts vom Typ „{match.group(2)}“"
    return "gesperrter Zugriff"


_NO_ATTRIBUTE = re.compile(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']*)'")
# What templates see, by type name: how to call it in German and which fields it has.
_VIEWS: dict[str, tuple[str, list[str]]] = {
    "RegionView": ("der Region", [f.name for f in fields(RegionView)]),
    "AnfrageView": ("der Kleinen Anfrage", [f.name for f in fields(AnfrageView)]),
    "Serie": ("der Serie", list(m.Serie.model_fields)),
    "Antwort": ("der Antwort", list(m.Antwort.model_fields)),
    "Hub": ("des Hubs", list(m.Hub.model_fields)),
    "Modellregion": ("der Modellregion", list(m.Modellregion.model_fields)),
    "Ruhridee": ("der Ruhridee", list(m.Ruhridee.model_fields)),
    "dict": ("des Eintrags", []),
}


def _german_undefined(message: str | None) -> str:
    """Jinja's "'x' is undefined" / "'… object' has no attribute 'y'" as a German phrase."""
    if not message:
        return "Variable nicht definiert"
    if message.endswith("is undefined"):
        return f"„{message.split(chr(39))[1]}“ ist nicht definiert" if "'" in message else message
    match = _NO_ATTRIBUTE.search(message)
    if match:
        kind, attribute = match.groups()
        what, known = _VIEWS.get(kind, (f"eines Objekts vom Typ „{kind}“", []))
        listed = f" (vorhanden: {', '.join(known)})" if known else ""
        return f"„{attribute}“ ist kein Feld {what}{listed}"
    return message


_JINJA_SYNTAX = [
    (re.compile(r"^unexpected end of template"), "Vorlage endet unerwartet – ein „{% … %}“-Block ist nicht mit „{% end… %}“ geschlossen"),
    (re.compile(r"^unexpected '(.*)'$"), "unerwartetes Zeichen „{0}“ (Klammern „{{{{ … }}}}“ bzw. „{{% … %}}“ prüfen)"),
    (re.compile(r"^Encountered unknown tag '(.*?)'"), "unbekannter Befehl „{0}“ in „{{% … %}}“"),
    (re.compile(r"^expected token '(.*?)', got '(.*?)'"), "„{0}“ erwartet, gefunden wurde „{1}“"),
    (re.compile(r"^No filter named '(.*?)'"), "unbekannter Filter „{0}“"),
    (re.compile(r"^No test named '(.*?)'"), "unbekannter Test „{0}“"),
    (re.compile(r"^unexpected char '(.*?)'"), "unerwartetes Zeichen „{0}“"),
]


def german_syntax(message: str | None) -> str:
    """The most frequent Jinja syntax messages in German (others stay as Jinja wrote them)."""
    text = (message or "").strip()
    for pattern, german_text in _JINJA_SYNTAX:
        match = pattern.match(text)
        if match:
            return german_text.format(*match.groups())
    return text
