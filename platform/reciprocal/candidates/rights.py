"""The ownership terms made true: the candidate downloads or deletes their code at any time, and
code of decided candidates is purged after the retention period unless kept on file.

Erasing means: the bare repository is removed from disk, and every grading run with its test
results and output is removed from the database. The invitation keeps `code_deleted_at` and an
audit event records who deleted it and why, so staff see "deleted by candidate".
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select

from ..core import audit
from ..core.errors import CodeDeleted, Conflict
from ..extensions import db
from ..git import repos
from ..grading import screenshots
from ..models import AuditEvent, Decision, GradingRun, Invitation, Submission, TestResult, utcnow
from ..similarity import operations as similarity
from . import disclosure, links, self_id
from . import operations as invitations


def _require_code(invitation: Invitation) -> Path:
    if invitation.code_deleted_at is not None:
        raise CodeDeleted("this code was deleted and cannot be downloaded")
    path = invitations.storage().path_for(invitation.id)
    if not invitations.storage().exists(invitation.id):
        raise Conflict("there is no repository yet: start the assignment first")
    return path


def export(invitation: Invitation, kind: str) -> tuple[Path, str]:
    """Write a git bundle or a zip of main to a temporary file: (path, download name)."""
    repo_path = _require_code(invitation)
    slug = invitation.assignment.slug
    sha = repos.head_sha(repo_path)
    if kind != "bundle" and sha is None:
        raise Conflict("your repository has no commits yet")
    folder = Path(tempfile.mkdtemp(prefix="reciprocal-export-"))
    try:
        if kind == "bundle":
            target = repos.export_bundle(repo_path, folder / f"{slug}.bundle")
            name = f"{slug}.bundle"
        else:
            assert sha is not None
            limits = repos.ObjectLimits.from_config(current_app.config).files
            target = repos.export_zip(repo_path, sha, folder / f"{slug}.zip", slug, limits)
            name = f"{slug}.zip"
    except repos.RepositoryError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise Conflict(f"The zip could not be made: {exc}. The git bundle download has "
                       "everything in your repository.") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    audit.record("candidate.downloaded", actor_kind="candidate", subject=invitation, kind=kind)
    return target, name


def erase_code(invitation: Invitation, *, by: str, reason: str = "") -> None:
    """Remove the repository and all grading output; record the deletion (the caller commits)."""
    if invitation.code_deleted_at is not None:
        return
    invitations.storage().delete(invitation.id)
    submission = invitation.submission
    if submission is not None:
        run_ids = list(
            db.session.scalars(
                select(GradingRun.id).where(GradingRun.submission_id == submission.id)
            )
        )
        if run_ids:
            for run_id in run_ids:  # the pages its runs photographed
                shutil.rmtree(screenshots.folder(run_id), ignore_errors=True)
            db.session.execute(delete(TestResult).where(TestResult.run_id.in_(run_ids)))
            db.session.execute(delete(GradingRun).where(GradingRun.id.in_(run_ids)))
        db.session.expire(submission, ["grading_runs"])
        similarity.forget_submission(submission)
        disclosure.erase(submission)  # their words about their process go with their code
    self_id.erase(invitation)  # their self-identification goes with their code
    invitation.code_deleted_at = utcnow()
    actor_kind = "candidate" if by == "candidate" else "system"
    audit.record("code.deleted", actor_kind=actor_kind, subject=invitation, by=by, reason=reason)
    db.session.flush()


def delete_by_candidate(invitation: Invitation) -> None:
    erase_code(invitation, by="candidate")


def deleted_by(invitation: Invitation) -> str | None:
    """'deleted by candidate' or 'deleted after the retention period', for staff pages."""
    if invitation.code_deleted_at is None:
        return None

    event = db.session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.action == "code.deleted",
            AuditEvent.subject_type == "invitation",
            AuditEvent.subject_id == invitation.id,
        )
        .order_by(AuditEvent.id.desc())
    )
    if event is not None and event.details.get("by") == "retention":
        return "deleted after the retention period"
    return "deleted by candidate"


def set_keep_on_file(invitation: Invitation, keep: bool) -> None:
    invitation.keep_on_file = keep
    audit.record("candidate.keep_on_file", actor_kind="candidate", subject=invitation, keep=keep)


def purge_due(now: datetime | None = None) -> list[Invitation]:
    """Invitations whose decision was sent more than RETENTION_DAYS ago, code still present."""
    now = now or utcnow()
    cutoff = now - timedelta(days=current_app.config["RETENTION_DAYS"])
    return list(
        db.session.scalars(
            select(Invitation)
            .join(Submission, Submission.invitation_id == Invitation.id)
            .join(Decision, Decision.submission_id == Submission.id)
            .where(
                Decision.sent_at.is_not(None),
                Decision.sent_at < cutoff,
                Invitation.code_deleted_at.is_(None),
                Invitation.keep_on_file.is_(False),
            )
            .order_by(Invitation.id)
        )
    )


def retention_purge(now: datetime | None = None) -> list[int]:
    """Erase the code of every invitation past retention, then end the links whose retention is
    over (candidates/links.py); returns the ids whose code was erased."""
    purged = []
    for invitation in purge_due(now):
        erase_code(invitation, by="retention", reason="retention period ended")
        purged.append(invitation.id)
    links.end_due(now)
    return purged
