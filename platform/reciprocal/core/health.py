"""Readiness of the platform and of the parts it depends on, for `/readyz`.

`database` and `redis` decide readiness: without them this web process cannot serve. The rest
is reported so that an operator sees a degraded platform (status `degraded`, still 200): the
grading workers and their Docker engine, read from the workers' own reports in Redis (the web
process itself never talks to Docker), the environment images they built lately (core.builds),
and, under `reciprocal serve`, every supervised child.

The checks name error text, worker names, pids and restart counts: `public` is what anyone may
read (the status alone); the web layer decides who sees the whole report.
"""

from __future__ import annotations

import os
from typing import Any

from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..runner.runtime import configured_runtime
from ..supervisor import STATE_ENV, read_state
from . import builds, queues
from .workers import engine_reports, live_worker_names

DECISIVE = ("database", "redis")


def readiness() -> dict[str, Any]:
    checks: dict[str, dict[str, Any]] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = {"ok": True}
    except SQLAlchemyError as exc:
        db.session.rollback()
        checks["database"] = {"ok": False, "error": type(exc).__name__}
    try:
        connection = queues.redis_connection()
        connection.ping()
        checks["redis"] = {"ok": True}
        names = live_worker_names(connection)
        reports = engine_reports(connection, names)
        checks["workers"] = {"ok": bool(names), "live": len(names)}
        checks["runner_engine"] = {
            "ok": any(r.get("ok") for r in reports.values()),
            "runtime": configured_runtime(),
            "workers": reports,
            "builds": builds.recent(connection),
        }
    except (RedisError, RuntimeError) as exc:
        checks["redis"] = {"ok": False, "error": str(exc)[:200]}
    state = read_state(os.environ.get(STATE_ENV))
    if state is not None:
        children = state.get("children", {})
        checks["processes"] = {
            "ok": all(child.get("state") == "running" for child in children.values()),
            "children": children,
        }
    if not all(checks[name]["ok"] for name in DECISIVE):
        status = "unavailable"
    elif all(check["ok"] for check in checks.values()):
        status = "ok"
    else:
        status = "degraded"
    return {"status": status, "checks": checks}


def grading_runtime() -> dict[str, Any]:
    """The configured grading runtime and what each live worker reports running under, for
    the admin page (empty workers when Redis does not answer)."""
    workers: dict[str, str] = {}
    try:
        connection = queues.redis_connection()
        for name, report in engine_reports(connection, live_worker_names(connection)).items():
            workers[name] = str(report.get("runtime") or "not reported yet")
    except (RedisError, RuntimeError):
        pass
    return {"configured": configured_runtime(), "workers": workers}


def environment_builds() -> list[dict[str, Any]]:
    """The workers' latest environment builds (core.builds), newest first, for the admin page
    (none when Redis does not answer)."""
    try:
        return builds.recent(queues.redis_connection())
    except (RedisError, RuntimeError):
        return []


def public(report: dict[str, Any]) -> dict[str, Any]:
    """The part of a readiness report that anyone may read: the status, no details."""
    return {"status": report["status"]}


def status_code(report: dict[str, Any]) -> int:
    """503 only when the platform cannot serve; a degraded platform still takes traffic."""
    return 503 if report["status"] == "unavailable" else 200
