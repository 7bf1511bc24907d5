"""German formats and grammar for the answers: dates, Euro, number words, lists, MdL and offices.

Every function is a Jinja filter or global of the one environment in ``templating.py`` and has unit
tests in ``tests/test_german.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

LOCALE = "de_DE"

_NUMBER_WORDS = [
    "null",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
]


def datum(value: dt.date | None) -> str:
    """``2018-11-28`` → ``28. November 2018`` (day without leading zero)."""
    if value is None:
        return placeholder("Datum")
    from babel.dates import format_date  # babel's locale data loads only when a date is formatted

    return format_date(value, "d. MMMM y", locale=LOCALE)


def datum_kurz(value: dt.date | None) -> str:
    """``2018-11-28`` → ``28.11.2018`` (as in the Drucksache header)."""
    if value is None:
        return placeholder("Datum")
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def zahl(value: int | float | str) -> str:
    """``521864`` → ``521.864``; ``2.5`` → ``2,5``; a text (e.g. a placeholder) stays as it is."""
    if isinstance(value, str):
        return value
    from babel.numbers import format_decimal

    return format_decimal(value, locale=LOCALE)


def euro(value: int | float | str | None) -> str:
    """``521864`` → ``521.864 Euro``; a placeholder stays as it is."""
    if value is None:
        return placeholder("Betrag in Euro")
    if isinstance(value, str) and value.startswith("[["):
        return value
    return f"{zahl(value)} Euro"


def zahlwort(value: int | str) -> str:
    """Numbers up to twelve as words in running text (``6`` → ``sechs``), larger ones as digits.

    "ein" rather than "eins" is left to the template, because it depends on the noun.
    """
    if isinstance(value, str):
        return value
    if 0 <= value < len(_NUMBER_WORDS):
        return _NUMBER_WORDS[value]
    return zahl(value)


def aufzaehlung(items: Iterable[str], konjunktion: str = "und") -> str:
    """``["A", "B", "C"]`` → ``A, B und C``."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {konjunktion} {items[-1]}"


def zitat(text: str) -> str:
    """Put a text in German quotation marks: „…“."""
    return f"„{text}“"


def abgeordnete(people: Sequence[object]) -> str:
    """The genitive phrase of the header: "des Abgeordneten X", "der Abgeordneten X", "der Abgeordneten A und B".

    ``people`` are objects or dicts with ``name`` and ``geschlecht`` ("m", "w" or None). Only one man
    takes "des Abgeordneten"; a woman, several people or an unknown gender take "der Abgeordneten"
    (the plural genitive, identical for all genders).
    """
    names = [str(_get(p, "name")) for p in people]
    if not names:
        return "der Abgeordneten " + placeholder("Namen der Abgeordneten")
    if len(people) == 1 and _get(people[0], "geschlecht") == "m":
        return f"des Abgeordneten {names[0]}"
    if len(people) == 1 and _get(people[0], "geschlecht") is None:
        return f"{placeholder('des/der')} Abgeordneten {names[0]}"
    return f"der Abgeordneten {aufzaehlung(names)}"


def amt(office: str, geschlecht: str | None, kasus: str = "nominativ", artikel: bool = True) -> str:
    """An office in the right gender and case.

    ``amt("Minister für Arbeit", "w", "dativ")`` → ``der Ministerin für Arbeit``;
    ``amt("Ministerpräsident", "m", "dativ")`` → ``dem Ministerpräsidenten``.
    ``office`` is the masculine form as stored in ``ressorts.yaml``.
    """
    head, _, rest = office.partition(" ")
    if geschlecht is None and artikel:
        # not known yet: both forms to choose from, as one placeholder ("der Minister oder die Ministerin")
        male, female = amt(head, "m", kasus), amt(head, "w", kasus)
        return f"{placeholder(f'{male} oder {female}')} {rest}".strip()
    if geschlecht == "w":
        head = head + "in"
    elif geschlecht == "m" and kasus in ("dativ", "akkusativ", "genitiv") and head.endswith("präsident"):
        head = head + "en"  # weak noun: dem/den/des Ministerpräsidenten
    elif geschlecht is None:
        head = f"{head}{placeholder('/in')}"
    phrase = f"{head} {rest}".strip()
    if not artikel:
        return phrase
    articles = {
        ("m", "nominativ"): "der",
        ("w", "nominativ"): "die",
        ("m", "dativ"): "dem",
        ("w", "dativ"): "der",
        ("m", "genitiv"): "des",
        ("w", "genitiv"): "der",
        ("m", "akkusativ"): "den",
        ("w", "akkusativ"): "die",
    }
    article = articles.get((geschlecht or "", kasus), placeholder("Artikel"))
    return f"{article} {phrase}"


def region_nominativ(name: str, art: str) -> str:
    """A region as subject: "Bochum", "der Kreis Unna", "der Märkische Kreis", "die Städteregion Aachen"."""
    if art == "kreisfreie Stadt":
        return name
    if art == "Städteregion":
        return f"die {name}"
    first, _, rest = name.partition(" ")
    if rest == "Kreis" and first.endswith("er"):  # "Märkischer Kreis" → "der Märkische Kreis"
        return f"der {first[:-1]} Kreis"
    return f"der {name}"


def formen_landtagswahlkreis(nummer: int, name: str) -> dict[str, str]:
    """``115, "Unna I"`` → "im Landtagswahlkreis 115 Unna I", "zum …", "des Landtagswahlkreises 115 Unna I",
    "der Landtagswahlkreis 115 Unna I"."""
    titel = f"{nummer} {name}"
    return {
        "in": f"im Landtagswahlkreis {titel}",
        "zu": f"zum Landtagswahlkreis {titel}",
        "genitiv": f"des Landtagswahlkreises {titel}",
        "nominativ": f"der Landtagswahlkreis {titel}",
    }


def formen_gemeinde(name: str, art: str | None) -> dict[str, str]:
    """A Gemeinde in running text. The genitive names its kind where known ("der Stadt Delbrück",
    "der Gemeinde Holzwickede"); otherwise "von Lippstadt", which needs no kind."""
    if art and "Stadt" in art:
        genitiv = f"der Stadt {name}"
    elif art and "Gemeinde" in art:
        genitiv = f"der Gemeinde {name}"
    else:
        genitiv = f"von {name}"
    return {"in": f"in {name}", "zu": f"zu {name}", "genitiv": genitiv, "nominativ": name}


def formen_projekt(name: str) -> dict[str, str]:
    """A project in running text: "im Projekt „…“", "zum Projekt „…“", "des Projekts „…“", "das Projekt „…“"."""
    quoted = zitat(name)
    return {
        "in": f"im Projekt {quoted}",
        "zu": f"zum Projekt {quoted}",
        "genitiv": f"des Projekts {quoted}",
        "nominativ": f"das Projekt {quoted}",
    }


def gross(text: str) -> str:
    """Capitalise the first letter only (``der Minister`` → ``Der Minister``), also the first letter
    inside a leading placeholder (``[[ERGÄNZEN: der …]]`` → ``[[ERGÄNZEN: Der …]]``)."""
    if text.startswith("[[") and ": " in text:
        at = text.index(": ") + 2
        return text[:at] + text[at : at + 1].upper() + text[at + 1 :]
    return text[:1].upper() + text[1:]


def fragen_bezug(numbers: Sequence[int], punkt: bool = False) -> str:
    """``[4, 5]`` → ``Fragen 4 und 5``; ``[1, 2, 3, 4, 5]`` → ``Fragen 1 bis 5``; ``[2]`` → ``Frage 2``.

    With ``punkt`` the numbers carry a period as in some answers ("Fragen 4. und 5.").
    """
    numbers = sorted(numbers)
    mark = "." if punkt else ""
    if len(numbers) == 1:
        return f"Frage {numbers[0]}{mark}"
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"Fragen {numbers[0]}{mark} bis {numbers[-1]}{mark}"
    return "Fragen " + aufzaehlung([f"{n}{mark}" for n in numbers])


def anzahl(n: int, singular: str, plural: str, null: str | None = None) -> str:
    """``anzahl(1, "Entwurf", "Entwürfe")`` → ``1 Entwurf``; ``3`` → ``3 Entwürfe``; 0 → ``null`` if given."""
    if n == 0 and null is not None:
        return null
    return f"{n} {singular if n == 1 else plural}"


def placeholder(what: str, kind: str = "ERGÄNZEN") -> str:
    """A visible marker for the clerk: ``[[ERGÄNZEN: what]]``."""
    what = what.replace("]]", "] ]")
    return f"[[{kind}: {what}]]"


def _get(obj: object, key: str) -> object:
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)
