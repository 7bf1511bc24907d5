"""The four-week clock of a Kleine Anfrage.

A Kleine Anfrage is to be answered within four weeks (GO Landtag NRW, 17. WP § 92 Abs. 3;
16. WP § 88 Abs. 3). GGO NRW § 32 Abs. 2 counts the four weeks from the Anfrage's arrival at the
Staatskanzlei (``eingang``) and wants the answer at the Staatskanzlei for release five days before
the deadline (``freigabe``). Days are calendar days; a deadline on a weekend or holiday is not
moved (the rules quoted do not say so).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from anfrage import models as m
from anfrage.errors import UserError

FRIST = dt.timedelta(weeks=4)
FREIGABE_VORLAUF = dt.timedelta(days=5)
#: A draft counts as due (highlighted, ``check --strict``) from this many days before its Frist.
FAELLIG_TAGE = FREIGABE_VORLAUF.days


@dataclass(frozen=True)
class Fristen:
    """The dates of one Anfrage's clock."""

    eingang: dt.date
    frist: dt.date
    freigabe: dt.date

    def tage(self, heute: dt.date) -> int:
        """Days from ``heute`` to the Frist; negative when it has passed."""
        return (self.frist - heute).days

    def faellig(self, heute: dt.date) -> bool:
        """Whether the release period has begun (``heute`` ≥ Freigabe)."""
        return heute >= self.freigabe


def eingang(anfrage: m.Anfrage) -> dt.date | None:
    """Arrival at the Staatskanzlei: ``eingang:`` of the Anfrage, else its ``datum``."""
    return anfrage.eingang or anfrage.datum


def fristen(anfrage: m.Anfrage) -> Fristen | None:
    """The clock of an Anfrage, or None when neither ``eingang`` nor ``datum`` is known."""
    return fristen_ab(eingang(anfrage))


def fristen_ab(start: dt.date | None) -> Fristen | None:
    """The clock that starts on the day of arrival ``start`` (None: unknown)."""
    if start is None:
        return None
    frist = start + FRIST
    return Fristen(start, frist, frist - FREIGABE_VORLAUF)


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_GERMAN = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_datum(text: str, option: str) -> dt.date:
    """A date as a clerk types it: ``2018-11-28`` or ``28.11.2018``; ``UserError`` otherwise."""
    raw = text.strip()
    iso, german = _ISO.match(raw), _GERMAN.match(raw)
    try:
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if german:
            return dt.date(int(german.group(3)), int(german.group(2)), int(german.group(1)))
    except ValueError:
        pass
    shown = "".join(ch if ch.isprintable() else "?" for ch in raw)[:40]
    raise UserError(
        f"{option}: „{shown}“ ist kein gültiges Datum (JJJJ-MM-TT oder TT.MM.JJJJ, z. B. 2018-11-28 oder 28.11.2018)."
    )


def heute_oder(text: str | None, option: str = "--heute") -> dt.date:
    """The date given as ``text``, or today's date."""
    return parse_datum(text, option) if text is not None else dt.date.today()
