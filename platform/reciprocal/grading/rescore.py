"""Re-scoring when an assignment's hidden tests are fixed.

A re-score is one batch for an assignment: the submissions made against older versions whose
hidden tests differ from the current version's are re-run on the current version's tests as
*preview* runs, which do not replace anyone's result. Once they have finished, the batch lists
whose results would change (status, or a test that passed and now fails or the reverse). On
confirmation each preview run becomes the current result and the run it replaces stays, marked
superseded by the fixed tests; reviewers assigned to the submission are emailed, and so is the
candidate when the assignment shows candidates their results.

The invitation keeps its version (the submission was made against it); the run records the
version whose tests it ran, so both stay true.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.orm import selectinload

from ..assignments import operations as assignments
from ..core import audit
from ..core.errors import Conflict, NotFound
from ..extensions import db
from ..models import (
    Assignment,
    AssignmentVersion,
    GradingRun,
    Invitation,
    Rescore,
    ReviewAssignment,
    Submission,
    TestResult,
    User,
    utcnow,
)
from ..notify import mail
from . import operations as grading
from . import serialize


def tests_hash(version: AssignmentVersion) -> str:
    """A digest of one version's hidden tests only: a change elsewhere does not re-score."""
    folder = assignments.version_dir(version) / "tests"
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and _counted(p)):
        rel = path.relative_to(folder).as_posix().encode()
        digest.update(len(rel).to_bytes(4, "big") + rel + path.read_bytes())
    return digest.hexdigest()


def _counted(path: Path) -> bool:
    return "__pycache__" not in path.parts and not path.name.endswith(".pyc")


def affected_submissions(assignment: Assignment) -> list[Submission]:
    """Graded submissions on an older version whose hidden tests differ from the current ones."""
    current = assignment.current_version
    if current is None:
        return []
    current_tests = tests_hash(current)
    rows = db.session.scalars(
        select(Submission)
        .join(Invitation, Invitation.id == Submission.invitation_id)
        .where(Invitation.assignment_id == assignment.id,
               Invitation.assignment_version_id != current.id,
               Invitation.code_deleted_at.is_(None))
        .options(selectinload(Submission.grading_runs),
                 selectinload(Submission.invitation).selectinload(Invitation.assignment_version))
        .order_by(Submission.id)
    )
    hashes: dict[int, str] = {}
    affected = []
    for sub in rows:
        run = sub.latest_run
        if run is None or not run.finished:
            continue
        version = run.assignment_version or sub.invitation.assignment_version
        if version.id == current.id:
            continue
        if version.id not in hashes:
            hashes[version.id] = tests_hash(version)
        if hashes[version.id] != current_tests:
            affected.append(sub)
    return affected


def offers() -> list[dict[str, Any]]:
    """For `assignments sync` and the admin page: each assignment with submissions to re-score."""
    found = []
    for assignment in assignments.list_assignments():
        count = len(affected_submissions(assignment))
        waiting = open_batch(assignment)
        if count and (waiting is None or waiting.to_version_id != assignment.current_version_id):
            found.append({"slug": assignment.slug, "title": assignment.title,
                          "submissions": count,
                          "command": f"reciprocal assignments rescore {assignment.slug} --preview"})
    return found


def open_batch(assignment: Assignment) -> Rescore | None:
    return db.session.scalar(
        select(Rescore).where(Rescore.assignment_id == assignment.id,
                              Rescore.state == "previewing").order_by(Rescore.id.desc()))


def start_preview(assignment: Assignment, *, actor: User | None) -> Rescore:
    """Queue one preview run per affected submission on the current version's hidden tests.

    An unconfirmed preview on the same tests is refused (confirm it); one on an older version
    (the tests were fixed again since) is set aside as `discarded`: its runs replace nobody's
    result, and the new preview covers the same submissions on the newest tests."""
    waiting = open_batch(assignment)
    if waiting is not None and waiting.to_version_id == assignment.current_version_id:
        raise Conflict("a re-score of this assignment is already waiting for confirmation")
    subs = affected_submissions(assignment)
    if not subs:
        raise Conflict("no graded submission of an earlier version has different hidden tests")
    version = assignment.current_version
    assert version is not None  # affected_submissions found none otherwise
    if waiting is not None:
        waiting.state = "discarded"
        audit.record("grading.rescore_discarded", actor=actor,
                     actor_kind=None if actor else "system", subject=waiting,
                     assignment=assignment.slug, newer_version=version.content_hash[:12])
    batch = Rescore(assignment_id=assignment.id, to_version_id=version.id,
                    from_version_ids=sorted({s.invitation.assignment_version_id for s in subs}),
                    created_by_id=actor.id if actor else None)
    db.session.add(batch)
    db.session.flush()
    for sub in subs:
        run = GradingRun(submission=sub, limits=grading.effective_limits(sub), purpose="preview",
                         assignment_version_id=version.id, rescore_id=batch.id,
                         requested_by_id=actor.id if actor else None)
        db.session.add(run)
        db.session.flush()
        grading.schedule(run)
    audit.record("grading.rescore_previewed", actor=actor, actor_kind=None if actor else "system",
                 subject=batch, assignment=assignment.slug, submissions=len(subs))
    return batch


def get(rescore_id: int) -> Rescore:
    batch = db.session.get(Rescore, rescore_id)
    if batch is None:
        raise NotFound(f"no re-score {rescore_id}")
    return batch


def _outcomes(run: GradingRun) -> dict[str, str]:
    return {f"{t.classname}::{t.name}" if t.classname else t.name: t.outcome for t in run.tests}


def difference(old: GradingRun | None, new: GradingRun) -> dict[str, Any]:
    """How the new run's result differs from the old one: status and per-test outcomes."""
    before = _outcomes(old) if old else {}
    after = _outcomes(new)
    tests = [{"test": name, "before": before.get(name), "after": after.get(name)}
             for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]
    old_status = old.status if old else None
    return {"status_before": old_status, "status_after": new.status,
            "changed": old_status != new.status or bool(tests), "tests": tests}


def _replaced(run: GradingRun) -> GradingRun | None:
    """The run a preview would replace (or, once confirmed, did replace)."""
    for other in reversed(run.submission.grading_runs):
        if other.superseded_by_id == run.id:
            return other
    current = run.submission.latest_run
    return current if current is not None and current.id != run.id else None


def state(batch: Rescore) -> str:
    if batch.state in ("confirmed", "discarded"):
        return batch.state
    return "ready" if all(run.finished for run in batch.runs) else "previewing"


def serialise(batch: Rescore) -> dict[str, Any]:
    items = []
    for run in batch.runs:
        item: dict[str, Any] = {"submission_id": run.submission_id, "run_id": run.id,
                                "finished": run.finished}
        if run.finished:
            old = _replaced(run)
            item.update(difference(old, run), replaced_run_id=old.id if old else None)
        items.append(item)
    finished = [i for i in items if i["finished"]]
    return {
        "id": batch.id, "assignment": batch.assignment.slug, "state": state(batch),
        "to_version": batch.to_version.content_hash,
        "created_at": batch.created_at.isoformat(),
        "confirmed_at": batch.confirmed_at.isoformat() if batch.confirmed_at else None,
        "submissions": items,
        "changed": [i["submission_id"] for i in finished if i["changed"]],
        "unchanged": [i["submission_id"] for i in finished if not i["changed"]],
        "pending": [i["submission_id"] for i in items if not i["finished"]],
    }


def confirm(batch: Rescore, *, actor: User) -> Rescore:
    """The preview runs become the current results; the runs they replace stay, superseded."""
    if batch.state in ("confirmed", "discarded"):
        raise Conflict(f"this re-score is {batch.state}"
                       + (": a newer one replaced it" if batch.state == "discarded" else ""))
    if state(batch) != "ready":
        raise Conflict("the preview runs have not all finished yet")
    now = utcnow()
    for run in batch.runs:
        old = run.submission.latest_run
        run.purpose = "rescore"
        if old is not None:
            old.superseded_at, old.superseded_by_id = now, run.id
        _notify(run, difference(old, run))
    batch.state, batch.confirmed_at, batch.confirmed_by_id = "confirmed", now, actor.id
    audit.record("grading.rescore_confirmed", actor=actor, subject=batch,
                 assignment=batch.assignment.slug, submissions=len(batch.runs))
    db.session.flush()
    return batch


def result_summary(run: GradingRun, diff: dict[str, Any]) -> str:
    """The re-scored result in a sentence; an altered report gives no counts."""
    counted = (f" ({run.passed} passed, {run.failed} failed)" if not run.altered
               else ": the test report was altered, so it gives no count")
    return (f"Its result is now {run.status}{counted}"
            + (f"; it was {diff['status_before']}." if diff["changed"] else "; unchanged."))


def _notify(run: GradingRun, diff: dict[str, Any]) -> None:
    sub = run.submission
    invitation = sub.invitation
    title = invitation.assignment.title
    summary = result_summary(run, diff)
    reviewers = db.session.scalars(select(ReviewAssignment)
                                   .where(ReviewAssignment.submission_id == sub.id))
    for review in reviewers:
        mail.send("rescore_reviewer", review.reviewer.email, submission_id=sub.id,
                  assignment_title=title, summary=summary)
    if invitation.assignment.results_visible_to_candidate:
        mail.send("rescore_candidate", invitation.candidate_email, invitation_id=invitation.id,
                  candidate_name=invitation.candidate_name, assignment_title=title,
                  summary=summary)


def run_history(submission_id: int) -> dict[str, Any]:
    """For the submission's API grading object: how the current run came about and the runs
    a re-score superseded (their results are kept).

    Read on every submission view, so plain rows of the few columns it shows (never a run's
    output); the superseded runs' tests are read only when there are any."""
    connection = db.session.connection()
    runs = connection.execute(_history_statement(), {"submission_id": submission_id}).all()
    current = [r for r in runs if r.purpose != "preview"]
    latest = current[-1] if current else None
    superseded = [r for r in runs if r.superseded_at is not None]
    tests: dict[int, list[dict[str, str]]] = {r.id: [] for r in superseded}
    if superseded:
        results = cast(Table, TestResult.__table__)
        for t in connection.execute(
            select(results.c.run_id, results.c.name, results.c.classname, results.c.outcome)
            .where(results.c.run_id.in_(list(tests)))
            .order_by(results.c.id)
        ):
            tests[t.run_id].append({"name": t.name, "classname": t.classname,
                                    "outcome": t.outcome})
    return {
        "purpose": latest.purpose if latest else None,
        "tests_version": latest.content_hash if latest else None,
        "superseded": [
            {"id": r.id, "status": r.status, "integrity": r.integrity,
             **serialize.counts(r, ("passed", "failed", "errors")),
             "superseded_at": r.superseded_at.isoformat(),
             "superseded_by": r.superseded_by_id,
             "reason": "superseded by the fixed tests",
             "tests": tests[r.id]}
            for r in superseded
        ],
    }


@cache
def _history_statement() -> Select[Any]:
    runs = cast(Table, GradingRun.__table__)
    versions = cast(Table, AssignmentVersion.__table__)
    return (
        select(runs.c.id, runs.c.purpose, runs.c.status, runs.c.passed, runs.c.failed,
               runs.c.errors, runs.c.integrity, runs.c.superseded_at, runs.c.superseded_by_id,
               versions.c.content_hash)
        .outerjoin(versions, versions.c.id == runs.c.assignment_version_id)
        .where(runs.c.submission_id == bindparam("submission_id"))
        .order_by(runs.c.id)
    )
