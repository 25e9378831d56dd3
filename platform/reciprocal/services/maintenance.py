"""Periodic platform-side maintenance run by `serve` (and by a maintenance job)."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError

from ..extensions import db
from . import grading, mail, webhooks

log = logging.getLogger(__name__)


def run_periodic() -> None:
    try:
        for name, reconcile in (("grading runs", grading.reconcile), ("messages", mail.reconcile),
                                ("webhook deliveries", webhooks.reconcile)):
            requeued = reconcile()
            db.session.commit()
            if requeued:
                log.warning("re-enqueued lost %s: %s", name, requeued)
    except (RedisError, RuntimeError) as exc:
        db.session.rollback()
        log.warning("reconcile skipped: %s", exc)
    from . import candidate_rights

    purged = candidate_rights.retention_purge()  # the terms' retention period, on a schedule
    db.session.commit()
    if purged:
        log.info("retention: purged the code of invitations %s", purged)
