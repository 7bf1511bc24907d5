"""Command line of anfrage: thin typer commands over the library (``app.py`` assembles them)."""
