"""Comment threads: a comment on lines and its replies, shown under the line they anchor to,
and resolved (or reopened) as one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..core import audit
from ..core.errors import NotFound
from ..extensions import db
from ..models import ReviewComment, Submission, User
from ..models.types import utcnow
from .queries import can_view, comment_for


@dataclass
class Thread:
    root: ReviewComment
    replies: list[ReviewComment] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.root.resolved_at is not None


def by_line(comments: list[ReviewComment], path: str) -> dict[int, list[Thread]]:
    """The threads on one file, keyed by the last line they anchor to (where they are shown)."""
    roots: dict[int, Thread] = {}
    replies: dict[int, list[ReviewComment]] = defaultdict(list)
    for comment in comments:
        if comment.path != path:
            continue
        if comment.parent_id is None:
            roots[comment.id] = Thread(comment)
        else:
            replies[comment.parent_id].append(comment)
    out: dict[int, list[Thread]] = defaultdict(list)
    for thread in roots.values():
        thread.replies = replies.get(thread.root.id, [])
        out[thread.root.line_end].append(thread)
    return out


def set_resolved(submission: Submission, user: User, comment_id: int,
                 resolved: bool) -> ReviewComment:
    """Resolve or reopen the thread a comment belongs to. Anyone who may see the thread and
    work on the submission (its reviewers, recruiters, admins) may do either."""
    comment = comment_for(submission, user, comment_id)
    if not can_view(user, submission):
        raise NotFound(f"no comment {comment_id}")
    root = comment
    if comment.parent_id is not None:
        root = comment_for(submission, user, comment.parent_id)
    root.resolved_at = utcnow() if resolved else None
    root.resolved_by_id = user.id if resolved else None
    db.session.flush()
    audit.record("review.thread_resolved" if resolved else "review.thread_reopened",
                 actor=user, subject=submission, comment_id=root.id)
    return root
