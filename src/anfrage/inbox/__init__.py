"""Inbox stage: a new series from a folder of Drucksachen, and more Anfragen into a series.

``run`` imports files (through the importer's public API) and registers them; ``subjects`` finds
what an Anfrage is about; ``register`` edits a series file surgically; ``skeleton`` writes a new
series file and its skeleton answer template; ``suggest`` ranks the Textbausteine for each question.
"""

from anfrage.inbox.run import Bericht, Datei, Optionen, expand, import_in_serie, serie_neu

__all__ = ["Bericht", "Datei", "Optionen", "expand", "import_in_serie", "serie_neu"]
