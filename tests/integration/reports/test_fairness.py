"""The fairness report against the hand-computed history of tests/support/report_fixture.py,
with one self-identification question answered: A and C "Group X", B and D "Group Y", E
"Prefer not to say", G (Data Engineer) no answer, Z (October, outside the period) "Group X".

From the fixture's journeys (every count is over invitations sent in November):
  X = {A, C}: invited 2, accepted 2, started 2, submitted 2, reviewed 1 (A), decided 1, advanced 0
  Y = {B, D}: invited 2, accepted 2, started 1 (B), submitted 1, reviewed 1, decided 1, advanced 1
Scores (submitted scorecards): A (X) Correctness great+great, Code design good+mediocre;
B (Y) Correctness good+great, Code design good+good."""

from __future__ import annotations

from typing import Any

import pytest
from reciprocal.candidates import rights, self_id
from reciprocal.extensions import db
from reciprocal.models import AuditEvent, SelfIdentification, User
from reciprocal.reports import fairness
from reciprocal.reports.period import Period
from sqlalchemy import func, select

from tests.support import factories, report_fixture

ANSWERS = {"A": "Group X", "C": "Group X", "B": "Group Y", "D": "Group Y",
           "E": self_id.PREFER_NOT, "Z": "Group X"}


@pytest.fixture(scope="module")
def answered(reports: Any) -> Any:
    app, facts = reports
    with app.app_context():
        admin = factories.staff("admin", "fair-admin@example.com")
        self_id.add_question("group", "Which group are you in?", "Group X\nGroup Y", actor=admin)
        for letter, answer in ANSWERS.items():
            db.session.add(SelfIdentification(invitation_id=facts["people"][letter][0],
                                              question_key="group", answer=answer))
        db.session.commit()
    return app, facts


def _cells(comparisons: list[dict[str, Any]]) -> dict[str, list[tuple[Any, ...]]]:
    return {c["scope"]: [(g["group"], g["entered"], g["passed"], g["rate"], g["impact_ratio"],
                          g["below_four_fifths"]) for g in c["groups"]] for c in comparisons}


def test_impact_ratios_per_stage_and_criterion(answered: Any) -> None:
    """Minimum count 2. Stages (entered -> passed, rate, ratio over the best comparable rate):
    accepted: X 2->2 = 1, Y 2->2 = 1: ratios 1, 1.
    started:  X 2->2 = 1, Y 2->1 = 0.5: ratios 1, 0.5 (below 0.8, flagged).
    submitted: X 2->2 = 1; Y entered 1 < 2: too few. X is the only rate: ratio 1.
    reviewed: X 2->1 = 0.5; Y too few: X ratio 0.5 / 0.5 = 1.
    decided, advanced: both entered 1: too few, no ratio.
    Criteria (scores -> good or great): Correctness X 2->2, Y 2->2: ratios 1, 1;
    Code design X 2->1 = 0.5, Y 2->2 = 1: X 0.5 (flagged), Y 1."""
    app, _facts = answered
    with app.app_context():
        data = fairness.report(Period.from_dates(*report_fixture.PERIOD), 2)
    (question,) = data["questions"]
    assert question["invited"] == {"Group X": 2, "Group Y": 2}
    assert (question["prefer_not_to_say"], question["unanswered"]) == (1, 1)  # E; G
    assert _cells(question["stages"]) == {
        "accepted": [("Group X", 2, 2, 1.0, 1.0, False), ("Group Y", 2, 2, 1.0, 1.0, False)],
        "started": [("Group X", 2, 2, 1.0, 1.0, False), ("Group Y", 2, 1, 0.5, 0.5, True)],
        "submitted": [("Group X", 2, 2, 1.0, 1.0, False), ("Group Y", 1, 1, None, None, False)],
        "reviewed": [("Group X", 2, 1, 0.5, 1.0, False), ("Group Y", 1, 1, None, None, False)],
        "decided": [("Group X", 1, 1, None, None, False), ("Group Y", 1, 1, None, None, False)],
        "advanced": [("Group X", 1, 0, None, None, False), ("Group Y", 1, 1, None, None, False)],
    }
    assert _cells(question["criteria"]) == {
        "Code design": [("Group X", 2, 1, 0.5, 0.5, True), ("Group Y", 2, 2, 1.0, 1.0, False)],
        "Correctness": [("Group X", 2, 2, 1.0, 1.0, False), ("Group Y", 2, 2, 1.0, 1.0, False)],
    }


def test_the_small_count_rule(answered: Any) -> None:
    """With a minimum of 3 no group entered any stage or was scored that often: every cell is
    too few to compare, and none is flagged."""
    app, _facts = answered
    with app.app_context():
        data = fairness.report(Period.from_dates(*report_fixture.PERIOD), 3)
    cells = [g for section in ("stages", "criteria") for c in data["questions"][0][section]
             for g in c["groups"]]
    assert cells and all(g["too_few_to_compare"] and g["rate"] is None
                         and g["impact_ratio"] is None and not g["below_four_fifths"]
                         for g in cells)
    lone = fairness.compare("x", {"big": (10, 4), "small": (4, 4)}, 5)
    assert [(c.rate, c.ratio) for c in lone.cells] == [(0.4, 1.0), (None, None)]


def test_admins_only_and_every_view_is_audited(answered: Any, auth: Any) -> None:
    app, _facts = answered
    client = app.test_client()
    query = "?start=2026-11-01&end=2026-11-30"
    with app.app_context():
        app.config["FAIRNESS_MIN_COUNT"] = 2
        before = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "report.fairness_viewed"))
        admin_token = factories.api_token(db.session.scalar(
            select(User).where(User.email == "fair-admin@example.com")))
        recruiter_token = factories.api_token(factories.staff("recruiter", "fair-rec@example.com"))
    for who in ("recruiter", "reviewer"):
        auth.client(client, who)
        assert client.get("/reports/fairness").status_code == 403, who
        assert client.get("/reports/fairness.csv").status_code == 403, who
    assert client.get("/api/v1/reports/fairness", headers={
        "Authorization": f"Bearer {recruiter_token}"}).status_code == 403
    auth.client(client, "admin")
    page = client.get("/reports/fairness" + query)
    assert page.status_code == 200
    assert "below 0.80" in page.text and "too few to compare" in page.text
    assert "What it does not mean" in page.text
    csv_text = client.get("/reports/fairness.csv" + query).text
    assert "group,stages,started,Group Y,impact_ratio,0.5" in csv_text
    assert "group,stages,decided,Group X,rate,too few to compare" in csv_text
    api = client.get("/api/v1/reports/fairness" + query,
                     headers={"Authorization": f"Bearer {admin_token}"})
    assert api.status_code == 200 and api.json["questions"][0]["stages"][1]["scope"] == "started"
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "report.fairness_viewed").order_by(AuditEvent.id)).all()
        assert len(events) == before + 3
        assert [e.details["format"] for e in events[-3:]] == ["page", "csv", "api"]
        assert all(e.actor_id is not None for e in events[-3:])


def test_the_candidate_answers_changes_and_loses_them_with_the_code(answered: Any) -> None:
    app, _facts = answered
    client = app.test_client()
    with app.app_context():
        new = factories.invitation(name="Fay Candidate", email="fay@example.com")
        invitation_id, path = new.invitation.id, "/" + new.portal_url.split("://")[1].split(
            "/", 1)[1]
    page = client.get(path)
    assert "About you (voluntary)" in page.text and self_id.PREFER_NOT in page.text
    assert "Reviewers never see your answers" in page.text
    saved = client.post(path + "/self-identification", data={"group": "Group Y"})
    assert saved.status_code == 302
    assert client.post(path + "/self-identification",
                       data={"group": "Not an option"}).status_code == 302
    with app.app_context():
        assert self_id.answers_for(db.session.get(type(new.invitation), invitation_id)) == {
            "group": "Group Y"}  # the refused answer changed nothing
    client.post(path + "/self-identification", data={"group": self_id.PREFER_NOT})
    with app.app_context():
        invitation = db.session.get(type(new.invitation), invitation_id)
        assert self_id.answers_for(invitation) == {"group": self_id.PREFER_NOT}
        rights.erase_code(invitation, by="candidate")
        db.session.commit()
        assert db.session.scalar(select(func.count(SelfIdentification.id)).where(
            SelfIdentification.invitation_id == invitation_id)) == 0
        assert not self_id.may_change(invitation)


def test_the_admin_configures_questions(answered: Any, auth: Any) -> None:
    app, _facts = answered
    client = app.test_client()
    auth.client(client, "admin")
    page = client.get("/admin/self-identification")
    assert page.status_code == 200 and "Which group are you in?" in page.text
    refused = client.post("/admin/self-identification", data={
        "key": "x", "prompt": "Q?", "options": "One\nPrefer not to say"})
    assert refused.status_code == 422 and "always offered" in refused.text
    added = client.post("/admin/self-identification", data={
        "key": "age_band", "prompt": "Your age?", "options": "Under 40\n40 or over"})
    assert added.status_code == 302
    with app.app_context():
        question = next(q for q in self_id.questions() if q.key == "age_band")
        db.session.add(SelfIdentification(invitation_id=_facts["people"]["A"][0],
                                          question_key="age_band", answer="Under 40"))
        db.session.commit()
        question_id = question.id
    assert client.post(f"/admin/self-identification/{question_id}/remove").status_code == 302
    with app.app_context():
        assert [q.key for q in self_id.questions()] == ["group"]
        assert db.session.scalar(select(func.count(SelfIdentification.id)).where(
            SelfIdentification.question_key == "age_band")) == 0
