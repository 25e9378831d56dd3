"""A real submission for review tests: a started invitation, a candidate commit written through
the repository service, and a submit through the invitation service."""

from __future__ import annotations

import os
from pathlib import Path

import git
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.git import repos
from reciprocal.models import ReviewAssignment, Submission
from reciprocal.review import operations as review
from sqlalchemy import select

from tests.support import factories

CANDIDATE = git.Actor("Sam Candidate", "sam@example.com")
APP_PY = "".join(f"def f{n}(x):\n    return x + {n}\n\n" for n in range(1, 11))
ODD_NAME = 'odd/<svg onload=alert(1)> & "q".py'


def build_tree(root: Path) -> None:
    (root / "src" / "deep" / "a" / "b" / "c" / "d" / "e" / "f" / "g").mkdir(parents=True)
    (root / "src" / "app.py").write_text(APP_PY)
    (root / "src" / "deep" / "a" / "b" / "c" / "d" / "e" / "f" / "g" / "leaf.txt").write_text("x\n")
    (root / "README.md").write_text("# Notes\n\n<img src=x onerror=alert(1)>\n")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0binary")
    (root / "latin1.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    (root / "big.txt").write_text("line\n" * 3000)
    (root / "odd").mkdir()
    (root / ODD_NAME).write_text("print('<b>hi</b>')\n")
    os.symlink("/etc/passwd", root / "link")


def submission(tmp_path: Path, message: str = "My solution <b>bold</b>") -> Submission:
    """A submitted invitation whose commit has text, binary, huge, odd and linked files."""
    new = factories.started()
    tree = tmp_path / "candidate-tree"
    tree.mkdir()
    build_tree(tree)
    repo_path = invitations.storage().path_for(new.invitation.id)
    repos.commit_directory(repo_path, tree, message, author=CANDIDATE)
    sub = invitations.submit(new.invitation)
    db.session.commit()
    return sub


def reviewer_on(sub: Submission, email: str | None = None) -> object:
    """A reviewer assigned by a recruiter (reviewers do not assign themselves)."""
    user = factories.staff("reviewer", email)
    review.assign_reviewer(sub, user, actor=factories.staff("recruiter"))
    db.session.commit()
    return user


def reviewers_of(submission_id: int) -> set[int]:
    """The ids of the reviewers assigned to the submission now."""
    return set(db.session.scalars(select(ReviewAssignment.reviewer_id).where(
        ReviewAssignment.submission_id == submission_id)))
