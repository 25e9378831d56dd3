"""Review panels: each role has a panel of reviewers; when a submission arrives the panel
assigns the setting's number of reviewers (REVIEWERS_PER_SUBMISSION, default 2), choosing those
with the fewest open reviews and skipping anyone marked away.

A reviewer may hand an assignment back (before submitting their scorecard); the panel then
offers the submission to the others, and a reviewer may take only what the panel offers them.
Anything else is the same 404 as a missing submission, so taking cannot widen what a reviewer
sees. Recruiters and admins still assign and unassign anyone by hand.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import selectinload

from ..core import audit
from ..core.business_days import add_business_days
from ..core.errors import Conflict, InvalidInput, NotFound
from ..core.locking import lock_row
from ..extensions import db
from ..models import Invitation, ReviewAssignment, Role, Scorecard, Submission, User
from ..models.outcome import Decision
from ..models.panel import PanelMember, ReviewerAway, ReviewHandback
from .queries import privileged


def per_submission() -> int:
    return max(1, int(current_app.config.get("REVIEWERS_PER_SUBMISSION", 2)))


def due_at(submission: Submission) -> datetime:
    """When the review is due: a business day before the answer promised to the candidate
    (the role's response days after submission), leaving the recruiter a day to decide."""
    days = submission.invitation.role.response_days
    return add_business_days(submission.submitted_at, max(1, days - 1))


# The panel

REVIEWING_ROLES = ("reviewer", "admin")


def members(role: Role) -> list[User]:
    return list(db.session.scalars(
        select(User).join(PanelMember, PanelMember.reviewer_id == User.id)
        .where(PanelMember.role_id == role.id).order_by(User.email)
    ))


def add_member(role: Role, reviewer: User, *, actor: User) -> None:
    if not privileged(actor):
        raise NotFound(f"no role {role.id}")
    if not reviewer.has_role(*REVIEWING_ROLES) or not reviewer.active:
        raise InvalidInput(f"{reviewer.email} is not an active reviewer")
    exists_already = db.session.scalar(select(PanelMember.id).where(
        PanelMember.role_id == role.id, PanelMember.reviewer_id == reviewer.id))
    if exists_already is None:
        db.session.add(PanelMember(role_id=role.id, reviewer_id=reviewer.id))
        db.session.flush()
        audit.record("review.panel_added", actor=actor, subject=role, reviewer_id=reviewer.id)


def remove_member(role: Role, reviewer: User, *, actor: User) -> None:
    if not privileged(actor):
        raise NotFound(f"no role {role.id}")
    db.session.execute(delete(PanelMember).where(
        PanelMember.role_id == role.id, PanelMember.reviewer_id == reviewer.id))
    audit.record("review.panel_removed", actor=actor, subject=role, reviewer_id=reviewer.id)


def is_away(user: User) -> bool:
    return db.session.get(ReviewerAway, user.id) is not None


def set_away(user: User, away: bool, *, actor: User) -> None:
    """Reviewers mark themselves away (and back); recruiters and admins may mark anyone."""
    if actor.id != user.id and not privileged(actor):
        raise NotFound("no such reviewer")
    row = db.session.get(ReviewerAway, user.id)
    if away and row is None:
        db.session.add(ReviewerAway(user_id=user.id))
    elif not away and row is not None:
        db.session.delete(row)
    db.session.flush()
    audit.record("review.away" if away else "review.back", actor=actor, target_user_id=user.id)


# Assignment


def open_reviews() -> dict[int, int]:
    """Reviewer id -> assignments whose scorecard is not submitted yet (their open work)."""
    submitted = exists().where(
        Scorecard.submission_id == ReviewAssignment.submission_id,
        Scorecard.reviewer_id == ReviewAssignment.reviewer_id,
        Scorecard.submitted_at.is_not(None),
    )
    rows = db.session.execute(
        select(ReviewAssignment.reviewer_id, func.count(ReviewAssignment.id))
        .where(~submitted).group_by(ReviewAssignment.reviewer_id)
    )
    return {reviewer_id: count for reviewer_id, count in rows}


def open_for(reviewer: User, submission_ids: list[int]) -> set[int]:
    """Which of these submissions the reviewer still has to review (assigned, scorecard not
    submitted)."""
    submitted = exists().where(
        Scorecard.submission_id == ReviewAssignment.submission_id,
        Scorecard.reviewer_id == reviewer.id, Scorecard.submitted_at.is_not(None))
    return set(db.session.scalars(select(ReviewAssignment.submission_id).where(
        ReviewAssignment.reviewer_id == reviewer.id,
        ReviewAssignment.submission_id.in_(submission_ids), ~submitted)))


def _assigned_ids(submission: Submission) -> set[int]:
    return set(db.session.scalars(select(ReviewAssignment.reviewer_id).where(
        ReviewAssignment.submission_id == submission.id)))


def _handed_back_ids(submission: Submission) -> set[int]:
    return set(db.session.scalars(select(ReviewHandback.reviewer_id).where(
        ReviewHandback.submission_id == submission.id)))


def _eligible(role_id: int) -> list[User]:
    """Active reviewers on the role's panel who are not away."""
    away = exists().where(ReviewerAway.user_id == User.id)
    return list(db.session.scalars(
        select(User).join(PanelMember, PanelMember.reviewer_id == User.id)
        .where(PanelMember.role_id == role_id, User.active.is_(True), ~away)
        .order_by(User.id)
    ))


def fill(submission: Submission) -> list[ReviewAssignment]:
    """Assign panel reviewers until the submission has its number of reviewers: the least
    loaded first (ties: the one assigned longest ago, then the oldest account). The role row
    is locked first, so two submissions arriving together are balanced one after the other."""
    role = submission.invitation.role
    lock_row(role)
    taken = _assigned_ids(submission) | _handed_back_ids(submission)
    wanted = per_submission() - len(_assigned_ids(submission))
    if wanted <= 0:
        return []
    load = open_reviews()
    last = dict(db.session.execute(
        select(ReviewAssignment.reviewer_id, func.max(ReviewAssignment.assigned_at))
        .group_by(ReviewAssignment.reviewer_id)
    ).all())
    candidates = [u for u in _eligible(role.id)
                  if u.id not in taken and u.has_role(*REVIEWING_ROLES)]
    candidates.sort(key=lambda u: (load.get(u.id, 0), last.get(u.id) is not None,
                                   last.get(u.id) or datetime.min, u.id))
    made = []
    for reviewer in candidates[:wanted]:
        assignment = ReviewAssignment(submission_id=submission.id, reviewer_id=reviewer.id)
        db.session.add(assignment)
        made.append(assignment)
        db.session.flush()
        audit.record("review.auto_assigned", actor_kind="system", subject=submission,
                     reviewer_id=reviewer.id)
    return made


def on_submission_received(submission: Submission) -> None:
    """Receiver of `submission_received`: in the submit's own transaction, after the row lock
    on the invitation, so a double-clicked submit (a 409) assigns nobody twice."""
    fill(submission)


def _drop_draft(submission: Submission, reviewer: User, refusal: str) -> None:
    """Before a reviewer leaves a submission: a submitted scorecard stays (Conflict), a draft
    goes with them."""
    card = db.session.scalar(select(Scorecard).where(
        Scorecard.submission_id == submission.id, Scorecard.reviewer_id == reviewer.id))
    if card is not None and card.submitted_at is not None:
        raise Conflict(refusal)
    if card is not None:
        db.session.delete(card)


def hand_back(submission: Submission, reviewer: User) -> None:
    """The reviewer gives the assignment back; the panel assigns someone else if it can."""
    assignment = db.session.scalar(select(ReviewAssignment).where(
        ReviewAssignment.submission_id == submission.id,
        ReviewAssignment.reviewer_id == reviewer.id))
    if assignment is None:
        raise NotFound(f"no submission {submission.id}")
    _drop_draft(submission, reviewer, "your scorecard is submitted; the review is done")
    db.session.delete(assignment)
    db.session.add(ReviewHandback(submission_id=submission.id, reviewer_id=reviewer.id))
    db.session.flush()
    audit.record("review.handed_back", actor=reviewer, subject=submission)
    fill(submission)


def offered(reviewer: User) -> list[Submission]:
    """Submissions the panel offers this reviewer: on a role whose panel they sit on, short of
    reviewers, not decided, not theirs already and not handed back by them."""
    assigned = (select(func.count(ReviewAssignment.id))
                .where(ReviewAssignment.submission_id == Submission.id)
                .correlate(Submission).scalar_subquery())
    mine = exists().where(ReviewAssignment.submission_id == Submission.id,
                          ReviewAssignment.reviewer_id == reviewer.id)
    returned = exists().where(ReviewHandback.submission_id == Submission.id,
                              ReviewHandback.reviewer_id == reviewer.id)
    decided = exists().where(Decision.submission_id == Submission.id,
                             Decision.sent_at.is_not(None))
    on_panel = exists().where(PanelMember.role_id == Invitation.role_id,
                              PanelMember.reviewer_id == reviewer.id)
    return list(db.session.scalars(
        select(Submission).join(Invitation, Submission.invitation_id == Invitation.id)
        .where(on_panel, assigned < per_submission(), ~mine, ~returned, ~decided,
               Invitation.code_deleted_at.is_(None))
        .options(selectinload(Submission.invitation).options(
            selectinload(Invitation.assignment), selectinload(Invitation.role)))
        .order_by(Submission.submitted_at)
    ))


def take(submission_id: int, reviewer: User) -> ReviewAssignment:
    """Take a submission the panel offers; anything else is a 404 like a missing id."""
    submission = next((s for s in offered(reviewer) if s.id == submission_id), None)
    if submission is None:
        raise NotFound(f"no submission {submission_id}")
    lock_row(submission.invitation.role)
    if len(_assigned_ids(submission)) >= per_submission():
        raise Conflict("the panel already has its reviewers for this submission")
    assignment = ReviewAssignment(submission_id=submission.id, reviewer_id=reviewer.id,
                                  assigned_by_id=reviewer.id)
    db.session.add(assignment)
    db.session.flush()
    audit.record("review.taken", actor=reviewer, subject=submission)
    return assignment


def unassign(submission: Submission, reviewer: User, *, actor: User) -> None:
    """Recruiters and admins take a reviewer off a submission (to reassign it)."""
    if not privileged(actor):
        raise NotFound(f"no submission {submission.id}")
    _drop_draft(submission, reviewer, "this reviewer's scorecard is submitted; it stays")
    db.session.execute(delete(ReviewAssignment).where(
        ReviewAssignment.submission_id == submission.id,
        ReviewAssignment.reviewer_id == reviewer.id))
    audit.record("review.unassigned", actor=actor, subject=submission, reviewer_id=reviewer.id)


def release_if_no_longer_reviewing(user: User, role_before: str) -> list[int]:
    """After a role change (SCIM's groups, or the identity provider's at sign-in): an account
    whose new role cannot review hands back its open reviews, as a deactivated one does;
    otherwise they would wait for someone who can no longer open them."""
    if role_before in REVIEWING_ROLES and not user.has_role(*REVIEWING_ROLES):
        return release_all(user, actor=None)
    return []


def release_all(reviewer: User, *, actor: User | None) -> list[int]:
    """A deactivated reviewer's open reviews go back to the panel, which reassigns them: each
    assignment without a submitted scorecard is handed back (a draft goes with it) and the
    panel fills the submission again (unless its decision is sent). Submitted scorecards and
    comments stay, attributed."""
    submitted = exists().where(
        Scorecard.submission_id == ReviewAssignment.submission_id,
        Scorecard.reviewer_id == reviewer.id, Scorecard.submitted_at.is_not(None))
    open_ids = list(db.session.scalars(select(ReviewAssignment.submission_id).where(
        ReviewAssignment.reviewer_id == reviewer.id, ~submitted)
        .order_by(ReviewAssignment.submission_id)))
    for submission_id in open_ids:
        submission = db.session.get(Submission, submission_id)
        assert submission is not None
        _drop_draft(submission, reviewer, "unreachable: the scorecard is not submitted")
        db.session.execute(delete(ReviewAssignment).where(
            ReviewAssignment.submission_id == submission_id,
            ReviewAssignment.reviewer_id == reviewer.id))
        db.session.add(ReviewHandback(submission_id=submission_id, reviewer_id=reviewer.id))
        db.session.flush()
        audit.record("review.released", actor=actor, actor_kind="admin" if actor else "system",
                     subject=submission, reviewer_id=reviewer.id)
        if not db.session.scalar(select(exists().where(
                Decision.submission_id == submission_id, Decision.sent_at.is_not(None)))):
            fill(submission)
    return open_ids
