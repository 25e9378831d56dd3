"""Scores in the funnel report: how each rubric criterion's levels were given, and how far
reviewers agreed on the same submission (the calibration figures, over every pair of
reviewers at once). Both are aggregate queries: counts per (criterion, level), and per
(criterion, level, other reviewer's level)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Score, Scorecard
from ..review.calibration import LEVELS, Agreement, agreement
from .funnel import submissions_in
from .period import Period


@dataclass(frozen=True)
class Distribution:
    criterion: str
    counts: dict[str, int]  # level -> scores given

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def distributions(period: Period) -> list[Distribution]:
    query = (
        select(Score.criterion, Score.level, func.count(Score.id))
        .join(Scorecard, Scorecard.id == Score.scorecard_id)
        .where(Scorecard.submitted_at.is_not(None),
               Scorecard.submission_id.in_(submissions_in(period)))
        .group_by(Score.criterion, Score.level)
    )
    found: dict[str, dict[str, int]] = {}
    for criterion, level, count in db.session.execute(query).all():
        found.setdefault(criterion, dict.fromkeys(LEVELS, 0))[level] = int(count)
    return [Distribution(name, found[name]) for name in sorted(found)]


def agreements(period: Period) -> list[Agreement]:
    """Per criterion, over every pair of reviewers who scored the same submission: exact and
    adjacent agreement and linear-weighted kappa (review/calibration.py)."""
    card_a, card_b = aliased(Scorecard), aliased(Scorecard)
    score_a, score_b = aliased(Score), aliased(Score)
    query = (
        select(score_a.criterion, score_a.level, score_b.level, func.count())
        .select_from(score_a)
        .join(card_a, card_a.id == score_a.scorecard_id)
        .join(card_b, (card_b.submission_id == card_a.submission_id)
              & (card_b.reviewer_id > card_a.reviewer_id))
        .join(score_b, (score_b.scorecard_id == card_b.id)
              & (score_b.criterion == score_a.criterion))
        .where(card_a.submitted_at.is_not(None), card_b.submitted_at.is_not(None),
               card_a.submission_id.in_(submissions_in(period)))
        .group_by(score_a.criterion, score_a.level, score_b.level)
    )
    pairs: dict[str, list[tuple[int, int]]] = {}
    for criterion, level_a, level_b, count in db.session.execute(query).all():
        if level_a in LEVELS and level_b in LEVELS:
            pairs.setdefault(criterion, []).extend(
                [(LEVELS.index(level_a), LEVELS.index(level_b))] * int(count))
    return [agreement(name, values) for name, values in sorted(pairs.items())]
