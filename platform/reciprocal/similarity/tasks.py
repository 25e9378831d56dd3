"""RQ entry point of queue `similarity`: thin, it takes the check's id and calls the service.

It runs in an RQ work horse: inside the running app's context when there is one (a worker
started by the tests), else in an app built from the RECIPROCAL_* environment, after the fork.
A failure is recorded on the check (status `failed`, the error) and raised, so RQ keeps it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import has_app_context

from ..extensions import db
from ..models import SimilarityCheck
from . import operations


def _app_context() -> AbstractContextManager[object]:
    if has_app_context():
        return nullcontext()
    from .. import create_app  # the app factory imports every package, this one included

    return create_app().app_context()


def check(check_id: int) -> str:
    """Compare one submission with everything indexed before it."""
    with _app_context():
        try:
            done = operations.run_check(check_id)
            db.session.commit()
        except Exception as exc:
            db.session.rollback()
            row = db.session.get(SimilarityCheck, check_id)
            if row is not None:
                row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"[:500]
                db.session.commit()
            raise
        return done.status if done is not None else "missing"
