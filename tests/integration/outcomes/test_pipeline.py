"""Pipeline board and SLA, acknowledgment, webhooks against a real HTTP receiver, questions and
FAQ, two-way feedback, effort honesty and process-health charts."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from reciprocal.cli import main
from reciprocal.extensions import db
from reciprocal.models import Message, WebhookDelivery
from reciprocal.notify import webhooks
from reciprocal.outcomes import operations as outcomes
from reciprocal.outcomes import promises
from reciprocal.outcomes import queries as outcome_queries
from rq import Queue, SimpleWorker

from tests.support import factories
from tests.support.apps import make_app
from tests.support.outcomes import reviewed, submitted
from tests.support.webhook_receiver import documented_verify


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


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    codes: list[int] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(self.codes.pop(0) if self.codes else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


def test_webhooks_signed_retried_and_logged(
        migrated, tmp_path, redis_url, redis_conn, auth) -> None:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Receiver.received, _Receiver.codes = [], [500]
    app = make_app(migrated, tmp_path / "data", REDIS_URL=redis_url, WTF_CSRF_ENABLED=False,
                   WEBHOOK_ALLOW_HOSTS=["127.0.0.1"])  # the receiver is on loopback
    try:
        with app.app_context():
            admin = factories.staff("admin", "admin@example.com")
            _hook, secret = webhooks.create(
                f"http://127.0.0.1:{server.server_port}/hook",
                ["submission.received", "decision.sent"],
                actor=admin,
            )
            db.session.commit()
            submission, _ = submitted()
            worker = SimpleWorker([Queue("webhooks", connection=redis_conn)], connection=redis_conn)
            worker.work(burst=True)
            first = db.session.scalar(db.select(WebhookDelivery))
            db.session.refresh(first)
            assert (first.status, first.attempts, first.response_code) == ("failed", 1, 500)
            from reciprocal.notify.tasks import deliver_webhook

            assert deliver_webhook(first.id) == "delivered"  # the retry RQ would run later
            headers, body = _Receiver.received[-1]
            payload = documented_verify()(secret, headers["X-Reciprocal-Signature"], body)
            assert payload["delivery_id"] == first.id == int(headers["X-Reciprocal-Delivery"])
            first_try = _Receiver.received[0][1]
            assert json.loads(first_try)["delivery_id"] == first.id  # the same id on a retry
            assert payload["event"] == "submission.received"
            assert payload["data"]["submission_id"] == submission.id
            assert "sam@example.com" not in body.decode()  # no personal data in the event

            recruiter = factories.staff("recruiter")
            outcomes.decide(submission, "advance", "", actor=recruiter)
            outcomes.send(submission, actor=recruiter)
            db.session.commit()
            worker.work(burst=True)
            assert json.loads(_Receiver.received[-1][1])["data"]["outcome"] == "advance"
            client = app.test_client()
            auth.client(client, "admin")
            log = client.get("/outcomes/webhooks").get_data(as_text=True)
            assert "decision.sent" in log and "delivered" in log and secret not in log
            db.session.remove()
            db.engine.dispose()
    finally:
        server.shutdown()


def test_questions_become_faq_without_the_askers_name(client, ctx, auth) -> None:
    asker = factories.started()
    factories.staff("recruiter", "notified@example.com")
    response = client.post(
        f"/c/{asker.token}/questions", data={"body": "May I use <script>sqlite</script>?"}
    )
    assert response.status_code == 302
    notice = db.session.scalar(db.select(Message).where(Message.kind == "staff_digest"))
    assert notice.to == "notified@example.com" and "sqlite" in notice.text
    assert "Sam Candidate" not in notice.text  # blind: the candidate code, not the name
    auth.client(client, "recruiter")
    inbox = client.get("/outcomes/questions").get_data(as_text=True)
    assert "&lt;script&gt;sqlite&lt;/script&gt;" in inbox
    from reciprocal.models import Question

    question = db.session.scalar(db.select(Question))
    client.post(
        f"/outcomes/questions/{question.id}/answer",
        data={"body": "Yes, the standard library is fine.", "for_everyone": "yes"},
    )
    answer_mail = db.session.scalar(db.select(Message).where(Message.kind == "answer"))
    assert answer_mail.to == "sam@example.com" and "standard library" in answer_mail.text
    other = factories.invitation(name="Alex Other", email="alex@example.com")
    page = client.get(f"/c/{other.token}").get_data(as_text=True)
    assert "Yes, the standard library is fine." in page
    assert "Sam Candidate" not in page


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


def test_grading_and_review_milestones_fire_webhooks(ctx) -> None:
    from reciprocal.grading import operations as grading

    ctx.config["WEBHOOK_ALLOW_HOSTS"] = ["127.0.0.1"]  # a loopback endpoint, vouched for
    admin = factories.staff("admin", "admin@example.com")
    webhooks.create(
        "http://127.0.0.1:9/hook", ["grading.completed", "review.completed"], actor=admin
    )
    db.session.commit()
    submission, _ = reviewed()  # two reviewers submit their scorecards
    run = submission.latest_run
    run.rq_job_id = "job-1"
    grading.record_result(run.id, "job-1", {"status": "passed", "passed": 2})
    db.session.commit()
    fired = db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
    assert [(d.event, d.payload["data"]["submission_id"]) for d in fired] == [
        ("review.completed", submission.id),
        ("grading.completed", submission.id),
    ]
    assert fired[1].payload["data"]["passed"] == 2


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


def test_messages_and_deliveries_lost_with_redis_are_sent_after_all(migrated, tmp_path,
                                                                    redis_url, redis_conn) -> None:
    """Nobody is ghosted by a Redis restart: the maintenance round re-enqueues what was lost."""
    from datetime import timedelta

    from reciprocal.core import maintenance
    from reciprocal.models import Message
    from reciprocal.notify import mail

    from tests.support.outcomes import body_of, smtp_server

    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Receiver.received, _Receiver.codes = [], []
    with smtp_server() as (inbox, smtp_port):
        app = make_app(migrated, tmp_path / "data", REDIS_URL=redis_url, SMTP_HOST="127.0.0.1",
                       SMTP_PORT=smtp_port, WEBHOOK_ALLOW_HOSTS=["127.0.0.1"])
        try:
            with app.app_context():
                admin = factories.staff("admin", "admin@example.com")
                webhooks.create(f"http://127.0.0.1:{server.server_port}/hook",
                                ["submission.received"], actor=admin)
                db.session.commit()
                submitted()  # queues the acknowledgment and the submission.received delivery
                redis_conn.flushall()  # Redis restarted without persistence: the jobs are gone
                assert mail.reconcile(older_than=timedelta(0))
                assert webhooks.reconcile(older_than=timedelta(0))
                db.session.commit()
                assert mail.reconcile(older_than=timedelta(0)) == []  # queued again: now live
                maintenance.run_periodic()
                SimpleWorker([Queue("mail", connection=redis_conn),
                              Queue("webhooks", connection=redis_conn)],
                             connection=redis_conn).work(burst=True)
                db.session.expire_all()
                assert [m.status for m in db.session.scalars(db.select(Message))] == ["sent"]
                assert db.session.scalar(db.select(WebhookDelivery)).status == "delivered"
                db.session.remove()
                db.engine.dispose()
            arrived = inbox.wait(1)
            assert "hear" in body_of(arrived[0]).lower()
            assert json.loads(_Receiver.received[-1][1])["event"] == "submission.received"
        finally:
            server.shutdown()
