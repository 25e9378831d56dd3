"""The candidate's page and the status its script polls. The page's whole context is built
here, from the link's invitation: nothing the template includes reads the database."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, render_template, send_file

from ...candidates import operations as invitations
from ...candidates import questions, result_notes, self_id, time_adjustments
from ...candidates.terms import current_terms
from ...core.errors import NotFound
from ...grading import screenshots
from ...models import Invitation
from ...outcomes import feedback, process_health, promises
from ...outcomes import operations as outcomes
from ...review import attribution, process
from ...similarity import explain
from .blueprint import bp, current_invitation, current_token


@bp.get("")
def landing() -> Any:
    return render_template("portal/landing.html", **page_context(current_invitation()))


def page_context(invitation: Invitation) -> dict[str, Any]:
    """What the candidate's page shows: the foundation, the outcome and questions (`extras`),
    time and notes (`time`), the team's questions about a match (`explain_requests`), and the
    AI policy with what reviewers see of how they worked (`process`)."""
    submission = invitation.submission
    return {
        "invitation": invitation,
        "terms": current_terms(current_app.config["RETENTION_DAYS"]),
        "git_url": invitations.git_url(current_token(), invitation),
        "submission": submission,
        "run": submission.latest_run if submission else None,
        "screenshots": screenshots.gallery(submission.latest_run)
        if submission and invitation.assignment.results_visible_to_candidate else [],
        "answer_by": promises.expected_answer_by(submission) if submission else None,
        "push_closed": invitations.push_window_closed(invitation),
        "max_upload_mb": current_app.config["MAX_PUSH_BYTES"] // (1024 * 1024),
        "extras": _outcome_and_questions(invitation),
        "time": _time_and_notes(invitation),
        "explain_requests": explain.for_invitation(invitation),
        "ai_attribution": attribution.summary(submission),
        "process": process.for_candidate(invitation),
        "ai_transcript_kb": current_app.config["AI_TRANSCRIPT_BYTES"] // 1024,
        "self_id": _self_identification(invitation),
    }


def _self_identification(invitation: Invitation) -> dict[str, Any]:
    """The voluntary form: each question with its choices, the candidate's own answers."""
    return {
        "questions": [(q, self_id.choices(q)) for q in self_id.questions()],
        "answers": self_id.answers_for(invitation),
        "open": self_id.may_change(invitation),
    }


def _outcome_and_questions(invitation: Invitation) -> dict[str, Any]:
    decision = outcomes.sent_decision(invitation)
    return {
        "decision": decision,
        "faq": questions.faq(invitation.assignment_id),
        "questions": questions.mine(invitation),
        "max_questions": questions.MAX_QUESTIONS,
        "feedback_open": feedback.open_prompts(invitation, decision),
        "effort": process_health.effort(invitation.assignment),
        "has_repo": invitation.code_deleted_at is None
        and invitations.storage().exists(invitation.id),
    }


def _time_and_notes(invitation: Invitation) -> dict[str, Any]:
    requests = time_adjustments.requests_for(invitation)
    accommodation = time_adjustments.accommodation_for(invitation)
    return {
        "accommodation": accommodation,
        "max_changes": time_adjustments.MAX_ACCOMMODATION_CHANGES,
        "changes_left": time_adjustments.MAX_ACCOMMODATION_CHANGES
        - (accommodation.changes if accommodation else 0),
        "extension_requests": requests,
        "pending": any(r.status == "pending" for r in requests),
        "note_targets": result_notes.targets(invitation),
        "notes": result_notes.for_submission(invitation.submission)
        if invitation.submission else [],
    }


@bp.get("/status.json")
def status() -> Any:
    invitation = current_invitation()
    submission = invitation.submission
    run = submission.latest_run if submission else None
    visible = invitation.assignment.results_visible_to_candidate
    data: dict[str, Any] = {"status": invitation.status, "grading": None}
    if run is not None:
        data["grading"] = {"status": run.status, "finished": run.finished}
        if visible and run.scored:  # an altered report's counts are no result
            data["grading"].update(passed=run.passed, failed=run.failed + run.errors)
    return jsonify(data)


@bp.get("/screenshots/<int:run_id>/<name>.png")
def screenshot(run_id: int, name: str) -> Any:
    """A photograph of the candidate's own pages, when the assignment shows them their results."""
    invitation = current_invitation()
    submission = invitation.submission
    run = submission.latest_run if submission else None
    if (run is None or run.id != run_id or not invitation.assignment.results_visible_to_candidate
            or not screenshots.shown(run)):
        raise NotFound("no such screenshot")
    response = send_file(screenshots.path_of(run, name), mimetype="image/png", max_age=3600)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
