"""The public reciprocity report against the hand-computed history of
tests/support/report_fixture.py: its figures, the small-count rule, no personal data, the
switch and the cache."""

from __future__ import annotations

import json
from typing import Any

import pytest
from reciprocal.extensions import db
from reciprocal.models import CandidateFeedback
from reciprocal.reports import public

from tests.support import report_fixture

# The stage times come from a per-dialect SQL function (reports/period.py).
pytestmark = pytest.mark.postgres


@pytest.fixture
def history(reports: Any) -> Any:
    app, facts = reports
    public.forget()
    with app.app_context():
        yield facts
    public.forget()


def test_figures_and_the_small_count_rule(history: dict[str, Any]) -> None:
    """The 90 days before 1 December hold every invitation of the history. Due an answer: A, B,
    C, one on time -> 0.333. Business days to an answer: A Wed 4 -> Fri 6 = 2, B Thu 5 ->
    Fri 20 = 11 -> median 6.5. Time taken 0.5, 0.95, 1.25 -> 0.95. One rejection sent, with a
    reason. Ratings A (4, 5, 3), B (2, 4, 4), Z (1, 1, 1) -> 2.33, 3.33, 2.67."""
    report = public.figures(2, now=report_fixture.NOW)
    assert report["answered_within_promise"] == {"count": 3, "value": 0.333}
    assert report["median_business_days_to_answer"] == {"count": 2, "value": 6.5}
    assert report["median_time_taken_of_cap"] == {"count": 3, "value": 0.95}
    assert report["rejections_with_reason"] == {"count": 1, "value": None}  # 1 < 2: hidden
    assert report["ratings"] == {"clarity": {"count": 3, "value": 2.33},
                                 "fairness": {"count": 3, "value": 3.33},
                                 "time_vs_cap": {"count": 3, "value": 2.67}}
    hidden = public.figures(4, now=report_fixture.NOW)
    assert hidden["answered_within_promise"]["value"] is None
    assert all(item["value"] is None for item in hidden["ratings"].values())
    text = json.dumps(report)
    for _id, name, code, email, _assignment in history["people"].values():  # no one's data
        assert name not in text and code not in text and email not in text
    assert history["role_title"] not in text


def test_the_switch_the_page_and_the_cache(history: dict[str, Any], reports: Any) -> None:
    app = reports[0]
    client = app.test_client()
    assert client.get("/reciprocity").status_code == 404
    assert client.get("/reciprocity.json").status_code == 404
    app.config.update(PUBLIC_REPORT=True, PUBLIC_REPORT_MIN_COUNT=1,
                      PUBLIC_REPORT_COMPANY="Acme")
    first = client.get("/reciprocity.json")
    assert first.status_code == 200 and "max-age=3600" in first.headers["Cache-Control"]
    page = client.get("/reciprocity")
    assert page.status_code == 200 and "How Acme treats candidates" in page.text
    assert not any(person[1] in page.text for person in history["people"].values())
    app.config["PUBLIC_REPORT_MIN_COUNT"] = 1000
    assert client.get("/reciprocity.json").json["minimum_count"] == 1000  # another key
    app.config["PUBLIC_REPORT_MIN_COUNT"] = 1
    invitation_id, *_rest, assignment_id = history["people"]["C"]
    db.session.add(CandidateFeedback(invitation_id=invitation_id, stage="decision", clarity=5,
                                     assignment_id=assignment_id, fairness=5, time_vs_cap=3))
    db.session.commit()
    assert client.get("/reciprocity.json").json == first.json  # counted again only later
    public.forget()
    assert client.get("/reciprocity.json").json["ratings"]["clarity"]["count"] == 4
