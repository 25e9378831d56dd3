"""Booking rules. Routes call these; they raise the errors below, which app.py turns into
responses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Booking, Room
from .pagination import InvalidCursor, decode_cursor, encode_cursor
from .schemas import BookingIn, RoomIn


class NotFound(Exception):
    pass


class Conflict(Exception):
    pass


class BadRequest(Exception):
    pass


EXCLUSION_VIOLATION = "23P01"


def create_room(session: Session, data: RoomIn) -> Room:
    room = Room(name=data.name, capacity=data.capacity)
    session.add(room)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(f"a room named {data.name!r} already exists") from exc
    return room


def list_rooms(session: Session) -> list[Room]:
    return list(session.scalars(select(Room).order_by(Room.name)))


def get_room(session: Session, room_id: int) -> Room:
    room = session.get(Room, room_id)
    if room is None:
        raise NotFound(f"no room {room_id}")
    return room


def find_clash(session: Session, room_id: int, starts_at: datetime,
               ends_at: datetime) -> Booking | None:
    """An active booking of the room that overlaps [starts_at, ends_at), if any. Bookings are
    half-open: one ending at 10:00 and one starting at 10:00 do not clash."""
    return session.scalars(
        select(Booking)
        .where(Booking.room_id == room_id, Booking.cancelled_at.is_(None),
               Booking.starts_at < ends_at, Booking.ends_at > starts_at)
        .order_by(Booking.starts_at)
        .limit(1)
    ).first()


def _clash_message(room: Room, clash: Booking | None) -> str:
    if clash is None:  # it was cancelled meanwhile; the request can be tried again
        return f"{room.name} was being booked for that time by someone else"
    return (f"{room.name} is already booked from {clash.starts_at.isoformat()} "
            f"to {clash.ends_at.isoformat()}")


def lock_room(session: Session, room_id: int) -> Room:
    """The room, its row locked until the transaction ends: bookings of one room are made one
    at a time, so the clash check below sees every booking committed before it."""
    room = session.get(Room, room_id, with_for_update=True)
    if room is None:
        raise NotFound(f"no room {room_id}")
    return room


def create_booking(session: Session, data: BookingIn) -> Booking:
    """Book the room. The database's exclusion constraint (migration 004) is the guarantee: no
    writer, this one or another, can store two active overlapping bookings of a room. The lock
    on the room's row makes concurrent requests answer well under it: without it, two
    overlapping inserts can each wait for the other's uncommitted row, and PostgreSQL aborts
    one as a deadlock (40P01), which would be a 500 instead of a 409."""
    room = lock_room(session, data.room_id)
    clash = find_clash(session, room.id, data.starts_at, data.ends_at)
    if clash is not None:
        raise Conflict(_clash_message(room, clash))
    booking = Booking(room_id=room.id, title=data.title, booked_by=data.booked_by,
                      starts_at=data.starts_at, ends_at=data.ends_at)
    session.add(booking)
    try:
        session.flush()
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) != EXCLUSION_VIOLATION:
            raise
        session.rollback()
        raise Conflict(_clash_message(
            room, find_clash(session, room.id, data.starts_at, data.ends_at))) from exc
    session.refresh(booking)
    return booking


def get_booking(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(f"no booking {booking_id}")
    return booking


def cancel_booking(session: Session, booking_id: int) -> Booking:
    booking = get_booking(session, booking_id)
    if booking.cancelled_at is not None:
        raise Conflict(f"booking {booking_id} is already cancelled")
    booking.cancelled_at = session.scalar(select(func.now()))
    session.flush()
    return booking


def list_bookings(session: Session, *, room_id: int | None, start: datetime | None,
                  end: datetime | None, limit: int,
                  cursor: str | None) -> tuple[list[Booking], str | None]:
    """Active bookings in start order, a page at a time; the cursor for the next page."""
    query = select(Booking).where(Booking.cancelled_at.is_(None))
    if room_id is not None:
        query = query.where(Booking.room_id == room_id)
    if start is not None:
        query = query.where(Booking.starts_at >= start)
    if end is not None:
        query = query.where(Booking.starts_at < end)
    if cursor is not None:
        try:
            after = decode_cursor(cursor)
        except InvalidCursor as exc:
            raise BadRequest(str(exc)) from exc
        query = query.where(tuple_(Booking.starts_at, Booking.id) > after)
    query = query.order_by(Booking.starts_at, Booking.id).limit(limit)
    items = list(session.scalars(query))
    last = items[-1] if len(items) == limit else None
    next_cursor = encode_cursor(last.starts_at, last.id) if last is not None else None
    return items, next_cursor
