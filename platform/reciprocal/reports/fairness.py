"""The fairness report: for each self-identification question, each group's selection rate
at every stage of the funnel and on every rubric criterion, and its impact ratio (its rate
over the highest group's rate; below four fifths is flagged, the "four-fifths rule").

A group with fewer than the minimum count entering a stage is shown as too few to compare,
and takes no part in picking the highest rate. "Prefer not to say" and unanswered candidates
are counted but never compared. Figures are aggregate queries grouped by (question, answer):
no candidate's answer is ever read one by one."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import case, func, select

from ..candidates.self_id import PREFER_NOT, questions
from ..extensions import db
from ..models import Invitation, Score, Scorecard, SelfIdentification, Submission
from .funnel import STAGES, stage_counts
from .period import Period

FOUR_FIFTHS = 0.8
GOOD_OR_GREAT = ("good", "great")


@dataclass(frozen=True)
class Cell:
    group: str
    entered: int  # reached the stage before / were scored on the criterion
    passed: int  # reached this stage / scored good or great
    rate: float | None  # None: too few to compare
    ratio: float | None  # None: too few, or no comparable group passed anyone

    @property
    def flagged(self) -> bool:
        return self.ratio is not None and self.ratio < FOUR_FIFTHS


@dataclass(frozen=True)
class Comparison:
    scope: str  # a stage ("started": of those who accepted) or a rubric criterion
    cells: list[Cell]


def compare(scope: str, counts: dict[str, tuple[int, int]], min_count: int) -> Comparison:
    """`counts`: group -> (entered, passed). Rates for groups with at least `min_count`
    entering; each ratio is over the highest of those rates."""
    rates = {group: passed / entered for group, (entered, passed) in counts.items()
             if entered >= min_count}
    best = max(rates.values(), default=0.0)
    cells = []
    for group, (entered, passed) in counts.items():
        rate = rates.get(group)
        ratio = rate / best if rate is not None and best > 0 else None
        cells.append(Cell(group, entered, passed, rate, ratio))
    return Comparison(scope, cells)


def _stage_counts_by_answer(period: Period, key: str) -> dict[str, dict[str, int]]:
    """Counts per stage for each answer to one question: the funnel's GROUP BY, on answers."""
    joined = SelfIdentification.invitation_id == Invitation.id
    found = stage_counts(period, group_by=SelfIdentification.answer,
                         join=(SelfIdentification, joined & (SelfIdentification.question_key
                                                             == key)))
    return dict(found)


def _criterion_counts(period: Period, key: str) -> dict[str, dict[str, tuple[int, int]]]:
    """criterion -> answer -> (scores given, scores good or great), submitted scorecards."""
    query = (
        select(Score.criterion, SelfIdentification.answer, func.count(Score.id),
               func.coalesce(func.sum(case((Score.level.in_(GOOD_OR_GREAT), 1), else_=0)), 0))
        .select_from(Score)
        .join(Scorecard, Scorecard.id == Score.scorecard_id)
        .join(Submission, Submission.id == Scorecard.submission_id)
        .join(Invitation, Invitation.id == Submission.invitation_id)
        .join(SelfIdentification, (SelfIdentification.invitation_id == Invitation.id)
              & (SelfIdentification.question_key == key))
        .where(Scorecard.submitted_at.is_not(None))
        .group_by(Score.criterion, SelfIdentification.answer)
    )
    found: dict[str, dict[str, tuple[int, int]]] = {}
    for criterion, answer, given, good in db.session.execute(period.filter(query)).all():
        found.setdefault(criterion, {})[answer] = (int(given), int(good))
    return found


def _invited(period: Period) -> int:
    query = select(func.count(Invitation.id)).select_from(Invitation)
    return int(db.session.scalar(period.filter(query)) or 0)


def report(period: Period, min_count: int) -> dict[str, Any]:
    """The whole report as data, for the page, the CSV and the API."""
    invited = _invited(period)
    result = []
    for question in questions():
        by_answer = _stage_counts_by_answer(period, question.key)
        groups = list(question.options)
        stages = []
        for before, stage in pairwise(STAGES):
            counts = {g: (by_answer.get(g, {}).get(before, 0),
                          by_answer.get(g, {}).get(stage, 0)) for g in groups}
            stages.append(compare(stage, counts, min_count))
        criteria = [compare(criterion, {g: per.get(g, (0, 0)) for g in groups}, min_count)
                    for criterion, per in sorted(_criterion_counts(period, question.key).items())]
        answered = sum(counts["invited"] for counts in by_answer.values())
        result.append({
            "key": question.key, "question": question.prompt,
            "invited": {g: by_answer.get(g, {}).get("invited", 0) for g in groups},
            "prefer_not_to_say": by_answer.get(PREFER_NOT, {}).get("invited", 0),
            "unanswered": invited - answered,
            "stages": [_comparison(c) for c in stages],
            "criteria": [_comparison(c) for c in criteria],
        })
    return {"period": {"start": period.start.isoformat(), "end": period.end.isoformat(),
                       "last_day": (period.end - timedelta(microseconds=1)).date().isoformat(),
                       "role_id": period.role_id},
            "min_count": min_count, "threshold": FOUR_FIFTHS, "invited": invited,
            "questions": result}


def _comparison(comparison: Comparison) -> dict[str, Any]:
    return {"scope": comparison.scope, "groups": [
        {"group": c.group, "entered": c.entered, "passed": c.passed,
         "rate": None if c.rate is None else round(c.rate, 4),
         "impact_ratio": None if c.ratio is None else round(c.ratio, 4),
         "too_few_to_compare": c.rate is None, "below_four_fifths": c.flagged}
        for c in comparison.cells]}


def to_csv(data: dict[str, Any]) -> str:
    """One figure a line: question, section (stage or criterion), scope, group, measure, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "section", "scope", "group", "measure", "value"])
    for question in data["questions"]:
        key = question["key"]
        for group, count in question["invited"].items():
            writer.writerow([key, "invited", "all", _safe(group), "count", count])
        writer.writerow([key, "invited", "all", PREFER_NOT, "count",
                         question["prefer_not_to_say"]])
        writer.writerow([key, "invited", "all", "no answer", "count", question["unanswered"]])
        for section in ("stages", "criteria"):
            for comparison in question[section]:
                for cell in comparison["groups"]:
                    for measure in ("entered", "passed", "rate", "impact_ratio"):
                        value = cell[measure]
                        if cell["too_few_to_compare"] and measure in ("rate", "impact_ratio"):
                            value = "too few to compare"
                        writer.writerow([key, section, _safe(comparison["scope"]),
                                         _safe(cell["group"]), measure,
                                         "" if value is None else value])
    return out.getvalue()


def _safe(text: str) -> str:
    """Text an admin or reviewer typed, made safe to open in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
