"""Who may fetch or push which repository over git, decided from the token via the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from ..core import audit
from ..core.errors import AlreadySubmitted, CodeDeleted, DeadlinePassed, NotFound, NotStarted
from ..extensions import db
from ..git import repos
from ..git.hooks import AI_NOTES_REF, NOTES_REFS_ENV, ObjectLimits
from ..grading import operations as grading
from ..models import Invitation, Submission
from . import operations as invitations


@dataclass
class GitAccess:
    repo_path: Path
    remote_user: str
    invitation: Invitation
    can_push: bool
    push_refusal: str = ""
    extra_env: dict[str, str] = field(default_factory=dict)

    def check_push(self) -> None:
        if not self.can_push:
            raise DeadlinePassed(self.push_refusal or "pushing is not allowed here")

    def hook_env(self) -> dict[str, str]:
        cfg = current_app.config
        deadline = self.invitation.deadline_at
        return {
            "RECIPROCAL_DEADLINE": str(deadline.timestamp()) if deadline else "",
            "RECIPROCAL_GRACE_SECONDS": str(cfg["PUSH_GRACE_MINUTES"] * 60),
            NOTES_REFS_ENV: AI_NOTES_REF,  # the candidate's own AI attribution notes
            **ObjectLimits.from_config(cfg).as_env(),
        }


def for_candidate(token: str) -> GitAccess:
    invitation = invitations.by_token(token)
    if invitation.code_deleted_at is not None:
        raise CodeDeleted("this repository was deleted at your request")
    if invitation.started_at is None:
        raise NotStarted("Start the assignment on your candidate page first; then clone again.")
    path = invitations.storage().path_for(invitation.id)
    if not path.exists():
        raise NotFound("no such repository")
    repos.hide_platform_refs(path)  # repositories created before the setting get it here
    refusal = ""
    if invitation.submission is not None:
        refusal = str(
            AlreadySubmitted(
                "You already submitted this assignment, so the repository is read-only now."
            ).message
        )
    elif invitations.push_window_closed(invitation):
        refusal = (
            "The time for this assignment is over, so pushes are closed. "
            "Your earlier pushes are safe."
        )
    return GitAccess(
        path, f"candidate-{invitation.id}", invitation, can_push=not refusal, push_refusal=refusal
    )


def for_worker(submission_id: int, job_id: str) -> GitAccess:
    """Fetch-only access for the grading job that holds a running run of this submission (the
    worker credential alone reads no submission); anything else is a missing repository."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or submission.invitation.code_deleted_at is not None:
        raise NotFound("no such repository")
    grading.running_for_submission(submission_id, job_id)
    path = invitations.storage().path_for(submission.invitation_id)
    repos.hide_platform_refs(path)
    return GitAccess(
        path, "worker", submission.invitation, can_push=False, push_refusal="workers can only fetch"
    )


def record_push(access: GitAccess) -> None:
    audit.record("candidate.pushed", actor_kind="candidate", subject=access.invitation)
    db.session.commit()
