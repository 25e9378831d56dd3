"""A submission with its grading, running its tests again, and re-scoring an assignment's
submissions on fixed hidden tests (admins: a preview first, then a confirmation)."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ...assignments import operations as assignments
from ...core.errors import Conflict
from ...extensions import db
from ...grading import operations as grading
from ...grading import rescore
from ...grading import serialize as grading_serialize
from ...review import process
from ...review import queries as review_queries
from ...review import serialize as review_serialize
from .blueprint import api_user, body, bp, roles_required


@bp.get("/submissions/<int:submission_id>")
def get_submission(submission_id: int) -> Any:
    data = review_serialize.serialise_for(api_user(), submission_id)
    # The AI policy, the candidate's disclosure and the points to discuss in the interview.
    data["ai"] = process.serialise(process.for_reviewers(
        review_queries.visible_to(api_user(), submission_id), api_user()))
    return jsonify(data)


@bp.post("/submissions/<int:submission_id>/regrade")
def regrade(submission_id: int) -> Any:
    submission = review_queries.visible_to(api_user(), submission_id)
    run = grading.request_run(submission, requested_by=api_user())
    db.session.commit()
    return jsonify(grading_serialize.serialise_run(run)), 202


@bp.post("/assignments/<slug>/rescore")
@roles_required("admin")
def rescore_start(slug: str) -> Any:
    if body().get("preview", True) is not True:
        raise Conflict("a re-score starts with a preview: send {\"preview\": true}")
    batch = rescore.start_preview(assignments.get_by_slug(slug), actor=api_user())
    db.session.commit()
    return jsonify(rescore.serialise(batch)), 201


@bp.get("/rescores/<int:rescore_id>")
@roles_required("admin")
def rescore_show(rescore_id: int) -> Any:
    return jsonify(rescore.serialise(rescore.get(rescore_id)))


@bp.post("/rescores/<int:rescore_id>/confirm")
@roles_required("admin")
def rescore_confirm(rescore_id: int) -> Any:
    batch = rescore.confirm(rescore.get(rescore_id), actor=api_user())
    db.session.commit()
    return jsonify(rescore.serialise(batch))
