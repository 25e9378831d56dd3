"""Opaque cursors for the bookings listing: the (starts_at, id) of the last booking of a page.
Bookings are listed in that order, so the next page starts strictly after it: ties on starts_at
are broken by id, and a page boundary between two bookings that start together loses none."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime


class InvalidCursor(ValueError):
    pass


def encode_cursor(starts_at: datetime, booking_id: int) -> str:
    raw = json.dumps([starts_at.isoformat(), booking_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        starts_at, booking_id = json.loads(raw)
        moment = datetime.fromisoformat(starts_at)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor("invalid cursor") from exc
    if moment.tzinfo is None or not isinstance(booking_id, int) or isinstance(booking_id, bool):
        raise InvalidCursor("invalid cursor")
    return moment, booking_id
