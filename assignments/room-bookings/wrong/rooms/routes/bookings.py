from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime
from sqlalchemy.orm import Session

from .. import services
from ..db import get_session
from ..schemas import BookingIn, BookingOut, BookingPage

router = APIRouter(prefix="/bookings", tags=["bookings"])


@router.post("", status_code=201, response_model=BookingOut)
def create_booking(data: BookingIn, session: Session = Depends(get_session)) -> BookingOut:
    booking = services.create_booking(session, data)
    session.commit()
    return BookingOut.model_validate(booking)


@router.get("", response_model=BookingPage)
def list_bookings(
    room_id: int | None = None,
    start: AwareDatetime | None = Query(None, alias="from"),
    end: AwareDatetime | None = Query(None, alias="to"),
    limit: int = Query(50, ge=1, le=200),
    cursor: str | None = None,
    session: Session = Depends(get_session),
) -> BookingPage:
    items, next_cursor = services.list_bookings(session, room_id=room_id, start=start, end=end,
                                                limit=limit, cursor=cursor)
    return BookingPage(items=[BookingOut.model_validate(b) for b in items],
                       next_cursor=next_cursor)


@router.get("/{booking_id}", response_model=BookingOut)
def get_booking(booking_id: int, session: Session = Depends(get_session)) -> BookingOut:
    return BookingOut.model_validate(services.get_booking(session, booking_id))


@router.post("/{booking_id}/cancel", response_model=BookingOut)
def cancel_booking(booking_id: int, session: Session = Depends(get_session)) -> BookingOut:
    booking = services.cancel_booking(session, booking_id)
    session.commit()
    return BookingOut.model_validate(booking)
