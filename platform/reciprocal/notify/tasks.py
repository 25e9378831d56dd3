"""RQ entry points of queues `mail` and `webhooks`: thin, they take ids and call the services.

They run in an RQ work horse: inside the running app's context when there is one (a worker
started by the tests), else in an app built from the RECIPROCAL_* environment, after the fork.
Raising makes RQ retry with backoff.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import has_app_context

from ..extensions import db
from . import mail, webhooks


def _app_context() -> AbstractContextManager[object]:
    if has_app_context():
        return nullcontext()
    from .. import create_app  # the app factory imports every package, this one included

    return create_app().app_context()


def send_message(message_id: int) -> str:
    """Send one stored message over SMTP (queue `mail`)."""
    with _app_context():
        message = mail.deliver(message_id)
        status, attempts, error = message.status, message.attempts, message.last_error
        db.session.commit()
    if status == "failed" and attempts < mail.MAX_ATTEMPTS:
        raise mail.MailDeliveryFailed(f"message {message_id}: {error}")
    return status


def deliver_webhook(delivery_id: int) -> str:
    """POST one webhook delivery (queue `webhooks`)."""
    with _app_context():
        delivery = webhooks.deliver(delivery_id)
        status, attempts, error = delivery.status, delivery.attempts, delivery.last_error
        db.session.commit()
    if status == "failed" and attempts < webhooks.MAX_ATTEMPTS:
        raise webhooks.WebhookDeliveryFailed(f"delivery {delivery_id}: {error}")
    return status
