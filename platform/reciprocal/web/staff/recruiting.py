"""The recruiter's desk: the dashboard, new roles, invitations (a new link, withdrawal) and the
answer to a candidate's request for more time."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...assignments import ai_policy
from ...assignments import operations as assignments
from ...candidates import operations as invitations
from ...candidates import questions, roles, time_adjustments
from ...core.errors import ReciprocalError
from ...extensions import db
from ...outcomes import process_health
from ...outcomes import queries as outcome_queries
from ...review import queries as review_queries
from .blueprint import DECIDERS, bp, roles_required

ROLE_FIELDS = ("title", "team", "salary_min", "salary_max", "currency", "mission",
               "requirements", "stages", "response_days")


@bp.get("/dashboard")
def dashboard() -> Any:
    if current_user.role == "reviewer":
        return redirect(url_for("staff.review_queue"))
    recent = invitations.recent()
    return render_template(
        "recruiter/dashboard.html",
        roles=roles.list_roles(),
        invitations=recent,
        accommodations=time_adjustments.accommodation_tags(recent),
        submissions=review_queries.list_for(current_user),
        time_requests=time_adjustments.pending_requests(),
        panel={
            "overdue": outcome_queries.sla_report(),
            "open_questions": questions.open_count(current_user),
            "effort_flags": process_health.flagged_efforts()
            if current_user.role == "admin" else [],
        },
    )


@bp.route("/roles/new", methods=["GET", "POST"])
@roles_required(*DECIDERS)
def new_role() -> Any:
    form = request.form
    if request.method == "POST":
        try:
            data: dict[str, Any] = {key: form.get(key, "") for key in ROLE_FIELDS}
            data["ai_policy"] = {"use": form.get("ai_use", ""),
                                 "text": form.get("ai_policy_text", "")}
            role = roles.create_role(data, actor=current_user)
        except ReciprocalError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return render_template("recruiter/role_form.html", form=form,
                                   ai_uses=ai_policy.USES), 422
        db.session.commit()
        flash(f"Role {role.title} created.", "info")
        return redirect(url_for("staff.dashboard"))
    return render_template(
        "recruiter/role_form.html", form=form, default_stages="\n".join(roles.DEFAULT_STAGES),
        ai_uses=ai_policy.USES,
    )


@bp.route("/invitations/new", methods=["GET", "POST"])
@roles_required(*DECIDERS)
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
@roles_required(*DECIDERS)
def reissue(invitation_id: int) -> Any:
    new = invitations.reissue_link(invitations.get(invitation_id), actor=current_user)
    db.session.commit()
    return render_template("recruiter/invitation_created.html", new=new, reissued=True)


@bp.post("/invitations/<int:invitation_id>/revoke")
@roles_required(*DECIDERS)
def revoke_invitation(invitation_id: int) -> Any:
    invitations.revoke(invitations.get(invitation_id), actor=current_user)
    db.session.commit()
    flash("Invitation withdrawn; its link no longer works.", "info")
    return redirect(url_for("staff.dashboard"))


@bp.post("/time-requests/<int:request_id>")
@roles_required(*DECIDERS)
def decide_time_request(request_id: int) -> Any:
    form = request.form
    try:
        time_adjustments.decide(time_adjustments.get_request(request_id),
                                approve=form.get("decision") == "approve",
                                reason=form.get("reason", ""), actor=current_user)
    except ReciprocalError as exc:
        db.session.rollback()
        flash(exc.message[:1].upper() + exc.message[1:] + ".", "error")
    else:
        db.session.commit()
        flash("Answered; the candidate is emailed.", "info")
    return redirect(url_for("staff.dashboard") + "#time-requests")
