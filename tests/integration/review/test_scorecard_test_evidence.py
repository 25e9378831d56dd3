"""The scorecard shows, under each tagged rubric criterion, how its hidden tests did in the latest
run (page and API), with a real submission, database and grading result."""

from __future__ import annotations

import re
from typing import Any

from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.models import Submission

from tests.support import factories
from tests.support import review as rs

HOSTILE = "test_city[<script>x</script>]"


def _record(sub: Submission) -> None:
    run = sub.latest_run
    assert grading.claim(run.id, run.rq_job_id) is not None
    tests = [("test_hidden_api.py", "test_healthz", "passed"),
             ("test_hidden_api.py", HOSTILE, "failed"),
             ("test_hidden_parser.py", "test_csv_simple_row", "passed"),
             ("test_hidden_parser.py", "test_json_duplicates_last_wins", "error"),
             ("test_hidden_parser.py", "test_csv_blank_lines_are_skipped", "skipped")]
    grading.record_result(run.id, run.rq_job_id, {
        "status": "failed", "reason": "2 of 5 tests did not pass", "passed": 2, "failed": 1,
        "errors": 1, "skipped": 1,
        "tests": [{"name": n, "classname": c, "outcome": o, "duration": 0.1,
                   "message": "expected 1, got 2" if o != "passed" else ""}
                  for c, n, o in tests]})
    db.session.commit()


def _world(app: Any, tmp_path: Any, *, graded: bool = True) -> dict[str, Any]:
    with app.app_context():
        sub = rs.submission(tmp_path)
        reviewer = rs.reviewer_on(sub, "alice@example.com")
        if graded:
            _record(sub)
        return {"sub": sub.id, "email": reviewer.email, "token": factories.api_token(reviewer)}


def _fieldset(html: str, name: str) -> str:
    match = re.search(rf"<legend>{name}</legend>(.*?)</fieldset>", html, re.S)
    assert match, name
    return match.group(1)


def test_scorecard_cites_the_tagged_tests_of_the_latest_run(app, client, tmp_path, auth) -> None:
    world = _world(app, tmp_path)
    auth.client(client, world["email"])
    html = client.get(f"/submissions/{world['sub']}/review").text
    correctness = _fieldset(html, "Correctness")
    assert ("Hidden-test evidence:</strong> 2 of 4 tagged hidden tests passed in the latest run;"
            " 2 did not pass; 1 skipped.") in correctness
    # Each test that did not pass: its outcome as a word, a link to its failure in the panel.
    links = re.findall(r'<span class="outcome-word bad">(\w+)</span> <a href="#(failure-\d+)">'
                       r"([^<]*)</a>", correctness)
    assert [(outcome, name) for outcome, _anchor, name in links] == [
        ("failed", "test_hidden_api.py::test_city[&lt;script&gt;x&lt;/script&gt;]"),
        ("error", "test_hidden_parser.py::test_json_duplicates_last_wins")]
    for _outcome, anchor, _name in links:
        assert f'id="{anchor}"' in html
    assert "<script>x</script>" not in html
    assert "<details open>" in html  # the test panel is open, so the links land on a failure
    assert "Passed (2)" in correctness
    # Criteria without tags show no evidence block.
    assert "Hidden-test evidence" not in _fieldset(html, "Code design")


def test_before_grading_the_page_says_there_is_nothing_to_cite(app, client, tmp_path, auth) -> None:
    world = _world(app, tmp_path, graded=False)
    auth.client(client, world["email"])
    html = client.get(f"/submissions/{world['sub']}/review").text
    assert "The tests are still running" in _fieldset(html, "Correctness")
    assert "<details open>" not in html


def test_the_review_api_carries_tags_and_evidence(app, client, tmp_path) -> None:
    world = _world(app, tmp_path)
    data = client.get(f"/api/v1/submissions/{world['sub']}/review",
                      headers={"Authorization": f"Bearer {world['token']}"}).get_json()
    criteria = {c["name"]: c for c in data["criteria"]}
    assert criteria["Code design"] == {"name": "Code design", "tests": [], "test_evidence": None}
    correctness = criteria["Correctness"]
    assert correctness["tests"] == ["test_hidden_parser.py", "test_hidden_api.py"]
    evidence = correctness["test_evidence"]
    assert (evidence["state"], evidence["passed"], evidence["not_passed"], evidence["skipped"]) \
        == ("ready", 2, 2, 1)
    assert {"test": f"test_hidden_api.py::{HOSTILE}", "outcome": "failed"} in evidence["tests"]
    assert evidence["unmatched"] == [] and evidence["summary"].startswith("2 of 4")
