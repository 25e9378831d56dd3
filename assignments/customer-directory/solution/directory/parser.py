"""Read customer exports (CSV or JSON) into clean ``Customer`` records.

The exports come from three different systems and are messy; README.md lists the rules.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from directory.countries import normalize_country
from directory.models import Customer

FIELDS = ("id", "name", "email", "city", "country")


def _clean(value: Any) -> str | None:
    """Trim and collapse inner whitespace; empty values become ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):  # a boolean is never a meaningful field value
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


def _customer_from(row: Mapping[str, Any]) -> Customer | None:
    """Build a customer from a row whose keys are already normalised, or ``None`` to skip it."""
    customer_id = _clean(row.get("id"))
    name = _clean(row.get("name"))
    if customer_id is None or name is None:
        return None
    email = _clean(row.get("email"))
    return Customer(
        id=customer_id,
        name=name,
        email=email.lower() if email else None,
        city=_clean(row.get("city")),
        country=normalize_country(_clean(row.get("country"))),
    )


def _deduplicate(customers: Iterable[Customer]) -> list[Customer]:
    """Keep one record per id: the last one wins, at the position of the first."""
    by_id: dict[str, Customer] = {}
    for customer in customers:
        by_id[customer.id] = customer
    return list(by_id.values())


def _normalise_keys(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(key).strip().casefold(): value for key, value in row.items() if key is not None}


def parse_csv(text: str) -> list[Customer]:
    """Parse a CSV export (header row first, columns in any order)."""
    # The header is the first non-blank line; csv skips later blank lines by itself.
    text = text.removeprefix("\ufeff").lstrip("\r\n\t ")
    reader = csv.DictReader(io.StringIO(text, newline=""), skipinitialspace=True)
    customers = []
    for row in reader:
        customer = _customer_from(_normalise_keys(row))
        if customer is not None:
            customers.append(customer)
    return _deduplicate(customers)


def parse_json(text: str) -> list[Customer]:
    """Parse a JSON export: a list of objects, or ``{"customers": [...]}``."""
    data = json.loads(text.removeprefix("\ufeff"))
    if isinstance(data, dict):
        data = data.get("customers")
    if not isinstance(data, list):
        raise ValueError("expected a JSON list of customers or an object with a 'customers' list")
    customers = []
    for item in data:
        if not isinstance(item, dict):
            continue
        customer = _customer_from(_normalise_keys(item))
        if customer is not None:
            customers.append(customer)
    return _deduplicate(customers)


def load_customers(path: str | Path) -> list[Customer]:
    """Load a ``.csv`` or ``.json`` export, choosing the parser by file extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8-sig")
    if suffix == ".csv":
        return parse_csv(text)
    if suffix == ".json":
        return parse_json(text)
    raise ValueError(f"unsupported file type {suffix or '(none)'!r}: expected .csv or .json")
