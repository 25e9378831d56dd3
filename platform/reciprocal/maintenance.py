"""Periodic platform-side maintenance, run by `reciprocal maintenance` (which `serve` starts).

It sits above the domains, beside worker.py and serve.py: each round calls into several of them
(grading, notify, candidates, similarity, the Greenhouse integration), so core/, which every
domain imports, cannot hold it.

The database is the source of truth: each round brings Redis back in line with it (gradings,
messages and webhook deliveries that no live job holds are enqueued again), mails the staff
digests whose window has passed (notify/digest.py) and applies the terms' retention period.
A step that fails (Redis restarting, the database busy) is logged and tried again next round;
it never stops the process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from .assignments import authoring
from .candidates import rights as candidate_rights
from .extensions import db
from .grading import operations as grading
from .integrations.greenhouse import callback as greenhouse
from .notify import digest, mail, webhooks
from .similarity import operations as similarity

log = logging.getLogger(__name__)

STEPS: tuple[tuple[str, Callable[[], list[int]]], ...] = (
    ("grading runs", grading.reconcile),
    ("messages", mail.reconcile),
    ("webhook deliveries", webhooks.reconcile),
    ("Greenhouse callbacks", greenhouse.reconcile),
    ("similarity checks", similarity.reconcile),
    ("assignment validations", authoring.reconcile),
)


def run_periodic() -> None:
    for name, reconcile in STEPS:
        try:
            requeued = reconcile()
            db.session.commit()
        except (RedisError, RuntimeError, SQLAlchemyError) as exc:
            db.session.rollback()
            log.warning("reconcile of %s skipped: %s", name, exc)
            continue
        if requeued:
            log.warning("re-enqueued lost %s: %s", name, requeued)
    try:
        told = digest.flush_due()
        db.session.commit()
    except (RedisError, RuntimeError, SQLAlchemyError) as exc:
        db.session.rollback()
        log.warning("staff digests skipped: %s", exc)
    else:
        if told:
            log.info("sent the staff digests of invitations %s", told)
    try:
        purged = candidate_rights.retention_purge()
        db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("retention purge skipped: %s", exc)
        return
    if purged:
        log.info("retention: purged the code of invitations %s", purged)
