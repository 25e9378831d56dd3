"""Webhooks against a real HTTP receiver: signed, retried with the same delivery id and logged;
grading and review milestones fire them; and what Redis lost (messages, deliveries) is sent
after all by the maintenance round."""

from __future__ import annotations

import json
from datetime import timedelta

from reciprocal.extensions import db
from reciprocal.models import Message, WebhookDelivery
from reciprocal.notify import webhooks
from reciprocal.outcomes import operations as outcomes
from rq import Queue, SimpleWorker

from tests.support import factories
from tests.support.apps import make_app
from tests.support.outcomes import reviewed, submitted
from tests.support.webhook_receiver import Receiver, documented_verify, receiver


def test_webhooks_signed_retried_and_logged(
        migrated, tmp_path, redis_url, redis_conn, auth) -> None:
    app = make_app(migrated, tmp_path / "data", REDIS_URL=redis_url, WTF_CSRF_ENABLED=False,
                   WEBHOOK_ALLOW_HOSTS=["127.0.0.1"])  # the receiver is on loopback
    with receiver() as server:
        Receiver.codes.append(500)
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
            headers, body = Receiver.received[-1]
            payload = documented_verify()(secret, headers["X-Reciprocal-Signature"], body)
            assert payload["delivery_id"] == first.id == int(headers["X-Reciprocal-Delivery"])
            first_try = Receiver.received[0][1]
            assert json.loads(first_try)["delivery_id"] == first.id  # the same id on a retry
            assert payload["event"] == "submission.received"
            assert payload["data"]["submission_id"] == submission.id
            assert "sam@example.com" not in body.decode()  # no personal data in the event

            recruiter = factories.staff("recruiter")
            outcomes.decide(submission, "advance", "", actor=recruiter)
            outcomes.send(submission, actor=recruiter)
            db.session.commit()
            worker.work(burst=True)
            assert json.loads(Receiver.received[-1][1])["data"]["outcome"] == "advance"
            client = app.test_client()
            auth.client(client, "admin")
            log = client.get("/outcomes/webhooks").get_data(as_text=True)
            assert "decision.sent" in log and "delivered" in log and secret not in log
            db.session.remove()
            db.engine.dispose()


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


def test_messages_and_deliveries_lost_with_redis_are_sent_after_all(migrated, tmp_path,
                                                                    redis_url, redis_conn) -> None:
    """Nobody is ghosted by a Redis restart: the maintenance round re-enqueues what was lost."""

    from reciprocal import maintenance
    from reciprocal.notify import mail

    from tests.support.outcomes import body_of, smtp_server

    with smtp_server() as (inbox, smtp_port):
        app = make_app(migrated, tmp_path / "data", REDIS_URL=redis_url, SMTP_HOST="127.0.0.1",
                       SMTP_PORT=smtp_port, WEBHOOK_ALLOW_HOSTS=["127.0.0.1"])
        with receiver() as server:
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
            assert json.loads(Receiver.received[-1][1])["event"] == "submission.received"
