"""The reconciliation rules (README.md, "What counts as a mismatch")."""

from __future__ import annotations

from dataclasses import dataclass, field

from reconcile.models import Mismatch, Payment, RecordError, ShopOrder


@dataclass
class Report:
    shop_orders: int
    payments: int
    reconciled: int
    mismatches: list[Mismatch] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.mismatches and not self.errors


def reconcile(
    orders: list[ShopOrder],
    payments: list[Payment],
    errors: list[RecordError] | None = None,
) -> Report:
    """Compare both sides order by order and return every mismatch found."""
    # TODO: implement (README.md, "What counts as a mismatch").
    raise NotImplementedError
