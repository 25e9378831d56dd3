"""The hosted repositories of the assignments an operator keeps as folders: `assignments sync`
seeds each one with its folder's content on main, and leaves a folder alone once its assignment
was published from git (the repository decides from then on)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..models import Assignment, AssignmentPublication, AssignmentRepository, User
from . import hosting


def managed_in_git(slug: str) -> bool:
    """True once a version of this assignment was published from its repository: its folder
    under assignments/ then no longer decides the live version."""
    row = db.session.scalar(select(AssignmentRepository).where(AssignmentRepository.slug == slug))
    return row is not None and row.managed_by == "git"


def seed_from_folder(folder: Path, assignment: Assignment, *, actor: User | None = None) -> str:
    """Make the hosted repository's main hold a synced folder's content: "created",
    "updated" (a new commit on main) or "unchanged"."""
    slug = assignment.slug
    row = db.session.scalar(select(AssignmentRepository).where(AssignmentRepository.slug == slug))
    if row is None:
        row = AssignmentRepository(slug=slug, managed_by="folder")
        db.session.add(row)
        db.session.flush()
    outcome = "unchanged"
    if not hosting.exists(slug):
        hosting.create(slug)
        outcome = "created"
    elif hosting.matches_folder(slug, folder):
        return outcome
    else:
        outcome = "updated"
    sha = hosting.commit_folder(slug, folder, f"Sync {slug} from the assignments folder\n\n"
                                "Written by `reciprocal assignments sync`.")
    assert assignment.current_version_id is not None
    db.session.add(AssignmentPublication(
        repository_id=row.id, commit_sha=sha, version_id=assignment.current_version_id,
        published_by_id=actor.id if actor else None, via="sync"))
    return outcome
