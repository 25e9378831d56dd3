"""Similarity checks against `reciprocal serve`, from outside over HTTP and git: two candidates
submit (one a renamed, reordered, re-commented copy of the other), grading finishes, the similarity
check runs on its own queue, the API answers done with a match above the threshold, the badge shows
on the queue and the submission page, and "ask the candidate to explain" reaches the candidate's
portal, whose answer the recruiter then reads."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import requests

from tests.support.auth import Auth, csrf
from tests.support.disguise import disguise
from tests.support.paths import ROOT
from tests.support.served import (
    Served,
    clone_and_push_solution,
    git,
    started_candidate,
    wait_graded,
)

SOLUTION = ROOT / "assignments" / "customer-directory" / "solution"


def push_disguised_copy(candidate: Any, workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    git("clone", "-q", candidate.git_url, "work", cwd=workdir)
    tree = workdir / "work"
    for path in SOLUTION.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            target = tree / path.relative_to(SOLUTION)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".py" and path.parent.name == "directory":
                text = disguise(path.name, text, seed=23)
            target.write_text(text, encoding="utf-8")
    git("add", "-A", cwd=tree)
    git("commit", "-q", "-m", "All my own work", cwd=tree)
    git("push", "-q", "origin", "HEAD:main", cwd=tree)


def wait_similarity(served: Served, submission_id: int, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        answer = served.api("GET", f"/api/v1/submissions/{submission_id}/similarity",
                            served.tokens["recruiter"])
        assert answer.status_code == 200, answer.text
        body = answer.json()
        if body["status"] == "done":
            return body
        time.sleep(0.5)
    raise AssertionError(f"similarity of {submission_id} not done within {timeout} s: {body}\n"
                         f"{served.log()[-4000:]}")


def test_a_renamed_copy_is_flagged_and_the_candidate_is_asked(served: Served,
                                                              tmp_path: Path, auth: Auth) -> None:
    sam = started_candidate(served, name="Sam Original")
    clone_and_push_solution(sam, tmp_path / "sam")
    first = sam.call("submit")
    assert first.status_code == 201, first.text
    original = first.json()["submission_id"]
    wait_graded(served, original, timeout=240)
    wait_similarity(served, original)

    alex = started_candidate(served, name="Alex Copier")
    push_disguised_copy(alex, tmp_path / "alex")
    second = alex.call("submit")
    assert second.status_code == 201, second.text
    copy = second.json()["submission_id"]
    wait_graded(served, copy, timeout=240)

    body = wait_similarity(served, copy)
    assert body["flagged"] is True
    match = next(m for m in body["matches"] if m["submission_id"] == original)
    assert match["source"] == "submission" and match["score"] >= body["threshold"]
    assert match["score"] >= 0.8 and match["regions"]
    assert served.api("GET", "/api/v1/submissions/999999/similarity",
                      served.tokens["recruiter"]).status_code == 404

    recruiter = auth.session(served, "recruiter")
    queue = recruiter.get(f"{served.url}/queue", timeout=30).text
    assert "similarity-flag" in queue and f"/submissions/{copy}/similarity" in queue
    summary = recruiter.get(f"{served.url}/submissions/{copy}", timeout=30).text
    assert "resemble other code" in summary
    page = recruiter.get(f"{served.url}/submissions/{copy}/similarity", timeout=30)
    assert page.status_code == 200 and 'class="side-by-side"' in page.text
    asked = recruiter.post(f"{served.url}/submissions/{copy}/similarity/explain", timeout=30,
                           data={"csrf_token": csrf(page.text),
                                 "body": "Could you walk us through how you wrote the parser?"})
    assert asked.status_code == 200 and "Waiting for the candidate" in asked.text

    portal_session = requests.Session()
    portal = portal_session.get(f"{served.url}/c/{alex.token}", timeout=30)
    assert "Could you walk us through how you wrote the parser?" in portal.text
    request_id = portal.text.split("/explanations/")[1].split('"')[0]
    answered = portal_session.post(
        f"{served.url}/c/{alex.token}/explanations/{request_id}", timeout=30,
        data={"csrf_token": csrf(portal.text), "answer": "I pair-programmed with a friend."})
    assert answered.status_code == 200 and "Your answer" in answered.text
    again = recruiter.get(f"{served.url}/submissions/{copy}/similarity", timeout=30).text
    assert "I pair-programmed with a friend." in again
