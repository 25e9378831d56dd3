"""What the API reads and writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

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
    # An instant: a time without a UTC offset is ambiguous and refused (422).
    starts_at: AwareDatetime
    ends_at: AwareDatetime

    @field_validator("starts_at", "ends_at")
    @classmethod
    def in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

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

    @field_serializer("starts_at", "ends_at", "created_at", "cancelled_at")
    def utc(self, value: datetime | None) -> str | None:
        # psycopg gives timestamptz values in the session's time zone; the API speaks UTC.
        return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


class BookingPage(BaseModel):
    items: list[BookingOut]
    next_cursor: str | None
