"""How long a candidate's link opens what.

Until the decision is sent, the link does everything the journey needs. Once it is sent, the
link reads (the portal, the results, the code) and still carries out the candidate's rights over
their data and their say on the process: download, delete, keep on file, feedback. Any other
change (a question, a note) is refused with a clear message. When the retention period after the
decision is over, the link ends: it opens nothing, not even the portal. Code kept on file at the
candidate's request keeps its link alive, so that they can still download or delete it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, or_, select

from ..core import audit
from ..core.errors import ApplicationDecided
from ..extensions import db
from ..models import Decision, Invitation, Submission, utcnow

ALLOWED_AFTER_DECISION = frozenset({"download", "delete", "keep_on_file", "feedback"})


def decision_sent(invitation: Invitation) -> bool:
    submission = invitation.submission
    if submission is None:
        return False
    return bool(db.session.scalar(
        select(exists().where(Decision.submission_id == submission.id,
                              Decision.sent_at.is_not(None)))
    ))


def require_undecided(invitation: Invitation, action: str) -> None:
    """Refuse `action` once the decision is sent, unless it is one of the candidate's rights."""
    if action in ALLOWED_AFTER_DECISION or not decision_sent(invitation):
        return
    raise ApplicationDecided(
        "the team has sent its decision, so this application is closed to changes; "
        "reply to the decision email if something is unclear"
    )


def end_due(now: datetime | None = None) -> list[int]:
    """End the links whose retention period is over; returns their invitation ids.

    Over means: the decision was sent more than RETENTION_DAYS ago, or the candidate never
    submitted and the last day they could have (start-by date or deadline) is that long past.
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["RETENTION_DAYS"])
    decided_long_ago = (
        select(Submission.invitation_id)
        .join(Decision, Decision.submission_id == Submission.id)
        .where(Decision.sent_at.is_not(None), Decision.sent_at < cutoff)
    )
    submitted = select(Submission.invitation_id)
    due = list(db.session.scalars(
        select(Invitation)
        .where(
            Invitation.access_ended_at.is_(None),
            Invitation.keep_on_file.is_(False),
            or_(
                Invitation.id.in_(decided_long_ago),
                Invitation.id.not_in(submitted)
                & or_(Invitation.deadline_at < cutoff,
                      Invitation.deadline_at.is_(None) & (Invitation.start_by < cutoff)),
            ),
        )
        .order_by(Invitation.id)
    ))
    for invitation in due:
        invitation.access_ended_at = now
        audit.record("invitation.link_ended", actor_kind="system", subject=invitation,
                     reason="retention period ended")
    return [invitation.id for invitation in due]
