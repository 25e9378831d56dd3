"""The promise made to every candidate: an answer within the role's response days."""

from __future__ import annotations

from datetime import datetime

from ..core.business_days import add_business_days
from ..models import Submission


def expected_answer_by(submission: Submission) -> datetime:
    """The promised answer date: the role's response days after submission, in business days."""
    return add_business_days(submission.submitted_at, submission.invitation.role.response_days)
