"""The assignment library: syncing assignments/<slug>/ folders into versioned, snapshotted rows."""

from __future__ import annotations

import shutil
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from ..core import audit
from ..core.errors import NotFound
from ..extensions import db
from ..models import Assignment, AssignmentVersion, User, utcnow
from ..runner import LANGUAGES
from . import ai_policy, seeding
from .spec import IGNORED_NAMES, AssignmentInvalid, AssignmentSpec, content_hash, load_spec


def known_runners() -> set[str]:

    return set(LANGUAGES)


@dataclass
class SyncReport:
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    invalid: dict[str, list[str]]
    # Folders left alone: their assignment is published from its hosted repository now.
    managed_in_git: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.invalid


def versions_root() -> Path:
    return Path(current_app.config["DATA_DIR"]) / "assignment-versions"


def version_dir(version: AssignmentVersion) -> Path:
    """The immutable snapshot of one assignment version (starter/, tests/, solution/)."""
    return versions_root() / version.assignment.slug / version.content_hash


def _snapshot(spec: AssignmentSpec, digest: str) -> Path:
    target = versions_root() / spec.slug / digest
    if target.exists():
        return target
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(
        spec.path,
        staging,
        ignore=lambda _dir, names: [n for n in names if n in IGNORED_NAMES or n.endswith(".pyc")],
        symlinks=True,
    )
    staging.rename(target)
    return target


def sync_folder(folder: Path, *, actor: User | None = None) -> tuple[Assignment, str]:
    """Load one assignment folder; returns the row and "added", "updated" or "unchanged"."""
    spec = load_spec(folder, known_runners=known_runners())
    digest = content_hash(folder)
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == spec.slug))
    outcome = "unchanged"
    if assignment is None:
        assignment = Assignment(slug=spec.slug)
        db.session.add(assignment)
        outcome = "added"
    version = None
    if assignment.id is not None:
        version = db.session.scalar(
            select(AssignmentVersion).where(
                AssignmentVersion.assignment_id == assignment.id,
                AssignmentVersion.content_hash == digest,
            )
        )
    _snapshot(spec, digest)
    assignment.title = spec.title
    assignment.summary = spec.summary
    assignment.language = spec.language
    assignment.runner = spec.runner
    assignment.time_cap_minutes = spec.time_cap_minutes
    assignment.time_cap_reason = spec.time_cap_reason
    assignment.skills = spec.skills
    assignment.kind = spec.kind
    assignment.stack = spec.stack
    assignment.rubric = spec.rubric_as_json()
    assignment.limits = spec.limits
    assignment.evaluation = spec.evaluation
    assignment.results_visible_to_candidate = spec.results_visible_to_candidate
    assignment.ai_use = spec.ai_use
    assignment.ai_policy_text = spec.ai_policy_text
    assignment.active = True
    if version is None:
        db.session.flush()
        version = AssignmentVersion(
            assignment_id=assignment.id,
            content_hash=digest,
            manifest={"title": spec.title, "time_cap_minutes": spec.time_cap_minutes},
        )
        db.session.add(version)
        db.session.flush()
        if outcome == "unchanged":
            outcome = "updated"
    if assignment.current_version_id != version.id:
        assignment.current_version_id = version.id
        assignment.current_version = version
    if outcome != "unchanged":
        audit.record(f"assignment.{outcome}", actor=actor, subject=assignment, version=digest[:12])
    return assignment, outcome


def record_validation(folder: Path, environment: str | None, ids: list[str], *,
                      actor: User | None = None) -> AssignmentVersion:
    """Keep what a valid `assignments validate` run proved with the synced version of the same
    content: the environment image it used and the ids the reference solution's run reported.
    NotFound when that content was never synced (sync first)."""
    spec = load_spec(folder, known_runners=known_runners())
    digest = content_hash(folder)
    version = db.session.scalar(
        select(AssignmentVersion).join(Assignment, AssignmentVersion.assignment_id == Assignment.id)
        .where(Assignment.slug == spec.slug, AssignmentVersion.content_hash == digest))
    if version is None:
        raise NotFound(f"{spec.slug} at this content was never synced: run `reciprocal "
                       "assignments sync` first")
    version.validation = {"environment": environment, "ids": sorted(ids),
                          "at": utcnow().isoformat()}
    audit.record("assignment.validated", actor=actor, subject=version.assignment,
                 version=digest[:12], environment=environment or "", tests=len(ids))
    return version


def sync_all(root: Path | None = None, *, actor: User | None = None,
             only: Collection[str] | None = None) -> SyncReport:
    """Sync every folder under the assignments directory (or only the folders named in `only`);
    invalid ones are reported, not loaded. A name in `only` with no folder is reported invalid."""
    root = Path(root or current_app.config["ASSIGNMENTS_DIR"])
    report = SyncReport([], [], [], {})
    if not root.is_dir():
        report.invalid[str(root)] = ["the assignments directory does not exist"]
        return report
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if only is not None:
        names = set(only)
        for missing in sorted(names - {folder.name for folder in folders}):
            report.invalid[missing] = [f"no folder {missing}/ under {root}"]
        folders = [folder for folder in folders if folder.name in names]
    for folder in folders:
        if seeding.managed_in_git(folder.name):
            report.managed_in_git.append(folder.name)
            continue
        try:
            assignment, outcome = sync_folder(folder, actor=actor)
        except AssignmentInvalid as exc:
            report.invalid[folder.name] = exc.problems
            continue
        seeding.seed_from_folder(folder, assignment, actor=actor)
        getattr(report, outcome).append(folder.name)
    return report


def list_assignments(*, active_only: bool = True) -> list[Assignment]:
    query = select(Assignment).order_by(Assignment.title)
    if active_only:
        query = query.where(Assignment.active.is_(True))
    return list(db.session.scalars(query))


def get_by_slug(slug: str) -> Assignment:
    if not isinstance(slug, str):
        raise NotFound("assignment must be a slug")
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == slug))
    if assignment is None or not assignment.active:
        raise NotFound(f"no assignment {slug!r}")
    return assignment


def serialise(assignment: Assignment) -> dict[str, Any]:
    return {
        "slug": assignment.slug,
        "title": assignment.title,
        "summary": assignment.summary,
        "language": assignment.language,
        "runner": assignment.runner,
        "time_cap_minutes": assignment.time_cap_minutes,
        "skills": assignment.skills,
        "kind": assignment.kind,
        "stack": assignment.stack,
        "rubric": assignment.rubric,
        "ai_policy": ai_policy.make(assignment.ai_use, assignment.ai_policy_text).as_json(),
        "version": assignment.current_version.content_hash if assignment.current_version else None,
    }
