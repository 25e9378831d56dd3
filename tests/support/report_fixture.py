"""A small, hand-computed hiring history for the report tests (the figures each test expects
are worked out in tests/integration/reports/test_funnel.py's docstrings).

Role "Backend Engineer" (promise: 5 business days), cap 240 minutes, invitations sent on
Monday 2 November 2026 at 09:00 UTC unless said otherwise:

- A: accepted +1 d, started +1 d, submitted +0.5 d (120 min), reviewed +1 d, rejected +1 d,
  sent at once (on time).
- B: accepted +2 d, started +1 d, submitted +0.25 d (228 min), reviewed +1 d, advanced +3 d,
  sent on 20 November (late: promised by Thursday 12 November).
- C: accepted +0.5 d, started +0.5 d, submitted +0.5 d (300 min, over the cap), never reviewed:
  promised by Tuesday 10 November, still waiting.
- D: accepted +1 d, never started.  E: invited only.
- Z: invited in October (outside the period).
Role "Data Engineer": one invitation on 10 November, nothing more.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from reciprocal.extensions import db
from reciprocal.models import (
    CandidateFeedback,
    Decision,
    Invitation,
    Score,
    Scorecard,
    Submission,
)

from tests.support import factories

MONDAY = datetime(2026, 11, 2, 9, tzinfo=UTC)
PERIOD = (date(2026, 11, 1), date(2026, 11, 30))
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
DAY = timedelta(days=1)


def build() -> dict[str, Any]:
    """The history above, in the database; returns the roles and the invitations by letter."""
    first = factories.invitation(name="E Candidate", email="e@example.com").invitation
    first.created_at = MONDAY
    role = first.role
    other = factories.role(title="Data Engineer")
    reviewers = [factories.staff("reviewer"), factories.staff("reviewer")]
    made: dict[str, Invitation] = {"E": first}

    def invite(letter: str, created: datetime, role_id: int = role.id) -> Invitation:
        row = Invitation(role_id=role_id, assignment_id=first.assignment_id,
                         assignment_version_id=first.assignment_version_id,
                         candidate_name=f"{letter} Candidate",
                         candidate_email=f"{letter.lower()}@example.com",
                         candidate_code=f"RPT-{letter}", token_hash=f"report-{letter}" * 4,
                         time_cap_minutes=240, created_at=created, start_by=created + 7 * DAY)
        db.session.add(row)
        made[letter] = row
        return row

    def journey(letter: str, accept: float, start: float | None = None,
                submit: float | None = None, minutes: int = 0) -> Submission | None:
        row = invite(letter, MONDAY)
        row.terms_accepted_at = MONDAY + accept * DAY
        if start is None:
            return None
        row.started_at = row.terms_accepted_at + start * DAY
        if submit is None:
            return None
        db.session.flush()
        sub = Submission(invitation_id=row.id, commit_sha="0" * 40,
                         submitted_at=row.started_at + submit * DAY,
                         time_used_seconds=minutes * 60)
        db.session.add(sub)
        db.session.flush()
        return sub

    a = journey("A", 1, 1, 0.5, 120)
    b = journey("B", 2, 1, 0.25, 228)
    journey("C", 0.5, 0.5, 0.5, 300)
    journey("D", 1)
    invite("Z", datetime(2026, 10, 20, 9, tzinfo=UTC))
    invite("G", MONDAY + 8 * DAY, other.id)
    assert a is not None and b is not None
    levels = {a.id: (("great", "good"), ("great", "mediocre")),
              b.id: (("good", "good"), ("great", "good"))}
    for sub, decided, outcome, sent in ((a, 1, "reject", None), (b, 3, "advance",
                                        datetime(2026, 11, 20, 15, tzinfo=UTC))):
        reviewed = sub.submitted_at + DAY
        for reviewer, (correctness, design) in zip(reviewers, levels[sub.id], strict=True):
            card = Scorecard(submission_id=sub.id, reviewer_id=reviewer.id,
                             recommendation="yes", submitted_at=reviewed)
            db.session.add(card)
            db.session.flush()
            db.session.add_all([
                Score(scorecard_id=card.id, criterion="Correctness", level=correctness),
                Score(scorecard_id=card.id, criterion="Code design", level=design)])
        decided_at = reviewed + decided * DAY
        db.session.add(Decision(submission_id=sub.id, outcome=outcome, decided_at=decided_at,
                                sent_at=sent or decided_at, reason="Python HTTP APIs"))
    for letter, clarity, fairness, time_vs_cap, when in (
            ("A", 4, 5, 3, MONDAY + 6 * DAY), ("B", 2, 4, 4, MONDAY + 19 * DAY),
            ("Z", 1, 1, 1, datetime(2026, 10, 25, tzinfo=UTC))):
        db.session.add(CandidateFeedback(invitation_id=made[letter].id,
                                         assignment_id=first.assignment_id, stage="decision",
                                         clarity=clarity, fairness=fairness,
                                         time_vs_cap=time_vs_cap, created_at=when))
    db.session.commit()
    return {"role": role, "other": other, "invitations": made}
