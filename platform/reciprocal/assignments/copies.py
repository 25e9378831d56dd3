""""Use as a starting point": the team's own copy of a live assignment, as a new hosted
repository whose `draft` branch holds the live version under the new slug and title. It is
validated at once and goes live only when an author publishes it (assignments/authoring.py)."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import select

from ..core import audit
from ..core.errors import Conflict, InvalidInput
from ..extensions import db
from ..models import Assignment, AssignmentRepository, AssignmentValidation, User
from . import hosting, operations
from .authoring import request_validation, require_author
from .spec import SLUG_RE, AssignmentInvalid, load_spec

DRAFT_BRANCH = "draft"


def copy_assignment(source_slug: str, new_slug: str, title: str, *,
                    by: User) -> AssignmentValidation:
    """The team's own copy of a live assignment: a new hosted repository whose `draft` branch
    holds the source's live version under the new slug and title, validated at once. It goes
    live when an author publishes it."""
    require_author(by)
    source = operations.get_by_slug(source_slug)
    new_slug = (new_slug or "").strip()
    title = " ".join((title or "").split())
    if not SLUG_RE.match(new_slug):
        raise InvalidInput("the new slug must be 3 to 64 lowercase letters, digits and dashes")
    if not title:
        raise InvalidInput("give the copy a title")
    taken = db.session.scalar(select(Assignment.id).where(Assignment.slug == new_slug)) \
        or db.session.scalar(select(AssignmentRepository.id)
                             .where(AssignmentRepository.slug == new_slug)) \
        or hosting.exists(new_slug)
    if taken:
        raise Conflict(f"an assignment called {new_slug!r} already exists; choose another slug")
    if source.current_version is None:
        raise Conflict(f"{source_slug} has no live version to copy")
    with tempfile.TemporaryDirectory(prefix="reciprocal-copy-") as tmp:
        folder = Path(tmp) / new_slug
        shutil.copytree(operations.version_dir(source.current_version), folder, symlinks=True)
        toml = folder / "assignment.toml"
        toml.write_text(_renamed(toml.read_text(encoding="utf-8"), new_slug, title),
                        encoding="utf-8")
        try:
            load_spec(folder, known_runners=operations.known_runners())
        except AssignmentInvalid as exc:
            raise Conflict("the copy is not a valid assignment: " + "; ".join(exc.problems)) \
                from None
        row = AssignmentRepository(slug=new_slug, created_by_id=by.id, copied_from=source_slug,
                                   managed_by="git")
        db.session.add(row)
        db.session.flush()
        hosting.create(new_slug)
        sha = hosting.commit_folder(
            new_slug, folder, f"Start {new_slug} from {source_slug}\n\nA copy of "
            f"{source_slug}'s live version ({source.current_version.content_hash[:12]}).",
            ref=f"refs/heads/{DRAFT_BRANCH}", author=(by.display_name, by.email))
    audit.record("assignment.copied", actor=by, subject=source, copy=new_slug)
    return request_validation(row, sha, ref=DRAFT_BRANCH, by=by)


def _renamed(text: str, slug: str, title: str) -> str:
    """assignment.toml with its top-level slug and title replaced (TOML basic strings)."""
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    text, found = re.subn(r'(?m)^slug\s*=\s*"[^"\n]*"\s*$', f'slug = "{slug}"', text, count=1)
    if not found:
        raise Conflict("the source's assignment.toml has no slug line to rename")
    text, found = re.subn(r'(?m)^title\s*=\s*"[^"\n]*"\s*$', lambda _m: f"title = {quoted}",
                          text, count=1)
    if not found:
        raise Conflict("the source's assignment.toml has no title line to rename")
    return text
