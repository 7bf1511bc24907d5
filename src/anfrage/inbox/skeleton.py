"""The files of a new series: ``data/anfragen/<id>.yaml`` and the skeleton answer ``templates/<id>.md.j2``.

Both are written for the clerk who edits them next: German comments say what to fill in; what the
Anfragen do not say stays null (a placeholder in the drafts). The template has every question of the
series with an answer block holding a visible placeholder, and below it the best-matching Textbausteine
as Jinja comments in the form ``{#{ bausteine("id") }#}``: deleting the two ``#`` makes the line
``{{ bausteine("id") }}``, which the drafts then contain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml

from anfrage import models as m
from anfrage.inbox.suggest import Vorschlag

DEAKTIVIERT = '{{#{{ bausteine("{id}") }}#}}'
"""A suggestion as the template holds it: a comment that becomes live by deleting its two ``#``."""


@dataclass
class Amt:
    """An office of the answer: ressort id and, where given, the holder's gender."""

    ressort: str
    geschlecht: str | None = None


@dataclass
class SerieEntwurf:
    """What a new series file says."""

    id: str
    titel: str
    titel_quelle: str  # where the title comes from, for the comment
    einheit: m.EinheitArt
    wahlperiode: int | None
    fraktion: str | None
    geltungsbereich: list[str]
    anfragen: list[str]
    federfuehrend: Amt | None = None
    einvernehmen: list[Amt] = field(default_factory=list)
    hinweise: list[str] = field(default_factory=list)  # comments about gaps (German)


def scalar(value: object) -> str:
    """One YAML scalar as it stands after ``key: ``."""
    text = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_flow_style=True)
    return text.removesuffix("\n...\n").strip()


def series_yaml(s: SerieEntwurf) -> str:
    """The series file, with German comments for the clerk."""
    lines = [
        f"# Serie „{s.id}“ – angelegt mit „anfrage serie neu“ aus {len(s.anfragen)} Kleinen Anfragen.",
        "# Was die Anfragen nicht sagen, steht hier als null und erscheint im Entwurf als [[ERGÄNZEN: …]].",
        "# Weitere Anfragen derselben Serie: anfrage import DATEI … --serie " + s.id,
        *(f"# {hinweis}" for hinweis in s.hinweise),
        f"id: {s.id}",
        f"titel: {scalar(s.titel)}   # {s.titel_quelle}",
        f"vorlage: {s.id}.md.j2   # die Antwortvorlage in templates/",
    ]
    if s.einheit != "region":
        lines.append(f"einheit: {s.einheit}   # je Entwurf ein {m.EINHEIT_NAMEN[s.einheit]}")
    lines += [
        f"wahlperiode: {scalar(s.wahlperiode)}",
        f"fraktion: {scalar(s.fraktion)}",
        "# Für wen Entwürfe entstehen: die Einheiten der erfassten Anfragen („anfrage import“ ergänzt sie).",
        "geltungsbereich:",
        *(f"  - {ident}" for ident in s.geltungsbereich),
        "antwort:",
        "  # Ressorts: Kennungen aus data/ressorts.yaml; geschlecht der Amtsinhaberin (w) oder des",
        "  # Amtsinhabers (m) – null zeigt im Entwurf einen Platzhalter.",
    ]
    if s.federfuehrend is None:
        lines.append("  federfuehrend: null   # z. B. {ressort: mags, geschlecht: w}")
    else:
        lines.append(f"  federfuehrend: {_amt(s.federfuehrend)}")
    if s.einvernehmen:
        lines.append("  einvernehmen:")
        lines += [f"    - {_amt(a)}" for a in s.einvernehmen]
    else:
        lines.append("  einvernehmen: []   # z. B. [{ressort: mp, geschlecht: m}, {text: allen anderen …}]")
    lines += [
        "  datum: null   # Antwortdatum (Schreiben vom …), z. B. 2025-06-09",
        "  # Die Nummer der Antwort-Drucksache gehört in die Datei der jeweiligen Anfrage:",
        '  # antwort: {drucksache: "18/1234"}',
        "anfragen:",
        *(f"  - {path}" for path in s.anfragen),
    ]
    return "\n".join(lines) + "\n"


def _amt(amt: Amt) -> str:
    return f"{{ressort: {amt.ressort}, geschlecht: {scalar(amt.geschlecht)}}}"


def _comment_text(text: str) -> str:
    """Text that can stand inside a Jinja comment (which the first ``#}`` would end), on one line."""
    return " ".join(text.replace("#}", "# }").split())


def template(
    serie_id: str,
    fragen: Sequence[tuple[int, str]],
    vorschlaege: Sequence[Sequence[Vorschlag]],
    immer: int,
) -> str:
    """The skeleton answer: every question, an answer placeholder, the suggested Textbausteine.

    ``fragen`` are (number, wording of the first Anfrage); questions above ``immer`` are not in every
    Anfrage of the series and stand in ``{% if … %}``.
    """
    out = [
        f"{{#- Antwortvorlage der Serie „{serie_id}“, angelegt mit „anfrage serie neu“.",
        "    Die Fragen stehen in jedem Entwurf im Wortlaut seiner Kleinen Anfrage ({{ frage(1) }} usw.).",
        "    Unter jeder Frage: den Platzhalter [[ERGÄNZEN: …]] durch die Antwort ersetzen.",
        "    Vorschläge aus data/programmes.yaml stehen als Kommentar darunter, die besten zuerst. Einen",
        "    Textbaustein übernehmen: in seiner Zeile die beiden Zeichen „#“ (nach der ersten und vor der letzten",
        '    Klammer) löschen, dann steht dort {{ bausteine("…") }}, und den Platzhalter darüber löschen.',
        "    Den Text eines Bausteins zeigt „anfrage list programme“; Standardformulierungen stehen in",
        "    templates/bausteine/floskeln.md.j2 (z. B. {{ floskeln.keine_daten() }}). -#}",
        '{% extends "drucksache.md.j2" %}',
        '{% import "bausteine/floskeln.md.j2" as floskeln %}',
        "",
        "{% block vorbemerkung_landesregierung %}",
        "{#- Eine Vorbemerkung der Landesregierung (für alle Entwürfe gleich) hier einfügen, beginnend mit",
        "    der Zeile „## Vorbemerkung der Landesregierung“ – oder den Block leer lassen. -#}",
        "{% endblock %}",
        "",
        "{% block antworten %}",
    ]
    for (nr, wortlaut), passend in zip(fragen, vorschlaege, strict=True):
        optional = nr > immer
        if optional:
            out.append(f"{{#- Frage {nr} stellen nicht alle Anfragen der Serie. #}}")
            out.append(f"{{% if {nr} in anfrage.fragen %}}")
        out += [
            f"{{# Frage {nr}: „{_comment_text(wortlaut)}“ #}}",
            f"{{{{ frage({nr}) }}}}",
            "",
            f'{{{{ ergaenzen("Antwort auf Frage {nr}") }}}}',
            "",
        ]
        if passend:
            names = "; ".join(f"{v.id}: {_comment_text(v.name)}" for v in passend)
            out.append(f"{{# Passende Textbausteine zu Frage {nr} – {names} #}}")
            for vorschlag in passend:
                out += [DEAKTIVIERT.format(id=vorschlag.id), ""]
        else:
            out += [f"{{# Kein Textbaustein im Katalog passt zu Frage {nr}. #}}", ""]
        if optional:
            out.append("{% endif %}")
            out.append("")
    while out and out[-1] == "":
        out.pop()
    out.append("{% endblock %}")
    return "\n".join(out) + "\n"
