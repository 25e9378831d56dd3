"""Independent scorecards side by side, and how far reviewers agree (exact and adjacent
agreement, weighted Cohen's kappa), so that a team can calibrate."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Scorecard, Submission, User
from .operations import LEVELS
from .queries import reviewers_of, rubric, sees_everything


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
    reviewers = reviewers_of(submission)
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
