"""Assignments authored as code: validating each pushed commit on a worker, publishing a
validated commit as the live version, and copying an assignment as a team's starting point.

A version goes live only through `publish`, and only when the exact commit passed every check of
`assignments validate` (the reference solution passes every hidden test, the starter and the
wrong solution fail, the rubric's tags match, the environment builds). Invitations keep the
version they were given (operations.sync_folder makes a new version; nothing rewrites old ones).
"""

from __future__ import annotations

import re
import tempfile
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..core import audit, queues
from ..core.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..core.reconcile import requeue_lost
from ..extensions import db
from ..git.command import run_git
from ..grading.operations import CONTAINER_GRACE_SECONDS, ENVIRONMENT_BUILD_SECONDS
from ..models import (
    AssignmentPublication,
    AssignmentRepository,
    AssignmentValidation,
    User,
    ValidationStatus,
    utcnow,
)
from ..runner import Limits
from . import hosting, operations
from .spec import AssignmentInvalid

MAX_LOG_CHARS = 200_000
MAX_OUTPUT_CHARS = 20_000
MAIN_IS_LIVE = (
    "main is the live version of this assignment: only publishing moves it. Push your change to "
    "another branch (for example `git push origin HEAD:draft`); it is validated at once, and you "
    "publish it from the assignment's page, the API or `reciprocal assignments publish`."
)


def require_author(user: User | None) -> User:
    if user is None or not user.may_author_assignments:
        raise Forbidden("only admins and staff an admin allows may author assignments")
    return user


def repository(slug: str) -> AssignmentRepository:
    row = db.session.scalar(select(AssignmentRepository).where(AssignmentRepository.slug == slug))
    if row is None or not hosting.exists(slug):
        raise NotFound(f"no hosted repository for assignment {slug!r}")
    return row


def clone_url(slug: str) -> str:
    return f"{current_app.config['BASE_URL']}/git/library/{slug}.git"


# Validation ---------------------------------------------------------------------------------


def request_validation(row: AssignmentRepository, sha: str, *, ref: str = "",
                       by: User | None = None) -> AssignmentValidation:
    """Queue the validation of one commit; a commit already validated (or being validated)
    keeps its validation, unless the platform failed to finish it."""
    commit = hosting.commit(row.slug, sha)
    existing = db.session.scalar(
        select(AssignmentValidation)
        .where(AssignmentValidation.repository_id == row.id,
               AssignmentValidation.commit_sha == commit.sha,
               AssignmentValidation.status != ValidationStatus.ERROR)
        .order_by(AssignmentValidation.id.desc()))
    if existing is not None:
        return existing
    validation = AssignmentValidation(
        repository_id=row.id, commit_sha=commit.sha, ref=ref, commit_message=commit.message[:4000],
        requested_by_id=by.id if by else None, status=ValidationStatus.QUEUED,
        log="", checks=[], ids=[])
    db.session.add(validation)
    db.session.flush()
    validation.repository = row
    _schedule(validation)
    audit.record("assignment.validation_requested", actor=by, subject=validation,
                 slug=row.slug, commit=commit.sha[:12], ref=ref)
    return validation


RECONCILE_AFTER = timedelta(seconds=30)


def _schedule(validation: AssignmentValidation) -> None:
    job_id = f"validate-{validation.id}-{utcnow().strftime('%Y%m%d%H%M%S%f')}"
    validation.job_id = job_id
    queues.enqueue_after_commit(
        queues.GRADING, "reciprocal.assignments.tasks.validate", validation.id, job_id,
        job_id=job_id, timeout=_job_timeout(validation.repository.slug, validation.commit_sha))


def reconcile(older_than: timedelta = RECONCILE_AFTER) -> list[int]:
    """Queue again the validations the database says are waiting or running that no live job
    holds (Redis was down at the push, or the worker died)."""
    waiting = select(AssignmentValidation).where(
        AssignmentValidation.status.in_([ValidationStatus.QUEUED, ValidationStatus.RUNNING]),
        AssignmentValidation.created_at < utcnow() - older_than)

    def requeue(validation: AssignmentValidation) -> None:
        validation.status = ValidationStatus.QUEUED
        validation.started_at = None
        _schedule(validation)
        audit.record("assignment.validation_requeued", actor_kind="system", subject=validation)

    return requeue_lost(waiting, requeue)


def _job_timeout(slug: str, sha: str) -> int:
    """Four runs at the commit's own container timeout, and building its environment."""
    shown = run_git(["show", f"{sha}:assignment.toml"], git_dir=hosting.repo_path(slug),
                    check=False)
    limits: dict[str, Any] = {}
    if shown.returncode == 0:
        try:
            limits = tomllib.loads(shown.stdout.decode("utf-8", "replace")).get("limits") or {}
        except tomllib.TOMLDecodeError:
            limits = {}
    timeout = Limits.from_mapping(limits if isinstance(limits, dict) else {}).timeout_seconds
    return ENVIRONMENT_BUILD_SECONDS + 4 * (timeout + CONTAINER_GRACE_SECONDS) + 300


def push_received(slug: str, user: User) -> list[AssignmentValidation]:
    """After an author's push: validate the head of every branch but main."""
    row = repository(slug)
    found = []
    for branch, sha in sorted(hosting.branches(slug).items()):
        if branch != "main":
            found.append(request_validation(row, sha, ref=branch, by=user))
    return found


def held(validation_id: int, job_id: str) -> AssignmentValidation:
    """The validation the job named by `job_id` claimed and is still running."""
    validation = db.session.get(AssignmentValidation, validation_id)
    if (validation is None or not job_id or validation.job_id != job_id
            or validation.status != ValidationStatus.RUNNING):
        raise NotFound("this validation is not held by this job")
    return validation


def claim(validation_id: int, job_id: str) -> dict[str, Any] | None:
    """The worker's job takes its validation: what to fetch. None when it is not this job's."""
    validation = db.session.get(AssignmentValidation, validation_id)
    if validation is None or not job_id or validation.job_id != job_id \
            or validation.status != ValidationStatus.QUEUED:
        return None
    validation.status = ValidationStatus.RUNNING
    validation.started_at = utcnow()
    return {"slug": validation.repository.slug, "commit": validation.commit_sha}


def content_tar(validation_id: int, job_id: str) -> bytes:
    validation = held(validation_id, job_id)
    return hosting.content_tar(validation.repository.slug, validation.commit_sha)


def append_log(validation_id: int, job_id: str, text: str) -> None:
    validation = held(validation_id, job_id)
    validation.log = (validation.log + text)[-MAX_LOG_CHARS:]


def record_result(validation_id: int, job_id: str, result: dict[str, Any]) -> AssignmentValidation:
    """The worker's report: every check, the reference run's ids and the environment's tag."""
    validation = held(validation_id, job_id)
    checks = result.get("checks")
    if not isinstance(checks, list) or not checks or not all(
            isinstance(c, dict) and isinstance(c.get("name"), str)
            and isinstance(c.get("ok"), bool) for c in checks):
        raise InvalidInput("checks must be a non-empty list of {name, ok, detail}")
    validation.checks = [{"name": c["name"][:200], "ok": c["ok"],
                          "detail": str(c.get("detail", ""))[:MAX_OUTPUT_CHARS]} for c in checks]
    failing = next((c for c in validation.checks if not c["ok"]), None)
    validation.status = ValidationStatus.FAILED if failing else ValidationStatus.PASSED
    validation.failing_step = failing["name"] if failing else ""
    validation.failing_output = failing["detail"] if failing else ""
    validation.ids = [str(i) for i in result.get("ids") or []][:20_000]
    validation.environment = str(result.get("environment") or "")[:200]
    validation.finished_at = utcnow()
    audit.record("assignment.validated" if not failing else "assignment.validation_failed",
                 subject=validation, slug=validation.repository.slug,
                 commit=validation.commit_sha[:12], step=validation.failing_step)
    return validation


def mark_error(validation_id: int, job_id: str, detail: str) -> None:
    """The platform could not finish the validation (worker, engine): say so; asking again is
    allowed (request_validation makes a new one)."""
    validation = db.session.get(AssignmentValidation, validation_id)
    if validation is None or validation.job_id != job_id \
            or ValidationStatus(validation.status).finished:
        return
    validation.status = ValidationStatus.ERROR
    validation.failing_step = "the platform could not finish the validation"
    validation.failing_output = detail[:MAX_OUTPUT_CHARS]
    validation.finished_at = utcnow()


def validations_of(row: AssignmentRepository, limit: int = 50) -> list[AssignmentValidation]:
    return list(db.session.scalars(
        select(AssignmentValidation).where(AssignmentValidation.repository_id == row.id)
        .order_by(AssignmentValidation.id.desc()).limit(limit)))


def validation(row: AssignmentRepository, validation_id: int) -> AssignmentValidation:
    found = db.session.get(AssignmentValidation, validation_id)
    if found is None or found.repository_id != row.id:
        raise NotFound("no such validation of this assignment")
    return found


def publications_of(row: AssignmentRepository, limit: int = 50) -> list[AssignmentPublication]:
    return list(db.session.scalars(
        select(AssignmentPublication).where(AssignmentPublication.repository_id == row.id)
        .order_by(AssignmentPublication.id.desc()).limit(limit)))


# Publishing -----------------------------------------------------------------------------


def publishable(row: AssignmentRepository) -> AssignmentValidation | None:
    """The newest passed validation whose commit is not live yet and builds on the live one."""
    live = hosting.head(row.slug)
    for candidate in validations_of(row):
        if candidate.status != ValidationStatus.PASSED:
            continue
        if candidate.commit_sha == live:
            return None
        if live is None or hosting.is_ancestor(row.slug, live, candidate.commit_sha):
            return candidate
    return None


def publish(slug: str, commit: str | None, *, by: User | None) -> AssignmentPublication:
    """Make a validated commit the live version: a new version of the assignment (invitations
    already sent keep theirs), main moved to it, recorded and audited. `by` None is an
    operator at the command line."""
    if by is not None:
        require_author(by)
    row = repository(slug)
    if commit:
        if not re.fullmatch(r"[0-9a-f]{7,40}", commit):
            raise InvalidInput("commit must be a commit SHA (7 to 40 hexadecimal digits)")
        matches = [v for v in validations_of(row, limit=500) if v.commit_sha.startswith(commit)]
        passed = next((v for v in matches if v.status == ValidationStatus.PASSED), None)
        if passed is None:
            state = matches[0].status if matches else "never validated"
            raise Conflict(f"commit {commit[:10]} cannot be published: its validation is "
                           f"{state}; only a commit that passed validation goes live")
    else:
        passed = publishable(row)
        if passed is None:
            raise Conflict(f"{slug} has no validated commit waiting to be published")
    live = hosting.head(slug)
    if passed.commit_sha == live:
        raise Conflict(f"commit {passed.commit_sha[:10]} is already the live version")
    if live is not None and not hosting.is_ancestor(slug, live, passed.commit_sha):
        raise Conflict(
            f"commit {passed.commit_sha[:10]} does not build on the live version "
            f"({live[:10]}): merge main into your branch, push, and publish what validates")
    with tempfile.TemporaryDirectory(prefix="reciprocal-publish-") as tmp:
        folder = hosting.checkout(slug, passed.commit_sha, Path(tmp))
        try:
            assignment, _outcome = operations.sync_folder(folder, actor=by)
        except AssignmentInvalid as exc:
            raise Conflict(f"commit {passed.commit_sha[:10]} is not a valid assignment: "
                           + "; ".join(exc.problems)) from None
    version = assignment.current_version
    assert version is not None
    version.validation = {"environment": passed.environment or None, "ids": list(passed.ids),
                          "at": (passed.finished_at or utcnow()).isoformat()}
    hosting.move_main(slug, passed.commit_sha, live)
    row.managed_by = "git"
    publication = AssignmentPublication(
        repository_id=row.id, commit_sha=passed.commit_sha, validation_id=passed.id,
        version_id=version.id, published_by_id=by.id if by else None, via="publish")
    db.session.add(publication)
    db.session.flush()
    audit.record("assignment.published", actor=by, subject=assignment,
                 commit=passed.commit_sha[:12], version=version.content_hash[:12])
    return publication


def serialise_validation(validation: AssignmentValidation, *, full: bool = False
                         ) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": validation.id,
        "assignment": validation.repository.slug,
        "commit": validation.commit_sha,
        "ref": validation.ref,
        "status": validation.status,
        "requested_by": validation.requested_by.email if validation.requested_by else None,
        "created_at": validation.created_at.isoformat(),
        "started_at": validation.started_at.isoformat() if validation.started_at else None,
        "finished_at": validation.finished_at.isoformat() if validation.finished_at else None,
        "failing_step": validation.failing_step or None,
        "failing_output": validation.failing_output or None,
    }
    if full:
        data["checks"] = validation.checks
        data["log"] = validation.log
        data["environment"] = validation.environment or None
    return data


def serialise_publication(publication: AssignmentPublication) -> dict[str, Any]:
    return {
        "commit": publication.commit_sha,
        "version": publication.version.content_hash,
        "validation": publication.validation_id,
        "published_by": publication.published_by.email if publication.published_by else None,
        "published_at": publication.published_at.isoformat(),
        "via": publication.via,
    }
