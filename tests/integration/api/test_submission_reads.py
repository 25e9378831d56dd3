"""GET /api/v1/submissions/<id>: the whole JSON document, field by field, against the rows it
comes from (the lean read must say exactly what the models say), the access rules, and the
API token check it sits behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from reciprocal.accounts import api_tokens, provisioning
from reciprocal.assignments import ai_policy
from reciprocal.candidates import operations as invitations
from reciprocal.core.business_days import add_business_days
from reciprocal.core.errors import NotFound
from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.models import ApiToken, GradingRun, Submission, User, utcnow
from reciprocal.outcomes import promises
from reciprocal.review import operations as review
from reciprocal.review import queries as review_queries
from sqlalchemy import select

from tests.support import factories
from tests.support.auth import bearer

# In the PostgreSQL pass: the API's reads are queries over runs, tests and assignments.
pytestmark = pytest.mark.postgres

RESULT = {
    "status": "failed",
    "passed": 2,
    "failed": 1,
    "duration_seconds": 1.5,
    "output": "2 passed, 1 failed",
    "tests": [
        {"name": "test_list", "classname": "tests.test_api", "outcome": "passed",
         "duration": 0.25},
        {"name": "test_get", "classname": "tests.test_api", "outcome": "passed",
         "duration": 0.5},
        {"name": "test_missing", "classname": "tests.test_api", "outcome": "failed",
         "duration": 0.125, "message": "AssertionError: expected 404"},
    ],
}


def _graded_submission() -> Submission:
    """Submitted, graded once (three tests, one failing), and a regrade waiting behind it."""
    new = factories.started()
    submission = invitations.submit(new.invitation)
    db.session.commit()
    run = submission.grading_runs[-1]
    assert run.rq_job_id is not None
    grading.claim(run.id, run.rq_job_id)
    grading.record_result(run.id, run.rq_job_id, RESULT)
    db.session.commit()
    grading.request_run(submission, requested_by=None)
    db.session.commit()
    return submission


def _expected(submission: Submission, *, with_name: bool) -> dict[str, Any]:
    """The document from the ORM objects, written out independently of the service."""
    db.session.expire_all()
    invitation = submission.invitation
    runs = submission.grading_runs
    candidate: dict[str, Any] = {"code": invitation.candidate_code}
    if with_name:
        candidate.update(name=invitation.candidate_name, email=invitation.candidate_email)
    latest = runs[-1] if runs else None
    return {
        "id": submission.id,
        "invitation_id": invitation.id,
        "candidate": candidate,
        "assignment": invitation.assignment.slug,
        "role": {"id": invitation.role_id, "title": invitation.role.title},
        "commit_sha": submission.commit_sha,
        "submitted_at": submission.submitted_at.isoformat(),
        "time_used_seconds": submission.time_used_seconds,
        "time_cap_minutes": invitation.time_cap_minutes,
        "late": submission.late,
        "code_deleted": invitation.code_deleted_at is not None,
        "answer_by": promises.expected_answer_by(submission).isoformat(),
        "grading": None if latest is None else {
            **_expected_run(latest), "purpose": latest.purpose, "superseded": [],
            "tests_version": latest.assignment_version.content_hash
            if latest.assignment_version else None},
        "runs": len(runs),
        # The policy the candidate accepted (frozen then); these candidates disclosed nothing.
        "ai": {"policy": {"use": invitation.ai_use, "label": ai_policy.USES[invitation.ai_use],
                          "text": invitation.ai_policy_text, "source": "invitation"},
               "disclosure": None, "to_discuss": []},
    }


def _expected_run(run: GradingRun) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": run.id,
        "status": run.status,
        "reason": run.reason,
        "passed": run.passed,
        "failed": run.failed,
        "errors": run.errors,
        "skipped": run.skipped,
        "queued_at": run.queued_at.isoformat(),
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "duration_seconds": run.duration_seconds,
        "attempts": run.attempts,
        "image": run.image,
        "image_digest": run.image_digest,
        "runtime": run.runtime,
        "limits": run.limits,
        "tamper_flags": run.tamper_flags,
        "integrity": run.integrity,
        "integrity_evidence": run.integrity_evidence,
        "checks": [c for c in (run.checks or "").split("+") if c],
        "screenshots": [],  # these runs photograph no pages (tests/integration/review has them)
        "tests": [
            {"name": t.name, "classname": t.classname, "outcome": t.outcome,
             "duration": t.duration, "message": t.message}
            for t in run.tests
        ],
        "output": run.output,
        "output_truncated": run.output_truncated,
    }


@pytest.mark.parametrize("role", ["admin", "recruiter"])
def test_the_document_is_the_rows_latest_run_and_its_tests(client, ctx, role) -> None:
    submission = _graded_submission()
    token = factories.api_token(factories.staff(role))
    body = client.get(f"/api/v1/submissions/{submission.id}", headers=bearer(token)).get_json()
    assert body == _expected(submission, with_name=True)
    assert body["runs"] == 2 and body["grading"]["status"] == "queued"
    assert body["grading"]["tests"] == []


def test_the_finished_run_carries_its_tests_in_recorded_order(client, ctx) -> None:
    new = factories.started()
    submission = invitations.submit(new.invitation)
    db.session.commit()
    run = submission.grading_runs[-1]
    assert run.rq_job_id is not None
    grading.claim(run.id, run.rq_job_id)
    grading.record_result(run.id, run.rq_job_id, RESULT)
    db.session.commit()
    token = factories.api_token(factories.staff("admin"))
    body = client.get(f"/api/v1/submissions/{submission.id}", headers=bearer(token)).get_json()
    assert body == _expected(submission, with_name=True)
    assert [t["name"] for t in body["grading"]["tests"]] == [
        "test_list", "test_get", "test_missing"
    ]
    assert body["grading"]["tests"][2]["message"] == "AssertionError: expected 404"


def test_a_submission_without_runs_has_no_grading(client, ctx) -> None:
    new = factories.started()
    submission = invitations.submit(new.invitation)
    db.session.commit()
    for run in submission.grading_runs:
        db.session.delete(run)
    db.session.commit()
    token = factories.api_token(factories.staff("admin"))
    body = client.get(f"/api/v1/submissions/{submission.id}", headers=bearer(token)).get_json()
    assert body["grading"] is None and body["runs"] == 0
    assert body == _expected(submission, with_name=True)


def test_reviewers_see_assigned_submissions_blind_and_others_as_missing(client, ctx) -> None:
    submission = _graded_submission()
    admin = factories.staff("admin")
    assigned = factories.staff("reviewer")
    other = factories.staff("reviewer")
    review.assign_reviewer(submission, assigned, actor=admin)
    db.session.commit()

    response = client.get(f"/api/v1/submissions/{submission.id}",
                          headers=bearer(factories.api_token(assigned)))
    assert response.status_code == 200
    body = response.get_json()
    assert body == _expected(submission, with_name=False)
    assert set(body["candidate"]) == {"code"}

    hidden = client.get(f"/api/v1/submissions/{submission.id}",
                        headers=bearer(factories.api_token(other)))
    missing = client.get("/api/v1/submissions/999999", headers=bearer(factories.api_token(other)))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == {"error": f"no submission {submission.id}"}


def test_visible_to_gives_reviewers_only_their_assignments(ctx) -> None:
    submission = _graded_submission()
    admin = factories.staff("admin")
    assigned = factories.staff("reviewer")
    other = factories.staff("reviewer")
    review.assign_reviewer(submission, assigned, actor=admin)
    db.session.commit()
    assert review_queries.visible_to(assigned, submission.id) is submission
    assert review_queries.visible_to(admin, submission.id) is submission
    with pytest.raises(NotFound):
        review_queries.visible_to(other, submission.id)
    with pytest.raises(NotFound):
        review_queries.visible_to(admin, 999999)


def test_revoked_tokens_and_deactivated_users_are_refused(client, ctx) -> None:
    submission = _graded_submission()
    admin = factories.staff("admin")
    revoked = factories.api_token(factories.staff("recruiter"))
    token_row = db.session.scalar(select(ApiToken).order_by(ApiToken.id.desc()))
    assert token_row is not None
    token_row.revoked_at = utcnow()
    recruiter = factories.staff("recruiter")
    deactivated = factories.api_token(recruiter)
    provisioning.set_active(recruiter, False, actor=admin)
    db.session.commit()
    url = f"/api/v1/submissions/{submission.id}"
    assert client.get(url, headers=bearer(revoked)).status_code == 401
    assert client.get(url, headers=bearer(deactivated)).status_code == 401
    assert client.get(url, headers=bearer("rcp_" + "x" * 43)).status_code == 401


def test_the_last_use_is_stamped_and_committed_at_most_once_a_minute(app, client, ctx) -> None:
    submission = _graded_submission()
    user = factories.staff("admin")
    token = factories.api_token(user)
    url = f"/api/v1/submissions/{submission.id}"

    def last_used() -> datetime | None:
        db.session.expire_all()
        row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
        assert row is not None
        return row.last_used_at

    assert last_used() is None
    assert client.get(url, headers=bearer(token)).status_code == 200
    first = last_used()
    assert first is not None
    assert client.get(url, headers=bearer(token)).status_code == 200
    assert last_used() == first

    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row is not None
    row.last_used_at = first - timedelta(minutes=5)
    db.session.commit()
    assert client.get(url, headers=bearer(token)).status_code == 200
    later = last_used()
    assert later is not None and later > first - timedelta(minutes=5)


def test_user_for_api_token_returns_the_tokens_user(ctx) -> None:
    user = factories.staff("reviewer")
    token = factories.api_token(user)
    user_id = user.id
    db.session.expunge_all()
    found = api_tokens.user_for(token)
    assert isinstance(found, User) and found.id == user_id and found.role == "reviewer"
    assert found in db.session


@pytest.mark.parametrize("response_days", [0, 1, 2, 5, 7, 10])
def test_answer_by_is_the_business_day_rule_of_invitations(ctx, response_days) -> None:
    submission = _graded_submission()
    submission.invitation.role.response_days = response_days
    start = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)  # a Monday
    for offset in range(7):
        submission.submitted_at = start + timedelta(days=offset)
        assert add_business_days(submission.submitted_at, response_days) == (
            promises.expected_answer_by(submission)
        )
    db.session.rollback()
