"""Recording audit events. Details must never contain secrets (tokens, passwords)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import AuditEvent, User

_SECRET_KEYS = {"password", "token", "secret", "api_token"}


def record(
    action: str,
    *,
    actor: User | None = None,
    actor_kind: str | None = None,
    subject: Any = None,
    **details: Any,
) -> AuditEvent:
    leaked = _SECRET_KEYS.intersection(details)
    if leaked:
        raise ValueError(f"audit details must not carry secrets: {sorted(leaked)}")
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_kind=actor_kind or ("staff" if actor is not None else "system"),
        subject_type=type(subject).__name__.lower() if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        details=details,
    )
    db.session.add(event)
    return event


def recent(limit: int = 300) -> list[AuditEvent]:

    return list(
        db.session.scalars(
            select(AuditEvent)
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        )
    )
