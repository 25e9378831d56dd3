"""The candidate's journey from the page's forms: accept the terms, start the clock, upload,
submit. Each is one service call and one commit; a second click of a racing pair answers 409."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, request, url_for

from ...candidates import disclosure
from ...candidates import operations as invitations
from ...core.errors import InvalidInput
from ...extensions import csrf, db
from .blueprint import bp, current_invitation


def back(anchor: str = "") -> Any:
    """To the candidate's page, at `anchor`."""
    return redirect(url_for("portal.landing") + anchor)


@bp.post("/accept")
def accept() -> Any:
    if request.form.get("agree") != "yes":
        flash("Please tick the box to confirm you have read the terms.", "error")
        return back()
    invitations.accept_terms(current_invitation(), request.form.get("terms_version"),
                             request.form.get("ai_use"))
    db.session.commit()
    flash("Thank you. Start the clock whenever you are ready.", "info")
    return back()


@bp.post("/start")
def start() -> Any:
    invitations.start(current_invitation())
    db.session.commit()
    flash("The clock is running. Good luck, and take breaks!", "info")
    return back("#work")


@bp.post("/upload")
@csrf.exempt
def upload() -> Any:
    """The link is checked before the form is read: CSRFProtect's own hook would parse (and
    spool to disk) the whole upload first, so an unknown link's upload is refused (by the
    blueprint's hook) before a byte of it is read, and the CSRF check follows at once."""
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()
    file = request.files.get("archive")
    if file is None or not file.filename:
        flash("Choose a .zip archive or a git bundle to upload.", "error")
        return back("#work")
    sha = invitations.upload(current_invitation(), file.stream, file.filename)
    db.session.commit()
    flash(f"Uploaded. Your repository's main branch is now at {sha[:10]}.", "info")
    return back("#work")


@bp.post("/submit")
def submit() -> Any:
    if request.form.get("confirm") != "yes":
        flash(
            "Please confirm that you want to submit: you cannot change your work afterwards.",
            "error",
        )
        return back("#submit")
    try:
        given = _disclosure()
    except InvalidInput as exc:
        flash(exc.message, "error")
        return back("#submit")
    invitations.submit(current_invitation(), given=given)
    db.session.commit()
    flash("Submitted. Thank you for the time you put into this.", "info")
    return back()


def _disclosure() -> disclosure.Given | None:
    """The form's AI disclosure: a choice is required here (the API's is optional); the
    transcript is read to one byte over its cap, so a larger one is refused unread."""
    cap = int(current_app.config["AI_TRANSCRIPT_BYTES"])
    file = request.files.get("transcript")
    data = file.stream.read(cap + 1) if file is not None and file.filename else None
    return disclosure.parse(request.form.get("ai_choice"), request.form.get("ai_tools"), data,
                            file.filename if file is not None else None, max_bytes=cap,
                            required=True)
