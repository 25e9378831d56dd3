"""The funnel report's figures against the hand-computed history of
tests/support/report_fixture.py, and the page, its CSV and the API that carry them."""

from __future__ import annotations

from typing import Any

import pytest
from reciprocal.reports import export, funnel, scores
from reciprocal.reports.period import Period

from tests.support import factories, report_fixture


@pytest.fixture
def history(reports: Any) -> Any:
    app, facts = reports
    with app.app_context():
        yield facts


# The stage times come from a per-dialect SQL function (reports/period.py).
@pytest.mark.postgres
def test_stage_counts_rates_and_medians(history: dict[str, Any]) -> None:
    """Invited 5 (A-E; Z is October's), accepted 4, started 3, submitted 3, reviewed 2 (A, B),
    decided 2, advanced 1 (B). Medians: accepted [1, 2, 0.5, 1] -> 1; started [1, 1, 0.5] -> 1;
    submitted [0.5, 0.25, 0.5] -> 0.5; reviewed [1, 1] -> 1; decided [1, 3] -> 2."""
    period = Period.from_dates(*report_fixture.PERIOD, role_id=history["role_id"])
    report = funnel.funnel(period, now=report_fixture.NOW)
    got = [(s.name, s.count, s.rate, s.median_days) for s in report.stages]
    assert got == [
        ("invited", 5, None, None),
        ("accepted", 4, 0.8, 1.0),
        ("started", 3, 0.75, 1.0),
        ("submitted", 3, 1.0, 0.5),
        ("reviewed", 2, pytest.approx(2 / 3), 1.0),
        ("decided", 2, 1.0, 2.0),
        ("advanced", 1, 0.5, None),
    ]
    overall = funnel.stage_counts(Period.from_dates(*report_fixture.PERIOD))
    assert [(title, counts["invited"], counts["advanced"]) for title, counts in overall] == [
        ("Backend Engineer", 5, 1), ("Data Engineer", 1, 0)]


@pytest.mark.postgres
def test_promise_time_against_the_cap_and_ratings(history: dict[str, Any]) -> None:
    """Due an answer: A (on time), B (sent 20 Nov, promised by 12 Nov), C (promised by
    10 Nov, still waiting) -> 1 of 3, late B then C (latest promise first). Time taken: 0.5,
    0.95, 1.25 of the cap -> median 0.95. Ratings in November: A (4, 5, 3) and B (2, 4, 4)
    -> 3.0, 4.5, 3.5."""
    period = Period.from_dates(*report_fixture.PERIOD, role_id=history["role_id"])
    report = funnel.funnel(period, now=report_fixture.NOW)
    assert (report.answered, report.on_time) == (3, 1)
    assert [(item.candidate_code, item.answered_at is None) for item in report.late] == [
        ("RPT-B", False), ("RPT-C", True)]
    assert f"{report.late[1].answer_by:%Y-%m-%d}" == "2026-11-10"
    assert report.median_cap_share == 0.95
    assert report.cap_bands == [("under half", 0), ("half to three quarters", 1),
                                ("three quarters to 90 %", 0), ("90 % to the cap", 1),
                                ("over the cap", 1)]
    assert report.ratings == {"count": 2, "clarity": 3.0, "fairness": 4.5, "time_vs_cap": 3.5}


def test_score_distribution_and_agreement(history: dict[str, Any]) -> None:
    """Correctness: great 3, good 1; pairs (great, great), (good, great): exact 1/2, adjacent 1,
    kappa 0 (observed 0.75 = expected 0.75). Code design: good 3, mediocre 1; pairs
    (good, mediocre), (good, good): exact 1/2, adjacent 1, kappa 0."""
    period = Period.from_dates(*report_fixture.PERIOD)
    assert [(d.criterion, d.counts, d.total) for d in scores.distributions(period)] == [
        ("Code design", {"mediocre": 1, "good": 3, "great": 0}, 4),
        ("Correctness", {"mediocre": 0, "good": 1, "great": 3}, 4),
    ]
    got = [(a.criterion, a.n, a.exact, a.adjacent, a.kappa) for a in scores.agreements(period)]
    assert got == [("Code design", 2, 0.5, 1.0, pytest.approx(0.0)),
                   ("Correctness", 2, 0.5, 1.0, pytest.approx(0.0))]


def test_page_csv_and_api_carry_the_same_figures(history: dict[str, Any], reports: Any,
                                                 auth: Any) -> None:
    client = reports[0].test_client()
    role_id = history["role_id"]
    query = f"?start=2026-11-01&end=2026-11-30&role={role_id}"
    token = factories.api_token(factories.staff("recruiter", "api-rec@example.com"))
    api = client.get("/api/v1/reports/funnel" + query,
                     headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    assert [s["count"] for s in api.json["stages"]] == [5, 4, 3, 3, 2, 2, 1]
    assert api.json["promise"]["late"][1]["candidate"] == "C Candidate"
    assert api.json["promise"]["late_count"] == 2
    reviewer = factories.api_token(factories.staff("reviewer", "api-rev@example.com"))
    assert client.get("/api/v1/reports/funnel", headers={
        "Authorization": f"Bearer {reviewer}"}).status_code == 403
    auth.client(client, "recruiter")
    page = client.get("/reports/funnel" + query)
    assert page.status_code == 200
    assert "<svg" in page.text and "C Candidate" in page.text and "still waiting" in page.text
    csv_text = client.get("/reports/funnel.csv" + query).text
    assert "funnel,submitted,count,3" in csv_text and "promise,all,on_time_share,0.3333" in csv_text
    assert client.get("/reports/funnel?start=2026-12-01&end=2026-11-01").status_code == 422
    auth.client(client, "reviewer")
    assert client.get("/reports/funnel").status_code == 403


def test_a_name_that_looks_like_a_formula_is_not_one_in_the_csv() -> None:
    data = {"stages": [], "by_role": [{"role": "=HYPERLINK(1)", "invited": 1}],
            "promise": {"due": 0, "on_time": 0, "on_time_share": None, "late": []},
            "time_vs_cap": {"median_share_of_cap": None, "bands": []}, "ratings": {},
            "scores": [], "agreement": []}
    assert "'=HYPERLINK(1)" in export.to_csv(data)
