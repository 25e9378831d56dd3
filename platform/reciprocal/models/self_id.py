"""Voluntary self-identification, kept apart from review: the questions an admin configures
and each candidate's answers. No reviewer-facing model has a relationship to these tables;
only the fairness report reads them, and only in aggregate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .types import UTCDateTime, utcnow


class SelfIdQuestion(Model):
    """One question and its options; "Prefer not to say" is offered by the code, not stored."""

    __tablename__ = "self_id_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    prompt: Mapped[str] = mapped_column(String(300))
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SelfIdentification(Model):
    """One candidate's answer to one question (by key: a question removed later leaves its
    answers out of the report rather than orphaned rows in it)."""

    __tablename__ = "self_identifications"
    __table_args__ = (UniqueConstraint("invitation_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitations.id"), index=True)
    question_key: Mapped[str] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
