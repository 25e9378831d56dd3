"""Read the two exports. Bad lines become ``RecordError``s so that nothing disappears quietly."""

from __future__ import annotations

from pathlib import Path

from reconcile.models import Payment, RecordError, ShopOrder


class InputError(Exception):
    """An export cannot be used at all (missing file, missing columns): the run stops."""


def load_shop_orders(path: str | Path) -> tuple[list[ShopOrder], list[RecordError]]:
    """Read the shop's CSV export: ``order_id,created_at,customer_email,total,currency,status``."""
    # TODO: implement (README.md, "The exports").
    raise NotImplementedError


def load_payments(path: str | Path) -> tuple[list[Payment], list[RecordError]]:
    """Read the provider's JSON Lines export, one payment attempt per line."""
    # TODO: implement (README.md, "The exports").
    raise NotImplementedError
