"""The review queue: every submission the user may review, and for reviewers their open
reviews with due dates, what their panels offer them, hand-back and the away mark."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...extensions import db
from ...review import panels
from ...review import queries as review_queries
from ...similarity import queries as similarity
from .blueprint import bp, visible_submission


@bp.get("/queue")
def review_queue() -> Any:
    submissions = review_queries.list_for(current_user)
    reviewer = current_user.has_role("reviewer")
    offered = panels.offered(current_user) if reviewer else []
    return render_template(
        "recruiter/queue.html",
        submissions=submissions,
        flags=similarity.flagged(s.id for s in submissions),
        pq={
            "due": {s.id: panels.due_at(s) for s in [*submissions, *offered]},
            "offered": offered,
            "away": panels.is_away(current_user),
            "reviewer": reviewer,
            "assigned": panels.open_for(current_user, [s.id for s in submissions]),
        },
    )


def _queue() -> Any:
    return redirect(url_for("staff.review_queue"))


@bp.post("/submissions/<int:submission_id>/hand-back")
def hand_back(submission_id: int) -> Any:
    panels.hand_back(visible_submission(submission_id), current_user)
    db.session.commit()
    flash("Handed back: the panel offers it to another reviewer.", "info")
    return _queue()


@bp.post("/submissions/<int:submission_id>/take")
def take(submission_id: int) -> Any:
    panels.take(submission_id, current_user)
    db.session.commit()
    flash("It is yours to review.", "info")
    return redirect(url_for("staff.code_tree", submission_id=submission_id))


@bp.post("/review/away")
def away() -> Any:
    panels.set_away(current_user, request.form.get("away") == "1", actor=current_user)
    db.session.commit()
    return _queue()
