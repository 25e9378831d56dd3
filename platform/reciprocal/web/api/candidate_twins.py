"""The candidate's twins of the portal's forms, with the invitation token as the bearer: accept
the terms, start, submit, and ask for time or write notes on the result."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from ...candidates import operations as invitations
from ...candidates import result_notes, time_adjustments
from ...candidates import serialize as invitation_serialize
from ...extensions import db
from ...outcomes import promises
from .blueprint import body, bp, candidate_invitation


@bp.post("/candidate/accept-terms")
def candidate_accept() -> Any:
    data = request.get_json(silent=True) or {}
    invitation = invitations.accept_terms(candidate_invitation(), data.get("terms_version"))
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.post("/candidate/start")
def candidate_start() -> Any:
    invitation = invitations.start(candidate_invitation())
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.post("/candidate/submit")
def candidate_submit() -> Any:
    submission = invitations.submit(candidate_invitation(), via="api")
    db.session.commit()
    return jsonify(
        {
            "submission_id": submission.id,
            "commit_sha": submission.commit_sha,
            "late": submission.late,
            "time_used_seconds": submission.time_used_seconds,
            "answer_by": promises.expected_answer_by(submission).isoformat(),
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
