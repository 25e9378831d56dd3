"""Webhooks for applicant tracking systems: signed JSON events, retried with backoff, logged.

The signature is `sha256=<hex HMAC-SHA256 of the raw body with the webhook's secret>` in the
X-Reciprocal-Signature header; receivers recompute it over the bytes they received.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import requests
from rq import Retry
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core import audit, queues
from ..core.errors import InvalidInput, NotFound
from ..core.reconcile import requeue_lost
from ..extensions import db
from ..models import (
    Decision,
    GradingRun,
    ReviewAssignment,
    Scorecard,
    Submission,
    User,
    Webhook,
    WebhookDelivery,
    utcnow,
)
from ..outcomes.promises import expected_answer_by

EVENTS = ("submission.received", "grading.completed", "review.completed", "decision.sent")
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = [10, 60, 300, 1800, 7200]
TIMEOUT_SECONDS = 10


class WebhookDeliveryFailed(Exception):
    """Raised by the job so that RQ schedules the next attempt."""


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def create(url: str, events: list[str], *, actor: User) -> tuple[Webhook, str]:
    """A new endpoint and its signing secret (shown once to the admin, never audited)."""
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput("the webhook URL must be an http:// or https:// address")
    chosen = [e for e in events if e in EVENTS]
    if not chosen:
        raise InvalidInput(f"choose at least one event: {', '.join(EVENTS)}")
    secret = secrets.token_urlsafe(32)
    hook = Webhook(url=url.strip(), secret=secret, events=chosen, active=True)
    db.session.add(hook)
    db.session.flush()
    audit.record("webhook.created", actor=actor, subject=hook, url=hook.url, events=chosen)
    return hook, secret


def set_active(hook: Webhook, active: bool, *, actor: User) -> None:
    hook.active = active
    audit.record("webhook.updated", actor=actor, subject=hook, active=active)


def get(webhook_id: int) -> Webhook:
    hook = db.session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFound(f"no webhook {webhook_id}")
    return hook


def listing() -> list[Webhook]:
    return list(db.session.scalars(select(Webhook).order_by(Webhook.id)))


def recent_deliveries(limit: int = 100) -> list[WebhookDelivery]:
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .options(selectinload(WebhookDelivery.webhook))
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def fire(event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Record one delivery per subscribed endpoint; each is sent by a job after the commit."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    deliveries = []
    for hook in db.session.scalars(select(Webhook).where(Webhook.active.is_(True))):
        if event not in hook.events:
            continue
        delivery = WebhookDelivery(
            webhook=hook,
            event=event,
            payload={"event": event, "occurred_at": utcnow().isoformat(), "data": data},
        )
        db.session.add(delivery)
        db.session.flush()
        _schedule(delivery)
        deliveries.append(delivery)
    return deliveries


def _schedule(delivery: WebhookDelivery) -> None:
    delivery.rq_job_id = f"webhook-{delivery.id}"
    queues.enqueue_after_commit(
        queues.WEBHOOKS,
        "reciprocal.notify.tasks.deliver_webhook",
        delivery.id,
        job_id=delivery.rq_job_id,
        timeout=TIMEOUT_SECONDS * 3,
        retry=Retry(max=MAX_ATTEMPTS - 1, interval=BACKOFF_SECONDS),
    )


def reconcile(older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """Re-enqueue deliveries still queued whose job was lost (Redis down or restarted)."""
    waiting = select(WebhookDelivery).where(
        WebhookDelivery.status == "queued", WebhookDelivery.created_at < utcnow() - older_than
    )
    return requeue_lost(waiting, _schedule)


def deliver(delivery_id: int) -> WebhookDelivery:
    """One POST attempt; the outcome is recorded on the delivery (the caller commits)."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no webhook delivery {delivery_id}")
    if delivery.status == "delivered":
        return delivery
    body = encode(delivery.payload)
    delivery.attempts += 1
    try:
        response = requests.post(
            delivery.webhook.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Reciprocal-Webhooks/1",
                "X-Reciprocal-Event": delivery.event,
                "X-Reciprocal-Delivery": str(delivery.id),
                "X-Reciprocal-Signature": sign(delivery.webhook.secret, body),
            },
            timeout=TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        delivery.status = "failed"
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        return delivery
    delivery.response_code = response.status_code
    if 200 <= response.status_code < 300:
        delivery.status = "delivered"
        delivery.delivered_at = utcnow()
        delivery.last_error = ""
    else:
        delivery.status = "failed"
        delivery.last_error = f"HTTP {response.status_code}"
    return delivery


# Receivers of the domains' signals (connected in reciprocal.wiring): each turns a milestone into
# a webhook event, so the domains need not know that webhooks exist.


def on_submission_received(submission: Submission, **_: object) -> None:
    invitation = submission.invitation
    fire(
        "submission.received",
        {
            "submission_id": submission.id,
            "invitation_id": invitation.id,
            "candidate_code": invitation.candidate_code,
            "assignment": invitation.assignment.slug,
            "role_id": invitation.role_id,
            "answer_by": expected_answer_by(submission).isoformat(),
        },
    )


def on_grading_completed(run: GradingRun, **_: object) -> None:
    fire(
        "grading.completed",
        {
            "submission_id": run.submission_id,
            "run_id": run.id,
            "status": run.status,
            "passed": run.passed,
            "failed": run.failed,
            "errors": run.errors,
        },
    )


def on_scorecard_submitted(card: Scorecard, **_: object) -> None:
    """review.completed once every assigned reviewer has submitted a scorecard."""
    submission_id = card.submission_id
    assigned = set(
        db.session.scalars(
            select(ReviewAssignment.reviewer_id).where(
                ReviewAssignment.submission_id == submission_id
            )
        )
    )
    done = set(
        db.session.scalars(
            select(Scorecard.reviewer_id).where(
                Scorecard.submission_id == submission_id, Scorecard.submitted_at.is_not(None)
            )
        )
    )
    if assigned and assigned <= done:
        fire("review.completed", {"submission_id": submission_id, "scorecards": len(done)})


def on_decision_sent(decision: Decision, *, submission: Submission, **_: object) -> None:
    invitation = submission.invitation
    fire(
        "decision.sent",
        {
            "submission_id": submission.id,
            "invitation_id": invitation.id,
            "candidate_code": invitation.candidate_code,
            "outcome": decision.outcome,
            "reason": decision.reason,
        },
    )
