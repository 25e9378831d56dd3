"""Staff pages for recruiters (and the reviewer's queue): roles, invitations, submissions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts import operations as users
from ..assignments import operations as assignments
from ..candidates import operations as invitations
from ..candidates import roles
from ..core.errors import NotFound, ReciprocalError
from ..extensions import db
from ..grading import operations as grading
from ..grading import serialize as grading_serialize
from ..review import operations as review
from ..review import queries as review_queries
from .auth import roles_required

bp = Blueprint("recruiter", __name__)
STAFF = ("admin", "recruiter", "reviewer")


@bp.get("/")
def index() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("recruiter.dashboard"))
    return render_template("home.html")


@bp.get("/dashboard")
@roles_required(*STAFF)
def dashboard() -> Any:
    if current_user.role == "reviewer":
        return redirect(url_for("recruiter.review_queue"))
    return render_template(
        "recruiter/dashboard.html",
        roles=roles.list_roles(),
        invitations=invitations.recent(),
        submissions=review_queries.list_for(current_user),
    )


@bp.get("/queue")
@roles_required(*STAFF)
def review_queue() -> Any:
    return render_template(
        "recruiter/queue.html", submissions=review_queries.list_for(current_user)
    )


@bp.route("/roles/new", methods=["GET", "POST"])
@roles_required("admin", "recruiter")
def new_role() -> Any:
    form = request.form
    if request.method == "POST":
        data = {
            key: form.get(key, "")
            for key in (
                "title",
                "team",
                "salary_min",
                "salary_max",
                "currency",
                "mission",
                "requirements",
                "stages",
                "response_days",
            )
        }
        try:
            role = roles.create_role(data, actor=current_user)
        except ReciprocalError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return render_template("recruiter/role_form.html", form=form), 422
        db.session.commit()
        flash(f"Role {role.title} created.", "info")
        return redirect(url_for("recruiter.dashboard"))
    return render_template(
        "recruiter/role_form.html", form=form, default_stages="\n".join(roles.DEFAULT_STAGES)
    )


@bp.route("/invitations/new", methods=["GET", "POST"])
@roles_required("admin", "recruiter")
def new_invitation() -> Any:
    form = request.form
    context = {
        "form": form,
        "roles": roles.list_roles(),
        "assignments": assignments.list_assignments(),
    }
    if request.method == "POST":
        try:
            new = invitations.invite(
                form.get("assignment", ""),
                form.get("role", ""),
                form.get("name", ""),
                form.get("email", ""),
                actor=current_user,
            )
        except ReciprocalError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return render_template("recruiter/invitation_form.html", **context), 422
        db.session.commit()
        return render_template("recruiter/invitation_created.html", new=new)
    return render_template("recruiter/invitation_form.html", **context)


@bp.post("/invitations/<int:invitation_id>/reissue")
@roles_required("admin", "recruiter")
def reissue(invitation_id: int) -> Any:
    new = invitations.reissue_link(invitations.get(invitation_id), actor=current_user)
    db.session.commit()
    return render_template("recruiter/invitation_created.html", new=new, reissued=True)


@bp.post("/invitations/<int:invitation_id>/revoke")
@roles_required("admin", "recruiter")
def revoke(invitation_id: int) -> Any:
    invitations.revoke(invitations.get(invitation_id), actor=current_user)
    db.session.commit()
    flash("Invitation withdrawn; its link no longer works.", "info")
    return redirect(url_for("recruiter.dashboard"))


@bp.get("/submissions/<int:submission_id>")
@roles_required(*STAFF)
def submission(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    return render_template(
        "recruiter/submission.html",
        submission=sub,
        run=sub.latest_run,
        candidate=review_queries.candidate_label(sub, current_user),
        time=review_queries.time_for(current_user, sub.invitation),
        reviewers=review_queries.reviewers_of(sub),
        scored=review_queries.scored_by(sub),
        all_reviewers=[u for u in users.list_users() if u.role in ("reviewer", "admin")],
    )


@bp.get("/submissions/<int:submission_id>/grading.json")
@roles_required(*STAFF)
def submission_grading(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    return jsonify(grading_serialize.serialise_run(sub.latest_run, include_output=False))


@bp.post("/submissions/<int:submission_id>/regrade")
@roles_required(*STAFF)
def regrade(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    grading.request_run(sub, requested_by=current_user)
    db.session.commit()
    flash("The tests will run again in a moment.", "info")
    return redirect(url_for("recruiter.submission", submission_id=submission_id))


@bp.post("/submissions/<int:submission_id>/reviewers")
@roles_required(*STAFF)
def assign(submission_id: int) -> Any:
    if not review_queries.privileged(current_user):
        # Reviewers assign no one (review panels will come): the same 404 as a missing id.
        raise NotFound(f"no submission {submission_id}")
    sub = review_queries.visible_to(current_user, submission_id)
    reviewer = users.get(request.form.get("reviewer_id", type=int) or 0)
    review.assign_reviewer(sub, reviewer, actor=current_user)
    db.session.commit()
    flash(f"{reviewer.display_name} will review this submission.", "info")
    return redirect(url_for("recruiter.submission", submission_id=submission_id))
