"""Readiness checks of the services the platform depends on."""

from __future__ import annotations

from typing import Any

from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..runner import RunnerUnavailable, engine_ping
from . import queues


def readiness() -> dict[str, dict[str, Any]]:
    checks: dict[str, dict[str, Any]] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = {"ok": True}
    except SQLAlchemyError as exc:
        checks["database"] = {"ok": False, "error": type(exc).__name__}
    try:
        queues.redis_connection().ping()
        checks["redis"] = {"ok": True}
    except (RedisError, RuntimeError) as exc:
        checks["redis"] = {"ok": False, "error": str(exc)[:200]}
    try:
        engine_ping()
        checks["runner_engine"] = {"ok": True}
    except RunnerUnavailable as exc:
        checks["runner_engine"] = {"ok": False, "error": str(exc)[:200]}
    return checks
