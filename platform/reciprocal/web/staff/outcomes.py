"""Deciding and hearing back: the pipeline and each role's board with its promise, the decision
composer (preview, edit, send), the interviewer's feedback, process health and the questions
inbox."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...candidates import questions, roles
from ...candidates import rights as candidate_rights
from ...core.errors import ReciprocalError
from ...extensions import db
from ...outcomes import feedback
from ...outcomes import operations as outcomes
from ...outcomes import process_health as figures
from ...outcomes import queries as outcome_queries
from ...review import process
from ...review import queries as review_queries
from ..rendering import charts
from .blueprint import DECIDERS, bp, roles_required, visible_submission
from .pages import page_submission


def refused(exc: ReciprocalError, target: str) -> Any:
    """A refusal: nothing is kept, the reason is shown on the page the form came from."""
    db.session.rollback()
    flash(exc.message, "error")
    return redirect(target)


@bp.get("/outcomes/pipeline")
@roles_required(*DECIDERS)
def pipeline() -> Any:
    return render_template(
        "outcomes/pipeline.html", roles=roles.list_roles(), overdue=outcome_queries.sla_report()
    )


@bp.get("/outcomes/roles/<int:role_id>/board")
@roles_required(*DECIDERS)
def board(role_id: int) -> Any:
    role = roles.find_role(role_id)
    columns = outcome_queries.board(role)
    deleted = {row.invitation.id: candidate_rights.deleted_by(row.invitation)
               for rows in columns.values() for row in rows if row.invitation.code_deleted_at}
    return render_template("outcomes/board.html", role=role, columns=columns, deleted=deleted)


@bp.route("/outcomes/submissions/<int:submission_id>/decision", methods=["GET", "POST"])
@roles_required(*DECIDERS)
def decision(submission_id: int) -> Any:
    sub = page_submission(submission_id)
    here = url_for("staff.decision", submission_id=submission_id)
    if request.method == "POST":
        try:
            outcomes.decide(
                sub,
                request.form.get("outcome", ""),
                request.form.get("reason", ""),
                actor=current_user,
                cites=request.form.getlist("cites"),
                flag_reason=request.form.get("flag_reason"),
            )
        except ReciprocalError as exc:
            return refused(exc, here)
        db.session.commit()
        return redirect(here + "#draft")
    return render_template(
        "outcomes/decision.html",
        submission=sub,
        invitation=sub.invitation,
        decision=outcomes.decision_for(sub),
        deleted=candidate_rights.deleted_by(sub.invitation),
        process=process.for_reviewers(sub, current_user),
    )


@bp.post("/outcomes/submissions/<int:submission_id>/decision/send")
@roles_required(*DECIDERS)
def send_decision(submission_id: int) -> Any:
    sub = visible_submission(submission_id)
    here = url_for("staff.decision", submission_id=submission_id)
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
        return refused(exc, here)
    db.session.commit()
    flash("The message is on its way to the candidate.", "info")
    return redirect(here)


@bp.route("/outcomes/submissions/<int:submission_id>/interviewer-feedback",
          methods=["GET", "POST"])
def interviewer_feedback(submission_id: int) -> Any:
    sub = page_submission(submission_id)
    if request.method == "GET":
        return render_template("outcomes/interviewer_feedback.html", submission=sub)
    back = url_for("staff.submission", submission_id=submission_id)
    try:
        feedback.give_interviewer(sub, request.form.to_dict(), actor=current_user)
    except ReciprocalError as exc:
        return refused(exc, back)
    db.session.commit()
    flash("Thank you: your view of the interview is recorded.", "info")
    return redirect(back)


@bp.get("/outcomes/health")
@roles_required(*DECIDERS)
def process_health() -> Any:
    return render_template(
        "outcomes/health.html",
        charts=charts.process_health(figures.response_times(), figures.ratings_over_time(),
                                     figures.time_vs_cap(), figures.pass_rates()),
        efforts=figures.efforts(),
        comments=feedback.candidate_comments(),
        question_hours=questions.median_response_hours(),
    )


@bp.get("/outcomes/questions")
def question_inbox() -> Any:
    inbox = questions.inbox(current_user)
    return render_template(
        "outcomes/questions.html",
        questions=inbox,
        overdue={q.id for q in inbox if questions.overdue(q)},
        may_publish=review_queries.privileged(current_user),
    )


@bp.post("/outcomes/questions/<int:question_id>/answer")
def answer_question(question_id: int) -> Any:
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
        return refused(exc, url_for("staff.question_inbox"))
    db.session.commit()
    flash("Answer sent to the candidate.", "info")
    return redirect(url_for("staff.question_inbox"))
