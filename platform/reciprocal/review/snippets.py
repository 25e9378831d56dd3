"""The comment library: reusable comment texts per assignment (issue 14).

Reviewers of an assignment write the same findings again and again ("the parser drops rows
with a BOM", "good: errors turned into responses in one place"). A snippet is inserted into the
comment box and then edited there, so every comment stays about this submission; the library
is shared by everyone who reviews the assignment, so the team explains a finding in one way.

Access follows the submission the library is opened from: whoever may comment on a
submission may use and curate its assignment's library (routes resolve the submission with
`review.queries.visible_to` first, so a reviewer reaches only assignments they review).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..core import audit
from ..core.errors import InvalidInput, NotFound
from ..extensions import db
from ..models import CommentSnippet, ReviewComment, Submission, User, utcnow
from .operations import KINDS, clean_text

MAX_TITLE = 120
MAX_SNIPPETS = 200  # per assignment: a library, not a second code base


def assignment_of(submission: Submission) -> int:
    return submission.invitation.assignment_id


def library(assignment_id: int) -> list[CommentSnippet]:
    """The assignment's snippets, the most used first, then by title."""
    return list(db.session.scalars(
        select(CommentSnippet)
        .where(CommentSnippet.assignment_id == assignment_id)
        .order_by(CommentSnippet.uses.desc(), CommentSnippet.title, CommentSnippet.id)
    ))


def get(assignment_id: int, snippet_id: Any) -> CommentSnippet:
    """A snippet of this assignment's library; any other id is the same 404."""
    try:
        number = int(snippet_id)
    except (TypeError, ValueError):
        raise NotFound("no such snippet in this assignment's comment library") from None
    snippet = db.session.get(CommentSnippet, number)
    if snippet is None or snippet.assignment_id != assignment_id:
        raise NotFound("no such snippet in this assignment's comment library")
    return snippet


def create(assignment_id: int, actor: User, *, title: Any, body: Any,
           kind: Any = None) -> CommentSnippet:
    count = db.session.scalar(
        select(db.func.count()).select_from(CommentSnippet)
        .where(CommentSnippet.assignment_id == assignment_id))
    if (count or 0) >= MAX_SNIPPETS:
        raise InvalidInput(f"an assignment's comment library holds at most {MAX_SNIPPETS} "
                           "snippets: remove one you no longer use first")
    text = _body(body)
    snippet = CommentSnippet(assignment_id=assignment_id, title=_title(title, text), body=text,
                             kind=_kind(kind), created_by_id=actor.id)
    db.session.add(snippet)
    db.session.flush()
    audit.record("snippet.created", actor=actor, subject=snippet,
                 details={"assignment_id": assignment_id, "title": snippet.title})
    return snippet


def update(snippet: CommentSnippet, actor: User, *, title: Any = None, body: Any = None,
           kind: Any = "") -> CommentSnippet:
    """Change what is given: `None` keeps the title or body; a `kind` of "" keeps it, None or
    "none" clears it."""
    if body is not None:
        snippet.body = _body(body)
    if title is not None:
        snippet.title = _title(title, snippet.body)
    if kind != "":
        snippet.kind = _kind(kind)
    snippet.updated_by_id = actor.id
    snippet.updated_at = utcnow()
    audit.record("snippet.updated", actor=actor, subject=snippet,
                 details={"assignment_id": snippet.assignment_id, "title": snippet.title})
    return snippet


def delete(snippet: CommentSnippet, actor: User) -> None:
    audit.record("snippet.deleted", actor=actor, subject=snippet,
                 details={"assignment_id": snippet.assignment_id, "title": snippet.title})
    db.session.delete(snippet)


def text_of(assignment_id: int, snippet_id: Any) -> str:
    """The snippet's text, for a comment posted with a snippet chosen and an empty box (the
    form without its script); no snippet is an empty text, which the comment then refuses."""
    if snippet_id in (None, ""):
        return ""
    return get(assignment_id, snippet_id).body


def record_comment(assignment_id: int, actor: User, comment: ReviewComment, *,
                   snippet_id: Any = None, save_as: str | None = None) -> CommentSnippet | None:
    """After a comment is added: count the use of the snippet it came from (one deleted
    meanwhile is ignored: the comment is what matters) and, when asked, keep its text in the
    library under `save_as` (blank: a title from its first line)."""
    if snippet_id not in (None, ""):
        try:
            used = get(assignment_id, snippet_id)
        except NotFound:
            pass
        else:
            used.uses = CommentSnippet.uses + 1
    if save_as is None:
        return None
    return create(assignment_id, actor, title=save_as, body=comment.body, kind=comment.kind)


def serialise(snippet: CommentSnippet) -> dict[str, Any]:
    return {
        "id": snippet.id,
        "assignment_id": snippet.assignment_id,
        "title": snippet.title,
        "body": snippet.body,
        "kind": snippet.kind,
        "uses": snippet.uses,
        "created_at": snippet.created_at.isoformat(),
        "updated_at": snippet.updated_at.isoformat() if snippet.updated_at else None,
    }


def _body(body: Any) -> str:
    return clean_text(body, empty="write the snippet's text", what="a snippet")


def _title(title: Any, body: str) -> str:
    """The given title, or the body's first line cut at a word."""
    text = " ".join(str(title or "").split())
    if not text:
        first = body.splitlines()[0].strip()
        text = first if len(first) <= 60 else first[:60].rsplit(" ", 1)[0] + "…"
    if len(text) > MAX_TITLE:
        raise InvalidInput(f"a snippet's title is at most {MAX_TITLE} characters")
    return text


def _kind(kind: Any) -> str | None:
    if kind in (None, "", "none"):
        return None
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of: {', '.join(KINDS)}, or none")
    return str(kind)
