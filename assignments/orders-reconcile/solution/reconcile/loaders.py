"""Read the two exports. Bad lines become ``RecordError``s so that nothing disappears quietly."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from reconcile.models import PAYMENT_STATUSES, SHOP_STATUSES, Payment, RecordError, ShopOrder
from reconcile.money import to_minor_units

SHOP_COLUMNS = ("order_id", "total", "currency", "status")
PAYMENT_FIELDS = ("id", "order_ref", "amount", "currency", "status")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class InputError(Exception):
    """An export cannot be used at all (missing file, missing columns): the run stops."""


def _currency(value: Any) -> str:
    currency = str(value).strip().upper()
    if not _CURRENCY.match(currency):
        raise ValueError(f"invalid currency {value!r}")
    return currency


def _status(value: Any, allowed: tuple[str, ...]) -> str:
    status = str(value).strip().lower()
    if status not in allowed:
        raise ValueError(f"unknown status {value!r}")
    return status


def _identifier(value: Any, field: str) -> str:
    if value is None or isinstance(value, bool | float | list | dict):
        raise ValueError(f"missing or invalid {field}")
    text = str(value).strip()
    if not text:
        raise ValueError(f"missing {field}")
    return text


def load_shop_orders(path: str | Path) -> tuple[list[ShopOrder], list[RecordError]]:
    """Read the shop's CSV export: ``order_id,created_at,customer_email,total,currency,status``."""
    orders: list[ShopOrder] = []
    errors: list[RecordError] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            header = [name.strip().lower() for name in reader.fieldnames or []]
            missing = [column for column in SHOP_COLUMNS if column not in header]
            if missing:
                raise InputError(f"{path}: missing column(s): {', '.join(missing)}")
            reader.fieldnames = header
            for row in reader:
                cells = [value for value in row.values() if isinstance(value, str)]
                if not any(cell.strip() for cell in cells):
                    continue  # a row of empty cells
                try:
                    currency = _currency(row["currency"] or "")
                    orders.append(
                        ShopOrder(
                            order_id=_identifier(row["order_id"], "order_id"),
                            total_minor=to_minor_units(row["total"] or "", currency),
                            currency=currency,
                            status=_status(row["status"] or "", SHOP_STATUSES),
                            line=reader.line_num,
                        )
                    )
                except ValueError as error:
                    errors.append(RecordError("shop", reader.line_num, str(error)))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"{path}: {error}") from error
    return orders, errors


def _payment_from(record: Any, line: int) -> Payment:
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    missing = [field for field in PAYMENT_FIELDS if record.get(field) is None]
    if missing:
        raise ValueError(f"missing field(s): {', '.join(missing)}")
    amount = record["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"amount must be an integer of minor units, got {amount!r}")
    return Payment(
        payment_id=_identifier(record["id"], "id"),
        order_id=_identifier(record["order_ref"], "order_ref"),
        amount_minor=amount,
        currency=_currency(record["currency"]),
        status=_status(record["status"], PAYMENT_STATUSES),
        line=line,
    )


def load_payments(path: str | Path) -> tuple[list[Payment], list[RecordError]]:
    """Read the provider's JSON Lines export, one payment attempt per line."""
    payments: list[Payment] = []
    errors: list[RecordError] = []
    try:
        with open(path, encoding="utf-8-sig") as file:
            for number, line in enumerate(file, start=1):
                if not line.strip():
                    continue
                try:
                    payments.append(_payment_from(json.loads(line), number))
                except ValueError as error:  # json.JSONDecodeError is a ValueError
                    errors.append(RecordError("payments", number, str(error)))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: {error}") from error
    return payments, errors
