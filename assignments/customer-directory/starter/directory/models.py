"""The customer record shared by the parser, the index and the HTTP API."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Customer:
    """One customer, already cleaned up.

    ``city`` and ``country`` are ``None`` when the export did not say (or said something we
    could not understand). ``country`` is always an ISO 3166 alpha-2 code such as ``"PT"``.
    """

    id: str
    name: str
    email: str | None = None
    city: str | None = None
    country: str | None = None
