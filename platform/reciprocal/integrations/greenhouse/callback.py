"""The completion callback: a PATCH to the URL Greenhouse gave in send_test, with no body and
the organisation's key as the Basic username, after which Greenhouse reads test_status.

It goes the way every webhook goes: the row is the outbox (status queued, then delivered or
failed), a job on the `webhooks` queue makes each attempt with the webhooks' retries and
backoff, the maintenance process re-enqueues a job Redis lost, and the target is vetted by
`notify.egress` at every attempt (private and loopback addresses only for hosts in
RECIPROCAL_WEBHOOK_ALLOW_HOSTS), connecting to the address it checked.
"""

from __future__ import annotations

import base64
from datetime import timedelta

from rq import Retry
from sqlalchemy import select

from ...core import queues
from ...core.errors import NotFound
from ...core.reconcile import requeue_lost
from ...extensions import db
from ...models import utcnow
from ...models.greenhouse import GreenhouseAssessment
from ...notify import egress, webhooks
from . import keys

TASK = "reciprocal.integrations.greenhouse.tasks.deliver_callback"


def schedule(record: GreenhouseAssessment) -> None:
    """Queue the PATCH (sent after the commit); once per test."""
    if record.callback_status == "none":
        record.callback_status = "queued"
        record.callback_queued_at = utcnow()
    _enqueue(record)


def _enqueue(record: GreenhouseAssessment) -> None:
    record.rq_job_id = f"greenhouse-{record.invitation_id}-{record.callback_attempts}"
    queues.enqueue_after_commit(
        queues.WEBHOOKS,
        TASK,
        record.invitation_id,
        job_id=record.rq_job_id,
        timeout=webhooks.TIMEOUT_SECONDS * 3,
        retry=Retry(max=webhooks.MAX_ATTEMPTS - 1, interval=webhooks.BACKOFF_SECONDS),
    )


def reconcile(older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Re-enqueue callbacks still queued whose job was lost (Redis down or restarted)."""
    waiting = select(GreenhouseAssessment).where(
        GreenhouseAssessment.callback_status == "queued",
        GreenhouseAssessment.callback_queued_at < utcnow() - older_than,
    )
    return requeue_lost(waiting, _enqueue)


def deliver(invitation_id: int) -> GreenhouseAssessment:
    """One PATCH attempt; the outcome is recorded on the row (the caller commits)."""
    record = db.session.get(GreenhouseAssessment, invitation_id)
    if record is None:
        raise NotFound(f"no Greenhouse test for invitation {invitation_id}")
    if record.callback_status == "delivered":
        return record
    record.callback_attempts += 1
    record.callback_response_code = None
    key = keys.plaintext(record.api_key)
    if key is None:
        record.callback_status = "failed"
        record.callback_last_error = ("the API key no longer matches RECIPROCAL_SECRET_KEY: "
                                      "make a new key and give it to Greenhouse")
        return record
    try:
        target = egress.vet(record.callback_url, webhooks.allowed_hosts())
    except egress.Refused as exc:
        record.callback_status = "failed"
        record.callback_last_error = f"refused: {exc}"[:1000]
        return record
    headers = {
        "Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode(),
        "User-Agent": "Reciprocal-Greenhouse/1",
        "Content-Length": "0",
    }
    code, error = egress.attempt(target, "PATCH", b"", headers, webhooks.TIMEOUT_SECONDS)
    record.callback_response_code = code
    if error:
        record.callback_status, record.callback_last_error = "failed", error
    else:
        record.callback_status = "delivered"
        record.callback_delivered_at = utcnow()
        record.callback_last_error = ""
    return record
