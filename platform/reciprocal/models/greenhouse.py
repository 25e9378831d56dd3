"""Greenhouse's Assessment Partner API: the organisation's API keys, and each test Greenhouse
sent (1:1 with the invitation it created, which is also the outbox row of its callback)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .invitation import Invitation
from .types import UTCDateTime, utcnow


class GreenhouseApiKey(Model):
    """An org-level key Greenhouse sends as the Basic username; only its hash is stored."""

    __tablename__ = "greenhouse_api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public half of the key, from which the secret half is derived (see keys.py).
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GreenhouseAssessment(Model):
    """What Greenhouse told us in send_test, and the state of the completion callback."""

    __tablename__ = "greenhouse_assessments"

    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), primary_key=True)
    partner_interview_id: Mapped[str] = mapped_column(String(40), unique=True)
    partner_test_id: Mapped[str] = mapped_column(String(200))
    api_key_id: Mapped[int] = mapped_column(ForeignKey("greenhouse_api_keys.id"))
    greenhouse_candidate_id: Mapped[str | None] = mapped_column(String(40))
    greenhouse_application_id: Mapped[str | None] = mapped_column(String(40))
    greenhouse_profile_url: Mapped[str] = mapped_column(String(2000), default="")
    callback_url: Mapped[str] = mapped_column(String(2000), index=True)
    sent_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # none (not complete yet) | queued | delivered | failed
    callback_status: Mapped[str] = mapped_column(String(20), default="none")
    callback_attempts: Mapped[int] = mapped_column(default=0)
    callback_response_code: Mapped[int | None]
    callback_last_error: Mapped[str] = mapped_column(Text, default="")
    callback_queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    callback_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rq_job_id: Mapped[str | None] = mapped_column(String(64))

    invitation: Mapped[Invitation] = relationship()
    api_key: Mapped[GreenhouseApiKey] = relationship()

    @property
    def id(self) -> int:
        """The row's id for the reconciler and the audit log: its invitation's."""
        return self.invitation_id
