""""Ask the candidate to explain": staff write to the candidate about a match, the candidate
answers from the portal, and the answer is on the submission's similarity page before any
decision. The request never says whose code matched, and it is not a decision."""

from __future__ import annotations

from sqlalchemy import select

from ..core import audit
from ..core.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..models import ExplanationRequest, Invitation, Submission, User, utcnow
from ..notify import mail
from ..review.queries import privileged

MAX_LENGTH = 4000
DEFAULT_QUESTION = (
    "Parts of your submission closely resemble other code we have seen. This is not a decision "
    "and not an accusation: similar code has many ordinary explanations (a tutorial, a library's "
    "example, a common approach, code you wrote before). Could you tell us, in your own words, "
    "how you wrote these parts and what you used along the way?"
)


def _text(body: str, what: str) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(f"please write the {what}")
    if len(body) > MAX_LENGTH:
        raise InvalidInput(f"please keep the {what} under {MAX_LENGTH} characters")
    return body


def ask(submission: Submission, body: str, *, actor: User) -> ExplanationRequest:
    """Recruiters and admins write to the candidate (reviewers stay blind to who it is)."""
    if not privileged(actor):
        raise Forbidden("only recruiters and admins write to candidates")
    request = ExplanationRequest(submission_id=submission.id, asked_by_id=actor.id,
                                 body=_text(body, "question"))
    db.session.add(request)
    db.session.flush()
    invitation = submission.invitation
    audit.record("similarity.explanation_requested", actor=actor, subject=request,
                 submission_id=submission.id)
    mail.send("similarity_explain", invitation.candidate_email, invitation_id=invitation.id,
              assignment_title=invitation.assignment.title,
              candidate_name=invitation.candidate_name, question=request.body)
    return request


def requests_for(submission: Submission) -> list[ExplanationRequest]:
    return list(db.session.scalars(
        select(ExplanationRequest).where(ExplanationRequest.submission_id == submission.id)
        .order_by(ExplanationRequest.id)))


def for_invitation(invitation: Invitation) -> list[ExplanationRequest]:
    if invitation.submission is None:
        return []
    return requests_for(invitation.submission)


def answer(invitation: Invitation, request_id: int, body: str) -> ExplanationRequest:
    """The candidate's answer: once, to a request about their own submission."""
    request = db.session.get(ExplanationRequest, request_id)
    if (request is None or invitation.submission is None
            or request.submission_id != invitation.submission.id):
        raise NotFound("there is no such question for you")
    if request.answered_at is not None:
        raise Conflict("you have already answered this question")
    request.answer = _text(body, "answer")
    request.answered_at = utcnow()
    audit.record("similarity.explanation_answered", actor_kind="candidate", subject=request)
    db.session.flush()
    return request
