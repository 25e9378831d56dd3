"""The candidate journey: invite, accept the terms, start the clock, upload, submit."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import IO, Any

from flask import current_app
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.operations import normalise_email
from ..assignments import operations as assignments
from ..core import audit, signals, tokens
from ..core.archives import ArchiveLimits, count_entries, extract_zip, strip_common_folder
from ..core.errors import (
    AlreadyAccepted,
    AlreadyStarted,
    AlreadySubmitted,
    BadRequest,
    CodeDeleted,
    Conflict,
    DeadlinePassed,
    InvalidInput,
    InvalidToken,
    InvitationExpired,
    InvitationRevoked,
    LinkEnded,
    NotFound,
    NotStarted,
    TermsNotAccepted,
    TooLarge,
    UnsafeArchive,
)
from ..core.locking import lock_row
from ..extensions import db
from ..git import pushes, repos
from ..git.locks import RepositoryBusy, repository_lock
from ..git.storage import repositories as storage
from ..git.storage import server_limits
from ..models import GradingRun, Invitation, Submission, User, utcnow
from . import disclosure, roles
from .terms import current_terms

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def portal_url(token: str) -> str:
    return f"{current_app.config['BASE_URL']}/c/{token}"


def git_url(token: str, invitation: Invitation) -> str:
    return f"{current_app.config['BASE_URL']}/git/{token}/{invitation.assignment.slug}.git"


@dataclass
class NewInvitation:
    invitation: Invitation
    token: str

    @property
    def portal_url(self) -> str:
        return portal_url(self.token)

    @property
    def git_url(self) -> str:
        return git_url(self.token, self.invitation)


def _candidate_code() -> str:
    while True:
        code = "C-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        exists = db.session.scalar(select(Invitation.id).where(Invitation.candidate_code == code))
        if exists is None:
            return code


def invite(
    assignment_slug: str, role_ref: int | str, name: str, email: str, *, actor: User | None
) -> NewInvitation:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("the candidate's name is required")
    if len(name) > 200:
        raise InvalidInput("the candidate's name must be at most 200 characters")
    email = normalise_email(email)
    assignment = assignments.get_by_slug(assignment_slug)
    if assignment.current_version_id is None:
        raise InvalidInput(f"assignment {assignment.slug} has no synced version")
    role = roles.find_role(role_ref)
    token = tokens.new_token()
    invitation = Invitation(
        role=role,
        assignment=assignment,
        assignment_version_id=assignment.current_version_id,
        candidate_name=name.strip(),
        candidate_email=email,
        candidate_code=_candidate_code(),
        token_hash=tokens.hash_token(token),
        time_cap_minutes=assignment.time_cap_minutes,
        start_by=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
        created_by_id=actor.id if actor else None,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        "invitation.created",
        actor=actor,
        subject=invitation,
        assignment=assignment.slug,
        role_id=role.id,
    )
    return NewInvitation(invitation, token)


def reissue_link(invitation: Invitation, *, actor: User) -> NewInvitation:
    """A fresh token (the old link stops working), e.g. when the candidate lost the email."""
    token = tokens.new_token()
    invitation.token_hash = tokens.hash_token(token)
    audit.record("invitation.link_reissued", actor=actor, subject=invitation)
    return NewInvitation(invitation, token)


def revoke(invitation: Invitation, *, actor: User) -> None:
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record("invitation.revoked", actor=actor, subject=invitation)


@cache
def _by_token_statement() -> Select[tuple[Invitation]]:
    """The invitation with what every candidate page shows, in one query: its role, assignment
    and submission are joined (each at most one row); a submission's runs (without their output)
    follow in a second query only when there is a submission. Built once per process
    (statements are immutable; the hash comes as a bound parameter)."""
    return (
        select(Invitation)
        .where(Invitation.token_hash == bindparam("token_hash"))
        .options(
            joinedload(Invitation.role, innerjoin=True),
            joinedload(Invitation.assignment, innerjoin=True),
            joinedload(Invitation.submission)
            .selectinload(Submission.grading_runs)
            .defer(GradingRun.output)  # test output, up to megabytes: read where it is shown
            .defer(GradingRun.limits)
            .defer(GradingRun.tamper_flags),
        )
    )


def by_token(token: str) -> Invitation:
    """The invitation for a candidate's token; unknown and malformed tokens look the same."""
    if not isinstance(token, str) or not tokens.looks_like_token(token):
        raise InvalidToken("this link is not valid: check that you copied all of it")
    invitation = db.session.scalar(_by_token_statement(), {"token_hash": tokens.hash_token(token)})
    if invitation is None or not tokens.matches(token, invitation.token_hash):
        raise InvalidToken("this link is not valid: check that you copied all of it")
    if invitation.revoked_at is not None:
        raise InvitationRevoked("this invitation was withdrawn; please contact the recruiter")
    if invitation.access_ended_at is not None:
        raise LinkEnded(
            "this link has ended: the retention period after the decision is over and the "
            "code and results it opened are deleted"
        )
    return invitation


def get(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound(f"no invitation {invitation_id}")
    return invitation


def _audit_candidate(action: str, invitation: Invitation, **details: Any) -> None:
    audit.record(action, actor_kind="candidate", subject=invitation, **details)


def accept_terms(invitation: Invitation, version: str | None = None,
                 ai_use: str | None = None) -> Invitation:
    """Accept the ownership terms and, with them, the AI policy shown beside them (frozen on
    the invitation); `version` and `ai_use` are what the page showed, refused if either changed."""
    terms = current_terms(current_app.config["RETENTION_DAYS"])
    if version is not None and version != terms.version:
        raise BadRequest(f"the terms changed (now version {terms.version}); please read them again")
    if ai_use and invitation.ai_use is None and ai_use != disclosure.policy_for(invitation).use:
        raise BadRequest("the AI policy of this assignment changed; please read it again")
    lock_row(invitation)
    if invitation.code_deleted_at is not None:
        raise CodeDeleted("this submission was deleted at your request")
    if invitation.terms_accepted_at is not None:
        raise AlreadyAccepted("you already accepted the terms; start whenever you are ready")
    invitation.terms_version = terms.version
    invitation.terms_accepted_at = utcnow()
    disclosure.freeze(invitation)
    _audit_candidate("candidate.accepted_terms", invitation, terms_version=terms.version,
                     ai_use=invitation.ai_use)
    return invitation


def start(invitation: Invitation) -> Invitation:
    """Start the clock and create the candidate's repository from the starter."""
    lock_row(invitation)
    if invitation.code_deleted_at is not None:
        raise CodeDeleted("this submission was deleted at your request")
    if invitation.terms_accepted_at is None:
        raise TermsNotAccepted("please read and accept the ownership terms before starting")
    if invitation.started_at is not None:
        raise AlreadyStarted("you already started this assignment; the clock is running")
    now = utcnow()
    if now > invitation.start_by:
        raise InvitationExpired(
            "this invitation expired on "
            f"{invitation.start_by:%Y-%m-%d}; please ask the recruiter for a new one"
        )
    version_dir = assignments.version_dir(invitation.assignment_version)
    repo_path = storage().path_for(invitation.id)
    if repo_path.exists():
        shutil.rmtree(repo_path)
    repos.create_repository(repo_path, server_limits())
    terms = current_terms(current_app.config["RETENTION_DAYS"])
    invitation.starter_sha = repos.commit_directory(
        repo_path,
        version_dir / "starter",
        f"Starter for {invitation.assignment.title}",
        extra_files={
            "OWNERSHIP.md": terms.ownership_markdown(
                invitation.role.team, invitation.role.title
            ).encode()
        },
    )
    invitation.started_at = now
    invitation.deadline_at = now + invitation.time_cap
    _audit_candidate("candidate.started", invitation)
    return invitation


def _require_running(invitation: Invitation) -> None:
    if invitation.code_deleted_at is not None:
        raise CodeDeleted("this submission was deleted at your request")
    if invitation.started_at is None:
        raise NotStarted("start the assignment first")
    if invitation.submission is not None:
        raise AlreadySubmitted("you already submitted this assignment")


def push_window_closed(invitation: Invitation, now: datetime | None = None) -> bool:
    if invitation.deadline_at is None:
        return False
    grace = timedelta(minutes=current_app.config["PUSH_GRACE_MINUTES"])
    return (now or utcnow()) > invitation.deadline_at + grace


def upload(invitation: Invitation, stream: IO[bytes], filename: str) -> str:
    """Replace main with an uploaded .zip (new commit) or git bundle; returns the new SHA.
    One upload at a time: another one racing it is refused with 409."""
    _require_running(invitation)
    try:
        with repository_lock(storage().path_for(invitation.id)):
            db.session.expire(invitation)  # a submission committed meanwhile counts
            return _upload_locked(invitation, stream, filename)
    except RepositoryBusy:
        raise Conflict(
            "another upload to your repository is in progress; wait for it to finish"
        ) from None


def _upload_locked(invitation: Invitation, stream: IO[bytes], filename: str) -> str:
    _require_running(invitation)
    if repos.submitted_sha(storage().path_for(invitation.id)) is not None:
        # A submit pinned main and has not committed its row yet: it wins.
        raise AlreadySubmitted("you already submitted this assignment")
    if push_window_closed(invitation):
        raise DeadlinePassed("the time for this assignment is over; uploads are closed")
    lower = (filename or "").lower()
    if not lower.endswith((".zip", ".bundle")):
        raise InvalidInput("upload a .zip archive or a git bundle (.bundle)")
    limit = current_app.config["MAX_PUSH_BYTES"]
    repo_path = storage().path_for(invitation.id)
    before = repos.head_sha(repo_path) or pushes.ZERO
    with tempfile.TemporaryDirectory(prefix="reciprocal-upload-") as tmp:
        saved = Path(tmp) / ("upload.zip" if lower.endswith(".zip") else "upload.bundle")
        written = 0
        with saved.open("wb") as out:
            while chunk := stream.read(64 * 1024):
                written += len(chunk)
                if written > limit:
                    raise TooLarge(f"the upload is larger than {limit // (1024 * 1024)} MB")
                out.write(chunk)
        if written == 0:
            raise InvalidInput("the uploaded file is empty")
        if lower.endswith(".zip"):
            tree = Path(tmp) / "tree"
            report = extract_zip(
                saved,
                tree,
                ArchiveLimits(
                    max_members=min(ArchiveLimits.max_members, current_app.config["MAX_FILES"]),
                    max_file_bytes=current_app.config["MAX_BLOB_BYTES"],
                    max_total_bytes=current_app.config["MAX_PUSH_INFLATED_BYTES"],
                ),
            )
            if report.files == 0:
                raise UnsafeArchive("the archive has no files")
            strip_common_folder(tree)
            max_files = current_app.config["MAX_FILES"]
            if count_entries(tree) > max_files:
                raise UnsafeArchive(f"the archive has more than {max_files} files and folders; "
                                    f"at most {max_files} are accepted")
            sha = repos.commit_directory(repo_path, tree, f"Upload of {filename}")
        else:
            try:
                limits = repos.ObjectLimits.from_config(current_app.config)
                sha = repos.import_bundle(repo_path, saved, limits)
            except repos.RepositoryError as exc:
                raise InvalidInput(str(exc)) from None
    pushes.record(repo_path, [(before, sha, "refs/heads/main")], via="upload")
    _audit_candidate("candidate.uploaded", invitation, kind=lower.rsplit(".", 1)[-1], sha=sha)
    return sha


def submit(invitation: Invitation, *, via: str = "portal",
           given: disclosure.Given | None = None) -> Submission:
    """Freeze main as the submission and queue its grading (enqueued after the commit), with
    the AI disclosure the candidate gave (`disclosure.parse`, checked before anything changes).

    Under the repository lock that pushes and uploads take too (git/locks.py), main is read and
    pinned as refs/reciprocal/submitted; from then on the pre-receive hook refuses pushes, and
    the Submission records exactly the pinned commit. A push still holding the lock after a few
    seconds makes this a 409 (try again)."""
    lock_row(invitation)
    _require_running(invitation)
    if invitation.terms_accepted_at is None:
        raise TermsNotAccepted("please accept the ownership terms first")
    try:
        with repository_lock(storage().path_for(invitation.id), timeout=5.0):
            sha = repos.pin_submission(storage().path_for(invitation.id))
    except RepositoryBusy:
        raise Conflict(
            "a push to your repository is in progress; submit again in a moment"
        ) from None
    if sha is None:
        raise InvalidInput("your repository has no commits yet")
    now = utcnow()
    assert invitation.started_at is not None and invitation.deadline_at is not None
    submission = Submission(
        invitation=invitation,
        commit_sha=sha,
        submitted_at=now,
        time_used_seconds=int((now - invitation.started_at).total_seconds()),
        late=now > invitation.deadline_at,
        via=via,
    )
    db.session.add(submission)
    db.session.flush()
    disclosure.record(submission, given)
    _audit_candidate("candidate.submitted", invitation, sha=sha, late=submission.late,
                     ai_disclosure=None if given is None else given.used_tools)
    # Grading queues its run, outcomes send the receipt, webhooks tell the ATS (reciprocal.wiring).
    signals.submission_received.send(submission)
    return submission


def recent(limit: int = 200) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .options(
                selectinload(Invitation.submission),
                selectinload(Invitation.assignment),
                selectinload(Invitation.role),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
            .limit(limit)
        )
    )
