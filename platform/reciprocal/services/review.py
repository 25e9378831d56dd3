"""Structured review: inline comments, independent scorecards with evidence, blind review, the
aggregate of all scorecards and the calibration of reviewers against each other.

Independence: a reviewer sees only their own comments and scorecard on a submission until they
have submitted their scorecard; admins and recruiters see everything. Blind review: reviewers
see the candidate code, not the name or email, until `identity_revealed` says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import ReviewComment, Score, Scorecard, Submission, User
from ..models.types import utcnow
from . import audit, code_browser, submissions
from .errors import Conflict, Forbidden, InvalidInput, NotFound

KINDS = ("strength", "concern", "question")
LEVELS = ("mediocre", "good", "great")  # ordinal: index is the level's rank
RECOMMENDATIONS = ("strong_yes", "yes", "no", "strong_no")
MAX_BODY = 10_000


def identity_revealed(submission: Submission) -> bool:
    """Whether reviewers may see the candidate's name: once the decision has been sent."""
    from ..models.outcome import Decision

    return db.session.scalar(
        select(Decision.id).where(Decision.submission_id == submission.id,
                                  Decision.sent_at.is_not(None))
    ) is not None


def privileged(user: User) -> bool:
    return user.has_role("admin", "recruiter")


def candidate_label(submission: Submission, viewer: User) -> str:
    invitation = submission.invitation
    if privileged(viewer) or identity_revealed(submission):
        return f"{invitation.candidate_name} ({invitation.candidate_code})"
    return invitation.candidate_code


is_assigned = submissions.is_assigned


def own_scorecard(submission: Submission, user: User) -> Scorecard | None:
    return db.session.scalar(
        select(Scorecard)
        .options(selectinload(Scorecard.scores))
        .where(Scorecard.submission_id == submission.id, Scorecard.reviewer_id == user.id)
    )


def sees_everything(user: User, submission: Submission) -> bool:
    """Admins and recruiters always; a reviewer once their own scorecard is submitted."""
    if privileged(user):
        return True
    card = own_scorecard(submission, user)
    return card is not None and card.submitted_at is not None


# Comments


def _clean_body(body: Any) -> str:
    text = str(body or "").strip()
    if not text:
        raise InvalidInput("write something in the comment")
    if len(text) > MAX_BODY:
        raise InvalidInput(f"a comment is at most {MAX_BODY} characters")
    return text


def _line(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be a line number") from None
    if number < 1:
        raise InvalidInput(f"{name} must be 1 or more")
    return number


def visible_comments(submission: Submission, viewer: User) -> list[ReviewComment]:
    query = (
        select(ReviewComment)
        .options(selectinload(ReviewComment.author))
        .where(ReviewComment.submission_id == submission.id)
        .order_by(ReviewComment.path, ReviewComment.line_start, ReviewComment.id)
    )
    if not sees_everything(viewer, submission):
        query = query.where(ReviewComment.author_id == viewer.id)
    return list(db.session.scalars(query))


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


def comment_for(submission: Submission, viewer: User, comment_id: int) -> ReviewComment:
    """A comment this viewer may see; others' comments hidden by independence are a 404."""
    comment = db.session.get(ReviewComment, comment_id)
    if comment is None or comment.submission_id != submission.id:
        raise NotFound(f"no comment {comment_id}")
    if comment.author_id != viewer.id and not sees_everything(viewer, submission):
        raise NotFound(f"no comment {comment_id}")
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


def serialise_comment(comment: ReviewComment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": comment.author.display_name,
        "author_id": comment.author_id,
        "commit_sha": comment.commit_sha,
        "path": comment.path,
        "line_start": comment.line_start,
        "line_end": comment.line_end,
        "kind": comment.kind,
        "body": comment.body,
        "created_at": comment.created_at.isoformat(),
        "updated_at": comment.updated_at.isoformat() if comment.updated_at else None,
    }


# Scorecards


def rubric(submission: Submission) -> list[dict[str, Any]]:
    return list(submission.invitation.assignment.rubric or [])


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
    return card


def visible_scorecards(submission: Submission, viewer: User) -> list[Scorecard]:
    """The viewer's own card, plus others' submitted cards once the viewer may see them."""
    query = (
        select(Scorecard)
        .options(selectinload(Scorecard.scores), selectinload(Scorecard.reviewer))
        .where(Scorecard.submission_id == submission.id)
        .order_by(Scorecard.id)
    )
    cards = list(db.session.scalars(query))
    everything = sees_everything(viewer, submission)
    return [
        c
        for c in cards
        if c.reviewer_id == viewer.id or (everything and c.submitted_at is not None)
    ]


def serialise_scorecard(card: Scorecard) -> dict[str, Any]:
    return {
        "id": card.id,
        "reviewer": card.reviewer.display_name,
        "reviewer_id": card.reviewer_id,
        "recommendation": card.recommendation,
        "summary": card.summary,
        "submitted_at": card.submitted_at.isoformat() if card.submitted_at else None,
        "scores": [
            {
                "criterion": s.criterion,
                "level": s.level,
                "evidence": s.evidence,
                "comment_id": s.comment_id,
            }
            for s in card.scores
        ],
    }


# Aggregate


@dataclass
class CriterionRow:
    criterion: str
    levels: list[str | None]
    evidence: list[str]
    spread: int
    disagreement: str  # none | some | strong
    missing_evidence: bool


@dataclass
class Aggregate:
    complete: bool
    reviewers: list[str]
    recommendations: list[str | None]
    rows: list[CriterionRow] = field(default_factory=list)
    waiting_for: list[str] = field(default_factory=list)


def aggregate_cards(criteria: Sequence[str], cards: Sequence[Scorecard]) -> list[CriterionRow]:
    rows = []
    for name in criteria:
        levels: list[str | None] = []
        evidence: list[str] = []
        missing = False
        for card in cards:
            score = next((s for s in card.scores if s.criterion == name), None)
            levels.append(score.level if score else None)
            evidence.append(score.evidence if score else "")
            if score is None or (not score.evidence.strip() and score.comment_id is None):
                missing = True
        ranks = [LEVELS.index(level) for level in levels if level in LEVELS]
        spread = max(ranks) - min(ranks) if ranks else 0
        rows.append(
            CriterionRow(
                criterion=name,
                levels=levels,
                evidence=evidence,
                spread=spread,
                disagreement="strong" if spread >= 2 else "some" if spread else "none",
                missing_evidence=missing,
            )
        )
    return rows


def aggregate(submission: Submission, viewer: User) -> Aggregate | None:
    """Scores side by side once every assigned reviewer submitted; None while the viewer may not
    see the others' cards."""
    if not sees_everything(viewer, submission):
        return None
    reviewers = submissions.reviewers_of(submission)
    cards = {
        c.reviewer_id: c
        for c in db.session.scalars(
            select(Scorecard)
            .options(selectinload(Scorecard.scores))
            .where(Scorecard.submission_id == submission.id, Scorecard.submitted_at.is_not(None))
        )
    }
    waiting = [r.display_name for r in reviewers if r.id not in cards]
    done = [cards[r.id] for r in reviewers if r.id in cards]
    result = Aggregate(
        complete=bool(reviewers) and not waiting,
        reviewers=[r.display_name for r in reviewers if r.id in cards],
        recommendations=[c.recommendation for c in done],
        waiting_for=waiting,
    )
    if result.complete:
        result.rows = aggregate_cards([c["name"] for c in rubric(submission)], done)
    return result


def serialise_aggregate(agg: Aggregate | None) -> dict[str, Any] | None:
    if agg is None:
        return None
    return {
        "complete": agg.complete,
        "reviewers": agg.reviewers,
        "waiting_for": agg.waiting_for,
        "recommendations": agg.recommendations,
        "criteria": [
            {
                "criterion": r.criterion,
                "levels": r.levels,
                "spread": r.spread,
                "disagreement": r.disagreement,
                "missing_evidence": r.missing_evidence,
            }
            for r in agg.rows
        ],
    }


# Calibration


def weighted_kappa(pairs: Iterable[tuple[int, int]], categories: int = len(LEVELS)) -> float | None:
    """Cohen's kappa with linear agreement weights w = 1 - |i - j| / (k - 1) for ordinal ratings
    0..k-1. None when chance agreement is total (for example both raters always gave one level),
    where kappa is undefined."""
    data = list(pairs)
    n = len(data)
    if n == 0 or categories < 2:
        return None
    k = categories

    def weight(i: int, j: int) -> float:
        return 1 - abs(i - j) / (k - 1)

    rows = [0] * k
    cols = [0] * k
    observed = 0.0
    for a, b in data:
        rows[a] += 1
        cols[b] += 1
        observed += weight(a, b)
    observed /= n
    expected = sum(rows[i] * cols[j] * weight(i, j) for i in range(k) for j in range(k)) / n**2
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass
class Agreement:
    criterion: str
    n: int
    exact: float
    adjacent: float
    kappa: float | None


@dataclass
class PairCalibration:
    reviewer_a: str
    reviewer_b: str
    submissions: int
    criteria: list[Agreement]


def agreement(criterion: str, pairs: Sequence[tuple[int, int]]) -> Agreement:
    n = len(pairs)
    exact = sum(1 for a, b in pairs if a == b) / n if n else 0.0
    adjacent = sum(1 for a, b in pairs if abs(a - b) <= 1) / n if n else 0.0
    return Agreement(criterion, n, exact, adjacent, weighted_kappa(pairs))


def calibration() -> list[PairCalibration]:
    """For each pair of reviewers with submitted scorecards on the same submissions: agreement
    per criterion (exact, adjacent, weighted kappa)."""
    cards = list(
        db.session.scalars(
            select(Scorecard)
            .options(selectinload(Scorecard.scores), selectinload(Scorecard.reviewer))
            .where(Scorecard.submitted_at.is_not(None))
        )
    )
    by_submission: dict[int, list[Scorecard]] = defaultdict(list)
    for card in cards:
        by_submission[card.submission_id].append(card)
    names: dict[int, str] = {c.reviewer_id: c.reviewer.display_name for c in cards}
    pairs: dict[tuple[int, int], dict[str, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    shared: dict[tuple[int, int], set[int]] = defaultdict(set)
    for submission_id, group in by_submission.items():
        for a, b in combinations(sorted(group, key=lambda c: c.reviewer_id), 2):
            key = (a.reviewer_id, b.reviewer_id)
            shared[key].add(submission_id)
            levels_b = {s.criterion: s.level for s in b.scores}
            for score in a.scores:
                other = levels_b.get(score.criterion)
                if score.level in LEVELS and other in LEVELS:
                    pairs[key][score.criterion].append(
                        (LEVELS.index(score.level), LEVELS.index(other))
                    )
    return [
        PairCalibration(
            reviewer_a=names[a],
            reviewer_b=names[b],
            submissions=len(shared[(a, b)]),
            criteria=[agreement(name, values) for name, values in sorted(pairs[(a, b)].items())],
        )
        for a, b in sorted(shared)
    ]
