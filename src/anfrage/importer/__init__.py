"""Import stage: Kleine Anfragen from their Drucksache (PDF or text) into Anfrage records.

Reads either the Drucksache of a Kleine Anfrage or the Drucksache of its answer (Antwort der
Landesregierung) and extracts the Anfrage part: number, date, MdL, Fraktion, title, Vorbemerkung and
the questions, verbatim. The steps, each in its own module: ``source`` reads the file, ``reflow``
cuts flattened text into lines, ``clean`` turns the text into lines without page furniture,
``header`` and ``questions`` find the parts, ``regions`` finds the regions named, and ``record``
assembles the record, lists what is missing and writes it as YAML.

The text may keep its line structure (pdftotext, pypdf), be flattened to one line (database exports,
copies from a browser's PDF viewer; ``reflow`` restores the lines) or lack the Drucksache header (a
question text from an MdL's website). :func:`import_drucksache` and :func:`parse_drucksache` return
the record with what the text gives and a list of problems naming what it does not give; only
unusable input (no text, binary data, no trace of a Kleine Anfrage) is a
:class:`~anfrage.errors.DrucksacheError` (a broken regions file: a :class:`~anfrage.errors.UserError`
or :class:`~anfrage.errors.CatalogueError`). :func:`read_drucksache` is the strict variant that
refuses a record without number, title, questions or Wahlperiode.
"""

from anfrage.importer.clean import join_wrapped
from anfrage.importer.record import (
    AnfrageRecord,
    ImportResult,
    import_drucksache,
    parse_drucksache,
    read_drucksache,
    record_to_yaml,
)
from anfrage.importer.regions import Regions, default_regions, find_regions, load_regions

__all__ = [
    "AnfrageRecord",
    "ImportResult",
    "Regions",
    "default_regions",
    "find_regions",
    "import_drucksache",
    "join_wrapped",
    "load_regions",
    "parse_drucksache",
    "read_drucksache",
    "record_to_yaml",
]
