"""The assignment library over the API."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ...assignments import operations as assignments
from .blueprint import bp


@bp.get("/assignments")
def list_assignments() -> Any:
    return jsonify([assignments.serialise(a) for a in assignments.list_assignments()])
