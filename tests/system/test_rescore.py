"""Re-scoring after a fixed hidden test, against `reciprocal serve`: a hidden test is wrong, the
reference solution fails it; the admin fixes the test and syncs, previews the re-score (that
submission: failed -> passed), confirms; the API shows the new result current and the old one
superseded, the candidate's portal shows the notice, and the emails are in the outbox."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import requests

from tests.support.auth import Auth
from tests.support.paths import ROOT
from tests.support.served import (
    Served,
    assign_reviewer,
    clone_and_push_solution,
    served_platform,
    started_candidate,
    wait_graded,
)

WRONG = "def test_total_is_the_sum():\n    assert 1 + 1 == 3  # the mistake\n"
FIXED = "def test_total_is_the_sum():\n    assert 1 + 1 == 2\n"


def _ready(served: Served, rescore_id: int, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    data: dict[str, Any] = {}
    while time.monotonic() < deadline:
        answer = served.api("GET", f"/api/v1/rescores/{rescore_id}", served.admin_token)
        assert answer.status_code == 200, answer.text
        data = answer.json()
        if data["state"] != "previewing":
            return data
        time.sleep(0.5)
    raise AssertionError(f"re-score {rescore_id} not ready: {data}\n{served.log()[-4000:]}")


def test_a_fixed_hidden_test_rescores_the_submission(
        platform_ready, tmp_path: Path, auth: Auth) -> None:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "assignments" / "customer-directory", library / "customer-directory",
                    ignore=shutil.ignore_patterns("__pycache__"))
    wrong_test = library / "customer-directory" / "tests" / "test_hidden_total.py"
    wrong_test.write_text(WRONG)
    served = served_platform(tmp_path, RECIPROCAL_ASSIGNMENTS_DIR=str(library)).start()
    try:
        sam = started_candidate(served)
        clone_and_push_solution(sam, tmp_path / "sam")
        submitted = sam.call("submit")
        assert submitted.status_code == 201, submitted.text
        submission_id = submitted.json()["submission_id"]
        before = wait_graded(served, submission_id, timeout=240)["grading"]
        assign_reviewer(served, submission_id)
        assert before["status"] == "failed", before
        failing = [t["name"] for t in before["tests"] if t["outcome"] != "passed"]
        assert failing == ["test_total_is_the_sum"], failing

        wrong_test.write_text(FIXED)
        synced = served.reciprocal("assignments", "sync").stdout
        assert "customer-directory: the hidden tests changed; 1 graded" in synced, synced
        assert "reciprocal assignments rescore customer-directory --preview" in synced

        reviewer = served.api("POST", "/api/v1/assignments/customer-directory/rescore",
                              served.tokens["reviewer"], json={"preview": True})
        assert reviewer.status_code == 403
        started = served.api("POST", "/api/v1/assignments/customer-directory/rescore",
                             served.admin_token, json={"preview": True})
        assert started.status_code == 201, started.text
        rescore_id = started.json()["id"]
        again = served.api("POST", "/api/v1/assignments/customer-directory/rescore",
                           served.admin_token, json={"preview": True})
        assert again.status_code == 409
        # The preview does not replace the current result while it runs or once it is done.
        preview = _ready(served, rescore_id)
        assert preview["state"] == "ready" and preview["changed"] == [submission_id], preview
        (item,) = preview["submissions"]
        assert (item["status_before"], item["status_after"]) == ("failed", "passed")
        assert [(t["before"], t["after"]) for t in item["tests"]] == [("failed", "passed")]
        current = served.api("GET", f"/api/v1/submissions/{submission_id}", served.admin_token)
        assert current.json()["grading"]["id"] == before["id"]
        assert current.json()["grading"]["superseded"] == []

        shown = served.reciprocal("assignments", "rescore", "customer-directory").stdout
        assert f"submission {submission_id}: changes (failed -> passed)" in shown, shown
        assert "test_total_is_the_sum: failed -> passed" in shown
        confirmed = served.api("POST", f"/api/v1/rescores/{rescore_id}/confirm",
                               served.admin_token)
        assert confirmed.status_code == 200 and confirmed.json()["state"] == "confirmed"
        assert served.api("POST", f"/api/v1/rescores/{rescore_id}/confirm",
                          served.admin_token).status_code == 409

        after = served.api("GET", f"/api/v1/submissions/{submission_id}",
                           served.admin_token).json()["grading"]
        assert after["id"] == item["run_id"] and after["status"] == "passed"
        assert after["purpose"] == "rescore" and after["tests_version"] == preview["to_version"]
        (old,) = after["superseded"]
        assert old["id"] == before["id"] and old["status"] == "failed"
        assert old["superseded_by"] == after["id"]
        assert old["reason"] == "superseded by the fixed tests"

        portal = requests.get(f"{served.url}/c/{sam.token}", timeout=30).text
        assert "re-ran your submission on the fixed tests" in portal
        reviewer_page = auth.session(served, "reviewer").get(
            f"{served.url}/submissions/{submission_id}/code", timeout=30)
        assert reviewer_page.status_code == 200
        assert "Re-scored on the fixed hidden tests" in reviewer_page.text
        assert "superseded by the fixed tests" in reviewer_page.text
        outbox = auth.session(served, "admin").get(f"{served.url}/outcomes/outbox", timeout=30).text
        assert "Your Customer directory service result was re-scored" in outbox, outbox[:3000]
        assert f"Re-scored: submission {submission_id}" in outbox
    finally:
        served.stop()
