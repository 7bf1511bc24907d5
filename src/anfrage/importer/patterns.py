"""Lines that structure a Drucksache, shared by the header and the question parsers.

Both need to know where a block ends (a heading such as "Vorbemerkung der Landesregierung", the
"Kleine Anfrage N" line, the Abgeordneten line), so the patterns live here, below both.
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

# "des Abgeordneten Max Muster SPD", "der Abgeordneten Anna Beispiel und Max Muster CDU"
ABG_RE = re.compile(r"^(des|der)\s+Abgeordneten\b\s*(.*)$")
# "Kleine Anfrage 1640" alone on a line heads the Anfrage's own Drucksache
KA_LINE_RE = re.compile(r"^Kleine\s+Anfrage\s+(\d{1,6})$")
HEADING_VKA = re.compile(r"^Vorbemerkung\s+der\s+Kleinen\s+Anfrage\s*:?$")
HEADING_VLR = re.compile(r"^Vorbemerkung\s+der\s+Landesregierung\s*:?$")
# Headings after which neither a title, a question nor a Vorbemerkung paragraph goes on.
STOP_LINE_RE = re.compile(
    r"^(?:Vorbemerkung\s+der\s+(?:Kleinen\s+Anfrage|Landesregierung)|Antwort(?:\s+der\s+Landesregierung)?"
    r"|Begründung|Anlagen?|Zu\s+Frage\s+\d{1,2}|Antwort\s+zu\s+Frage\s+\d{1,2})\s*:?$"
)
# The answer's "Der Minister … hat die Kleine Anfrage N mit Schreiben vom … beantwortet."
MINISTER_RE = re.compile(r"hat\s+die\s+Kleine\s+Anfrage\s+(\d{1,6})\s+mit\s+Schreiben\s+vom")
