"""The JSON shape of an invitation, for the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..models import Invitation
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
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
