"""Liveness (/healthz) and readiness (/readyz: database, Redis, runner engine)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from sqlalchemy import text

from ..extensions import csrf, db
from ..services import health

bp = Blueprint("health", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Any:
    db.session.execute(text("SELECT 1"))
    checks = health.readiness()
    ok = all(check["ok"] for check in checks.values())
    return jsonify({"status": "ok" if ok else "unavailable", "checks": checks}), 200 if ok else 503
