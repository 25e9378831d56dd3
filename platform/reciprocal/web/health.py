"""Liveness (/healthz) and readiness (/readyz: database and Redis decide; workers, their runner
engine and, under `serve`, each supervised process are reported).

Anyone may read /readyz's status (a load balancer needs no credential); the checks, which carry
error text and process details, go only to a signed-in admin, a request with the metrics bearer
token (RECIPROCAL_METRICS_TOKEN) or one from a scraper address the operator named
(RECIPROCAL_METRICS_ALLOW_FROM)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..core import health
from ..extensions import csrf, db
from ..observability import may_read_operations

bp = Blueprint("health", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Any:
    report = health.readiness()
    body = report if may_read_details() else health.public(report)
    return jsonify(body), health.status_code(report)


def may_read_details() -> bool:
    """The metrics token, a named scraper address, or an admin's session. Reading the session
    loads the user from the database; when that is down, the answer is the public one (with
    `unavailable`), not a 500."""
    if may_read_operations():
        return True
    try:
        return bool(current_user.is_authenticated and current_user.has_role("admin"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
