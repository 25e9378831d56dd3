"""What several staff pages show alike, fetched in one place: a submission with everything its
pages read of it, and the header, test panel and candidate notes of every review tab."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from ...candidates import result_notes
from ...grading import screenshots
from ...models import GradingRun, Invitation, Submission
from ...review import process
from ...review import queries as review_queries

# A submission page reads the invitation (role, assignment and its version) and every run with
# its tests (the latest run's panel, the superseded runs of a re-score).
SUBMISSION_PAGE = (
    joinedload(Submission.invitation).options(
        joinedload(Invitation.role), joinedload(Invitation.assignment),
        joinedload(Invitation.assignment_version)),
    selectinload(Submission.grading_runs).selectinload(GradingRun.tests),
)


def page_submission(submission_id: int) -> Submission:
    """The submission, if the signed-in user may see it, loaded for its pages."""
    return review_queries.visible_to(current_user, submission_id, *SUBMISSION_PAGE)


def review_tab(submission: Submission, tab: str) -> dict[str, Any]:
    """The context every review tab shares: how the candidate is named to this viewer, the
    tab, the candidate's notes on their result beside the tests, and the AI policy with the
    candidate's disclosure (and, for the kit, the points to discuss)."""
    return {
        "submission": submission,
        "candidate": review_queries.candidate_label(submission, current_user),
        "tab": tab,
        "screenshots": screenshots.gallery(submission.latest_run),
        "candidate_notes": [note for notes in result_notes.by_target(submission).values()
                            for note in notes],
        "process": process.for_reviewers(submission, current_user),
    }
