"""CLI command ``anfrage batch`` (registered on the app of ``cli.py``)."""

from __future__ import annotations
