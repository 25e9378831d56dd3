"""API v1 for accommodations, extensions and candidates' notes on results (issue 16): the
candidate twins take the invitation token, the staff routes a recruiter's or admin's token."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from ..candidates import operations as invitations
from ..candidates import result_notes, time_adjustments
from ..candidates import serialize as invitation_serialize
from ..extensions import csrf, db, limiter
from .api import api_user, body, candidate_invitation, staff

bp = Blueprint("fairness_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
CANDIDATE_LIMIT = "30 per minute"


@bp.post("/candidate/accommodation")
@limiter.limit(CANDIDATE_LIMIT)
def candidate_accommodation() -> Any:
    data = body()
    invitation = candidate_invitation()
    time_adjustments.request_accommodation(
        invitation, data.get("extra_time_percent", 0), str(data.get("note") or ""),
        share_note=data.get("share_note_with_recruiter") is True)
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.post("/candidate/extension-request")
@limiter.limit(CANDIDATE_LIMIT)
def candidate_extension_request() -> Any:
    data = body()
    request = time_adjustments.request_extension(candidate_invitation(), data.get("minutes"),
                                                 str(data.get("reason") or ""))
    db.session.commit()
    return jsonify(invitation_serialize.serialise_extension(request)), 201


@bp.post("/candidate/result-notes")
@limiter.limit(CANDIDATE_LIMIT)
def candidate_result_note() -> Any:
    data = body()
    kind = "test" if "test" in data else "criterion"
    note = result_notes.add(candidate_invitation(), kind, str(data.get(kind) or ""),
                            str(data.get("body") or ""))
    db.session.commit()
    return jsonify({"id": note.id, kind: note.target, "body": note.body,
                    "created_at": note.created_at.isoformat()}), 201


@bp.post("/invitations/<int:invitation_id>/extension")
@staff("admin", "recruiter")
def grant_extension(invitation_id: int) -> Any:
    data = body()
    invitation = time_adjustments.grant(invitations.get(invitation_id), data.get("minutes"),
                                        str(data.get("reason") or ""), actor=api_user())
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.get("/extension-requests")
@staff("admin", "recruiter")
def pending_extension_requests() -> Any:
    return jsonify([invitation_serialize.serialise_extension(r)
                    for r in time_adjustments.pending_requests()])


@bp.post("/extension-requests/<int:request_id>")
@staff("admin", "recruiter")
def decide_extension(request_id: int) -> Any:
    data = body()
    approve = data.get("approve")
    if not isinstance(approve, bool):
        return jsonify({"error": 'send {"approve": true|false, "reason": "..."}'}), 400
    request = time_adjustments.get_request(request_id)
    invitation = time_adjustments.decide(request, approve=approve,
                                         reason=str(data.get("reason") or ""), actor=api_user())
    db.session.commit()
    return jsonify({"request": invitation_serialize.serialise_extension(request),
                    "invitation": invitation_serialize.serialise(invitation)})
