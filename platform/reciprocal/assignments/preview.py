"""What a candidate gets of an assignment, read for staff from its current version's snapshot:
the starter's files and its README. Only starter/ is read here: the hidden tests and the
reference solution never reach this preview."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.errors import NotFound
from ..extensions import db
from ..models import Assignment, AssignmentVersion
from . import library
from .operations import version_dir

MAX_FILES = 1000
MAX_README_BYTES = 256 * 1024
README_NAMES = ("README.md", "README.markdown", "README.txt", "README")


@dataclass(frozen=True)
class StarterFiles:
    paths: list[str]
    truncated: bool  # more than MAX_FILES: the first MAX_FILES are listed


@dataclass(frozen=True)
class AssignmentPreview:
    """An assignment's library page: the row (its rubric and texts are columns, nothing left to
    load), its entry with stats, the current version, the starter's files and README."""

    assignment: Assignment
    entry: library.Entry
    version_hash: str | None
    version_created_at: datetime | None
    files: StarterFiles
    readme_name: str | None
    readme: str | None


def starter_files(starter: Path, limit: int = MAX_FILES) -> StarterFiles:
    """The starter's files as the candidate's first commit holds them (links as files, `.git`
    left out, as git/repos.py commits them): each folder's files, then its folders, by name; at
    most `limit`."""
    found: list[str] = []
    if not starter.is_dir():
        return StarterFiles([], False)
    for dirpath, dirnames, filenames in os.walk(starter, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        for name in sorted(filenames):
            if len(found) == limit:
                return StarterFiles(found, True)
            found.append((Path(dirpath) / name).relative_to(starter).as_posix())
    return StarterFiles(found, False)


def read_readme(starter: Path) -> tuple[str | None, str | None]:
    """(name, text) of the starter's top-level README, if it has one that is a regular file;
    text past MAX_README_BYTES is cut, undecodable bytes replaced."""
    for name in README_NAMES:
        path = starter / name
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                data = handle.read(MAX_README_BYTES)
            return name, data.decode("utf-8", errors="replace")
    return None, None


def preview(slug: str) -> AssignmentPreview:
    """The library page of an active assignment; NotFound otherwise."""
    assignment = db.session.scalar(
        select(Assignment).options(joinedload(Assignment.current_version))
        .where(Assignment.slug == slug, Assignment.active.is_(True)))
    if assignment is None:
        raise NotFound(f"no assignment {slug!r}")
    stats = library.statistics_by_assignment([assignment.id]).get(assignment.id)
    version: AssignmentVersion | None = assignment.current_version
    files, readme_name, readme = StarterFiles([], False), None, None
    if version is not None:
        starter = version_dir(version) / "starter"
        files = starter_files(starter)
        readme_name, readme = read_readme(starter)
    return AssignmentPreview(
        assignment=assignment,
        entry=library.entry_of(assignment, stats),
        version_hash=version.content_hash if version else None,
        version_created_at=version.created_at if version else None,
        files=files,
        readme_name=readme_name,
        readme=readme,
    )
