"""The comment library: reusable comment texts per assignment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .types import UTCDateTime, utcnow


class CommentSnippet(Model):
    """A comment text reviewers of an assignment insert into the comment box and then edit.

    Shared by everyone who reviews the assignment, so the team explains the same finding in the
    same words; `uses` counts comments posted from it (the library lists the most used first)."""

    __tablename__ = "comment_snippets"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(20))  # suggested kind, or None
    uses: Mapped[int] = mapped_column(default=0, server_default="0")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CommentSnippetSource(Model):
    """What of a snippet came from which submission, and who brought it: its text written there
    (`wrote`: created from the submission's comment box or library page, or edited there) or a
    comment there made from it (`used`). Independent scoring reads it: until a reviewer of that
    submission has submitted their scorecard, what others brought from it is kept from them
    (review/snippets.py)."""

    __tablename__ = "comment_snippet_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    snippet_id: Mapped[int] = mapped_column(
        ForeignKey("comment_snippets.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(10))  # wrote | used
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
