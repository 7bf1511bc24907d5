"""Import stage: Kleine Anfragen from their Drucksache (PDF or text) into Anfrage records.

Reads either the Drucksache of a Kleine Anfrage or the Drucksache of its answer (Antwort der
Landesregierung) and extracts the Anfrage part: number, date, MdL, Fraktion, title, Vorbemerkung and
the questions, verbatim. The steps, each in its own module: ``source`` reads the file, ``clean``
turns the text into lines without page furniture, ``header`` and ``questions`` find the parts,
``regions`` finds the regions named, and ``record`` assembles the record and writes it as YAML.

Every failure on bad input is a :class:`~anfrage.errors.DrucksacheError` (or, for a broken regions
file, a :class:`~anfrage.errors.UserError` or :class:`~anfrage.errors.CatalogueError`).
"""

from anfrage.importer.clean import join_wrapped
from anfrage.importer.record import AnfrageRecord, parse_drucksache, read_drucksache, record_to_yaml
from anfrage.importer.regions import Regions, default_regions, find_regions, load_regions

__all__ = [
    "AnfrageRecord",
    "Regions",
    "default_regions",
    "find_regions",
    "join_wrapped",
    "load_regions",
    "parse_drucksache",
    "read_drucksache",
    "record_to_yaml",
]
