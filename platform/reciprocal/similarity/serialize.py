"""The JSON shape of a submission's similarity (GET /api/v1/submissions/<id>/similarity)."""

from __future__ import annotations

from typing import Any

from ..models import Submission, User
from ..review.queries import candidate_label
from .queries import check_for, matches_for


def serialise(submission: Submission, viewer: User) -> dict[str, Any]:
    """`status` is "done" once the check has run, else "pending"; the other side of a match is
    named as the viewer may see it (by candidate code only under blind review)."""
    check = check_for(submission)
    done = check is not None and check.status == "done"
    matches = matches_for(submission) if done else []
    return {
        "status": "done" if done else "pending",
        "threshold": check.threshold if done and check else None,
        "flagged": bool(check and check.flagged),
        "matches": [
            {
                "submission_id": m.other_submission.id if m.other_submission else None,
                "candidate": candidate_label(m.other_submission, viewer)
                if m.other_submission else None,
                "source": m.source,
                "score": round(m.score, 3),
                "shared_fingerprints": m.shared,
                "regions": m.regions,
            }
            for m in matches
        ],
    }
