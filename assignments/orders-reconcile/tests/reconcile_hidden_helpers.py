"""Builders for small exports, shared by the hidden tests."""

from __future__ import annotations

import json
from typing import Any

SHOP_HEADER = "order_id,created_at,customer_email,total,currency,status\n"


def shop_row(order_id: str, total: str, currency: str = "EUR", status: str = "paid") -> str:
    return f"{order_id},2024-03-01T09:00:00Z,someone@example.com,{total},{currency},{status}\n"


def payment(
    payment_id: str, order_ref: Any, amount: Any, currency: str = "EUR", status: str = "succeeded"
) -> str:
    record = {
        "id": payment_id,
        "order_ref": order_ref,
        "amount": amount,
        "currency": currency,
        "status": status,
    }
    return json.dumps(record) + "\n"
