"""An altered run (the report contradicts the integrity checks) has no score anywhere, and every
consumer says so: the API's grading, the `grading.completed` webhook, Greenhouse, the candidate's
page and status, reviewers' and recruiters' pages, the notes a candidate may write, and the pass-
rate statistics. A clean run keeps its counts everywhere.

The forged result is what the worker would post for a submission that made nine of its ten
tests pass: the counts, and the sentinel check's evidence that the report was altered."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask
from reciprocal.candidates import operations as invitations
from reciprocal.candidates import result_notes
from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.integrations.greenhouse import operations as greenhouse
from reciprocal.integrations.greenhouse import protocol
from reciprocal.models import Submission, User, WebhookDelivery
from reciprocal.notify import webhooks
from reciprocal.outcomes import process_health
from reciprocal.review import operations as review
from sqlalchemy import select

from tests.support import factories

TESTS = [{"name": f"test_rule_{n}", "classname": "test_directory.py", "outcome": "passed",
          "candidate_id": f"test_directory.py::test_rule_{n}"} for n in range(10)]
FORGED = {"status": "failed", "passed": 9, "failed": 1, "errors": 0,
          "tests": [*TESTS[:9], {**TESTS[9], "outcome": "failed", "message": "assert 1 == 2"}],
          "integrity": "altered",
          "integrity_evidence": [{"kind": "sentinel", "alters": True,
                                  "detail": "a must-fail sentinel test was reported as passed"}]}
CLEAN = {"status": "failed", "passed": 7, "failed": 3, "errors": 0,
         "tests": [{**t, "outcome": "failed" if n >= 7 else "passed"}
                   for n, t in enumerate(TESTS)]}


def _graded(result: dict[str, Any]) -> tuple[int, str]:
    """A submission graded with this result, a reviewer assigned: (submission id, its token)."""
    new = factories.started()
    submission = invitations.submit(new.invitation)
    db.session.commit()
    run = submission.latest_run
    assert grading.claim(run.id, run.rq_job_id) is not None
    grading.record_result(run.id, run.rq_job_id, result)
    reviewer = db.session.scalar(select(User).where(
        User.email == "rev@example.com")) or factories.staff("reviewer",
                                                                       "rev@example.com")
    review.assign_reviewer(submission, reviewer, actor=factories.staff("recruiter"))
    db.session.commit()
    return submission.id, new.token


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    app.config["WEBHOOK_ALLOW_HOSTS"] = ["127.0.0.1"]
    with app.app_context():
        admin = factories.staff("admin", "admin@example.com")
        webhooks.create("http://127.0.0.1:9/hook", ["grading.completed"], actor=admin)
        db.session.commit()
        altered, altered_token = _graded(FORGED)
        clean, clean_token = _graded(CLEAN)
        return {"altered": altered, "altered_token": altered_token, "clean": clean,
                "clean_token": clean_token,
                "tokens": {role: factories.api_token(db.session.scalar(
                    select(User).where(User.email == email)))
                    for role, email in (("admin", "admin@example.com"),
                                        ("reviewer", "rev@example.com"))}}


def test_the_api_grading_has_no_counts_for_an_altered_run(client: Any, world: dict) -> None:
    for role, token in world["tokens"].items():
        answer = client.get(f"/api/v1/submissions/{world['altered']}",
                            headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, (role, answer.text)
        grading_json = answer.get_json()["grading"]
        assert grading_json["integrity"] == "altered" and grading_json["status"] == "error"
        assert {k: grading_json[k] for k in ("passed", "failed", "errors", "skipped")} == {
            "passed": None, "failed": None, "errors": None, "skipped": None}, role
        clean = client.get(f"/api/v1/submissions/{world['clean']}",
                           headers={"Authorization": f"Bearer {token}"}).get_json()["grading"]
        assert (clean["integrity"], clean["passed"], clean["failed"]) == ("clean", 7, 3)


def test_the_webhook_carries_the_integrity_and_no_counts(app: Flask, world: dict) -> None:
    with app.app_context():
        sent = {d.payload["data"]["submission_id"]: d.payload["data"]
                for d in db.session.scalars(select(WebhookDelivery))}
    assert sent[world["altered"]] == {
        "submission_id": world["altered"], "run_id": sent[world["altered"]]["run_id"],
        "status": "error", "integrity": "altered",
        "passed": None, "failed": None, "errors": None}
    assert sent[world["clean"]]["integrity"] == "clean"
    assert (sent[world["clean"]]["passed"], sent[world["clean"]]["failed"]) == (7, 3)


def test_greenhouse_gets_no_score_and_is_told_why(app: Flask, world: dict) -> None:
    with app.app_context():
        altered = greenhouse.progress(db.session.get(Submission, world["altered"]).invitation)
        clean = greenhouse.progress(db.session.get(Submission, world["clean"]).invitation)
    assert altered.integrity == "altered" and protocol.score(altered) is None
    assert clean.integrity == "clean" and protocol.score(clean) == 70
    done = protocol.status_payload(
        protocol.Progress(**{**altered.__dict__, "reviewers": 1, "scorecards": 1}), "https://x/1")
    assert done["partner_status"] == "complete" and done["partner_score"] is None
    metadata = done["metadata"]
    assert metadata["Test Integrity"] == "altered"
    assert "altered" in metadata["Summary"] and "9" not in metadata["Tests Passed"]
    assert "no score" in metadata["Tests Passed"]


def test_the_candidate_sees_no_counts_and_a_neutral_sentence(client: Any, world: dict) -> None:
    page = client.get(f"/c/{world['altered_token']}").get_data(as_text=True)
    assert "Automated tests finished. Reviewers will read the results beside your code." in page
    assert not re.search(r"\d+ passed", page) and "altered" not in page
    status = client.get(f"/c/{world['altered_token']}/status.json").get_json()
    assert status["grading"] == {"status": "error", "finished": True}
    clean = client.get(f"/c/{world['clean_token']}").get_data(as_text=True)
    assert "7 passed, 3 did not pass" in clean


def test_the_candidate_writes_no_note_on_a_forged_outcome(app: Flask, world: dict) -> None:
    with app.app_context():
        altered = db.session.get(Submission, world["altered"])
        assert result_notes.targets(altered.invitation)["test"] == []
        clean = db.session.get(Submission, world["clean"])
        assert len(result_notes.targets(clean.invitation)["test"]) == 3


def test_staff_pages_present_no_count_as_a_score(client: Any, world: dict, auth) -> None:
    sid = world["altered"]
    for email in ("rev@example.com", "admin@example.com"):
        auth.client(client, email)
        for path in (f"/submissions/{sid}", f"/submissions/{sid}/code",
                     f"/submissions/{sid}/review", f"/submissions/{sid}/grading.json"):
            page = client.get(path).get_data(as_text=True)
            assert "The test results were altered by the submission" in page, (email, path)
            assert not re.search(r"\b9 passed|Every test passed|\"passed\": ?9", page), \
                (email, path)
    auth.client(client, "admin@example.com")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "9/10" not in dashboard and "7/10" in dashboard
    grading_json = json.loads(client.get(f"/submissions/{sid}/grading.json").get_data())
    assert grading_json["passed"] is None and grading_json["integrity"] == "altered"


@pytest.mark.postgres  # the pass rates are an aggregate query
def test_pass_rates_leave_altered_runs_out(app: Flask, world: dict) -> None:
    with app.app_context():
        assert [(bar.label, bar.value) for bar in process_health.pass_rates()] == [
            ("Customer directory service", 70.0)]
