"""More time for a candidate: a private accommodation before the start, an extension at any time
before submitting.

An accommodation (+25, +50 or +100 % of the cap, or an arrangement described in words) applies
at once and needs nobody's approval: the candidate knows what they need. An extension is asked
for and decided by a recruiter in one click, or granted by a recruiter directly. Either way the
invitation's cap grows, and once the clock runs its deadline moves with it; the push window
(deadline plus grace) and the answer promise (counted from the submission) follow. The candidate
is emailed each answer; staff hear of requests and accommodations in the invitation's digest
(notify/digest.py: at most one message per window), and every step is in the audit log. An
accommodation can be set MAX_ACCOMMODATION_CHANGES times; past that the candidate is told it
stays as it is (their start and submission never depend on it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core import audit
from ..core.errors import Conflict, InvalidInput, NotFound
from ..core.locking import lock_row
from ..extensions import db
from ..models import Accommodation, ExtensionRequest, Invitation, User, utcnow
from ..notify import digest, mail

EXTRA_TIME_PERCENTS = (0, 25, 50, 100)
MAX_ACCOMMODATION_CHANGES = 5  # per invitation
MAX_NOTE = 2000
MAX_EXTENSION_MINUTES = 24 * 60


def accommodation_for(invitation: Invitation) -> Accommodation | None:
    return db.session.scalar(
        select(Accommodation).where(Accommodation.invitation_id == invitation.id)
    )


def accommodation_tags(invitations: Sequence[Invitation]) -> dict[int, str]:
    """That an accommodation applies (never why), by invitation id, in one query: "+50% time",
    or "arrangement" for one described in words. For recruiters' and admins' eyes only."""
    found = db.session.scalars(select(Accommodation).where(
        Accommodation.invitation_id.in_([i.id for i in invitations])))
    return {a.invitation_id: f"+{a.extra_time_percent}% time" if a.extra_time_percent
            else "arrangement" for a in found}


def _note(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"please keep the {what} under {MAX_NOTE} characters")
    return text


def request_accommodation(invitation: Invitation, extra_time_percent: object, note: str = "",
                          *, share_note: bool = False) -> Accommodation:
    """Set (or change) the candidate's accommodation; only before the clock starts."""
    lock_row(invitation)
    if invitation.started_at is not None:
        raise Conflict("the clock has started; ask for an extension instead")
    if isinstance(extra_time_percent, bool) or not isinstance(extra_time_percent, int) or \
            extra_time_percent not in EXTRA_TIME_PERCENTS:
        raise InvalidInput("extra_time_percent must be 0, 25, 50 or 100")
    percent = extra_time_percent
    note = _note(note, "note")
    if percent == 0 and not note:
        raise InvalidInput("choose extra time or describe the arrangement you need")
    accommodation = accommodation_for(invitation)
    if accommodation is not None and accommodation.changes >= MAX_ACCOMMODATION_CHANGES:
        raise Conflict(
            f"an accommodation can be set at most {MAX_ACCOMMODATION_CHANGES} times, so yours "
            "stays as it is now; if you need something else, write to the team who invited you")
    if accommodation is None:
        accommodation = Accommodation(invitation_id=invitation.id, extra_time_percent=0,
                                      base_cap_minutes=invitation.time_cap_minutes, changes=0)
        db.session.add(accommodation)
    # Extensions granted before the start stay on top of the accommodated cap.
    granted = invitation.time_cap_minutes - _accommodated(accommodation.base_cap_minutes,
                                                          accommodation.extra_time_percent)
    accommodation.extra_time_percent = percent
    accommodation.note = note
    accommodation.note_for_recruiter = bool(share_note and note)
    accommodation.changes += 1
    accommodation.updated_at = utcnow()
    invitation.time_cap_minutes = _accommodated(accommodation.base_cap_minutes, percent) + granted
    db.session.flush()
    audit.record("candidate.accommodation", actor_kind="candidate", subject=invitation,
                 extra_time_percent=percent, has_note=bool(note))
    digest.notice(invitation, "accommodation" if accommodation.changes == 1
                  else "accommodation_change",
                  asked=f"{percent}% more time" if percent else "an arrangement",
                  time_cap=_hours(invitation.time_cap_minutes),
                  note=note if accommodation.note_for_recruiter else "")
    return accommodation


def _accommodated(base: int, percent: int) -> int:
    return base + _extra_minutes(base, percent)


def _extra_minutes(base: int, percent: int) -> int:
    return (base * percent + 99) // 100


@dataclass(frozen=True)
class StandardTime:
    """Time as someone who must not learn of an accommodation reads it (reviewers, the hiring
    team in Greenhouse): the cap without the accommodation's extra time (extensions, which are
    no secret, stay on it), and any duration the candidate spent measured against their own cap
    and expressed on that one. Without an accommodation both caps are the same and nothing
    changes; with one, the share of their own time a candidate used is what shows."""

    cap_minutes: int  # the cap shown
    own_cap_minutes: int  # the candidate's own cap

    def seconds(self, spent: float) -> int:
        """`spent` seconds of the candidate's own time, on the cap shown."""
        return round(spent * self.cap_minutes / max(self.own_cap_minutes, 1))

    def duration(self, spent: timedelta) -> timedelta:
        return timedelta(seconds=self.seconds(spent.total_seconds()))


def standard_time(cap_minutes: int, extra_time_percent: int | None = None,
                  base_cap_minutes: int | None = None) -> StandardTime:
    """From an invitation's cap and its accommodation's percent and base cap (None without one):
    plain values, so a lean read of rows can use it as well as a page with the models."""
    extra = _extra_minutes(base_cap_minutes, extra_time_percent) \
        if extra_time_percent and base_cap_minutes else 0
    return StandardTime(cap_minutes - extra, cap_minutes)


def standard_time_for(invitation: Invitation) -> StandardTime:
    found = accommodation_for(invitation)
    return standard_time(invitation.time_cap_minutes,
                         found.extra_time_percent if found else None,
                         found.base_cap_minutes if found else None)


def own_time(invitation: Invitation) -> StandardTime:
    """The candidate's own cap and times, unchanged: for those who may know (recruiters and
    admins, who are told that an accommodation applies)."""
    return StandardTime(invitation.time_cap_minutes, invitation.time_cap_minutes)


def _hours(minutes: int) -> str:
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _minutes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not \
            0 < value <= MAX_EXTENSION_MINUTES:
        raise InvalidInput(f"minutes must be a whole number from 1 to {MAX_EXTENSION_MINUTES}")
    return value


def _require_open(invitation: Invitation) -> None:
    if invitation.submission is not None:
        raise Conflict("the assignment is submitted; there is no time left to extend")
    if invitation.revoked_at is not None or invitation.code_deleted_at is not None:
        raise Conflict("this invitation is closed")


def request_extension(invitation: Invitation, minutes: object, reason: str) -> ExtensionRequest:
    """The candidate asks; a recruiter decides. One open request at a time."""
    lock_row(invitation)
    _require_open(invitation)
    wanted = _minutes(minutes)
    reason = _note(reason, "reason")
    if not reason:
        raise InvalidInput("please say briefly why you need more time")
    pending = db.session.scalar(select(ExtensionRequest).where(
        ExtensionRequest.invitation_id == invitation.id, ExtensionRequest.status == "pending"))
    if pending is not None:
        raise Conflict("you already asked for more time; the team will answer that request first")
    request = ExtensionRequest(invitation_id=invitation.id, minutes=wanted, reason=reason)
    db.session.add(request)
    db.session.flush()
    audit.record("candidate.extension_requested", actor_kind="candidate", subject=invitation,
                 minutes=wanted)
    digest.notice(invitation, "extension", minutes=wanted, reason=reason)
    return request


def requests_for(invitation: Invitation) -> list[ExtensionRequest]:
    return list(db.session.scalars(select(ExtensionRequest).where(
        ExtensionRequest.invitation_id == invitation.id).order_by(ExtensionRequest.id)))


def pending_requests() -> list[ExtensionRequest]:
    """Open requests, oldest first, each with its invitation and assignment."""
    return list(db.session.scalars(
        select(ExtensionRequest).where(ExtensionRequest.status == "pending")
        .options(joinedload(ExtensionRequest.invitation).joinedload(Invitation.assignment))
        .order_by(ExtensionRequest.created_at)
    ))


def get_request(request_id: int) -> ExtensionRequest:
    request = db.session.get(ExtensionRequest, request_id)
    if request is None:
        raise NotFound(f"no extension request {request_id}")
    return request


def decide(request: ExtensionRequest, *, approve: bool, reason: str, actor: User) -> Invitation:
    """Approve (the time is added) or decline a pending request, with a reason for the candidate."""
    invitation = db.session.get(Invitation, request.invitation_id)
    assert invitation is not None
    lock_row(invitation)
    db.session.refresh(request)
    if request.status != "pending":
        raise Conflict(f"this request was already {request.status}")
    reason = _note(reason, "reason")
    if not approve and not reason:
        raise InvalidInput("please give the candidate a reason when declining")
    if approve:
        _require_open(invitation)
    request.status = "approved" if approve else "declined"
    request.decided_by_id, request.decided_at, request.decision_reason = actor.id, utcnow(), reason
    if approve:
        _add_time(invitation, request.minutes)
    audit.record(f"invitation.extension_{request.status}", actor=actor, subject=invitation,
                 minutes=request.minutes)
    _tell_candidate(invitation, request)
    return invitation


def grant(invitation: Invitation, minutes: object, reason: str, *, actor: User) -> Invitation:
    """A recruiter adds time directly."""
    lock_row(invitation)
    _require_open(invitation)
    request = ExtensionRequest(invitation_id=invitation.id, minutes=_minutes(minutes),
                               reason=_note(reason, "reason"), status="approved",
                               requested_by_id=actor.id, decided_by_id=actor.id,
                               decided_at=utcnow(), decision_reason=_note(reason, "reason"))
    db.session.add(request)
    _add_time(invitation, request.minutes)
    db.session.flush()
    audit.record("invitation.extension_granted", actor=actor, subject=invitation,
                 minutes=request.minutes)
    _tell_candidate(invitation, request)
    return invitation


def _add_time(invitation: Invitation, minutes: int) -> None:
    invitation.time_cap_minutes += minutes
    if invitation.deadline_at is not None:
        invitation.deadline_at += timedelta(minutes=minutes)


def _tell_candidate(invitation: Invitation, request: ExtensionRequest) -> None:
    when = (f"Your new deadline is {invitation.deadline_at:%A %d %B %Y, %H:%M} UTC"
            if invitation.deadline_at else
            f"Your time cap is now {_hours(invitation.time_cap_minutes)}")
    mail.send("extension", invitation.candidate_email, invitation_id=invitation.id,
              approved=request.status == "approved", minutes=request.minutes,
              assignment_title=invitation.assignment.title,
              candidate_name=invitation.candidate_name, when=when,
              reason=request.decision_reason or "")

