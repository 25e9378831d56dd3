"""The application: `uvicorn rooms.app:app` (run `python -m rooms.migrate` first)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from . import services
from .config import Settings, load_settings
from .db import make_engine, make_sessionmaker
from .routes import bookings, rooms


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        app.state.sessions = make_sessionmaker(engine)
        yield
        engine.dispose()

    app = FastAPI(title="Meeting rooms", version="1.4.0", lifespan=lifespan)
    app.include_router(rooms.router)
    app.include_router(bookings.router)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(services.NotFound)
    async def not_found(_request: Request, exc: services.NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(services.Conflict)
    async def conflict(_request: Request, exc: services.Conflict) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(services.BadRequest)
    async def bad_request(_request: Request, exc: services.BadRequest) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    return app


app = create_app()
