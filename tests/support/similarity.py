"""Submissions for the similarity tests: real trees committed to real repositories through the
services, the check job's function run in the app, and a decided original with its renamed
copy (used by the integration and the browser tests)."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import git
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.git import repos
from reciprocal.models import SimilarityCheck, Submission
from reciprocal.review import operations as review
from reciprocal.similarity import operations, tasks
from sqlalchemy import select

from tests.support import factories
from tests.support.disguise import disguise
from tests.support.paths import ROOT

SOLUTION = ROOT / "assignments" / "customer-directory" / "solution"
STARTER = ROOT / "assignments" / "customer-directory" / "starter"
SAMPLES = ROOT / "tests" / "unit" / "similarity" / "samples"
TOKENS: dict[int, str] = {}  # submission id -> the candidate's invitation token


def copy_of(tmp_path: Path, name: str, source: Path, change: Any = None) -> Path:
    tree = tmp_path / name
    shutil.copytree(source, tree, ignore=shutil.ignore_patterns("__pycache__"))
    if change is not None:
        change(tree)
    return tree


def submit_tree(tmp_path: Path, name: str, tree: Path,
                slug: str = "customer-directory") -> Submission:
    new = factories.invitation(slug, name=name, email=f"{name.split()[0].lower()}@example.com")
    invitations.accept_terms(new.invitation)
    invitations.start(new.invitation)
    repo_path = invitations.storage().path_for(new.invitation.id)
    repos.commit_directory(repo_path, tree, "work", author=git.Actor(name, "c@example.com"))
    sub = invitations.submit(new.invitation)
    db.session.commit()
    TOKENS[sub.id] = new.token
    return sub


def checked(sub: Submission) -> SimilarityCheck:
    """What grading_completed does (the receiver), then the job's function, in this app."""
    operations.on_grading_completed(SimpleNamespace(submission_id=sub.id))  # type: ignore[arg-type]
    db.session.commit()
    check = db.session.scalar(
        select(SimilarityCheck).where(SimilarityCheck.submission_id == sub.id))
    assert check is not None and check.status == "queued" and check.rq_job_id
    assert tasks.check(check.id) == "done"
    return check


def renamed(tree: Path) -> None:
    for path in (tree / "directory").glob("*.py"):
        path.write_text(disguise(path.name, path.read_text(), seed=11))


def decided_original_and_its_copy(tmp_path: Path, copy_tree: Path) -> tuple[tuple[int, int], str]:
    """Ada's original, decided and sent (her name no longer blind), and Cy's renamed copy of
    it, both checked; rita@ is a recruiter and rev@ reviews the copy. Returns the ids
    (original, copy) and the original's candidate code."""
    from reciprocal.outcomes import operations as outcomes

    original = submit_tree(tmp_path, "Ada Original", copy_of(tmp_path, "a", SOLUTION))
    copy = submit_tree(tmp_path, "Cy Copier", copy_tree)
    for sub in (original, copy):
        checked(sub)
    recruiter = factories.staff("recruiter", "rita@example.com")
    outcomes.decide(original, "reject", original.invitation.role.requirements[0],
                    actor=recruiter)
    outcomes.send(original, actor=recruiter)
    review.assign_reviewer(copy, factories.staff("reviewer", "rev@example.com"), actor=recruiter)
    db.session.commit()
    return (original.id, copy.id), original.invitation.candidate_code


def match_between(app: Any, sub_id: int, other_id: int) -> int:
    from reciprocal.similarity import queries

    with app.app_context():
        return next(m.id for m in queries.matches_for(db.session.get(Submission, sub_id))
                    if m.other_submission is not None and m.other_submission.id == other_id)
