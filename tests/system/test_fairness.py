"""Fairness for the candidate, against `reciprocal serve` from outside: a private accommodation
before the start, extensions asked for and granted, and a candidate's notes on their result."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import requests

from tests.support.auth import Auth
from tests.support.served import (
    Candidate,
    Served,
    assign_reviewer,
    clone_and_push_solution,
    git,
    invite,
    started_candidate,
    wait_graded,
)

NOTE = "I read slowly because of dyslexia; please allow extra time."


def _invitation(served: Served, candidate: Candidate) -> dict:
    found = served.api("GET", f"/api/v1/invitations/{candidate.invitation_id}",
                       served.tokens["recruiter"])
    assert found.status_code == 200, found.text
    return found.json()


def test_a_private_accommodation_applies_at_once_and_stays_private(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    sam = invite(served)
    standard = _invitation(served, sam)["time_cap_minutes"]
    assert sam.call("accept-terms").status_code == 200
    bad = sam.call("accommodation", json={"extra_time_percent": 30})
    assert bad.status_code == 422 and "0, 25, 50 or 100" in bad.text
    asked = sam.call("accommodation", json={"extra_time_percent": 50, "note": NOTE})
    assert asked.status_code == 200, asked.text
    assert asked.json()["time_cap_minutes"] == standard + standard // 2
    seen = _invitation(served, sam)
    assert seen["accommodation"] == {"extra_time_percent": 50, "note": None,
                                     "base_time_cap_minutes": standard}
    # Shared with the recruiter on purpose: then, and only then, they read the note.
    shared = sam.call("accommodation", json={"extra_time_percent": 50, "note": NOTE,
                                             "share_note_with_recruiter": True})
    assert shared.status_code == 200 and shared.json()["time_cap_minutes"] == standard * 3 // 2
    assert _invitation(served, sam)["accommodation"]["note"] == NOTE

    started = sam.call("start")
    assert started.status_code == 200, started.text
    data = started.json()
    deadline = datetime.fromisoformat(data["deadline_at"])
    assert deadline - datetime.fromisoformat(data["started_at"]) == timedelta(
        minutes=standard * 3 // 2)
    late = sam.call("accommodation", json={"extra_time_percent": 100})
    assert late.status_code == 409 and "extension" in late.text

    clone_and_push_solution(sam, tmp_path / "sam")
    submitted = sam.call("submit")
    assert submitted.status_code == 201, submitted.text
    submission_id = submitted.json()["submission_id"]
    assign_reviewer(served, submission_id, unless_assigned=True)
    reviewer = auth.session(served, "reviewer")
    raised = f"{standard * 3 // 2 // 60} h {standard * 3 // 2 % 60}"  # "4 h 30"
    for path in ("", "/review", "/interview-kit"):
        answer = served.api("GET", f"/api/v1/submissions/{submission_id}{path}",
                            served.tokens["reviewer"])
        assert answer.status_code == 200, (path, answer.text)
        assert "dyslexia" not in answer.text and "accommodation" not in answer.text, path
    # Not even as a raised cap: reviewers read the standard one.
    seen = served.api("GET", f"/api/v1/submissions/{submission_id}",
                      served.tokens["reviewer"]).json()
    assert seen["time_cap_minutes"] == standard
    assert seen["time_used_seconds"] < submitted.json()["time_used_seconds"] or \
        submitted.json()["time_used_seconds"] < 3  # measured on the standard cap
    staff_view = served.api("GET", f"/api/v1/submissions/{submission_id}",
                            served.tokens["recruiter"]).json()
    assert staff_view["time_cap_minutes"] == standard * 3 // 2
    for tab in ("", "/history", "/review", "/kit"):
        text = reviewer.get(f"{served.url}/submissions/{submission_id}{tab}", timeout=30).text
        assert "dyslexia" not in text and "+50% time" not in text, tab
        assert raised not in text, tab
    history = reviewer.get(f"{served.url}/submissions/{submission_id}/history", timeout=30).text
    assert f"Time cap {standard // 60} h {standard % 60} min" in history
    dashboard = auth.session(served, "recruiter").get(f"{served.url}/dashboard", timeout=30).text
    assert "+50% time" in dashboard


def test_extensions_are_asked_for_decided_and_granted(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    sam = started_candidate(served)
    before = datetime.fromisoformat(_invitation(served, sam)["deadline_at"])
    asked = sam.call("extension-request", json={"minutes": 45, "reason": "A power cut here."})
    assert asked.status_code == 201 and asked.json()["status"] == "pending", asked.text
    again = sam.call("extension-request", json={"minutes": 30, "reason": "And another."})
    assert again.status_code == 409
    assert sam.call("extension-request", json={"minutes": 0, "reason": "x"}).status_code == 422

    recruiter = served.tokens["recruiter"]
    # Every pending request of the platform: this module's other tests ask for none.
    pending = [r for r in served.api("GET", "/api/v1/extension-requests", recruiter).json()
               if r["invitation_id"] == sam.invitation_id]
    assert [r["id"] for r in pending] == [asked.json()["id"]]
    refused = served.api("POST", f"/api/v1/extension-requests/{pending[0]['id']}", recruiter,
                         json={"approve": False})
    assert refused.status_code == 422 and "reason" in refused.text  # declining needs a reason
    approved = served.api("POST", f"/api/v1/extension-requests/{pending[0]['id']}", recruiter,
                          json={"approve": True, "reason": "Of course."})
    assert approved.status_code == 200, approved.text
    after = datetime.fromisoformat(approved.json()["invitation"]["deadline_at"])
    assert after - before == timedelta(minutes=45)
    twice = served.api("POST", f"/api/v1/extension-requests/{pending[0]['id']}", recruiter,
                       json={"approve": True})
    assert twice.status_code == 409

    granted = served.api("POST", f"/api/v1/invitations/{sam.invitation_id}/extension", recruiter,
                         json={"minutes": 30, "reason": "Our CI was down for half an hour."})
    assert granted.status_code == 200, granted.text
    assert datetime.fromisoformat(granted.json()["deadline_at"]) - before == timedelta(minutes=75)
    reviewer = served.api("POST", f"/api/v1/invitations/{sam.invitation_id}/extension",
                          served.tokens["reviewer"], json={"minutes": 30, "reason": "x"})
    assert reviewer.status_code == 403

    # Both sides are told, and the push window follows the deadline: a push still lands.
    outbox = auth.session(served, "admin").get(f"{served.url}/outcomes/outbox", timeout=30).text
    assert "asks for more time" in outbox and "You have 45 more minutes" in outbox
    assert "You have 30 more minutes" in outbox
    clone_and_push_solution(sam, tmp_path / "sam")
    portal = requests.get(f"{served.url}/c/{sam.token}", timeout=30).text
    assert "granted" in portal and "Of course." in portal
    submitted = sam.call("submit")
    assert submitted.status_code == 201 and submitted.json()["late"] is False
    closed = sam.call("extension-request", json={"minutes": 30, "reason": "More?"})
    assert closed.status_code == 409


def test_a_candidate_writes_notes_on_a_failing_result(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    sam = started_candidate(served)
    git("clone", "-q", sam.git_url, "work", cwd=tmp_path)  # the untouched starter fails tests
    early = sam.call("result-notes", json={"criterion": "Correctness", "body": "Hi"})
    assert early.status_code == 409  # nothing submitted yet
    submitted = sam.call("submit")
    assert submitted.status_code == 201, submitted.text
    submission_id = submitted.json()["submission_id"]
    graded = wait_graded(served, submission_id, timeout=240)
    failing = [t for t in graded["grading"]["tests"] if t["outcome"] != "passed"]
    assert failing, graded["grading"]
    test = failing[0]
    test_id = f"{test['classname']}::{test['name']}" if test.get("classname") else test["name"]

    note = sam.call("result-notes", json={"test": test_id,
                                          "body": "The README says names are trimmed."})
    assert note.status_code == 201, note.text
    wrong = sam.call("result-notes", json={"test": "no_such_test", "body": "x"})
    assert wrong.status_code == 422
    criterion = "Correctness"  # the first rubric criterion of customer-directory
    on_criterion = sam.call("result-notes", json={"criterion": criterion,
                                                  "body": "I chose clarity over speed."})
    assert on_criterion.status_code == 201, on_criterion.text

    assign_reviewer(served, submission_id, unless_assigned=True)
    reviewer = auth.session(served, "reviewer")
    page = reviewer.get(f"{served.url}/submissions/{submission_id}/code", timeout=30).text
    assert "names are trimmed" in page and "clarity over speed" in page
    kit = served.api("GET", f"/api/v1/submissions/{submission_id}/interview-kit",
                     served.tokens["reviewer"]).json()
    assert {n["body"] for n in kit["candidate_notes"]} == {
        "The README says names are trimmed.", "I chose clarity over speed."}

    recruiter = served.tokens["recruiter"]
    assert served.api("POST", f"/api/v1/submissions/{submission_id}/decision", recruiter,
                      json={"outcome": "advance", "reason": ""}).status_code == 200
    closed = sam.call("result-notes", json={"criterion": criterion, "body": "Late."})
    assert closed.status_code == 409 and "close" in closed.text
