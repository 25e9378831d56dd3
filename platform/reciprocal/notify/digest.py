"""What candidates do that staff must hear of (a question, an accommodation, a request for more
time), told in one digest per invitation per window rather than a mail per event, so that no
candidate can flood staff inboxes.

The first event after a quiet window is mailed at once (the candidate's clock may be running);
what arrives within the next WINDOW waits, and the maintenance round (`flush_due`) mails it
together once the window has passed: at most one message per invitation per window to each
recruiter and admin. Each event is stored first (`StaffNotice`), so nothing is lost when mail
or the maintenance process is down; a digest marks what it carried. The invitation's row lock
makes an event and the maintenance round, or two events, take turns.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from ..core.locking import lock_row
from ..extensions import db
from ..models import Invitation, StaffNotice, User, utcnow
from . import mail, templates
from .templates import TemplateSource

WINDOW = timedelta(minutes=15)

# One line (or a few) per event, placed in the digest's list.
ITEMS: dict[str, TemplateSource] = {
    "question": TemplateSource(subject="", text="""A question, while their clock is running:
{{ question }}"""),
    "accommodation": TemplateSource(subject="", text="""An accommodation: {{ asked }}; their \
time cap is now {{ time_cap }}.{% if note %}
Their note for you:
{{ note }}{% endif %}"""),
    "extension": TemplateSource(subject="", text="""A request for {{ minutes }} more minutes:
{{ reason }}"""),
}
ITEMS["accommodation_change"] = ITEMS["accommodation"]

# How the subject says what happened, by kind: (once, several times).
_SAID = {
    "question": ("asked a question", "asked {n} questions"),
    "accommodation": ("set an accommodation", "set an accommodation"),
    "accommodation_change": ("changed their accommodation",
                             "changed their accommodation {n} times"),
    "extension": ("asks for more time", "asked for more time {n} times"),
}


def notice(invitation: Invitation, kind: str, **context: Any) -> StaffNotice:
    """Record an event for staff; mail the digest at once when none went out in the window."""
    lock_row(invitation)
    _subject, text, _html = templates.render(ITEMS[kind], context)
    row = StaffNotice(invitation_id=invitation.id, kind=kind, text=text.strip())
    db.session.add(row)
    db.session.flush()
    _send_if_due(invitation, utcnow())
    return row


def flush_due(now: datetime | None = None) -> list[int]:
    """Mail the digests whose window has passed with events waiting (the maintenance round);
    returns the invitations told. `now` stands for the clock (tests move it, never sleep)."""
    now = now or utcnow()
    waiting = db.session.scalars(select(StaffNotice.invitation_id).where(
        StaffNotice.sent_at.is_(None)).distinct()).all()
    told = []
    for invitation_id in sorted(waiting):
        invitation = db.session.get(Invitation, invitation_id)
        if invitation is None:
            continue
        lock_row(invitation)
        if _send_if_due(invitation, now):
            told.append(invitation_id)
    return told


def _send_if_due(invitation: Invitation, now: datetime) -> bool:
    last = db.session.scalar(select(func.max(StaffNotice.sent_at)).where(
        StaffNotice.invitation_id == invitation.id))
    if last is not None and now - last < WINDOW:
        return False
    waiting = list(db.session.scalars(select(StaffNotice).where(
        StaffNotice.invitation_id == invitation.id, StaffNotice.sent_at.is_(None))
        .order_by(StaffNotice.id)))
    if not waiting:
        return False
    counts = Counter(n.kind for n in waiting)
    said = [_SAID[kind][0 if n == 1 else 1].format(n=n) for kind, n in counts.items()]
    summary = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    staff = db.session.scalars(select(User).where(
        User.active.is_(True), User.role.in_(("admin", "recruiter"))).order_by(User.id))
    for user in staff:
        mail.send("staff_digest", user.email, candidate_code=invitation.candidate_code,
                  role_title=invitation.role.title, assignment_title=invitation.assignment.title,
                  summary=summary, items=[n.text for n in waiting],
                  questions="question" in counts, time_requests="extension" in counts,
                  base_url=current_app.config["BASE_URL"],
                  window=int(WINDOW.total_seconds() // 60))
    sent = utcnow()
    for row in waiting:
        row.sent_at = sent
    return True
