"""Lines that structure a Drucksache, shared by the header and the question parsers.

Both need to know where a block ends (a heading such as "Vorbemerkung der Landesregierung", the
"Kleine Anfrage N" line, the Abgeordneten line), so the patterns live here, below both; the
restoring of flattened text (``reflow``) looks for the same structure inside a line.
"""

from __future__ import annotations

import re

MONTHS = {
    "januar": 1,
    "februar": 2,
    "märz": 3,
    "maerz": 3,
    "april": 4,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "august": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "dezember": 12,
}
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
"""Month names as regex alternatives, longest first (an alternation takes the first one that matches)."""

# "24.10.2018", "24. Oktober 2018", "3. September 2020" (month names in any case)
DATE_RE = rf"\d{{1,2}}\.\s*(?:\d{{1,2}}\.\s*|(?i:{MONTH_RE})\s+)\d{{4}}"

# "des Abgeordneten Max Muster SPD", "der Abgeordneten Anna Beispiel und Max Muster CDU"
ABG_RE = re.compile(r"^(des|der)\s+Abgeordneten\b\s*(.*)$")
# "Kleine Anfrage 1640" alone on a line heads the Anfrage's own Drucksache (MdL websites add "vom …")
KA_LINE_RE = re.compile(rf"^Kleine\s+Anfrage\s+(\d{{1,6}})(?:\s+vom\s+{DATE_RE})?\s*:?$")
# "Kleine Anfrage" without a number: the label over a question text on an MdL's website
KA_LABEL_RE = re.compile(r"^Kleine\s+Anfrage\s*:?$")
HEADING_VKA = re.compile(r"^Vorbemerkung\s+der\s+Kleinen\s+Anfrage\s*:?$")
HEADING_VLR = re.compile(r"^Vorbemerkung\s+der\s+Landesregierung\s*:?$")
# Headings after which neither a title, a question nor a Vorbemerkung paragraph goes on.
STOP_LINE_RE = re.compile(
    r"^(?:Vorbemerkung\s+der\s+(?:Kleinen\s+Anfrage|Landesregierung)|Antwort(?:\s+der\s+Landesregierung)?"
    r"|Begründung|Anlagen?|Zu\s+Frage\s+\d{1,2}|Antwort\s+zu\s+Frage\s+\d{1,2})\s*:?$"
)
# The same headings followed by their text on one line ("Antwort: Die Landesregierung …")
STOP_PREFIX_RE = re.compile(
    r"^(?:Antwort(?:\s+der\s+Landesregierung)?|Zu\s+Frage\s+\d{1,2}|Antwort\s+zu\s+Frage\s+\d{1,2})\s*:\s"
)
# The answer's "Der Minister … hat die Kleine Anfrage N mit Schreiben vom … beantwortet."
MINISTER_RE = re.compile(r"hat\s+die\s+Kleine\s+Anfrage\s+(\d{1,6})\s+mit\s+Schreiben\s+vom")
# An answer written in the first person: "Namens der Landesregierung beantworte ich die Kleine Anfrage wie folgt:"
NAMENS_RE = re.compile(r"\bNamens\s+der\s+Landesregierung\s+beantworte\s+ich\s+die\s+Kleine\s+Anfrage\b")

# "1. Welche …", "1) Welche …", "1.) Welche …", "Frage 1: Welche …" at the start of a line
QSTART_RE = re.compile(r"^(?:Frage\s+)?(\d{1,2})\s*(?:\.\)|[.):])\s*(.*)$")
# "1. Januar", "17. Wahlperiode", "3. Lesung": a number at the line start that is no question number
NOT_QUESTION_WORDS = re.compile(
    rf"^(?:{MONTH_RE}|Wahlperiode|Sitzung|Lesung|Jahrhundert|Lebensjahr|Quartal|Halbjahr|Klasse"
    r"|Schuljahr|Mal|Platz|Rang|Stock|Etage)\b",
    re.IGNORECASE,
)

# A Fraktion as the last word of the Abgeordneten line.
FRAKTION_ALTERNATIVES = (
    r"BÜNDNIS\s*90\s*/\s*DIE\s*GRÜNEN|Bündnis\s*90\s*/\s*Die\s*Grünen|BÜNDNIS\s*90/GRÜNE"
    r"|DIE\s+GRÜNEN|GRÜNE|SPD|CDU|FDP|AfD|AFD|PIRATEN|Piraten|[Ff]raktionslos"
)
