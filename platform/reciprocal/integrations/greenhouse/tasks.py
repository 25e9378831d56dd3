"""RQ entry point of the Greenhouse callback (queue `webhooks`): thin, it calls `callback`."""

from __future__ import annotations

from ...extensions import db
from ...notify import webhooks
from ...notify.tasks import _app_context
from . import callback


def deliver_callback(invitation_id: int) -> str:
    """PATCH Greenhouse once; raising makes RQ retry with the webhooks' backoff."""
    with _app_context():
        record = callback.deliver(invitation_id)
        status, attempts = record.callback_status, record.callback_attempts
        error = record.callback_last_error
        db.session.commit()
    if status == "failed" and attempts < webhooks.MAX_ATTEMPTS:
        raise webhooks.WebhookDeliveryFailed(f"Greenhouse callback {invitation_id}: {error}")
    return status
