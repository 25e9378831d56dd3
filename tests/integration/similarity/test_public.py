"""A submission the team marks as known to be public becomes a known solution: later
submissions are compared with all of it before the common-code rule, the match reads "matches a
known solution", and marking and unmarking are audited. On PostgreSQL too (`postgres`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reciprocal.extensions import db
from reciprocal.models import AuditEvent, SimilarityCheck, SimilarityMatch
from reciprocal.similarity import index, operations
from reciprocal.similarity.fingerprints import Fingerprint
from sqlalchemy import select

from tests.support.auth import csrf
from tests.support.similarity import STARTER, copy_of, submit_tree

pytestmark = pytest.mark.postgres

COMMON = [Fingerprint(20_000 + i, "solve.py", i, i, "solve") for i in range(40)]


def _compared(tmp_path: Path, name: str, own: int) -> SimilarityCheck:
    sub = submit_tree(tmp_path, name, copy_of(tmp_path, name.split()[0], STARTER))
    check = SimilarityCheck(submission_id=sub.id, status="queued", threshold=0.6)
    db.session.add(check)
    db.session.flush()
    prints = COMMON + [Fingerprint(own * 1000 + i, "own.py", i, i) for i in range(30)]
    operations.compare_and_index(sub, prints, set(), check)
    db.session.commit()
    return check


def _known_matches(submission_id: int) -> list[tuple[str, bool]]:
    return [(m.source, m.explanation["known"]) for m in db.session.scalars(
        select(SimilarityMatch).where(SimilarityMatch.submission_id == submission_id))]


def test_a_submission_marked_public_is_a_known_solution_for_later_ones(
        app: Any, client: Any, tmp_path: Path, auth) -> None:
    with app.app_context():
        leak = _compared(tmp_path, "Le0 Ak", 1)
        for n in range(2, operations.BOILERPLATE_MIN_SUBMISSIONS + 3):
            _compared(tmp_path, f"Co{n} Hort", n)
        leak_id = leak.submission_id
        before = _compared(tmp_path, "Be0 Fore", 90)
        # The shared code is in every submission: boilerplate, nothing is reported.
        assert _known_matches(before.submission_id) == []

    auth.client(client, "admin")
    page = client.get(f"/submissions/{leak_id}/similarity")
    assert "Mark as known to be public" in page.text
    token = csrf(page.text)
    refused = client.post(f"/submissions/{leak_id}/similarity/public",
                          data={"csrf_token": token, "note": ""})
    assert refused.status_code == 422
    marked = client.post(f"/submissions/{leak_id}/similarity/public", data={
        "csrf_token": token, "note": "https://github.com/example/solution"})
    assert marked.status_code == 302
    assert "known public" in client.get(f"/submissions/{leak_id}/similarity").text

    with app.app_context():
        after = _compared(tmp_path, "Af0 Ter", 91)
        assert _known_matches(after.submission_id) == [("public", True)]
        assert after.top_score == pytest.approx(40 / 70, abs=0.01)
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "similarity.marked_public")).one()
        assert event.details["note"] == "https://github.com/example/solution"
        after_id = after.submission_id
    html = client.get(f"/submissions/{after_id}/similarity").text
    assert "matches a known solution" in html and "(known public)" in html

    undone = client.post(f"/submissions/{leak_id}/similarity/public/undo",
                         data={"csrf_token": token})
    assert undone.status_code == 302
    with app.app_context():
        assert index.document_for_submission(leak_id).kind == "submission"
        assert _known_matches(_compared(tmp_path, "Un0 Done", 92).submission_id) == []
        assert db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action == "similarity.unmarked_public")).all() == [
                "similarity.unmarked_public"]
