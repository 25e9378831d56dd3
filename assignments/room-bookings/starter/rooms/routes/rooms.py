from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import services
from ..db import get_session
from ..schemas import RoomIn, RoomOut

router = APIRouter(prefix="/rooms", tags=["rooms"])


@router.post("", status_code=201, response_model=RoomOut)
def create_room(data: RoomIn, session: Session = Depends(get_session)) -> RoomOut:
    room = services.create_room(session, data)
    session.commit()
    return RoomOut.model_validate(room)


@router.get("", response_model=list[RoomOut])
def list_rooms(session: Session = Depends(get_session)) -> list[RoomOut]:
    return [RoomOut.model_validate(room) for room in services.list_rooms(session)]


@router.get("/{room_id}", response_model=RoomOut)
def get_room(room_id: int, session: Session = Depends(get_session)) -> RoomOut:
    return RoomOut.model_validate(services.get_room(session, room_id))
