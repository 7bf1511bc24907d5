"""anfrage – draft answers to Kleine Anfragen of the Landtag NRW from catalogues and templates."""

__version__ = "0.1.0"
