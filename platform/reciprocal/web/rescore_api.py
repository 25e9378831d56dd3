"""API v1 for re-scoring an assignment's submissions on fixed hidden tests (issue 16, part 4)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from ..assignments import operations as assignments
from ..core.errors import Conflict
from ..extensions import csrf, db
from ..grading import rescore
from .api import api_user, body, staff

bp = Blueprint("rescore_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.post("/assignments/<slug>/rescore")
@staff("admin")
def start(slug: str) -> Any:
    if body().get("preview", True) is not True:
        raise Conflict("a re-score starts with a preview: send {\"preview\": true}")
    batch = rescore.start_preview(assignments.get_by_slug(slug), actor=api_user())
    db.session.commit()
    return jsonify(rescore.serialise(batch)), 201


@bp.get("/rescores/<int:rescore_id>")
@staff("admin")
def show(rescore_id: int) -> Any:
    return jsonify(rescore.serialise(rescore.get(rescore_id)))


@bp.post("/rescores/<int:rescore_id>/confirm")
@staff("admin")
def confirm(rescore_id: int) -> Any:
    batch = rescore.confirm(rescore.get(rescore_id), actor=api_user())
    db.session.commit()
    return jsonify(rescore.serialise(batch))
