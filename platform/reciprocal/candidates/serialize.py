"""The JSON shape of an invitation, for the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import ExtensionRequest, Invitation
from . import disclosure, time_adjustments
from .operations import NewInvitation


def serialise(invitation: Invitation, new: NewInvitation | None = None) -> dict[str, Any]:
    sub = invitation.submission
    return {
        "id": invitation.id,
        "status": invitation.status,
        "candidate": {
            "name": invitation.candidate_name,
            "email": invitation.candidate_email,
            "code": invitation.candidate_code,
        },
        "assignment": invitation.assignment.slug,
        "assignment_version": invitation.assignment_version.content_hash,
        "role": {"id": invitation.role_id, "title": invitation.role.title},
        "time_cap_minutes": invitation.time_cap_minutes,
        "start_by": invitation.start_by.isoformat(),
        "terms_accepted_at": _iso(invitation.terms_accepted_at),
        "started_at": _iso(invitation.started_at),
        "deadline_at": _iso(invitation.deadline_at),
        "submission_id": sub.id if sub else None,
        "portal_url": new.portal_url if new else None,
        "git_url": new.git_url if new else None,
        "accommodation": accommodation(invitation),
        # The one the candidate accepted (frozen then), else the one they are reading now.
        "ai_policy": disclosure.policy_for(invitation).as_json(),
    }


def accommodation(invitation: Invitation) -> dict[str, Any] | None:
    """That an accommodation applies, and its note only when the candidate shared it. For staff
    who manage the invitation and for the candidate; never in anything reviewers read."""
    found = time_adjustments.accommodation_for(invitation)
    if found is None:
        return None
    return {"extra_time_percent": found.extra_time_percent,
            "note": found.note if found.note_for_recruiter else None,
            "base_time_cap_minutes": found.base_cap_minutes}


def serialise_extension(request: ExtensionRequest) -> dict[str, Any]:
    return {"id": request.id, "invitation_id": request.invitation_id, "minutes": request.minutes,
            "reason": request.reason, "status": request.status,
            "granted_by_staff": request.requested_by_id is not None,
            "decided_at": _iso(request.decided_at), "decision_reason": request.decision_reason,
            "created_at": request.created_at.isoformat()}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
