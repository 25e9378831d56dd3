"""Decisions, the composer's drafts, the tone check, and real email over SMTP (aiosmtpd)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reciprocal.extensions import db
from reciprocal.models import Decision, Message
from reciprocal.notify import mail
from rq import Queue, SimpleWorker

from tests.support import factories
from tests.support.apps import make_app
from tests.support.outcomes import body_of, reviewed, smtp_server
from tests.support.services import free_port


def _api(client: Any, token: str, path: str, payload: dict[str, Any]) -> Any:
    return client.post(path, json=payload, headers={"Authorization": f"Bearer {token}"})


def _run_jobs(app: Any, redis_conn: Any, queue: str = "mail") -> None:
    with app.app_context():
        SimpleWorker([Queue(queue, connection=redis_conn)], connection=redis_conn).work(
            burst=True
        )


@pytest.fixture
def mail_app(migrated: str, tmp_path: Path, redis_url: str) -> Any:
    with smtp_server() as (inbox, port):
        app = make_app(
            migrated,
            tmp_path / "data",
            WTF_CSRF_ENABLED=False,
            REDIS_URL=redis_url,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=port,
        )
        yield app, inbox
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_rejection_draft_is_positive_specific_and_deterministic(client, ctx) -> None:
    submission, _ = reviewed()
    token = factories.api_token(factories.staff("recruiter", "rec@example.com"))
    path = f"/api/v1/submissions/{submission.id}/decision"
    reason = "Demonstrable experience with PostgreSQL"
    first = _api(client, token, path, {"outcome": "reject", "reason": reason})
    assert first.status_code == 200, first.json
    draft = first.json
    assert set(draft) >= {"subject", "text", "html", "tone_warnings"}
    text = draft["text"]
    assert "Thank you for the time" in text
    assert "parse_rows" in text and "directory/parser.py" in text  # their own code elements
    assert "correctness" in text.lower()  # the criterion scored highest
    assert "demonstrable experience with PostgreSQL" in text  # the one concrete reason
    # The strength comment's praise, in words; never a concern or a question.
    assert "handles the BOM before anything else (directory/parser.py, lines 1-3)" in text
    assert "sloppy" not in text and "Why a dict" not in text
    assert draft["tone_warnings"] == []
    assert "<li>" in draft["html"] and "&lt;" not in draft["subject"]
    again = _api(client, token, path, {"outcome": "reject", "reason": reason}).json
    assert (again["subject"], again["text"], again["html"]) == (
        draft["subject"],
        draft["text"],
        draft["html"],
    )
    bad = _api(client, token, path, {"outcome": "reject", "reason": "Being taller"})
    assert bad.status_code == 422 and "requirements" in bad.json["error"]


def test_advance_draft_names_topics_not_questions(client, ctx) -> None:
    submission, _ = reviewed()
    token = factories.api_token(factories.staff("recruiter", "rec@example.com"))
    draft = _api(
        client, token, f"/api/v1/submissions/{submission.id}/decision", {"outcome": "advance"}
    ).json
    assert "follow-up interview" in draft["text"]
    assert "directory/index.py" in draft["text"]  # the topic
    assert "Why a dict" not in draft["text"] and "break on duplicates" not in draft["text"]
    assert "1 constructive point " in draft["text"]


def test_tone_check_blocks_until_edited_or_overridden(client, ctx) -> None:
    submission, _ = reviewed()
    token = factories.api_token(factories.staff("recruiter", "rec@example.com"))
    base = f"/api/v1/submissions/{submission.id}/decision"
    draft = _api(client, token, base, {"outcome": "reject", "reason": "Python HTTP APIs"}).json
    harsh = draft["text"] + "\nYour tests were weak and the parser is poorly structured.\n"
    blocked = _api(client, token, base + "/send", {"text": harsh})
    assert blocked.status_code == 409
    assert "weak" in blocked.json["error"] and "poorly" in blocked.json["error"]
    assert db.session.scalar(db.select(Message).where(Message.kind == "decision")) is None
    sent = _api(
        client,
        token,
        base + "/send",
        {"text": harsh, "override_reason": "The candidate asked for direct feedback."},
    )
    assert sent.status_code == 202, sent.json
    decision = db.session.scalar(db.select(Decision))
    assert decision.override_reason == "The candidate asked for direct feedback."
    # No SMTP configured here: the message waits in the outbox, never dropped.
    assert sent.json["message_status"] == "outbox"
    again = _api(client, token, base + "/send", {})
    assert again.status_code == 409


def test_decision_and_acknowledgment_arrive_over_smtp(mail_app, redis_conn) -> None:
    app, inbox = mail_app
    client = app.test_client()
    with app.app_context():
        submission, _ = reviewed()
        token = factories.api_token(factories.staff("recruiter", "rec@example.com"))
        sub_id = submission.id
    _run_jobs(app, redis_conn)
    acknowledgment = inbox.wait(1)[0]
    assert acknowledgment["To"] == "sam@example.com"
    assert "hear from us" in body_of(acknowledgment) and "business" not in acknowledgment["Subject"]

    base = f"/api/v1/submissions/{sub_id}/decision"
    draft = _api(client, token, base, {"outcome": "reject", "reason": "Python HTTP APIs"}).json
    edited = draft["text"].replace("With our thanks", "PS: keep building.\n\nWith our thanks")
    response = _api(client, token, base + "/send", {"text": edited})
    assert response.status_code == 202, response.json
    assert response.json["message_status"] == "queued"
    _run_jobs(app, redis_conn)
    messages = inbox.wait(2)
    decision_mail = messages[1]
    assert decision_mail["Subject"] == draft["subject"]
    assert "PS: keep building." in body_of(decision_mail)
    assert "PS: keep building." in body_of(decision_mail, "html")
    with app.app_context():
        stored = db.session.scalars(db.select(Message).order_by(Message.id)).all()
        assert [(m.kind, m.status, m.attempts) for m in stored] == [
            ("acknowledgment", "sent", 1),
            ("decision", "sent", 1),
        ]


def test_failed_send_is_recorded_and_retried(migrated, tmp_path: Path, redis_url, redis_conn):
    port = free_port()  # nothing listens here yet
    app = make_app(
        migrated, tmp_path / "data", REDIS_URL=redis_url, SMTP_HOST="127.0.0.1", SMTP_PORT=port
    )
    with app.app_context():
        message = mail.queue_message("x@example.com", "Hello", "Body", "", kind="test")
        db.session.commit()
        message_id = message.id
    _run_jobs(app, redis_conn)
    with app.app_context():
        failed = db.session.get(Message, message_id)
        assert failed.status == "failed" and failed.attempts == 1
        assert "Connection" in failed.last_error or "refused" in failed.last_error.lower()
        # RQ holds the next attempt with backoff (it raised, so its retry is scheduled).
        from rq.registry import ScheduledJobRegistry

        assert f"mail-{message_id}-0" in ScheduledJobRegistry("mail", connection=redis_conn)
    with smtp_server(port) as (inbox, _port):
        with app.app_context():
            admin = factories.staff("admin")
            mail.retry(db.session.get(Message, message_id), actor=admin)
            db.session.commit()
        _run_jobs(app, redis_conn)
        assert inbox.wait(1)[0]["Subject"] == "Hello"
    with app.app_context():
        sent = db.session.get(Message, message_id)
        assert sent.status == "sent" and sent.attempts == 2 and sent.last_error == ""
        db.session.remove()
        db.engine.dispose()
