"""Rows for the assignment library's figures, made through the real services: a candidate who
took a given time from Start to Submit, and a grading run finished as a worker's result
records it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.models import Submission, utcnow

from tests.support import factories


def submitted_after(role: Any, minutes: int, slug: str = "customer-directory") -> Submission:
    """A candidate who started `minutes` before submitting (the starter commit as their work);
    the start is moved back as the clock would have it, before the submission measures it."""
    new = factories.started(slug, role=role, email=f"c{minutes}-{slug}@example.com")
    new.invitation.started_at = utcnow() - timedelta(minutes=minutes)
    new.invitation.deadline_at = new.invitation.started_at + new.invitation.time_cap
    submission = invitations.submit(new.invitation)
    db.session.commit()
    return submission


def graded(submission: Submission, status: str, passed: int, failed: int = 0) -> None:
    """The submission's latest run claimed and finished with `passed` and `failed` tests."""
    run = submission.latest_run
    assert run is not None and grading.claim(run.id, run.rq_job_id) is not None
    tests = [{"name": f"test_{n}", "classname": "test_hidden.py", "outcome": "passed"}
             for n in range(passed)]
    tests += [{"name": f"test_bad_{n}", "classname": "test_hidden.py", "outcome": "failed",
               "message": "assert False"} for n in range(failed)]
    grading.record_result(run.id, run.rq_job_id, {
        "status": status, "reason": status, "passed": passed, "failed": failed,
        "checks": "ids", "tests": tests})
    db.session.commit()
