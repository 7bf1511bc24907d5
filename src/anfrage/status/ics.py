"""The deadlines of the open Anfragen as an iCalendar file (RFC 5545), for Outlook.

Two all-day events per open Anfrage with a known Eingang: its Frist and its Freigabe (the day the
answer is due at the Staatskanzlei). Each event has a UID derived from series, KA number and kind
(``digitalisierung-2018-ka-1640-frist@anfrage``), so a calendar that imports the file again updates
the events instead of adding them twice.

SEQUENCE and DTSTAMP make that update work without making the file depend on the clock: when the
file already exists, it is read back first; an event that is unchanged keeps its SEQUENCE and
DTSTAMP, a changed one gets SEQUENCE + 1 and the DTSTAMP of ``heute`` (midnight UTC; never earlier
than its previous DTSTAMP), a new one SEQUENCE 0 and the DTSTAMP of ``heute``. The same data and the
same ``--heute`` therefore give the same bytes. Events of Anfragen that were sent are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anfrage import german
from anfrage.errors import UserError
from anfrage.output import atomic_write
from anfrage.status.rows import Zeile

PRODID = "-//anfrage//Fristen Kleiner Anfragen//DE"
KINDS = ("frist", "freigabe")


def uid(serie: str, nummer: int, kind: str) -> str:
    return f"{serie}-ka-{nummer}-{kind}@anfrage"


@dataclass(frozen=True)
class Termin:
    uid: str
    datum: dt.date
    summary: str
    description: str


def termine(zeilen: list[Zeile]) -> list[Termin]:
    """The events of the open rows with a known deadline, by date."""
    found: list[Termin] = []
    for z in zeilen:
        f = z.fristen
        if not z.offen or f is None:
            continue
        about = (
            f"Kleine Anfrage {z.nummer} „{z.titel}“ (Serie {z.serie})\n"
            f"Eingang bei der Staatskanzlei: {german.datum(f.eingang)}\n"
            f"Frist (vier Wochen): {german.datum(f.frist)}\n"
            f"Antwort zur Freigabe bei der Staatskanzlei: {german.datum(f.freigabe)} (fünf Tage vor der Frist)"
        )
        found.append(
            Termin(
                uid(z.serie, z.nummer, "frist"),
                f.frist,
                f"Frist KA {z.nummer} ({z.thema}): Antwort an den Landtag",
                about,
            )
        )
        found.append(
            Termin(
                uid(z.serie, z.nummer, "freigabe"),
                f.freigabe,
                f"Freigabe KA {z.nummer} ({z.thema}): Antwort bei der Staatskanzlei",
                about,
            )
        )
    return sorted(found, key=lambda t: (t.datum, t.uid))


@dataclass(frozen=True)
class _Before:
    sequence: int
    dtstamp: dt.datetime
    content: tuple[dt.date, str, str]


@dataclass
class IcsResult:
    path: Path
    events: int
    neu: int = 0
    geaendert: int = 0


def _stamp(heute: dt.date) -> dt.datetime:
    return dt.datetime.combine(heute, dt.time(0, 0), tzinfo=dt.UTC)


def _previous(path: Path, display: str) -> dict[str, _Before]:
    """The events of an earlier export at ``path`` (empty when there is none)."""
    if not path.exists():
        return {}
    from icalendar import Calendar

    if not path.is_file():
        raise UserError(f"„{display}“ ist keine Datei.")
    try:
        calendar = Calendar.from_ical(path.read_bytes())
    except Exception:  # noqa: BLE001 - icalendar raises ValueError and others for foreign files
        raise UserError(f"„{display}“ ist keine iCalendar-Datei; sie wird nicht überschrieben.") from None
    found: dict[str, _Before] = {}
    for event in calendar.walk("VEVENT"):
        try:
            stamp = event.decoded("DTSTAMP")
            start = event.decoded("DTSTART")
            found[str(event["UID"])] = _Before(
                int(event.get("SEQUENCE", 0)),
                stamp if isinstance(stamp, dt.datetime) else _stamp(stamp),
                (start, str(event.get("SUMMARY", "")), str(event.get("DESCRIPTION", ""))),
            )
        except (KeyError, ValueError, TypeError):
            continue  # not one of ours; it is not carried over
    return found


def write_ics(path: Path, zeilen: list[Zeile], heute: dt.date, display: str | None = None) -> IcsResult:
    """Write the events of ``zeilen`` to ``path`` (atomic); see the module docstring for UID and SEQUENCE."""
    from icalendar import Calendar, Event

    shown = display or str(path)
    before = _previous(path, shown)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Fristen Kleiner Anfragen")
    result = IcsResult(path, 0)
    for termin in termine(zeilen):
        content = (termin.datum, termin.summary, termin.description)
        old = before.get(termin.uid)
        if old is None:
            sequence, stamp = 0, _stamp(heute)
            result.neu += 1
        elif old.content == content:
            sequence, stamp = old.sequence, old.dtstamp
        else:
            sequence, stamp = old.sequence + 1, max(_stamp(heute), old.dtstamp)
            result.geaendert += 1
        event: Any = Event()
        event.add("uid", termin.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", termin.datum)
        event.add("dtend", termin.datum + dt.timedelta(days=1))
        event.add("summary", termin.summary)
        event.add("description", termin.description)
        event.add("sequence", sequence)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
        result.events += 1
    atomic_write(path, calendar.to_ical())
    return result
