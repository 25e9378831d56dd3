"""Records read from the two exports, and what the reconciliation finds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

SHOP_STATUSES = ("paid", "refunded", "pending", "cancelled")
PAYMENT_STATUSES = ("succeeded", "refunded", "pending", "failed")


@dataclass(frozen=True)
class ShopOrder:
    order_id: str
    total_minor: int  # in the currency's minor unit: cents for EUR, yen for JPY
    currency: str  # ISO 4217, upper case
    status: str  # one of SHOP_STATUSES
    line: int  # line number in the CSV file, for messages


@dataclass(frozen=True)
class Payment:
    payment_id: str
    order_id: str  # the provider calls it "order_ref"
    amount_minor: int
    currency: str
    status: str  # one of PAYMENT_STATUSES
    line: int


class Kind(StrEnum):
    """Kinds of mismatch, in the order a report lists them for one order."""

    DUPLICATE_ORDER = "duplicate_order"
    DUPLICATE_PAYMENT = "duplicate_payment"
    MISSING_PAYMENT = "missing_payment"
    MISSING_ORDER = "missing_order"
    CURRENCY_MISMATCH = "currency_mismatch"
    AMOUNT_MISMATCH = "amount_mismatch"
    STATUS_MISMATCH = "status_mismatch"


@dataclass(frozen=True)
class Mismatch:
    kind: Kind
    order_id: str
    message: str
    payment_id: str | None = None
    shop: str | None = None  # the shop's side of the comparison, when there is one
    provider: str | None = None  # the provider's side


@dataclass(frozen=True)
class RecordError:
    """A line of an export that could not be read; it is reported, never silently dropped."""

    source: str  # "shop" or "payments"
    line: int
    message: str
