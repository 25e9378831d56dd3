"""Candidate portal additions under /c/<token>/: questions and the FAQ, feedback on the process,
and the candidate's rights over their code (download as bundle or zip, delete, keep on file)."""

from __future__ import annotations

import shutil
from typing import Any

from flask import Blueprint, flash, redirect, request, send_file, url_for

from ..candidates import operations as invitations
from ..candidates import questions
from ..candidates import rights as candidate_rights
from ..core.errors import NotFound
from ..extensions import db, limiter
from ..models import Invitation
from ..outcomes import feedback, process_health
from ..outcomes import operations as outcomes

bp = Blueprint("candidate_extras", __name__, url_prefix="/c")
TOKEN_LIMIT = "120 per minute"  # noqa: S105 - a rate, not a secret


@bp.app_context_processor
def _portal_extras() -> dict[str, Any]:
    def candidate_extras(invitation: Invitation) -> dict[str, Any]:
        """What the landing page shows beyond the foundation: one call, read-only."""
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

    return {"candidate_extras": candidate_extras}


def _back(token: str, anchor: str) -> Any:
    return redirect(url_for("portal.landing", token=token) + anchor)


@bp.get("/<token>/download/<kind>")
@limiter.limit("20 per minute")
def download(token: str, kind: str) -> Any:
    if kind not in ("bundle", "zip"):
        raise NotFound("downloads are a git bundle or a zip")
    invitation = invitations.by_token(token)
    path, name = candidate_rights.export(invitation, kind)
    db.session.commit()
    response = send_file(
        path,
        as_attachment=True,
        download_name=name,
        mimetype="application/zip" if kind == "zip" else "application/octet-stream",
    )
    response.call_on_close(lambda: shutil.rmtree(path.parent, ignore_errors=True))
    return response


@bp.post("/<token>/delete")
@limiter.limit(TOKEN_LIMIT)
def delete(token: str) -> Any:
    invitation = invitations.by_token(token)
    if request.form.get("confirm") != "yes":
        flash("Please tick the box to confirm the deletion: it cannot be undone.", "error")
        return _back(token, "#your-code")
    candidate_rights.delete_by_candidate(invitation)
    db.session.commit()
    flash("Your code, repository and test results are deleted. We noted that you did so.", "info")
    return _back(token, "#your-code")


@bp.post("/<token>/keep")
@limiter.limit(TOKEN_LIMIT)
def keep(token: str) -> Any:
    invitation = invitations.by_token(token)
    candidate_rights.set_keep_on_file(invitation, request.form.get("keep") == "yes")
    db.session.commit()
    flash("Your choice about keeping your code on file is saved.", "info")
    return _back(token, "#your-code")


@bp.post("/<token>/questions")
@limiter.limit("20 per minute")
def ask(token: str) -> Any:
    invitation = invitations.by_token(token)
    questions.ask(invitation, request.form.get("body", ""))
    db.session.commit()
    flash("Question sent. We answer within a working day, by email and on this page.", "info")
    return _back(token, "#questions")


@bp.post("/<token>/feedback/<stage>")
@limiter.limit(TOKEN_LIMIT)
def give_feedback(token: str, stage: str) -> Any:
    invitation = invitations.by_token(token)
    feedback.give_candidate(invitation, stage, request.form.to_dict())
    db.session.commit()
    flash("Thank you for telling us how it went.", "info")
    return _back(token, "#feedback")
