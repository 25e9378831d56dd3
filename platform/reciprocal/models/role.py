"""Roles: the job openings candidates are invited for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .types import UTCDateTime, utcnow


class Role(Model):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(200))
    salary_min: Mapped[int]
    salary_max: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    mission: Mapped[str] = mapped_column(Text)
    requirements: Mapped[list[str]] = mapped_column(JSON, default=list)
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)
    response_days: Mapped[int] = mapped_column(default=5)
    # An override of the assignment's AI policy for this role's openings; None follows it.
    ai_use: Mapped[str | None] = mapped_column(String(30))
    ai_policy_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def salary_band(self) -> str:
        return f"{self.salary_min:,} to {self.salary_max:,} {self.currency}"
