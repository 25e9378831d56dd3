"""Liveness (/healthz) and readiness (/readyz: database and Redis decide; workers, their runner
engine and, under `serve`, each supervised process are reported)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from ..extensions import csrf
from ..services import health

bp = Blueprint("health", __name__)
csrf.exempt(bp)


@bp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Any:
    report = health.readiness()
    return jsonify(report), 503 if report["status"] == "unavailable" else 200
