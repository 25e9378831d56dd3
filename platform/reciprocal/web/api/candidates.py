"""Roles, invitations and more time, for recruiters' and admins' tokens."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ...candidates import operations as invitations
from ...candidates import roles, time_adjustments
from ...candidates import serialize as invitation_serialize
from ...core.errors import BadRequest
from ...extensions import db
from .blueprint import DECIDERS, api_user, body, bp, roles_required


@bp.get("/roles")
def list_roles() -> Any:
    return jsonify([roles.serialise(r) for r in roles.list_roles()])


@bp.post("/roles")
@roles_required(*DECIDERS)
def create_role() -> Any:
    role = roles.create_role(body(), actor=api_user())
    db.session.commit()
    return jsonify(roles.serialise(role)), 201


@bp.post("/invitations")
@roles_required(*DECIDERS)
def create_invitation() -> Any:
    data = body()
    candidate = data.get("candidate")
    if not isinstance(candidate, dict):
        raise BadRequest('candidate must be an object: {"name": ..., "email": ...}')
    new = invitations.invite(
        data.get("assignment", ""),
        data.get("role", ""),
        candidate.get("name", ""),
        candidate.get("email", ""),
        actor=api_user(),
    )
    db.session.commit()
    return jsonify(invitation_serialize.serialise(new.invitation, new)), 201


@bp.get("/invitations/<int:invitation_id>")
@roles_required(*DECIDERS)
def get_invitation(invitation_id: int) -> Any:
    return jsonify(invitation_serialize.serialise(invitations.get(invitation_id)))


@bp.post("/invitations/<int:invitation_id>/extension")
@roles_required(*DECIDERS)
def grant_extension(invitation_id: int) -> Any:
    data = body()
    invitation = time_adjustments.grant(invitations.get(invitation_id), data.get("minutes"),
                                        str(data.get("reason") or ""), actor=api_user())
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.get("/extension-requests")
@roles_required(*DECIDERS)
def pending_extension_requests() -> Any:
    return jsonify([invitation_serialize.serialise_extension(r)
                    for r in time_adjustments.pending_requests()])


@bp.post("/extension-requests/<int:request_id>")
@roles_required(*DECIDERS)
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
