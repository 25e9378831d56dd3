"""The candidate portal: reached through a private link, no account needed."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from ..candidates import operations as invitations
from ..candidates.terms import current_terms
from ..extensions import csrf, db, limiter
from ..outcomes import promises

bp = Blueprint("portal", __name__, url_prefix="/c")
TOKEN_LIMIT = "120 per minute"  # noqa: S105 - a rate, not a secret


@bp.get("/<token>")
@limiter.limit(TOKEN_LIMIT)
def landing(token: str) -> Any:
    invitation = invitations.by_token(token)
    submission = invitation.submission
    run = submission.latest_run if submission else None
    return render_template(
        "portal/landing.html",
        invitation=invitation,
        token=token,
        terms=current_terms(current_app.config["RETENTION_DAYS"]),
        git_url=invitations.git_url(token, invitation),
        submission=submission,
        run=run,
        answer_by=promises.expected_answer_by(submission) if submission else None,
        push_closed=invitations.push_window_closed(invitation),
        max_upload_mb=current_app.config["MAX_PUSH_BYTES"] // (1024 * 1024),
    )


@bp.post("/<token>/accept")
@limiter.limit(TOKEN_LIMIT)
def accept(token: str) -> Any:
    invitation = invitations.by_token(token)
    if request.form.get("agree") != "yes":
        flash("Please tick the box to confirm you have read the terms.", "error")
        return redirect(url_for("portal.landing", token=token))
    invitations.accept_terms(invitation, request.form.get("terms_version"))
    db.session.commit()
    flash("Thank you. Start the clock whenever you are ready.", "info")
    return redirect(url_for("portal.landing", token=token))


@bp.post("/<token>/start")
@limiter.limit(TOKEN_LIMIT)
def start(token: str) -> Any:
    invitation = invitations.by_token(token)
    invitations.start(invitation)
    db.session.commit()
    flash("The clock is running. Good luck, and take breaks!", "info")
    return redirect(url_for("portal.landing", token=token) + "#work")


@bp.post("/<token>/upload")
@csrf.exempt
@limiter.limit("20 per minute")
def upload(token: str) -> Any:
    """The link is checked before the form is read: CSRFProtect's own hook would parse (and
    spool to disk) the whole upload first, so an unknown link's upload is refused here before
    a byte of it is read, and the CSRF check follows at once."""
    invitation = invitations.by_token(token)
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    file = request.files.get("archive")
    if file is None or not file.filename:
        flash("Choose a .zip archive or a git bundle to upload.", "error")
        return redirect(url_for("portal.landing", token=token) + "#work")
    sha = invitations.upload(invitation, file.stream, file.filename)
    db.session.commit()
    flash(f"Uploaded. Your repository's main branch is now at {sha[:10]}.", "info")
    return redirect(url_for("portal.landing", token=token) + "#work")


@bp.post("/<token>/submit")
@limiter.limit(TOKEN_LIMIT)
def submit(token: str) -> Any:
    invitation = invitations.by_token(token)
    if request.form.get("confirm") != "yes":
        flash(
            "Please confirm that you want to submit: you cannot change your work afterwards.",
            "error",
        )
        return redirect(url_for("portal.landing", token=token) + "#submit")
    invitations.submit(invitation)
    db.session.commit()
    flash("Submitted. Thank you for the time you put into this.", "info")
    return redirect(url_for("portal.landing", token=token))


@bp.get("/<token>/status.json")
@limiter.limit("240 per minute")
def status(token: str) -> Any:
    invitation = invitations.by_token(token)
    submission = invitation.submission
    run = submission.latest_run if submission else None
    visible = invitation.assignment.results_visible_to_candidate
    data: dict[str, Any] = {"status": invitation.status, "grading": None}
    if run is not None:
        data["grading"] = {"status": run.status, "finished": run.finished}
        if visible and run.scored:  # an altered report's counts are no result
            data["grading"].update(passed=run.passed, failed=run.failed + run.errors)
    return jsonify(data)
