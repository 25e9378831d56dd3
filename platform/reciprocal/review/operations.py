"""Structured review: inline comments, independent scorecards with evidence, blind review, the
aggregate of all scorecards and the calibration of reviewers against each other.

Independence: a reviewer sees only their own comments and scorecard on a submission until they
have submitted their scorecard; admins and recruiters see everything. Blind review: reviewers
see the candidate code, not the name or email, until `identity_revealed` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..core import audit, signals
from ..core.errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import db
from ..models import (
    ReviewAssignment,
    ReviewComment,
    Score,
    Scorecard,
    Submission,
    User,
)
from ..models.types import utcnow
from . import code as code_browser
from .queries import comment_for, is_assigned, own_scorecard, privileged, rubric

KIND_LABELS = {
    "strength": "Strength",
    "concern": "Concern",
    "question": "Follow-up question",
    # A small change the candidate makes live in the interview (review/walkthrough.py).
    "change": "Change to ask for in the interview",
}
KINDS = tuple(KIND_LABELS)
LEVELS = ("mediocre", "good", "great")  # ordinal: index is the level's rank
RECOMMENDATIONS = ("strong_yes", "yes", "no", "strong_no")
MAX_BODY = 10_000




# Comments


def _clean_body(body: Any) -> str:
    return clean_text(body, empty="write something in the comment", what="a comment")


def clean_text(value: Any, *, empty: str, what: str) -> str:
    """A comment-like text, stripped: refused when empty (with `empty`) or too long."""
    text = str(value or "").strip()
    if not text:
        raise InvalidInput(empty)
    if len(text) > MAX_BODY:
        raise InvalidInput(f"{what} is at most {MAX_BODY} characters")
    return text


def _line(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be a line number") from None
    if number < 1:
        raise InvalidInput(f"{name} must be 1 or more")
    return number


def add_comment(
    submission: Submission,
    author: User,
    *,
    path: Any,
    line_start: Any,
    line_end: Any = None,
    kind: Any,
    body: Any,
    parent_id: Any = None,
) -> ReviewComment:
    """A comment on lines of a text file at the submitted commit, or a reply to a comment."""
    text = _clean_body(body)
    if parent_id not in (None, ""):
        parent = comment_for(submission, author, _line(parent_id, "parent_id"))
        if parent.parent_id is not None:
            parent = db.session.get(ReviewComment, parent.parent_id) or parent
        comment = ReviewComment(
            submission_id=submission.id,
            author_id=author.id,
            parent_id=parent.id,
            commit_sha=parent.commit_sha,
            path=parent.path,
            line_start=parent.line_start,
            line_end=parent.line_end,
            kind=parent.kind,
            body=text,
        )
    else:
        if kind not in KINDS:
            raise InvalidInput(f"kind must be one of: {', '.join(KINDS)}")
        if not isinstance(path, str) or not path.strip("/") or len(path) > 1000:
            raise InvalidInput("say which file the comment is about")
        start = _line(line_start, "line_start")
        end = _line(line_end, "line_end") if line_end not in (None, "") else start
        if end < start:
            raise InvalidInput("line_end must not be before line_start")
        count = code_browser.line_count(submission, path, submission.commit_sha)
        if count is None:
            raise InvalidInput("comments go on lines of a text file")
        if end > count:
            raise InvalidInput(f"{path} has {count} lines")
        comment = ReviewComment(
            submission_id=submission.id,
            author_id=author.id,
            commit_sha=submission.commit_sha,
            path=path.strip("/"),
            line_start=start,
            line_end=end,
            kind=kind,
            body=text,
        )
    db.session.add(comment)
    db.session.flush()
    audit.record(
        "review.comment_added",
        actor=author,
        subject=submission,
        comment_id=comment.id,
        kind=comment.kind,
        reply=comment.parent_id is not None,
    )
    return comment


def _own(comment: ReviewComment, user: User) -> None:
    if comment.author_id != user.id:
        raise Forbidden("only the author can change this comment")


def edit_comment(
    submission: Submission, user: User, comment_id: int, *, body: Any, kind: Any = None
) -> ReviewComment:
    comment = comment_for(submission, user, comment_id)
    _own(comment, user)
    comment.body = _clean_body(body)
    if kind not in (None, "") and comment.parent_id is None:
        if kind not in KINDS:
            raise InvalidInput(f"kind must be one of: {', '.join(KINDS)}")
        comment.kind = kind
    comment.updated_at = utcnow()
    db.session.flush()
    audit.record("review.comment_edited", actor=user, subject=submission, comment_id=comment.id)
    return comment


def delete_comment(submission: Submission, user: User, comment_id: int) -> None:
    comment = comment_for(submission, user, comment_id)
    _own(comment, user)
    ids = [
        comment.id,
        *db.session.scalars(select(ReviewComment.id).where(ReviewComment.parent_id == comment.id)),
    ]
    cited = db.session.scalar(select(Score.id).where(Score.comment_id.in_(ids)))
    if cited is not None:
        raise Conflict("a score cites this comment as evidence; change that score first")
    for reply in db.session.scalars(
        select(ReviewComment).where(ReviewComment.parent_id == comment.id)
    ):
        db.session.delete(reply)
    db.session.flush()  # replies first: nothing tells the unit of work about parent_id
    db.session.delete(comment)
    db.session.flush()
    audit.record("review.comment_deleted", actor=user, subject=submission, comment_id=comment_id)


# Scorecards


@dataclass
class ScoreInput:
    level: str = ""
    evidence: str = ""
    comment_id: int | None = None


def save_scorecard(
    submission: Submission,
    reviewer: User,
    scores: dict[str, ScoreInput],
    *,
    recommendation: str | None,
    summary: str = "",
    submit: bool = False,
) -> Scorecard:
    """Save (and optionally submit) the reviewer's own scorecard. A submitted card is final.

    Every score needs evidence: a sentence, or one of the reviewer's own comments on this
    submission. Submitting needs every criterion scored and a recommendation.
    """
    if not is_assigned(reviewer, submission):
        raise Forbidden("only a reviewer assigned to this submission can score it")
    names = [c["name"] for c in rubric(submission)]
    unknown = set(scores) - set(names)
    if unknown:
        raise InvalidInput(f"not a criterion of this rubric: {', '.join(sorted(unknown))}")
    card = own_scorecard(submission, reviewer)
    if card is not None and card.submitted_at is not None:
        raise Conflict("your scorecard is already submitted")
    if recommendation not in (None, "") and recommendation not in RECOMMENDATIONS:
        raise InvalidInput(f"recommendation must be one of: {', '.join(RECOMMENDATIONS)}")
    problems = []
    for name in names:
        given = scores.get(name)
        if given is None or not given.level:
            if submit:
                problems.append(f"{name}: choose a level")
            continue
        if given.level not in LEVELS:
            problems.append(f"{name}: the level must be one of {', '.join(LEVELS)}")
        if given.comment_id is not None:
            cited = db.session.get(ReviewComment, given.comment_id)
            if (
                cited is None
                or cited.submission_id != submission.id
                or cited.author_id != reviewer.id
            ):
                problems.append(f"{name}: cite one of your own comments on this submission")
        if not given.evidence.strip() and given.comment_id is None:
            problems.append(f"{name}: give evidence for the score")
    if submit and not recommendation:
        problems.append("give an overall recommendation")
    if problems:
        raise InvalidInput("; ".join(problems))
    if card is None:
        card = Scorecard(submission_id=submission.id, reviewer_id=reviewer.id)
        db.session.add(card)
    card.recommendation = recommendation or None
    card.summary = str(summary or "").strip()[:MAX_BODY]
    existing = {s.criterion: s for s in card.scores}
    for name in names:
        given = scores.get(name)
        if given is None or not given.level:
            if name in existing:
                card.scores.remove(existing[name])
            continue
        score = existing.get(name)
        if score is None:
            score = Score(criterion=name)
            card.scores.append(score)
        score.level = given.level
        score.evidence = given.evidence.strip()[:MAX_BODY]
        score.comment_id = given.comment_id
    if submit:
        card.submitted_at = utcnow()
    db.session.flush()
    audit.record(
        "review.scorecard_submitted" if submit else "review.scorecard_saved",
        actor=reviewer,
        subject=submission,
        scorecard_id=card.id,
    )
    if submit:
        signals.scorecard_submitted.send(card)
    return card


# Aggregate


# Calibration


def assign_reviewer(submission: Submission, reviewer: User, *, actor: User) -> ReviewAssignment:
    """Recruiters and admins assign reviewers. A reviewer assigns no one, not even themselves
    (they take only what their panel offers, review.panels.take): they get the same 404 as a
    missing submission, so assigning can neither widen what they see nor tell which ids exist."""
    if not privileged(actor):
        raise NotFound(f"no submission {submission.id}")
    if not reviewer.has_role("reviewer", "admin") or not reviewer.active:
        raise InvalidInput(f"{reviewer.email} is not an active reviewer")
    existing = db.session.scalar(
        select(ReviewAssignment).where(
            ReviewAssignment.submission_id == submission.id,
            ReviewAssignment.reviewer_id == reviewer.id,
        )
    )
    if existing is not None:
        return existing
    assignment = ReviewAssignment(
        submission_id=submission.id, reviewer_id=reviewer.id, assigned_by_id=actor.id
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record("review.assigned", actor=actor, subject=submission, reviewer_id=reviewer.id)
    return assignment
