"""CLI command ``anfrage check`` (registered on the app of ``cli.py``)."""

from __future__ import annotations
