"""A submission's own page (details, the automated tests, its reviewers), the status its script
polls, running the tests again, and assigning or removing reviewers."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ...accounts import operations as users
from ...core.errors import NotFound
from ...extensions import db
from ...grading import operations as grading
from ...grading import serialize as grading_serialize
from ...review import operations as review
from ...review import panels, process
from ...review import queries as review_queries
from ...similarity import queries as similarity
from .blueprint import DECIDERS, bp, roles_required, visible_submission
from .pages import page_submission


@bp.get("/submissions/<int:submission_id>")
def submission(submission_id: int) -> Any:
    sub = page_submission(submission_id)
    return render_template(
        "recruiter/submission.html",
        submission=sub,
        run=sub.latest_run,
        candidate=review_queries.candidate_label(sub, current_user),
        time=review_queries.time_for(current_user, sub.invitation),
        reviewers=review_queries.reviewers_of(sub),
        scored=review_queries.scored_by(sub),
        all_reviewers=[u for u in users.list_users() if u.role in ("reviewer", "admin")],
        similarity=similarity.check_for(sub),
        process=process.for_reviewers(sub, current_user),
    )


@bp.get("/submissions/<int:submission_id>/grading.json")
def submission_grading(submission_id: int) -> Any:
    sub = visible_submission(submission_id)
    return jsonify(grading_serialize.serialise_run(sub.latest_run, include_output=False))


def _back(submission_id: int) -> Any:
    return redirect(url_for("staff.submission", submission_id=submission_id))


@bp.post("/submissions/<int:submission_id>/regrade")
def regrade(submission_id: int) -> Any:
    grading.request_run(visible_submission(submission_id), requested_by=current_user)
    db.session.commit()
    flash("The tests will run again in a moment.", "info")
    return _back(submission_id)


@bp.post("/submissions/<int:submission_id>/reviewers")
def assign_reviewer(submission_id: int) -> Any:
    if not review_queries.privileged(current_user):
        # Reviewers assign no one (review panels do): the same 404 as a missing id.
        raise NotFound(f"no submission {submission_id}")
    sub = visible_submission(submission_id)
    reviewer = users.get(request.form.get("reviewer_id", type=int) or 0)
    review.assign_reviewer(sub, reviewer, actor=current_user)
    db.session.commit()
    flash(f"{reviewer.display_name} will review this submission.", "info")
    return _back(submission_id)


@bp.post("/submissions/<int:submission_id>/reviewers/<int:reviewer_id>/remove")
@roles_required(*DECIDERS)
def unassign_reviewer(submission_id: int, reviewer_id: int) -> Any:
    sub = visible_submission(submission_id)
    reviewer = users.get(reviewer_id)
    panels.unassign(sub, reviewer, actor=current_user)
    db.session.commit()
    flash(f"{reviewer.display_name} no longer reviews this submission.", "info")
    return _back(submission_id)
