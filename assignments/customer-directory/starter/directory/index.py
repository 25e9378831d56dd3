"""An in-memory index answering "which customers live in this city?"."""

from __future__ import annotations

from collections.abc import Iterable

from directory.models import Customer


class CustomerIndex:
    """Customers grouped by city, built once at start-up and read by every request."""

    def __init__(self, customers: Iterable[Customer]) -> None:
        # TODO: build whatever structure makes names_in() cheap.
        self._customers = list(customers)

    def names_in(self, city: str, country: str | None = None) -> list[str]:
        """Names of the customers in ``city`` (and ``country``, an alpha-2 code, if given).

        One entry per customer, so two different customers called "Ana Silva" appear twice.
        Sorted alphabetically, ignoring case and accents.
        """
        # TODO: implement (see "The API" in README.md).
        raise NotImplementedError
