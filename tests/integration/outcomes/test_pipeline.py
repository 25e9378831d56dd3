"""The recruiter's pipeline: the board and its promise (SLA), stages that follow review and
decision, the acknowledgment, effort honesty, two-way feedback and the staff pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from reciprocal.cli import main
from reciprocal.extensions import db
from reciprocal.models import Message
from reciprocal.outcomes import promises
from reciprocal.outcomes import queries as outcome_queries

from tests.support import factories
from tests.support.outcomes import reviewed, submitted


@pytest.mark.postgres  # the SLA report is a date query
def test_acknowledgment_pipeline_and_sla(app, client, ctx, auth) -> None:
    submission, _token = submitted()
    ack = db.session.scalar(db.select(Message).where(Message.kind == "acknowledgment"))
    answer_by = promises.expected_answer_by(submission)
    assert ack.status == "outbox"  # no SMTP configured: kept for the admin, not dropped
    assert f"{answer_by:%A %d %B %Y}" in ack.text and ack.to == "sam@example.com"
    role = submission.invitation.role
    assert outcome_queries.board(role)["submitted"][0].invitation.id == submission.invitation.id
    assert outcome_queries.sla_report() == []
    submission.submitted_at -= timedelta(days=14)
    db.session.commit()
    report = outcome_queries.sla_report()
    assert [r["submission_id"] for r in report] == [submission.id]
    assert report[0]["business_days_late"] >= 4
    result = CliRunner().invoke(main, ["sla", "report"], obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 1 and "Sam Candidate" in result.output
    auth.client(client, "recruiter")
    home = client.get("/dashboard").get_data(as_text=True)
    assert "Waiting past our promise" in home and "Sam Candidate" in home
    board = client.get(f"/outcomes/roles/{role.id}/board").get_data(as_text=True)
    assert "past the promise" in board and "board-card overdue" in board


@pytest.mark.postgres  # the pipeline is a query
def test_pipeline_stages_follow_review_and_decision(client, ctx, auth) -> None:
    submission, token = reviewed()
    role = submission.invitation.role
    assert [r.stage for r in outcome_queries.pipeline(role)] == ["reviewed"]
    auth.client(client, "recruiter")
    page = client.post(
        f"/outcomes/submissions/{submission.id}/decision",
        data={"outcome": "reject", "reason": "Python HTTP APIs"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "The composer's draft" in page and "parse_rows" in page
    sent = client.post(
        f"/outcomes/submissions/{submission.id}/decision/send",
        data={"action": "send", "subject": "Thank you", "text": "Thank you, Sam.\n\nBest."},
        follow_redirects=True,
    )
    assert "on its way" in sent.get_data(as_text=True)
    assert [r.stage for r in outcome_queries.pipeline(role)] == ["decided"]
    portal = client.get(f"/c/{token}").get_data(as_text=True)
    assert "Our decision" in portal and "Thank you, Sam." in portal
    assert "How did it go?" in portal
    given = client.post(
        f"/c/{token}/feedback/decision",
        data={"clarity": "5", "fairness": "4", "time_vs_cap": "3", "text": "<b>Clear</b>"},
    )
    assert given.status_code == 302
    assert client.post(f"/c/{token}/feedback/decision", data={}).status_code == 409
    health = client.get("/outcomes/health").get_data(as_text=True)
    assert health.count("<svg") >= 2 and "&lt;b&gt;Clear&lt;/b&gt;" in health


@pytest.mark.postgres  # the median is an aggregate query
def test_effort_honesty_median_shown_and_flagged(client, ctx, auth) -> None:
    for index in range(5):
        sub, _ = submitted()
        sub.time_used_seconds = int(sub.invitation.time_cap_minutes * 60 * (0.9 + index / 100))
    db.session.commit()
    fresh = factories.invitation(name="New Person", email="new@example.com")
    page = client.get(f"/c/{fresh.token}").get_data(as_text=True)
    assert "Previous candidates took" in page and "median of 5 submissions" in page
    auth.client(client, "admin")
    home = client.get("/dashboard").get_data(as_text=True)
    assert "consider trimming the assignment" in home


def test_interviewer_feedback_once_and_staff_pages_render(client, ctx, auth) -> None:
    submission, _ = reviewed()
    auth.client(client, "admin")
    url = f"/outcomes/submissions/{submission.id}/interviewer-feedback"
    assert "How did the interview go?" in client.get(url).get_data(as_text=True)
    ratings = {"clarity": "4", "fairness": "5", "time_vs_cap": "3", "text": "Good kit"}
    assert client.post(url, data=ratings).status_code == 302
    again = client.post(url, data=ratings, follow_redirects=True).get_data(as_text=True)
    assert "already gave feedback" in again
    for page in ("pipeline", "outbox", "templates", "webhooks", "health", "questions"):
        assert client.get(f"/outcomes/{page}").status_code == 200, page
    saved = client.post(
        "/outcomes/templates/acknowledgment",
        data={"subject": "Got it, {{ first_name }}", "text": "{{ answer_by }}", "html": "x"},
    )
    assert saved.status_code == 302
    broken = client.post(
        "/outcomes/templates/acknowledgment",
        data={"subject": "{{ broken", "text": "", "html": ""},
        follow_redirects=True,
    )
    assert "does not render" in broken.get_data(as_text=True)
    from reciprocal.outcomes import operations as outcome_service

    assert outcome_service.templates()["acknowledgment"].subject == "Got it, {{ first_name }}"
