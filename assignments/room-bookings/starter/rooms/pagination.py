"""Opaque cursors for the bookings listing."""

from __future__ import annotations

import base64
from datetime import datetime


def encode_cursor(starts_at: datetime) -> str:
    return base64.urlsafe_b64encode(starts_at.isoformat().encode()).decode()


def decode_cursor(cursor: str) -> datetime:
    return datetime.fromisoformat(base64.urlsafe_b64decode(cursor.encode()).decode())
