"""What the API reads and writes."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_BOOKING = timedelta(hours=8)


class RoomIn(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    capacity: int = Field(gt=0, le=500)


class RoomOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    capacity: int


class BookingIn(BaseModel):
    room_id: int
    title: str = Field(min_length=1, max_length=200)
    booked_by: str = Field(min_length=1, max_length=200)
    starts_at: datetime
    ends_at: datetime

    @field_validator("starts_at", "ends_at")
    @classmethod
    def wall_clock(cls, value: datetime) -> datetime:
        # The columns are `timestamp` (no time zone): keep the time as the person typed it.
        return value.replace(tzinfo=None)

    @model_validator(mode="after")
    def sensible_length(self) -> BookingIn:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.ends_at - self.starts_at > MAX_BOOKING:
            raise ValueError("a booking lasts at most 8 hours")
        return self


class BookingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    room_id: int
    title: str
    booked_by: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    cancelled_at: datetime | None


class BookingPage(BaseModel):
    items: list[BookingOut]
    next_cursor: str | None
