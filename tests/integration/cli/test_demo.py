"""`reciprocal demo` seeds a pipeline at every stage through the platform's services, once."""

from __future__ import annotations

import pytest
from reciprocal.cli import main
from reciprocal.extensions import db
from reciprocal.models import (
    CandidateFeedback,
    Decision,
    GradingRun,
    Invitation,
    ReviewAssignment,
    ReviewComment,
    Scorecard,
    Submission,
    User,
)
from reciprocal.review import panels
from sqlalchemy import func, select

# In the PostgreSQL pass: the demo writes every stage of the schema.
pytestmark = pytest.mark.postgres


def count(model: type, *where: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_demo_seeds_every_stage_with_work_for_each_reviewer(app, runner) -> None:
    done = runner.invoke(main, ["demo"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        invitations = count(Invitation)
        assert invitations >= 30
        assert count(Invitation, Invitation.started_at.is_(None)) >= 5  # invited only
        started = count(Invitation, Invitation.started_at.is_not(None))
        assert started - count(Submission) >= 3  # started, not submitted
        assert count(GradingRun, GradingRun.status.in_(("passed", "failed"))) >= 15
        assert count(GradingRun, GradingRun.status == "queued") >= 2  # left to the workers
        assert count(Scorecard, Scorecard.submitted_at.is_not(None)) >= 20
        assert count(ReviewComment) >= 40
        assert count(Decision, Decision.sent_at.is_not(None)) >= 5
        assert count(CandidateFeedback) >= 5
        for sub in db.session.scalars(select(Submission)):
            assert count(ReviewAssignment, ReviewAssignment.submission_id == sub.id) == 2
        open_work = panels.open_reviews()
        reviewers = db.session.scalars(select(User).where(User.email.like("reviewer%"))).all()
        assert len(reviewers) == 3 and all(open_work.get(r.id, 0) >= 2 for r in reviewers)
    again = runner.invoke(main, ["demo"])
    assert again.exit_code == 0, again.output
    with app.app_context():
        assert count(Invitation) == invitations  # the pipeline is seeded once
