"""Staff pages for outcomes: pipeline board with its SLA, the decision composer (preview, edit,
send), outbox, message templates, webhooks, process health and the questions inbox."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..candidates import questions, roles
from ..candidates import rights as candidate_rights
from ..core.errors import ReciprocalError
from ..extensions import db
from ..notify import mail, webhooks
from ..outcomes import composer, feedback, process_health
from ..outcomes import operations as outcomes
from ..outcomes import queries as outcome_queries
from ..review import queries as review_queries
from .auth import roles_required
from .rendering import charts

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")
DECIDERS = ("admin", "recruiter")


@bp.app_context_processor
def _staff_panels() -> dict[str, Any]:
    def outcome_panel() -> dict[str, Any]:
        """For the recruiter's home page: overdue candidates, open questions, effort flags."""
        return {
            "overdue": outcome_queries.sla_report(),
            "open_questions": questions.open_count(current_user),
            "effort_flags": process_health.flagged_efforts(),
        }

    return {"outcome_panel": outcome_panel, "deleted_by": candidate_rights.deleted_by}


def _fail(exc: ReciprocalError, target: str) -> Any:
    db.session.rollback()
    flash(exc.message, "error")
    return redirect(target)


@bp.get("/pipeline")
@roles_required(*DECIDERS)
def pipeline() -> Any:
    return render_template(
        "outcomes/pipeline.html", roles=roles.list_roles(), overdue=outcome_queries.sla_report()
    )


@bp.get("/roles/<int:role_id>/board")
@roles_required(*DECIDERS)
def board(role_id: int) -> Any:
    role = roles.find_role(role_id)
    return render_template("outcomes/board.html", role=role, columns=outcome_queries.board(role))


@bp.route("/submissions/<int:submission_id>/decision", methods=["GET", "POST"])
@roles_required(*DECIDERS)
def decision(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    here = url_for("outcomes.decision", submission_id=submission_id)
    if request.method == "POST":
        try:
            outcomes.decide(
                sub,
                request.form.get("outcome", ""),
                request.form.get("reason", ""),
                actor=current_user,
            )
        except ReciprocalError as exc:
            return _fail(exc, here)
        db.session.commit()
        return redirect(here + "#draft")
    return render_template(
        "outcomes/decision.html",
        submission=sub,
        invitation=sub.invitation,
        decision=outcomes.decision_for(sub),
        deleted=candidate_rights.deleted_by(sub.invitation),
    )


@bp.post("/submissions/<int:submission_id>/decision/send")
@roles_required(*DECIDERS)
def send(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    here = url_for("outcomes.decision", submission_id=submission_id)
    form = request.form
    try:
        decision = outcomes.decision_for(sub)
        if decision is not None and form.get("text") is not None and decision.sent_at is None:
            outcomes.edit(decision, form.get("text", ""), subject=form.get("subject"),
                          actor=current_user)
        if form.get("action") == "save":
            db.session.commit()
            flash("Draft saved.", "info")
            return redirect(here + "#draft")
        outcomes.send(sub, actor=current_user, override_reason=form.get("override_reason"))
    except outcomes.ToneCheckBlocked as exc:
        db.session.commit()  # keep the recruiter's edits and the fresh warnings
        flash(exc.message, "error")
        return redirect(here + "#draft")
    except ReciprocalError as exc:
        return _fail(exc, here)
    db.session.commit()
    flash("The message is on its way to the candidate.", "info")
    return redirect(here)


@bp.route("/submissions/<int:submission_id>/interviewer-feedback", methods=["GET", "POST"])
@roles_required("admin", "recruiter", "reviewer")
def interviewer_feedback(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    if request.method == "GET":
        return render_template("outcomes/interviewer_feedback.html", submission=sub)
    try:
        feedback.give_interviewer(sub, request.form.to_dict(), actor=current_user)
    except ReciprocalError as exc:
        return _fail(exc, url_for("recruiter.submission", submission_id=submission_id))
    db.session.commit()
    flash("Thank you: your view of the interview is recorded.", "info")
    return redirect(url_for("recruiter.submission", submission_id=submission_id))


@bp.get("/outbox")
@roles_required("admin")
def outbox() -> Any:
    return render_template(
        "outcomes/outbox.html", messages=mail.listing(), smtp=mail.smtp_configured()
    )


@bp.post("/messages/<int:message_id>/retry")
@roles_required("admin")
def retry_message(message_id: int) -> Any:
    try:
        mail.retry(mail.get(message_id), actor=current_user)
    except ReciprocalError as exc:
        return _fail(exc, url_for("outcomes.outbox"))
    db.session.commit()
    flash("The message will be sent again in a moment.", "info")
    return redirect(url_for("outcomes.outbox"))


@bp.get("/templates")
@roles_required("admin")
def template_list() -> Any:
    return render_template(
        "outcomes/templates.html",
        templates=outcomes.templates(),
        defaults=composer.DEFAULT_TEMPLATES,
    )


@bp.post("/templates/<name>")
@roles_required("admin")
def template_save(name: str) -> Any:
    form = request.form
    try:
        if form.get("action") == "reset":
            outcomes.reset_template(name, actor=current_user)
        else:
            outcomes.save_template(
                name,
                form.get("subject", ""),
                form.get("text", ""),
                form.get("html", ""),
                actor=current_user,
            )
    except ReciprocalError as exc:
        return _fail(exc, url_for("outcomes.template_list") + f"#t-{name}")
    db.session.commit()
    flash(f"Template {name} saved.", "info")
    return redirect(url_for("outcomes.template_list") + f"#t-{name}")


@bp.route("/webhooks", methods=["GET", "POST"])
@roles_required("admin")
def webhook_list() -> Any:
    secret = None
    if request.method == "POST":
        try:
            _hook, secret = webhooks.create(
                request.form.get("url", ""), request.form.getlist("events"), actor=current_user
            )
        except ReciprocalError as exc:
            return _fail(exc, url_for("outcomes.webhook_list"))
        db.session.commit()
    return render_template(
        "outcomes/webhooks.html",
        hooks=webhooks.listing(),
        deliveries=webhooks.recent_deliveries(),
        events=webhooks.EVENTS,
        secret=secret,
    )


@bp.post("/webhooks/<int:webhook_id>/active")
@roles_required("admin")
def webhook_toggle(webhook_id: int) -> Any:
    webhooks.set_active(
        webhooks.get(webhook_id), request.form.get("active") == "yes", actor=current_user
    )
    db.session.commit()
    return redirect(url_for("outcomes.webhook_list"))


@bp.get("/health")
@roles_required(*DECIDERS)
def health() -> Any:
    return render_template(
        "outcomes/health.html",
        charts=charts.process_health(process_health.response_times(),
                                     process_health.ratings_over_time(),
                                     process_health.time_vs_cap(), process_health.pass_rates()),
        efforts=process_health.efforts(),
        comments=feedback.candidate_comments(),
        question_hours=questions.median_response_hours(),
    )


@bp.get("/questions")
@roles_required("admin", "recruiter", "reviewer")
def question_inbox() -> Any:
    return render_template(
        "outcomes/questions.html",
        questions=questions.inbox(current_user),
        overdue=questions.overdue,
        may_publish=review_queries.privileged(current_user),
    )


@bp.post("/questions/<int:question_id>/answer")
@roles_required("admin", "recruiter", "reviewer")
def answer(question_id: int) -> Any:
    question = questions.get(question_id, current_user)
    try:
        questions.answer(
            question,
            request.form.get("body", ""),
            for_everyone=request.form.get("for_everyone") == "yes",
            actor=current_user,
        )
    except ReciprocalError as exc:
        if exc.status_code in (403, 404):
            raise
        return _fail(exc, url_for("outcomes.question_inbox"))
    db.session.commit()
    flash("Answer sent to the candidate.", "info")
    return redirect(url_for("outcomes.question_inbox"))
