"""Rendering a draft answer: the series' template with the context of one region.

The renderer builds the template context (typed views, German formats, the Textbausteine of the
catalogue) and runs the series' template in the one sandboxed environment (``templating.py``). It
returns what the template wrote, unnormalised, with a record of what the template asked for; the
pipeline normalises it and the guard checks it.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import jinja2

from anfrage import draft, german, markdown
from anfrage import models as m
from anfrage.errors import Problem, RenderError, UnknownProgramme, UserError
from anfrage.load.catalogue import Catalogue
from anfrage.load.series import Bundle, LoadedAnfrage
from anfrage.render.context import VIEWS, AnfrageView, RegionView, paragraphs, region_view
from anfrage.select import (
    Subject,
    effective_antwort,
    einheit_of,
    hub_for,
    modellregionen_for,
    programme_active,
    projects_for,
    value_at,
    value_uncertain,
)
from anfrage.templating import (
    describe_error,
    make_environment,
    render_bounded,
    run_with_deadline,
    template_position,
)
from anfrage.yamlio import format_path

__all__ = ["Rendered", "Renderer"]

_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")


@dataclass
class Rendered:
    """What a series' template wrote for one region, before normalisation.

    ``questions`` are the question numbers in the order the template rendered them; ``programme``
    the Textbausteine it asked for; ``warnings`` concern ended programmes; ``bausteine`` the text
    each Textbaustein gave (id, block as inserted), for tracing a draft's lines back to the
    catalogue (``anfrage.origin``).
    """

    name: str
    text: str
    region: m.Einheit
    serie: m.Serie
    anfrage: AnfrageView
    fragen: list[tuple[int, str]]
    template: str
    questions: list[int] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    programme: list[str] = field(default_factory=list)
    bausteine: list[tuple[str, str]] = field(default_factory=list)


SKELETON = "drucksache.md.j2"


class _Recorder:
    """Collects what a template did: questions rendered, warnings about programmes."""

    def __init__(self) -> None:
        self.questions: list[int] = []
        self.warnings: list[Problem] = []
        self.programmes: list[str] = []
        self.blocks: list[tuple[str, str]] = []


def _wahlperiode(serie: m.Serie, loaded: LoadedAnfrage | None) -> int | None:
    """The Wahlperiode of a draft: its Anfrage's, else the series' (None: no source states it)."""
    if loaded is not None and loaded.anfrage.wahlperiode is not None:
        return loaded.anfrage.wahlperiode
    return serie.wahlperiode


def _drucksache(wahlperiode: int | None, what: str) -> str:
    """A Drucksache number no source gives: "17/[[ERGÄNZEN: Nummer der …]]", or all of it open."""
    if wahlperiode is None:
        return german.placeholder(f"{what} (Wahlperiode/Nummer)")
    return f"{wahlperiode}/" + german.placeholder(f"Nummer der {what}")


# --- rendering ------------------------------------------------------------------------------


class Renderer:
    """Renders drafts for one workspace; builds the environment once."""

    def __init__(self, cat: Catalogue):
        self.cat = cat
        self.env = make_environment(cat.templates_dir, cat.grenzen)
        self._snippets: dict[str, jinja2.Template] = {}
        self._strings: dict[str, jinja2.Template] = {}
        # A template that ran out of time once would for every region: the others fail at once.
        self._timed_out: dict[str, RenderError] = {}

    # public API

    def render(self, bundle: Bundle, subject: Subject) -> Rendered:
        """Run the template of ``bundle``'s series for a region or other Einheit (scope is the caller's concern)."""
        serie = bundle.serie
        region = einheit_of(self.cat, subject)
        loaded = bundle.anfrage_for(region.id)
        antwort = effective_antwort(serie, loaded.anfrage if loaded else None)
        rview = region_view(self.cat, region, wortlaut=loaded.anfrage.formen if loaded else None)
        recorder = _Recorder()
        aview, questions = self._anfrage_view(bundle, loaded, region, rview)
        context = self._context(bundle, region, rview, aview, questions, antwort, recorder)
        return Rendered(
            name=f"{serie.id}-{region.id}",
            text=self._run_within_limits(serie.vorlage, context),
            region=region,
            serie=serie,
            anfrage=aview,
            fragen=questions,
            template=serie.vorlage,
            questions=recorder.questions,
            warnings=recorder.warnings,
            programme=recorder.programmes,
            bausteine=recorder.blocks,
        )

    # context

    def _anfrage_view(
        self, bundle: Bundle, loaded: LoadedAnfrage | None, region: m.Einheit, rview: RegionView
    ) -> tuple[AnfrageView, list[tuple[int, str]]]:
        serie = bundle.serie
        wp = _wahlperiode(serie, loaded)
        anfrage_drucksache = _drucksache(wp, "Drucksache der Kleinen Anfrage")
        if loaded is not None:
            a = loaded.anfrage
            questions = [(f.nr, f.text) for f in a.fragen]
            view = AnfrageView(
                nummer=str(a.nummer),
                datum=german.datum(a.datum) if a.datum else german.placeholder("Datum der Kleinen Anfrage"),
                drucksache=a.drucksache or anfrage_drucksache,
                abgeordnete=markdown.escape(german.abgeordnete(a.abgeordnete)),
                fraktion=markdown.escape(a.fraktion),
                titel=markdown.escape(a.titel),
                vorbemerkung=paragraphs(a.vorbemerkung)
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
            f.nr: f"{question_marker} "
            + markdown.escape(self._from_string(f.text, sub, bundle, ("muster", "fragen", i, "text")))
            for i, f in enumerate(serie.muster.fragen)
        }
        vorbemerkung = paragraphs(
            self._from_string(serie.muster.vorbemerkung or "", sub, bundle, ("muster", "vorbemerkung"))
        )
        view = AnfrageView(
            nummer=german.placeholder("Nummer der Kleinen Anfrage"),
            datum=german.placeholder("Datum der Kleinen Anfrage"),
            drucksache=anfrage_drucksache,
            abgeordnete="der Abgeordneten "
            + german.placeholder("Namen der Abgeordneten; bei einem Abgeordneten „des Abgeordneten“"),
            fraktion=markdown.escape(serie.fraktion) if serie.fraktion else german.placeholder("Fraktion"),
            titel=f"{marker} "
            + markdown.escape(self._from_string(serie.muster.titel, sub, bundle, ("muster", "titel"))),
            vorbemerkung=f"{marker}\n\n{vorbemerkung}" if vorbemerkung else marker,
            fragen=fragen,
            muster=True,
            quelle=bundle.file,
        )
        return view, [(nr, text) for nr, text in fragen.items()]

    def _context(
        self,
        bundle: Bundle,
        region: m.Einheit,
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
                raise RenderError(
                    f"Die Vorlage verlangt Frage {nr}, die Kleine Anfrage hat nur {len(aview.fragen)} Fragen."
                )
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
                raise UnknownProgramme(pid, broken=pid in cat.invalid_ids)
            recorder.programmes.append(pid)
            if not programme_active(programm, date):
                loc = cat.locate("programm", pid)
                recorder.warnings.append(
                    Problem(
                        loc.file,
                        loc.line,
                        f"{loc.key}.gueltig_bis",
                        f"Programm „{programm.name}“ läuft zum Antwortdatum nicht (mehr) und wird im Entwurf für "
                        f"{region.name} ausgelassen.",
                        "warnung",
                    )
                )
                return ""
            block = self._programme_block(programm, rview, hub, date, recorder)
            recorder.blocks.append((pid, block))
            return block

        def bausteine(*ids: str, thema: str | None = None) -> str:
            if not ids and thema is not None and cat.themen and thema not in cat.themen:
                known = ", ".join(cat.themen)
                raise RenderError(f"unbekanntes Thema „{thema}“ (bekannt aus data/themen.yaml: {known}).")
            chosen = list(ids) or [p.id for p in cat.programme.values() if thema in p.themen]
            return "\n\n".join(block for block in (baustein(pid) for pid in chosen) if block)

        return {
            "front_matter": draft.front_matter(self._front_matter(bundle, region, aview, antwort)),
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
            "fakten": {
                k: (markdown.escape(v) if isinstance(v, str) else v) for k, v in serie.fakten.get(region.id, {}).items()
            },
        }

    def _front_matter(
        self, bundle: Bundle, region: m.Einheit, aview: AnfrageView, antwort: m.Antwort
    ) -> dict[str, Any]:
        serie = bundle.serie
        ressort = self.cat.ressorts.get(antwort.federfuehrend.ressort) if antwort.federfuehrend else None
        loaded = bundle.anfrage_for(region.id)
        wp = _wahlperiode(serie, loaded)
        return {
            "wahlperiode": wp if wp is not None else german.placeholder("Wahlperiode"),
            "drucksache": antwort.drucksache or _drucksache(wp, "Antwort-Drucksache"),
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
            elif entry.ressort is not None:  # the model requires a ressort where there is no text
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
            if valid is None:
                werte[name] = german.placeholder(
                    f"„{name}“ von {programm.name} zum Antwortdatum (kein Wert mit passendem Stand)"
                )
            elif value_uncertain(values, date):
                werte[name] = german.placeholder(
                    f"{valid.wert} (Stand laut Quelle nur „{valid.stand}“, Tag unbekannt) – galt der Wert zum "
                    "Antwortdatum schon?",
                    "PRÜFEN",
                )
            else:
                werte[name] = valid.wert
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
            text = render_bounded(template, context, self.cat.grenzen)
        except Exception as exc:  # noqa: BLE001 - any error of a user's Textbaustein becomes a German message
            known = f" (Werte dieses Programms: {', '.join(werte)})" if werte else ""
            raise error(describe_error(exc, "textbaustein", VIEWS, known)) from None
        block = paragraphs(text)
        links = [f"<{url}>" for url in programm.urls]
        if programm.url_luecke:
            links.append(german.placeholder(" ".join(programm.url_luecke.split())))
        if links:
            block += "\n\n" + "\\\n".join(links)
        return block

    def _hub_sentence(self, rview: RegionView, hub: m.Hub | None) -> str:
        if hub is None:
            return german.placeholder(
                f"Satz zum DWNRW-Hub, der {rview.formen['in']} aktiv ist (z. B. „… ist das Hub „…“ aktiv.“), oder "
                "Satz streichen"
            )
        if not hub.name:
            return german.placeholder(
                f"Name des DWNRW-Hubs {rview.formen['in']} (Standort {hub.standort or 'unbekannt'})"
            )
        return f"{german.gross(rview.formen['in'])} ist das Hub {german.zitat(markdown.escape(hub.name))} aktiv."

    def _project_groups(self, region: m.Einheit, rview: RegionView) -> list[dict[str, Any]]:
        groups = []
        for feld, rows in projects_for(self.cat, region):
            zeilen = []
            for row in rows:
                p = row.projekt
                name = p.name + (f" [{p.id}] – Teilprojekt {p.teilprojekt}" if p.teilprojekt else f" [{p.id}]")
                if row.bezug and row.bezug.text:
                    bezug = markdown.escape_cell(row.bezug.text)
                else:
                    bezug = german.placeholder(
                        f"lokaler Bezug des Projektes {rview.formen['zu']}; Zeile streichen, wenn keiner besteht"
                    )
                zeilen.append(
                    {
                        "id": p.id,
                        "projekt": markdown.escape_cell(name),
                        "bezug": bezug,
                        "betrag": row.bezug.betrag_euro if row.bezug else None,
                    }
                )
            groups.append({"handlungsfeld": {"id": feld.id, "name": markdown.escape(feld.name)}, "zeilen": zeilen})
        return groups

    # running templates

    def _from_string(self, source: str, context: dict[str, Any], bundle: Bundle, path: tuple[str | int, ...]) -> str:
        """Render a model text of the series (``muster``); errors name the series file and key."""
        line, key = bundle.doc.line_of(path), format_path(path)
        try:
            template = self._strings.get(source)
            if template is None:  # model texts are rendered for every region: compile once
                template = self._strings[source] = self.env.from_string(source)
            return render_bounded(template, context, self.cat.grenzen)
        except Exception as exc:  # noqa: BLE001 - any error of a user's model text becomes a German message
            raise RenderError(describe_error(exc, "mustertext", VIEWS), file=bundle.file, line=line, key=key) from None

    def _run_within_limits(self, name: str, context: dict[str, Any]) -> str:
        """The template, stopped when it runs longer than the workspace allows (``grenzen.sekunden``)."""
        seconds = self.cat.grenzen.sekunden
        if name in self._timed_out:
            earlier = self._timed_out[name]
            raise RenderError(earlier.message, file=earlier.file, line=earlier.line)

        def timeout(tb: TracebackType | None) -> RenderError:
            file, line = template_position(tb, name)
            limit = f"{seconds:g}".replace(".", ",")
            self._timed_out[name] = error = RenderError(
                f"Die Vorlage lief länger als {limit} Sekunden und wurde abgebrochen – vermutlich eine Schleife, "
                "die nicht endet (Grenze: „grenzen: sekunden:“ in data/einstellungen.yaml).",
                file=file,
                line=line,
            )
            return error

        return run_with_deadline(lambda: self._run(name, context), seconds, timeout)

    def _run(self, name: str, context: dict[str, Any]) -> str:
        try:
            template = self.env.get_template(name)
            return render_bounded(template, context, self.cat.grenzen)
        except jinja2.TemplateSyntaxError as exc:
            message = describe_error(exc, "vorlage")
            raise RenderError(message, file=f"templates/{exc.name or name}", line=exc.lineno or 0) from None
        except (RenderError, UserError) as exc:
            if exc.file is not None:
                raise
            # raised by a function the template called (frage(), baustein()): name its line
            file, line = template_position(sys.exc_info()[2], name)
            exc.file, exc.line = file, line
            raise
        except Exception as exc:  # noqa: BLE001 - a template may call a filter with a wrong value
            file, line = template_position(sys.exc_info()[2], name)
            raise RenderError(describe_error(exc, "vorlage", VIEWS), file=file, line=line) from None
