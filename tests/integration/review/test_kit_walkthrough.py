"""The interview kit's walkthrough (page and API) with a real submission, repository, grading
result and comments: the largest changed functions, the code around a failing tagged hidden
test, every follow-up question in file order, and one change to make live."""

from __future__ import annotations

import re
from typing import Any

from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.models import Submission
from reciprocal.review import operations as review

from tests.support import factories
from tests.support import review as rs

TRACEBACK = ('Traceback (most recent call last):\n'
             '  File "/tests/test_hidden_api.py", line 3, in t\n'
             '  File "/work/src/app.py", line 26, in f9\nAssertionError: <b>9</b>')


def _record(sub: Submission) -> None:
    run = sub.latest_run
    assert grading.claim(run.id, run.rq_job_id) is not None
    tests = [("test_hidden_api.py", "test_healthz", "passed", ""),
             ("test_hidden_api.py", "test_f9", "failed", TRACEBACK),
             ("test_hidden_parser.py", "test_rows", "failed", "expected 1, got 2")]
    grading.record_result(run.id, run.rq_job_id, {
        "status": "failed", "reason": "2 of 3 tests did not pass", "passed": 1, "failed": 2,
        "errors": 0, "skipped": 0,
        "tests": [{"name": n, "classname": c, "outcome": o, "duration": 0.1, "message": m}
                  for c, n, o, m in tests]})
    db.session.commit()


def _world(app: Any, tmp_path: Any) -> dict[str, Any]:
    with app.app_context():
        sub = rs.submission(tmp_path)
        alice = rs.reviewer_on(sub, "alice@example.com")
        _record(sub)
        review.add_comment(sub, alice, path="src/app.py", line_start=19, line_end=20,
                           kind="question", body="Why <b>f7</b> this way?")
        review.add_comment(sub, alice, path="src/app.py", line_start=23, line_end=23,
                           kind="change", body="Make f8 reject None")
        review.add_comment(sub, alice, path="src/app.py", line_start=13, line_end=14,
                           kind="change", body="Rename f5 to <i>add_five</i>")
        db.session.commit()
        return {"sub": sub.id, "email": alice.email, "token": factories.api_token(alice)}


def test_kit_page_walks_through_the_code_in_file_order(app, client, tmp_path, auth) -> None:
    world = _world(app, tmp_path)
    auth.client(client, world["email"])
    html = client.get(f"/submissions/{world['sub']}/kit").text
    section = html[html.index('id="walkthrough"'):html.index("Follow-up questions (")]
    heads = re.findall(r"<h3>([^<]*) <span class=\"muted\">lines (\d+)\W(\d+)</span></h3>",
                       section)
    assert heads == [("src/app.py", "1", "2"), ("src/app.py", "4", "5"),
                     ("src/app.py", "7", "8"), ("src/app.py", "17", "22"),
                     ("src/app.py", "25", "26")]
    assert "Largest changed function f1: 2 lines added against the starter" in section
    assert ("Failing hidden test test_hidden_api.py::test_f9 (tagged for Correctness): its "
            "failure points at line 26") in section
    assert "Follow-up question: Why &lt;b&gt;f7&lt;/b&gt; this way?" in section
    assert "<b>" not in section and "<i>" not in section
    # The failure that names no line of the candidate's code is still listed.
    assert "test_hidden_parser.py::test_rows (tagged for Correctness)" in section
    # One change, the first in file order; the other offered as an alternative.
    live = section[section.index('id="live-change-h"'):]
    assert live.index("Rename f5 to &lt;i&gt;add_five&lt;/i&gt;") < live.index("Make f8 reject")
    assert "1 other change reviewers suggested" in live
    assert "The candidate was told in the invitation" in section


def test_kit_api_carries_the_walkthrough(app, client, tmp_path) -> None:
    world = _world(app, tmp_path)
    data = client.get(f"/api/v1/submissions/{world['sub']}/interview-kit",
                      headers={"Authorization": f"Bearer {world['token']}"}).get_json()
    plan = data["walkthrough"]
    assert [(r["path"], r["line_start"], r["line_end"]) for r in plan["regions"]] == [
        ("src/app.py", 1, 2), ("src/app.py", 4, 5), ("src/app.py", 7, 8), ("src/app.py", 17, 22),
        ("src/app.py", 25, 26)]
    failure = plan["regions"][4]
    assert failure["reasons"][0]["kind"] == "failure" and failure["focus"] == [26]
    assert failure["code"] == [{"line": 25, "text": "def f9(x):"},
                               {"line": 26, "text": "    return x + 9"}]
    question = plan["regions"][3]
    assert question["reasons"][0]["kind"] == "question" and "comment_id" in question["reasons"][0]
    assert question["focus"] == [19, 20]
    assert plan["change"]["body"] == "Rename f5 to <i>add_five</i>"
    assert plan["change"]["context"][0] == {"line": 10, "text": "def f4(x):"}
    assert [c["body"] for c in plan["other_changes"]] == ["Make f8 reject None"]
    assert plan["unplaced_failures"] == [
        "Failing hidden test test_hidden_parser.py::test_rows (tagged for Correctness)"]


def test_change_kind_is_accepted_everywhere_comment_kinds_are(app, client, tmp_path) -> None:
    world = _world(app, tmp_path)
    headers = {"Authorization": f"Bearer {world['token']}"}
    made = client.post(f"/api/v1/submissions/{world['sub']}/comments", headers=headers, json={
        "path": "src/app.py", "line_start": 2, "kind": "change", "body": "Add a docstring"})
    assert made.status_code == 201 and made.get_json()["kind"] == "change"
    bad = client.post(f"/api/v1/submissions/{world['sub']}/comments", headers=headers, json={
        "path": "src/app.py", "line_start": 2, "kind": "wish", "body": "x"})
    assert bad.status_code == 422 and "change" in bad.get_json()["error"]
