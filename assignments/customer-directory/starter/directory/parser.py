"""Read customer exports (CSV or JSON) into clean ``Customer`` records.

The exports come from three different systems and are messy; README.md lists the rules.
"""

from __future__ import annotations

from pathlib import Path

from directory.models import Customer

FIELDS = ("id", "name", "email", "city", "country")


def parse_csv(text: str) -> list[Customer]:
    """Parse a CSV export (header row first, columns in any order)."""
    # TODO: implement (see "Parsing rules" in README.md).
    raise NotImplementedError


def parse_json(text: str) -> list[Customer]:
    """Parse a JSON export: a list of objects, or ``{"customers": [...]}``."""
    # TODO: implement (see "Parsing rules" in README.md).
    raise NotImplementedError


def load_customers(path: str | Path) -> list[Customer]:
    """Load a ``.csv`` or ``.json`` export, choosing the parser by file extension."""
    # TODO: read the file and hand it to the right parser; anything else is a ValueError.
    raise NotImplementedError
