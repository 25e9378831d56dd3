"""The reconciliation rules (README.md, "What counts as a mismatch")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from reconcile.models import Kind, Mismatch, Payment, RecordError, ShopOrder
from reconcile.money import format_minor

# The provider status each shop status expects; None means "no payment expected".
EXPECTED_PAYMENT_STATUS: dict[str, str | None] = {
    "paid": "succeeded",
    "refunded": "refunded",
    "pending": "pending",
    "cancelled": None,
}
# Shop statuses for which money must have moved, so a missing payment is a problem.
NEEDS_PAYMENT = {"paid", "refunded"}
KIND_ORDER = {kind: position for position, kind in enumerate(Kind)}


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


def _compare(order: ShopOrder, payment: Payment) -> list[Mismatch]:
    found = []
    if order.currency != payment.currency:
        found.append(
            Mismatch(
                Kind.CURRENCY_MISMATCH,
                order.order_id,
                f"shop charged in {order.currency}, provider in {payment.currency}",
                payment.payment_id,
                order.currency,
                payment.currency,
            )
        )
    elif order.total_minor != payment.amount_minor:
        shop = format_minor(order.total_minor, order.currency)
        provider = format_minor(payment.amount_minor, payment.currency)
        found.append(
            Mismatch(
                Kind.AMOUNT_MISMATCH,
                order.order_id,
                f"shop total {shop} {order.currency}, provider amount {provider}",
                payment.payment_id,
                shop,
                provider,
            )
        )
    expected = EXPECTED_PAYMENT_STATUS[order.status]
    if payment.status != expected:
        found.append(
            Mismatch(
                Kind.STATUS_MISMATCH,
                order.order_id,
                f"order is {order.status} but the payment is {payment.status}",
                payment.payment_id,
                order.status,
                payment.status,
            )
        )
    return found


def reconcile(
    orders: list[ShopOrder],
    payments: list[Payment],
    errors: list[RecordError] | None = None,
) -> Report:
    """Compare both sides order by order and return every mismatch found."""
    orders_by_id: dict[str, list[ShopOrder]] = defaultdict(list)
    for order in orders:
        orders_by_id[order.order_id].append(order)
    # Failed attempts are normal (a card declined, then retried) and are not compared.
    payments_by_order: dict[str, list[Payment]] = defaultdict(list)
    for payment in payments:
        if payment.status != "failed":
            payments_by_order[payment.order_id].append(payment)

    mismatches: list[Mismatch] = []
    for order_id in orders_by_id.keys() | payments_by_order.keys():
        shop_rows = orders_by_id.get(order_id, [])
        attempts = payments_by_order.get(order_id, [])
        if len(shop_rows) > 1:
            lines = ", ".join(str(row.line) for row in shop_rows)
            mismatches.append(
                Mismatch(Kind.DUPLICATE_ORDER, order_id, f"order appears on lines {lines}")
            )
        for extra in attempts[1:]:
            mismatches.append(
                Mismatch(
                    Kind.DUPLICATE_PAYMENT,
                    order_id,
                    f"{extra.payment_id} is a second payment (first: {attempts[0].payment_id})",
                    extra.payment_id,
                )
            )
        if not shop_rows:
            payment = attempts[0]
            mismatches.append(
                Mismatch(
                    Kind.MISSING_ORDER,
                    order_id,
                    f"payment {payment.payment_id} has no order in the shop export",
                    payment.payment_id,
                )
            )
        elif not attempts:
            if shop_rows[0].status in NEEDS_PAYMENT:
                mismatches.append(
                    Mismatch(
                        Kind.MISSING_PAYMENT,
                        order_id,
                        f"order is {shop_rows[0].status} but the provider has no payment",
                    )
                )
        else:
            mismatches.extend(_compare(shop_rows[0], attempts[0]))

    mismatches.sort(key=lambda m: (m.order_id, KIND_ORDER[m.kind], m.payment_id or ""))
    troubled = {m.order_id for m in mismatches}
    return Report(
        shop_orders=len(orders),
        payments=len(payments),
        reconciled=sum(1 for order_id in orders_by_id if order_id not in troubled),
        mismatches=mismatches,
        errors=sorted(errors or [], key=lambda e: (e.source != "shop", e.line)),
    )
