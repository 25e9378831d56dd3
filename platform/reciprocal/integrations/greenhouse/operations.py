"""Greenhouse's calls, served by Reciprocal's own services.

A Greenhouse "test" is one role's take-home on one assignment (`protocol.test_id`): list_tests
offers every role with every active, synced assignment. send_test invites through
`candidates.operations.invite`, so the invitation gets the role (its salary band), the
assignment's time cap and the current terms exactly as any other; nothing Greenhouse sends can
set them, accept the terms or start the clock, and reviewers still see only the candidate code.
The status comes from the submission's grading, review and decision.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...assignments import operations as assignments
from ...candidates import disclosure, roles, time_adjustments
from ...candidates import operations as invitations
from ...core import audit
from ...core.errors import BadRequest, Conflict, InvalidInput, NotFound
from ...core.locking import lock_row
from ...extensions import db
from ...models import GradingRun, Invitation, Scorecard, Submission
from ...models.greenhouse import GreenhouseApiKey, GreenhouseAssessment
from ...notify import mail
from ...outcomes import operations as outcomes
from ...review import queries as review_queries
from . import callback, protocol

log = logging.getLogger(__name__)


class Malformed(BadRequest):
    """A Greenhouse request whose body does not have the documented shape."""


def _offered() -> list[tuple[Any, Any]]:
    synced = [a for a in assignments.list_assignments() if a.current_version_id is not None]
    return [(role, assignment) for role in sorted(roles.list_roles(), key=lambda r: r.id)
            for assignment in sorted(synced, key=lambda a: a.slug)]


def list_tests() -> list[dict[str, str]]:
    return [
        protocol.test_entry(role.id, assignment.slug,
                            protocol.test_name(role.title, role.team, assignment.title,
                                               disclosure.role_policy(role, assignment).short))
        for role, assignment in _offered()
    ]


def _test(partner_test_id: str) -> tuple[int, str]:
    parsed = protocol.parse_test_id(partner_test_id)
    offered = {(role.id, assignment.slug) for role, assignment in _offered()}
    if parsed is None or parsed not in offered:
        raise NotFound(f"no test {partner_test_id!r}: list_tests names the tests on offer")
    return parsed


def send_test(body: Any, key: GreenhouseApiKey) -> GreenhouseAssessment:
    """Invite the candidate Greenhouse names and email them their link.

    The test id is checked first: one list_tests does not offer is a 404 whatever else the
    request says. Greenhouse may then send the same request again (a retry after a timeout):
    the callback URL names the test instance on its side, so a request for the same test and
    the same candidate at a callback URL already used answers the first one's id instead of
    inviting the candidate twice; any other request naming that URL is refused (409) and
    learns nothing of the earlier one. The key's row lock makes racing copies of one request
    run one after the other, so the later ones find the first one's row."""
    try:
        sent = protocol.parse_send_test(body)
    except protocol.Malformed as exc:
        raise Malformed(str(exc)) from None
    role_id, slug = _test(sent.partner_test_id)
    lock_row(key)
    again = db.session.scalar(
        select(GreenhouseAssessment)
        .where(GreenhouseAssessment.callback_url == sent.url)
        .options(selectinload(GreenhouseAssessment.invitation))
    )
    if again is not None:
        if (again.partner_test_id != sent.partner_test_id
                or again.invitation.candidate_email != sent.candidate.email.strip().lower()):
            raise Conflict("this callback URL belongs to another test instance")
        return again
    try:
        made = invitations.invite(slug, role_id, sent.candidate.full_name, sent.candidate.email,
                                  actor=None)
    except InvalidInput as exc:
        raise Malformed(exc.message) from None
    candidate_id, application_id = protocol.greenhouse_ids(sent.candidate.greenhouse_profile_url)
    record = GreenhouseAssessment(
        invitation=made.invitation,
        partner_interview_id="gh-" + secrets.token_hex(12),
        partner_test_id=sent.partner_test_id,
        api_key_id=key.id,
        greenhouse_candidate_id=candidate_id,
        greenhouse_application_id=application_id,
        greenhouse_profile_url=sent.candidate.greenhouse_profile_url,
        callback_url=sent.url,
        sent_by=sent.sent_by,
    )
    db.session.add(record)
    db.session.flush()
    audit.record("greenhouse.test_sent", actor_kind="greenhouse", subject=made.invitation,
                 partner_interview_id=record.partner_interview_id,
                 partner_test_id=sent.partner_test_id, sent_by=sent.sent_by,
                 greenhouse_candidate_id=candidate_id,
                 greenhouse_application_id=application_id)
    _email_candidate(made, sent.candidate.greeting_name)
    return record


def _email_candidate(made: invitations.NewInvitation, greeting: str) -> None:
    invitation = made.invitation
    role, assignment = invitation.role, invitation.assignment
    mail.send("invitation", invitation.candidate_email, invitation_id=invitation.id,
              greeting=greeting, role_title=role.title, team=role.team,
              assignment_title=assignment.title,
              time_cap=_duration(invitation.time_cap_minutes), salary_band=role.salary_band,
              portal_url=made.portal_url, start_by=f"{invitation.start_by:%A %d %B %Y}")


def by_interview_id(partner_interview_id: Any) -> GreenhouseAssessment:
    if not isinstance(partner_interview_id, str) or not partner_interview_id.strip():
        raise Malformed("partner_interview_id is required")
    record = db.session.scalar(
        select(GreenhouseAssessment)
        .where(GreenhouseAssessment.partner_interview_id == partner_interview_id.strip())
        .options(
            selectinload(GreenhouseAssessment.invitation)
            .selectinload(Invitation.submission)
            .selectinload(Submission.grading_runs)
        )
    )
    if record is None:
        raise NotFound(f"no test instance {partner_interview_id!r}")
    return record


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value is not None else ""


def progress(invitation: Invitation) -> protocol.Progress:
    """The facts test_status reports, read from grading, review and outcomes."""
    submission = invitation.submission
    if submission is None:
        return protocol.Progress(invitation_status=invitation.status)
    run: GradingRun | None = submission.latest_run
    assigned, done = review_queries.review_progress(submission.id)
    cards = list(db.session.scalars(
        select(Scorecard).options(selectinload(Scorecard.scores))
        .where(Scorecard.submission_id == submission.id, Scorecard.submitted_at.is_not(None))
        .order_by(Scorecard.id)
    ))
    decision = outcomes.decision_for(submission)
    # Everyone on the hiring team reads this in Greenhouse, interviewers included: time on the
    # standard cap (no accommodation shows), and no start time to work the real one out from.
    time = time_adjustments.standard_time_for(invitation)
    return protocol.Progress(
        invitation_status=invitation.status,
        grading_finished=run is not None and run.finished,
        grading_status=run.status if run is not None else "",
        integrity=run.integrity if run is not None and run.finished else "",
        tests_passed=run.passed if run is not None and run.scored else 0,
        tests_total=run.total if run is not None and run.scored else 0,
        scorecards=len(done & assigned),
        reviewers=len(assigned),
        recommendations=tuple(c.recommendation for c in cards if c.recommendation),
        levels=tuple(s.level for c in cards for s in c.scores),
        reviewer_summaries=tuple(c.summary for c in cards),
        decision=(f"{decision.outcome} ({'sent' if decision.sent_at else 'draft'})"
                  if decision is not None else ""),
        submitted_at=_when(submission.submitted_at),
        time_used=f"{_duration(time.seconds(submission.time_used_seconds) // 60)} of "
                  f"{_duration(time.cap_minutes)}",
        late=submission.late,
    )


def profile_url(invitation: Invitation) -> str:
    """The submission's page for staff (sign-in required; reviewers see only their own)."""
    submission_id = invitation.submission.id if invitation.submission else 0
    return f"{current_app.config['BASE_URL']}/submissions/{submission_id}"


def test_status(record: GreenhouseAssessment) -> dict[str, Any]:
    return protocol.status_payload(progress(record.invitation), profile_url(record.invitation))


def record_response_error(body: Any, key: GreenhouseApiKey) -> None:
    """Greenhouse could not use one of our answers: logged and audited for the admin."""
    try:
        report = protocol.parse_response_error(body)
    except protocol.Malformed as exc:
        raise Malformed(str(exc)) from None
    log.warning("Greenhouse could not use our %s answer: %s", report.api_call,
                "; ".join(report.errors))
    audit.record("greenhouse.response_error", actor_kind="greenhouse", subject=key,
                 api_call=report.api_call, errors=list(report.errors),
                 partner_test_id=report.partner_test_id,
                 partner_interview_id=report.partner_interview_id)


# Receivers (connected in reciprocal.wiring): a test that became complete tells Greenhouse.


def _maybe_complete(submission_id: int) -> None:
    record = db.session.get(GreenhouseAssessment, _invitation_of(submission_id))
    if record is None or record.callback_status != "none":
        return
    if protocol.partner_status(progress(record.invitation)) == protocol.COMPLETE:
        callback.schedule(record)


def _invitation_of(submission_id: int) -> int:
    return db.session.scalar(
        select(Submission.invitation_id).where(Submission.id == submission_id)
    ) or 0


def on_grading_completed(run: GradingRun, **_: object) -> None:
    _maybe_complete(run.submission_id)


def on_scorecard_submitted(card: Scorecard, **_: object) -> None:
    _maybe_complete(card.submission_id)
