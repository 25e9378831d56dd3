"""A submission's similarity check and matches over the API (what the viewer may see of them)."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ...review import queries as review_queries
from ...similarity import serialize
from .blueprint import api_user, bp


@bp.get("/submissions/<int:submission_id>/similarity")
def submission_similarity(submission_id: int) -> Any:
    submission = review_queries.visible_to(api_user(), submission_id)
    return jsonify(serialize.serialise(submission, api_user()))
