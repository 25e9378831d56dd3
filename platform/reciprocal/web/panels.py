"""Review panels on the web: a role's panel (recruiters and admins), the reviewer's own queue
with due dates, hand-back and what the panel offers them, and the away mark."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts import operations as users
from ..candidates import roles
from ..extensions import db
from ..models import Submission, User
from ..review import panels
from ..review import queries as review_queries
from .auth import roles_required

bp = Blueprint("panels", __name__)
STAFF = ("admin", "recruiter", "reviewer")


@bp.app_context_processor
def _queue_helpers() -> dict[str, Any]:
    """`panel_queue(user)` for the review queue page: due dates, offers and the away mark."""

    def panel_queue(user: User, submissions: list[Submission]) -> dict[str, Any]:
        offered = panels.offered(user) if user.has_role("reviewer") else []
        return {
            "due": {s.id: panels.due_at(s) for s in [*submissions, *offered]},
            "offered": offered,
            "away": panels.is_away(user),
            "reviewer": user.has_role("reviewer"),
            "assigned": panels.open_for(user, [s.id for s in submissions]),
        }

    return {"panel_queue": panel_queue}


def _queue() -> Any:
    return redirect(url_for("recruiter.review_queue"))


@bp.post("/submissions/<int:submission_id>/hand-back")
@roles_required(*STAFF)
def hand_back(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    panels.hand_back(sub, current_user)
    db.session.commit()
    flash("Handed back: the panel offers it to another reviewer.", "info")
    return _queue()


@bp.post("/submissions/<int:submission_id>/take")
@roles_required(*STAFF)
def take(submission_id: int) -> Any:
    panels.take(submission_id, current_user)
    db.session.commit()
    flash("It is yours to review.", "info")
    return redirect(url_for("review.code_tree", submission_id=submission_id))


@bp.post("/review/away")
@roles_required(*STAFF)
def away() -> Any:
    panels.set_away(current_user, request.form.get("away") == "1", actor=current_user)
    db.session.commit()
    return _queue()


@bp.post("/submissions/<int:submission_id>/reviewers/<int:reviewer_id>/remove")
@roles_required("admin", "recruiter")
def unassign(submission_id: int, reviewer_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    reviewer = users.get(reviewer_id)
    panels.unassign(sub, reviewer, actor=current_user)
    db.session.commit()
    flash(f"{reviewer.display_name} no longer reviews this submission.", "info")
    return redirect(url_for("recruiter.submission", submission_id=submission_id))


@bp.route("/roles/<int:role_id>/panel", methods=["GET", "POST"])
@roles_required("admin", "recruiter")
def panel(role_id: int) -> Any:
    role = roles.find_role(role_id)
    if request.method == "POST":
        reviewer = users.get(request.form.get("reviewer_id", type=int) or 0)
        if request.form.get("action") == "remove":
            panels.remove_member(role, reviewer, actor=current_user)
            flash(f"{reviewer.display_name} left the panel.", "info")
        else:
            panels.add_member(role, reviewer, actor=current_user)
            flash(f"{reviewer.display_name} joined the panel.", "info")
        db.session.commit()
        return redirect(url_for("panels.panel", role_id=role.id))
    members = panels.members(role)
    load = panels.open_reviews()
    return render_template(
        "review/panel.html",
        role=role,
        members=members,
        load=load,
        away={m.id for m in members if panels.is_away(m)},
        others=[u for u in users.list_users()
                if u.role in ("reviewer", "admin") and u.active and u not in members],
        per_submission=panels.per_submission(),
    )
