"""What a candidate chose to say, at submit, about the AI assistants they used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .types import UTCDateTime, utcnow


class AiDisclosure(Model):
    """One submission's disclosure, in the candidate's own words, with an optional transcript
    (text or Markdown, stored as text and always shown escaped). Nothing here is inferred: a
    submission without a row is one whose candidate said nothing (the API makes it optional)."""

    __tablename__ = "ai_disclosures"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), unique=True)
    used_tools: Mapped[bool]
    # Which tools and for what, as the candidate put it; "" when they used none.
    tools: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[str] = mapped_column(Text, default="")
    transcript_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the candidate deleted their code (or retention did): the words and transcript
    # went with it, the row stays so that pages can say so.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
