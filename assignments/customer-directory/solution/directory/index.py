"""An in-memory index answering "which customers live in this city?"."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from directory.models import Customer


def fold(text: str) -> str:
    """Comparison key: case-insensitive, accent-insensitive, whitespace-collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def sort_key(name: str) -> tuple[str, str]:
    """Alphabetical ignoring case and accents; the raw name breaks ties deterministically."""
    return (fold(name), name)


class CustomerIndex:
    """Customers grouped by city, built once at start-up and read by every request."""

    def __init__(self, customers: Iterable[Customer]) -> None:
        self._by_city: dict[str, list[Customer]] = defaultdict(list)
        for customer in customers:
            if customer.city:
                self._by_city[fold(customer.city)].append(customer)

    def names_in(self, city: str, country: str | None = None) -> list[str]:
        """Names of the customers in ``city`` (and ``country``, an alpha-2 code, if given).

        One entry per customer, so two different customers called "Ana Silva" appear twice.
        """
        matches = self._by_city.get(fold(city), [])
        if country is not None:
            matches = [c for c in matches if c.country == country]
        return sorted((c.name for c in matches), key=sort_key)
