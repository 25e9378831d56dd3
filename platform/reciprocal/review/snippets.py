"""The comment library: reusable comment texts per assignment.

Reviewers of an assignment write the same findings again and again ("the parser drops rows
with a BOM", "good: errors turned into responses in one place"). A snippet is inserted into the
comment box and then edited there, so every comment stays about this submission; the library
is shared by everyone who reviews the assignment, so the team explains a finding in one way.

Access follows the submission the library is opened from: whoever may comment on a
submission may use and curate its assignment's library (routes resolve the submission with
`review.queries.visible_to` first, so a reviewer reaches only assignments they review).

Independent scoring: a snippet written from a submission (saved from one of its comments,
added or edited on the library page opened from it) carries a reviewer's judgement of it, and
so do the uses counted on its comments. Until a reviewer of that submission has submitted
their own scorecard for it, what others brought from it is kept from them: such snippets are
left out of their library (and are the same 404 as a missing id), and the uses others made
there are left out of the counts they see. Recruiters and admins see everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select

from ..core import audit
from ..core.errors import InvalidInput, NotFound
from ..extensions import db
from ..models import (
    CommentSnippet,
    CommentSnippetSource,
    ReviewAssignment,
    ReviewComment,
    Scorecard,
    Submission,
    User,
    utcnow,
)
from .operations import KINDS, clean_text
from .queries import privileged

MAX_TITLE = 120
MAX_SNIPPETS = 200  # per assignment: a library, not a second code base


def assignment_of(submission: Submission) -> int:
    return submission.invitation.assignment_id


@dataclass(frozen=True)
class SnippetView:
    """A snippet as one viewer sees it: `uses` without the uses kept from them."""

    id: int
    assignment_id: int
    title: str
    body: str
    kind: str | None
    uses: int
    created_at: datetime
    updated_at: datetime | None


def _others_from_pending(viewer: User, kind: str) -> ColumnElement[bool]:
    """SQL: a source row of this kind, brought by someone else from a submission the viewer
    reviews and has not yet scored."""
    scored = exists().where(Scorecard.submission_id == CommentSnippetSource.submission_id,
                            Scorecard.reviewer_id == viewer.id,
                            Scorecard.submitted_at.is_not(None))
    reviews = exists().where(ReviewAssignment.submission_id == CommentSnippetSource.submission_id,
                             ReviewAssignment.reviewer_id == viewer.id)
    return and_(CommentSnippetSource.kind == kind, CommentSnippetSource.user_id != viewer.id,
                reviews, ~scored)


def _visible(viewer: User) -> ColumnElement[bool]:
    """SQL: the outer query's snippet is not kept from this viewer."""
    if privileged(viewer):
        return CommentSnippet.id.is_not(None)
    return ~exists().where(CommentSnippetSource.snippet_id == CommentSnippet.id,
                           _others_from_pending(viewer, "wrote"))


def library(assignment_id: int, viewer: User) -> list[SnippetView]:
    """The assignment's snippets this viewer may see, the most used first (as they count the
    uses), then by title."""
    kept = select(CommentSnippetSource.snippet_id, func.count().label("n")).where(
        _others_from_pending(viewer, "used")).group_by(CommentSnippetSource.snippet_id).subquery()
    uses = CommentSnippet.uses - func.coalesce(kept.c.n, 0)
    if privileged(viewer):
        uses = CommentSnippet.uses  # type: ignore[assignment]
    rows = db.session.execute(
        select(CommentSnippet, uses.label("uses"))
        .outerjoin(kept, kept.c.snippet_id == CommentSnippet.id)
        .where(CommentSnippet.assignment_id == assignment_id, _visible(viewer))
        .order_by(uses.desc(), CommentSnippet.title, CommentSnippet.id)
    ).all()
    return [SnippetView(s.id, s.assignment_id, s.title, s.body, s.kind, max(0, n), s.created_at,
                        s.updated_at) for s, n in rows]


def get(assignment_id: int, snippet_id: Any, viewer: User) -> CommentSnippet:
    """A snippet of this assignment's library the viewer may see; any other id (a snippet kept
    from them included) is the same 404."""
    try:
        number = int(snippet_id)
    except (TypeError, ValueError):
        raise NotFound("no such snippet in this assignment's comment library") from None
    snippet = db.session.scalar(select(CommentSnippet).where(
        CommentSnippet.id == number, CommentSnippet.assignment_id == assignment_id,
        _visible(viewer)))
    if snippet is None:
        raise NotFound("no such snippet in this assignment's comment library")
    return snippet


def view_of(snippet: CommentSnippet, viewer: User) -> SnippetView:
    """One snippet as this viewer sees it (after a change they made)."""
    return next(v for v in library(snippet.assignment_id, viewer) if v.id == snippet.id)


def _source(snippet: CommentSnippet, submission: Submission | None, actor: User,
            kind: str) -> None:
    if submission is not None:
        db.session.add(CommentSnippetSource(snippet_id=snippet.id, submission_id=submission.id,
                                            user_id=actor.id, kind=kind))


def create(assignment_id: int, actor: User, *, title: Any, body: Any,
           kind: Any = None, via: Submission | None = None) -> CommentSnippet:
    """A new snippet; `via` is the submission it is written from (None: from no submission,
    as the demo's seed)."""
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
    _source(snippet, via, actor, "wrote")
    audit.record("snippet.created", actor=actor, subject=snippet,
                 details={"assignment_id": assignment_id, "title": snippet.title})
    return snippet


def update(snippet: CommentSnippet, actor: User, *, title: Any = None, body: Any = None,
           kind: Any = "", via: Submission | None = None) -> CommentSnippet:
    """Change what is given: `None` keeps the title or body; a `kind` of "" keeps it, None or
    "none" clears it. A new title or text written from a submission is that submission's."""
    if body is not None:
        snippet.body = _body(body)
    if title is not None:
        snippet.title = _title(title, snippet.body)
    if kind != "":
        snippet.kind = _kind(kind)
    if title is not None or body is not None:
        _source(snippet, via, actor, "wrote")
    snippet.updated_by_id = actor.id
    snippet.updated_at = utcnow()
    audit.record("snippet.updated", actor=actor, subject=snippet,
                 details={"assignment_id": snippet.assignment_id, "title": snippet.title})
    return snippet


def delete(snippet: CommentSnippet, actor: User) -> None:
    audit.record("snippet.deleted", actor=actor, subject=snippet,
                 details={"assignment_id": snippet.assignment_id, "title": snippet.title})
    db.session.execute(CommentSnippetSource.__table__.delete().where(
        CommentSnippetSource.snippet_id == snippet.id))
    db.session.delete(snippet)


def text_of(assignment_id: int, snippet_id: Any, viewer: User) -> str:
    """The snippet's text, for a comment posted with a snippet chosen and an empty box (the
    form without its script); no snippet is an empty text, which the comment then refuses."""
    if snippet_id in (None, ""):
        return ""
    return get(assignment_id, snippet_id, viewer).body


def record_comment(assignment_id: int, actor: User, comment: ReviewComment, *,
                   snippet_id: Any = None, save_as: str | None = None) -> CommentSnippet | None:
    """After a comment is added: count the use of the snippet it came from (one deleted
    meanwhile, or kept from the actor, is ignored: the comment is what matters) and, when asked,
    keep its text in the library under `save_as` (blank: a title from its first line). Both
    come from the comment's submission."""
    submission = db.session.get(Submission, comment.submission_id)
    if snippet_id not in (None, ""):
        try:
            used = get(assignment_id, snippet_id, actor)
        except NotFound:
            pass
        else:
            used.uses = CommentSnippet.uses + 1
            _source(used, submission, actor, "used")
    if save_as is None:
        return None
    return create(assignment_id, actor, title=save_as, body=comment.body, kind=comment.kind,
                  via=submission)


def serialise(snippet: CommentSnippet | SnippetView) -> dict[str, Any]:
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
