"""A submitted candidate whose run came back with photographs of their pages, for the tests of
where those photographs are shown (the worker's result recorded through the platform's own
path, as a worker's POST records it)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.git import repos
from reciprocal.grading import operations as grading
from reciprocal.models import Submission

from tests.support import factories
from tests.support import review as rs


def shot(name: str, width: int, data: bytes) -> dict[str, Any]:
    return {"name": name, "width": width, "png": base64.b64encode(data).decode()}


def submitted(tmp_path: Path, *, visible: bool = True) -> tuple[Submission, str]:
    """A submission of customer-directory and its candidate's token (app context needed)."""
    new = factories.started()
    new.invitation.assignment.results_visible_to_candidate = visible
    tree = tmp_path / "candidate-tree"
    tree.mkdir()
    rs.build_tree(tree)
    repos.commit_directory(invitations.storage().path_for(new.invitation.id), tree,
                           "My page", author=rs.CANDIDATE)
    sub = invitations.submit(new.invitation)
    db.session.commit()
    return sub, new.token


def record_run(sub: Submission, shots: list[dict[str, Any]], *, altered: bool = False) -> int:
    """The latest run claimed and finished with one passing test and ``shots``."""
    run = sub.latest_run
    assert grading.claim(run.id, run.rq_job_id) is not None
    result: dict[str, Any] = {
        "status": "passed", "reason": "The test passed", "passed": 1, "checks": "ids",
        "tests": [{"name": "test_page", "classname": "test_hidden_page.py", "outcome": "passed",
                   "duration": 0.2, "message": ""}],
        "screenshots": shots}
    if altered:
        result["integrity"] = "altered"
        result["integrity_evidence"] = [{"detail": "test ids differ from the reference",
                                         "alters": True}]
    grading.record_result(run.id, run.rq_job_id, result)
    db.session.commit()
    return run.id
