"""Webhooks for applicant tracking systems: signed JSON events, retried with backoff, logged.

Each attempt is signed: `X-Reciprocal-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<raw body>" with the webhook's secret>`, and the body carries the delivery's id, so a
receiver can refuse a stale or replayed request (docs/api.md, "Webhooks", has the recipe).
Targets are vetted by `egress` when the webhook is created and again at every attempt, which
connects only to the address it checked.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from datetime import timedelta
from typing import Any

from flask import current_app
from rq import Retry
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core import audit, queues
from ..core.errors import InvalidInput, NotFound
from ..core.reconcile import requeue_lost
from ..extensions import db
from ..grading import serialize as grading_serialize
from ..models import (
    Decision,
    GradingRun,
    Scorecard,
    Submission,
    User,
    Webhook,
    WebhookDelivery,
    utcnow,
)
from ..outcomes.promises import expected_answer_by
from ..review import queries as review_queries
from . import egress

EVENTS = ("submission.received", "grading.completed", "review.completed", "decision.sent")
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = [10, 60, 300, 1800, 7200]
TIMEOUT_SECONDS = 10


class WebhookDeliveryFailed(Exception):
    """Raised by the job so that RQ schedules the next attempt."""


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The X-Reciprocal-Signature value: the time and the HMAC of "<time>.<body>"."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def allowed_hosts() -> frozenset[str]:
    """Hosts the admin lets webhooks reach on private addresses (RECIPROCAL_WEBHOOK_ALLOW_HOSTS)."""
    return egress.allow_list(current_app.config.get("WEBHOOK_ALLOW_HOSTS"))


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def create(url: str, events: list[str], *, actor: User) -> tuple[Webhook, str]:
    """A new endpoint and its signing secret (shown once to the admin, never audited)."""
    try:
        egress.vet(url, allowed_hosts())
    except egress.RefusedAddress as exc:
        hint = "; an admin can allow a private host with RECIPROCAL_WEBHOOK_ALLOW_HOSTS"
        raise InvalidInput(f"this webhook URL is refused: {exc}{hint}") from exc
    except egress.Refused as exc:
        raise InvalidInput(f"this webhook URL is refused: {exc}") from exc
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
    """One POST attempt; the outcome is recorded on the delivery (the caller commits).

    The target is resolved and vetted again (the name may now point elsewhere) and the
    connection goes to the address that was checked. A refused target is recorded as
    "refused: <reason>" without any connection; connection errors are recorded coarsely, so the
    log says nothing about which ports answer."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no webhook delivery {delivery_id}")
    if delivery.status == "delivered":
        return delivery
    body = encode({**delivery.payload, "delivery_id": delivery.id})
    delivery.attempts += 1
    delivery.response_code = None
    try:
        target = egress.vet(delivery.webhook.url, allowed_hosts())
    except egress.Refused as exc:
        delivery.status = "failed"
        delivery.last_error = f"refused: {exc}"[:1000]
        return delivery
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Reciprocal-Webhooks/1",
        "X-Reciprocal-Event": delivery.event,
        "X-Reciprocal-Delivery": str(delivery.id),
        "X-Reciprocal-Signature": sign(delivery.webhook.secret, body, int(time.time())),
    }
    delivery.response_code, error = egress.attempt(
        target, "POST", body, headers, TIMEOUT_SECONDS
    )
    if error:
        delivery.status, delivery.last_error = "failed", error
    else:
        delivery.status = "delivered"
        delivery.delivered_at = utcnow()
        delivery.last_error = ""
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
            "integrity": run.integrity,
            **grading_serialize.counts(run, ("passed", "failed", "errors")),
        },
    )


def on_scorecard_submitted(card: Scorecard, **_: object) -> None:
    """review.completed once every assigned reviewer has submitted a scorecard."""
    submission_id = card.submission_id
    assigned, done = review_queries.review_progress(submission_id)
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
