"""Decisions and their messages, the acknowledgment on submission, and the recruiter pipeline
with its service-level timer (the role's promised response time, in business days)."""

from __future__ import annotations

from typing import Any

from jinja2 import TemplateError
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core import audit, signals
from ..core.errors import Conflict, InvalidInput, NotFound
from ..core.locking import lock_row
from ..extensions import db
from ..models import (
    Decision,
    Invitation,
    MessageTemplate,
    ReviewComment,
    Scorecard,
    Submission,
    User,
    utcnow,
)
from ..notify import mail
from ..review import process
from . import composer, tone
from .promises import expected_answer_by

OUTCOMES = ("reject", "advance")


class ToneCheckBlocked(Conflict):
    """A rejection with negative wording: edit it, or override with a written reason."""


# Templates ---------------------------------------------------------------------------------


def templates() -> dict[str, composer.TemplateSource]:
    """The effective templates: the defaults in code, replaced by any admin-edited version."""
    effective = dict(composer.DEFAULT_TEMPLATES)
    for row in db.session.scalars(select(MessageTemplate)):
        effective[row.name] = composer.TemplateSource(row.subject, row.text, row.html)
    return effective


def save_template(name: str, subject: str, text: str, html: str, *, actor: User) -> None:

    if name not in composer.DEFAULT_TEMPLATES:
        raise NotFound(f"no template {name}")
    source = composer.TemplateSource(subject.strip(), text, html)
    try:
        composer.validate_template(source)
    except TemplateError as exc:
        raise InvalidInput(f"the template does not render: {exc}") from None
    row = db.session.scalar(select(MessageTemplate).where(MessageTemplate.name == name))
    if row is None:
        row = MessageTemplate(name=name, subject="", text="", html="")
        db.session.add(row)
    row.subject, row.text, row.html = source.subject, source.text, source.html
    row.updated_by_id = actor.id
    row.updated_at = utcnow()
    db.session.flush()
    audit.record("template.updated", actor=actor, subject=row, name=name)


def reset_template(name: str, *, actor: User) -> None:
    row = db.session.scalar(select(MessageTemplate).where(MessageTemplate.name == name))
    if row is not None:
        db.session.delete(row)
        audit.record("template.reset", actor=actor, name=name)


# Acknowledgment ----------------------------------------------------------------------------


def acknowledge_submission(submission: Submission, **_: object) -> None:
    """Queue the 'we received it, you will hear by <date>' message (a submission_received
    receiver)."""
    invitation = submission.invitation
    answer_by = expected_answer_by(submission)
    context = {
        "first_name": (invitation.candidate_name.split() or ["there"])[0],
        "candidate_name": invitation.candidate_name,
        "role_title": invitation.role.title,
        "team": invitation.role.team,
        "assignment_title": invitation.assignment.title,
        "answer_by": f"{answer_by:%A %d %B %Y}",
        "commit": submission.commit_sha[:12],
    }
    subject, text, html = composer.render(templates()["acknowledgment"], context)
    mail.queue_message(
        invitation.candidate_email,
        subject,
        text,
        html,
        kind="acknowledgment",
        invitation_id=invitation.id,
    )


# Decisions ---------------------------------------------------------------------------------


def composer_input(submission: Submission, outcome: str, reason: str) -> composer.ComposerInput:
    invitation = submission.invitation
    comments = list(
        db.session.scalars(
            select(ReviewComment).where(
                ReviewComment.submission_id == submission.id, ReviewComment.parent_id.is_(None)
            )
        )
    )
    cards = list(
        db.session.scalars(
            select(Scorecard)
            .options(selectinload(Scorecard.scores))
            .where(Scorecard.submission_id == submission.id, Scorecard.submitted_at.is_not(None))
        )
    )
    return composer.ComposerInput(
        outcome=outcome,
        candidate_name=invitation.candidate_name,
        role_title=invitation.role.title,
        team=invitation.role.team,
        assignment_title=invitation.assignment.title,
        reason=reason,
        strengths=tuple(
            composer.Strength(c.path, c.line_start, c.line_end, c.body)
            for c in comments
            if c.kind == "strength"
        ),
        scores=tuple((s.criterion, s.level) for card in cards for s in card.scores),
        top_levels=tuple(
            (c["name"], str((c.get("levels") or {}).get("great", "")))
            for c in (invitation.assignment.rubric or []) if c.get("name")
        ),
        topics=tuple(
            composer.Topic(c.path, c.kind) for c in comments
            if c.kind in ("question", "concern", "change")
        ),
    )


def decision_for(submission: Submission) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.submission_id == submission.id))


def decide(submission: Submission, outcome: str, reason: str, *, actor: User,
           cites: list[str] | None = None, flag_reason: str | None = None) -> Decision:
    """Record (or change, until sent) the decision and store the composer's fresh draft.

    `cites` names the points to discuss (review/process.py FLAGS) the decision relies on; a
    rejection that cites one needs `flag_reason`, written for the record (audited). Neither
    reaches the composer: the candidate's message never mentions a flag."""
    lock_row(submission)  # two recruiters deciding at once: one after the other
    if outcome not in OUTCOMES:
        raise InvalidInput('outcome must be "reject" or "advance"')
    cited, flag_reason = _cited(submission, outcome, cites, flag_reason)
    reason = (reason or "").strip()
    requirements = submission.invitation.role.requirements
    if outcome == "reject" and reason not in requirements:
        raise InvalidInput(
            "a rejection needs one concrete reason chosen from the role's requirements: "
            + "; ".join(requirements)
        )
    if outcome == "advance" and reason and reason not in requirements:
        raise InvalidInput("the reason must be one of the role's requirements")
    decision = decision_for(submission)
    if decision is not None and decision.sent_at is not None:
        raise Conflict("the decision was already sent to the candidate")
    draft = composer.compose(composer_input(submission, outcome, reason), templates())
    if decision is None:
        decision = Decision(submission_id=submission.id)
        db.session.add(decision)
    decision.outcome = outcome
    decision.reason = reason
    decision.decided_by_id = actor.id
    decision.decided_at = utcnow()
    decision.subject, decision.text, decision.html = draft.subject, draft.text, draft.html
    decision.edited = False
    decision.tone_warnings = tone.check(draft.text) if outcome == "reject" else []
    decision.override_reason = None
    decision.cited_flags, decision.flag_reason = cited, flag_reason
    db.session.flush()
    audit.record("decision.drafted", actor=actor, subject=submission, outcome=outcome,
                 cited_flags=cited, flag_reason=flag_reason)
    return decision


def _cited(submission: Submission, outcome: str, cites: list[str] | None,
           reason: str | None) -> tuple[list[str], str | None]:
    """The flags a decision cites, each one this submission has, and the written reason a
    rejection citing any needs."""
    if cites is None:
        cites = []
    if not isinstance(cites, list) or not all(isinstance(c, str) for c in cites):
        raise InvalidInput("cites must be a list of flags: " + ", ".join(process.FLAGS))
    present = {point.kind for point in process.for_reviewers(submission).points}
    unknown = [c for c in cites if c not in present]
    if unknown:
        raise InvalidInput("this submission has no such point to discuss: " + ", ".join(unknown))
    cited = sorted(set(cites))
    reason = (reason or "").strip() or None
    if cited and outcome == "reject" and reason is None:
        raise InvalidInput(
            "a flag is a point to discuss in the interview, never a decision on its own: a "
            "rejection that relies on one needs a written reason for the record")
    return cited, reason if cited else None


def edit(decision: Decision, text: str, *, subject: str | None = None, actor: User) -> Decision:
    if decision.sent_at is not None:
        raise Conflict("the decision was already sent to the candidate")
    if not text.strip():
        raise InvalidInput("the message cannot be empty")
    if text != decision.text:
        decision.text = text
        decision.html = composer.text_to_html(text)
        decision.edited = True
    if subject is not None and subject.strip():
        decision.subject = subject.strip()[:300]
    decision.tone_warnings = tone.check(decision.text) if decision.outcome == "reject" else []
    audit.record("decision.edited", actor=actor, subject=decision)
    return decision


def send(
    submission: Submission,
    *,
    actor: User,
    text: str | None = None,
    override_reason: str | None = None,
) -> Decision:
    """Send the decision: blocked while a rejection has tone warnings and no written override."""
    lock_row(submission)  # a double click sends one message; the second answers 409
    decision = decision_for(submission)
    if decision is None:
        raise Conflict("decide first: there is no draft to send")
    if text is not None:
        edit(decision, text, actor=actor)
    if decision.sent_at is not None:
        raise Conflict("the decision was already sent to the candidate")
    if decision.tone_warnings:
        override = (override_reason or "").strip()
        if not override:
            raise ToneCheckBlocked(
                "the message has wording a candidate may read as criticism ("
                + ", ".join(decision.tone_warnings)
                + "): edit it, or override with a written reason"
            )
        decision.override_reason = override
    invitation = submission.invitation
    message = mail.queue_message(
        invitation.candidate_email,
        decision.subject,
        decision.text,
        # Stored as drafted: rendered from escaped values (composer) or escaped paragraphs of
        # the recruiter's text (text_to_html); nothing else writes it.
        Markup(decision.html),  # noqa: S704
        kind="decision",
        invitation_id=invitation.id,
    )
    decision.message_id = message.id
    decision.sent_at = utcnow()
    audit.record(
        "decision.sent",
        actor=actor,
        subject=submission,
        outcome=decision.outcome,
        edited=decision.edited,
        tone_override=bool(decision.override_reason),
    )
    signals.decision_sent.send(decision, submission=submission)
    return decision


def serialise_draft(decision: Decision) -> dict[str, Any]:
    return {
        "submission_id": decision.submission_id,
        "outcome": decision.outcome,
        "reason": decision.reason,
        "subject": decision.subject,
        "text": decision.text,
        "html": decision.html,
        "tone_warnings": list(decision.tone_warnings),
        "cited_flags": list(decision.cited_flags),
        "flag_reason": decision.flag_reason,
        "edited": decision.edited,
        "sent_at": decision.sent_at.isoformat() if decision.sent_at else None,
    }


def sent_decision(invitation: Invitation) -> Decision | None:
    """The decision the candidate was told about, for the portal."""
    if invitation.submission is None:
        return None
    decision = decision_for(invitation.submission)
    return decision if decision is not None and decision.sent_at is not None else None





def message_status(decision: Decision) -> str | None:
    if decision.message_id is None:
        return None
    return mail.get(decision.message_id).status
