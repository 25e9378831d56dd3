"""The application: `uvicorn notes.app:app` (run `python -m notes.migrate` first)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from .db import Note, make_engine
from .search import search


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = ""


class NoteOut(BaseModel):
    id: int
    title: str
    body: str


def session(request: Request) -> Iterator[Session]:
    """A session for one request; the route commits what it changed."""
    with request.app.state.sessions() as opened:
        yield opened


Db = Annotated[Session, Depends(session)]


def create_app(database_url: str | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(database_url)
        app.state.sessions = sessionmaker(bind=engine, expire_on_commit=False)
        yield
        engine.dispose()

    app = FastAPI(title="Notes", lifespan=lifespan)

    @app.post("/notes", status_code=201)
    def create_note(note: NoteIn, db: Db) -> NoteOut:
        row = Note(title=note.title, body=note.body)
        db.add(row)
        db.commit()
        return NoteOut(id=row.id, title=row.title, body=row.body)

    @app.get("/notes/{note_id}")
    def read_note(note_id: int, db: Db) -> NoteOut:
        row = db.get(Note, note_id)
        if row is None:
            raise HTTPException(404, "note not found")
        return NoteOut(id=row.id, title=row.title, body=row.body)

    @app.get("/notes")
    def search_notes(db: Db, q: str = "") -> dict[str, list[NoteOut]]:
        rows = search(db, q)
        return {"items": [NoteOut(id=r.id, title=r.title, body=r.body) for r in rows]}

    return app


app = create_app()
