"""The JSON shape of a submission's similarity (GET /api/v1/submissions/<id>/similarity)."""

from __future__ import annotations

from typing import Any

from ..models import Submission, User
from .queries import check_for, explanation_for, label, matches_for, region_for


def serialise(submission: Submission, viewer: User) -> dict[str, Any]:
    """`status` is "done" once the check has run, else "pending"; another submission is named
    by its candidate code only, and its side of each region (path and lines) is given only to
    those who may read its code (queries.region_for)."""
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
                "candidate": label(m) if m.other_submission else None,
                "source": m.source,
                "score": round(m.score, 3),
                "shared_fingerprints": m.shared,
                "known_solution": bool(m.explanation.get("known")),
                "explanation": explanation_for(m, viewer),
                "why": m.why,
                "regions": [region_for(m, r, viewer) for r in m.regions],
            }
            for m in matches
        ],
    }
