"""RQ job entry points: thin, they take ids and call services."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def grade(run_id: int, job_id: str) -> str:
    """Grade one run (queue `grading`). Needs no database: it talks to the platform over HTTP."""
    from .services import grading_worker

    return grading_worker.grade(run_id, job_id)


def grading_failed(job: Any, connection: Any, exc_type: Any, exc_value: Any, tb: Any) -> None:
    """RQ failure callback: after the last retry, record the run as an infrastructure error."""
    from .services import grading_worker

    if job.retries_left:
        return
    run_id, job_id = job.args[0], job.args[1]
    try:
        grading_worker.report_failure(run_id, job_id, f"{exc_type.__name__}: {exc_value}")
    except grading_worker.PlatformUnavailable as exc:
        log.error("could not report the failure of run %s: %s", run_id, exc)


def reconcile_gradings() -> list[int]:
    """Re-enqueue lost gradings (queue `maintenance`); runs inside the platform's app context."""
    from . import create_app
    from .extensions import db
    from .services import grading

    app = create_app()
    with app.app_context():
        requeued = grading.reconcile()
        db.session.commit()
        return requeued


def _app_context() -> Any:
    """The running app's context when there is one (a worker started inside the app, tests),
    else a fresh app built from the RECIPROCAL_* environment (the `reciprocal worker`)."""
    from contextlib import nullcontext

    from flask import has_app_context

    if has_app_context():
        return nullcontext()
    from . import create_app

    return create_app().app_context()


def send_message(message_id: int) -> str:
    """Send one stored message over SMTP (queue `mail`); raising makes RQ retry with backoff."""
    from .extensions import db
    from .services import mail

    with _app_context():
        message = mail.deliver(message_id)
        status, attempts, error = message.status, message.attempts, message.last_error
        db.session.commit()
    if status == "failed" and attempts < mail.MAX_ATTEMPTS:
        raise mail.MailDeliveryFailed(f"message {message_id}: {error}")
    return status


def deliver_webhook(delivery_id: int) -> str:
    """POST one webhook delivery (queue `webhooks`); raising makes RQ retry with backoff."""
    from .extensions import db
    from .services import webhooks

    with _app_context():
        delivery = webhooks.deliver(delivery_id)
        status, attempts, error = delivery.status, delivery.attempts, delivery.last_error
        db.session.commit()
    if status == "failed" and attempts < webhooks.MAX_ATTEMPTS:
        raise webhooks.WebhookDeliveryFailed(f"delivery {delivery_id}: {error}")
    return status


def retention_purge() -> list[int]:
    """Erase code of decided candidates past the retention period (queue `maintenance`)."""
    from .extensions import db
    from .services import candidate_rights

    with _app_context():
        purged = candidate_rights.retention_purge()
        db.session.commit()
        return purged
