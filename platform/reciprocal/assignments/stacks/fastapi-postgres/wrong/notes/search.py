"""Searching notes: GET /notes?q= (see the README)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import Note

LIMIT = 50


def search(db: Session, q: str) -> list[Note]:
    """The notes whose title or body contains ``q``, ignoring case, oldest first, at most
    LIMIT."""
    found = Note.title.contains(q) | Note.body.contains(q)
    return list(db.scalars(select(Note).where(found).order_by(Note.id).limit(LIMIT)))
