"""Pages for issue 16: the candidate asks for an accommodation or more time and writes notes on
their result (portal forms under /c/<token>/); recruiters answer time requests in one click."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from ..candidates import operations as invitations
from ..candidates import result_notes, time_adjustments
from ..core.errors import ReciprocalError
from ..extensions import db, limiter
from ..models import Invitation, Submission
from ..review.queries import privileged
from .auth import roles_required

bp = Blueprint("fairness", __name__)
FORM_LIMIT = "30 per minute"


@bp.app_context_processor
def _fairness_helpers() -> dict[str, Any]:
    def candidate_time(invitation: Invitation) -> dict[str, Any]:
        """What the portal shows about time and notes: one call, read-only."""
        requests = time_adjustments.requests_for(invitation)
        accommodation = time_adjustments.accommodation_for(invitation)
        return {"accommodation": accommodation,
                "max_changes": time_adjustments.MAX_ACCOMMODATION_CHANGES,
                "changes_left": time_adjustments.MAX_ACCOMMODATION_CHANGES
                - (accommodation.changes if accommodation else 0),
                "extension_requests": requests,
                "pending": any(r.status == "pending" for r in requests),
                "note_targets": result_notes.targets(invitation),
                "notes": result_notes.for_submission(invitation.submission)
                if invitation.submission else []}

    def notes_on_result(submission: Submission) -> dict[tuple[str, str], list[Any]]:
        return result_notes.by_target(submission)

    def accommodation_tag(invitation: Invitation) -> str | None:
        """For recruiters and admins only: that an accommodation applies (never why)."""
        if not current_user.is_authenticated or not privileged(current_user):
            return None
        found = time_adjustments.accommodation_for(invitation)
        if found is None:
            return None
        return f"+{found.extra_time_percent}% time" if found.extra_time_percent else \
            "arrangement"

    return {"candidate_time": candidate_time, "notes_on_result": notes_on_result,
            "accommodation_tag": accommodation_tag,
            "pending_time_requests": time_adjustments.pending_requests}


def _portal_form(token: str, anchor: str, done: str, act: Callable[[Invitation], Any]) -> Any:
    """Run a candidate's form action; a refusal is shown on the page, nothing is lost."""
    invitation = invitations.by_token(token)
    try:
        act(invitation)
    except ReciprocalError as exc:
        db.session.rollback()
        flash(exc.message[:1].upper() + exc.message[1:] + ".", "error")
    else:
        db.session.commit()
        flash(done, "info")
    return redirect(url_for("portal.landing", token=token) + anchor)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@bp.post("/c/<token>/accommodation")
@limiter.limit(FORM_LIMIT)
def accommodation(token: str) -> Any:
    form = request.form
    return _portal_form(token, "#your-time", "Your accommodation applies: your time cap is "
                        "updated below. Reviewers never see it.",
                        lambda inv: time_adjustments.request_accommodation(
                            inv, _int(form.get("extra_time_percent")), form.get("note", ""),
                            share_note=form.get("share_note") == "yes"))


@bp.post("/c/<token>/extension-request")
@limiter.limit(FORM_LIMIT)
def extension_request(token: str) -> Any:
    form = request.form
    return _portal_form(token, "#your-time", "Your request is sent. The team answers it by "
                        "email and on this page.",
                        lambda inv: time_adjustments.request_extension(
                            inv, _int(form.get("minutes")), form.get("reason", "")))


@bp.post("/c/<token>/result-notes")
@limiter.limit(FORM_LIMIT)
def result_note(token: str) -> Any:
    form = request.form
    kind, _, target = (form.get("target") or "").partition(":")
    return _portal_form(token, "#result-notes", "Your note is saved; reviewers will read it "
                        "beside the result.",
                        lambda inv: result_notes.add(inv, kind, target, form.get("body", "")))


@bp.post("/time-requests/<int:request_id>")
@roles_required("admin", "recruiter")
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
    return redirect(url_for("recruiter.dashboard") + "#time-requests")
