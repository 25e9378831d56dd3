"""The candidate's twins of the portal's forms, with the invitation token as the bearer: accept
the terms, start, submit, and ask for time or write notes on the result."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request

from ...candidates import disclosure, result_notes, time_adjustments
from ...candidates import operations as invitations
from ...candidates import serialize as invitation_serialize
from ...extensions import db
from ...outcomes import promises
from .blueprint import body, bp, candidate_invitation


@bp.post("/candidate/accept-terms")
def candidate_accept() -> Any:
    data = request.get_json(silent=True) or {}
    invitation = invitations.accept_terms(candidate_invitation(), data.get("terms_version"),
                                          data.get("ai_use"))
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.post("/candidate/start")
def candidate_start() -> Any:
    invitation = invitations.start(candidate_invitation())
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.post("/candidate/submit")
def candidate_submit() -> Any:
    """The body is optional: `{"ai_disclosure": {...}}` (candidates/disclosure.from_json)."""
    data = request.get_json(silent=True) if request.content_length else None
    if data is not None and not isinstance(data, dict):
        data = {"ai_disclosure": data}  # refused by from_json with what to send
    given = disclosure.from_json((data or {}).get("ai_disclosure"),
                                 max_bytes=current_app.config["AI_TRANSCRIPT_BYTES"])
    submission = invitations.submit(candidate_invitation(), via="api", given=given)
    row = disclosure.for_submission(submission)
    db.session.commit()
    return jsonify(
        {
            "submission_id": submission.id,
            "commit_sha": submission.commit_sha,
            "late": submission.late,
            "time_used_seconds": submission.time_used_seconds,
            "answer_by": promises.expected_answer_by(submission).isoformat(),
            "ai_disclosure": disclosure.as_json(row),
        }
    ), 201


@bp.post("/candidate/accommodation")
def candidate_accommodation() -> Any:
    data = body()
    invitation = candidate_invitation()
    time_adjustments.request_accommodation(
        invitation, data.get("extra_time_percent", 0), str(data.get("note") or ""),
        share_note=data.get("share_note_with_recruiter") is True)
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.post("/candidate/extension-request")
def candidate_extension_request() -> Any:
    data = body()
    extension = time_adjustments.request_extension(
        candidate_invitation(), data.get("minutes"), str(data.get("reason") or ""))
    db.session.commit()
    return jsonify(invitation_serialize.serialise_extension(extension)), 201


@bp.post("/candidate/result-notes")
def candidate_result_note() -> Any:
    data = body()
    kind = "test" if "test" in data else "criterion"
    note = result_notes.add(candidate_invitation(), kind, str(data.get(kind) or ""),
                            str(data.get("body") or ""))
    db.session.commit()
    return jsonify({"id": note.id, kind: note.target, "body": note.body,
                    "created_at": note.created_at.isoformat()}), 201
