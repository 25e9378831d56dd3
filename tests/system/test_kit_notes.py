"""Interview-kit notes per reviewer, against `reciprocal serve` from outside: reviewer B neither
reads nor overwrites reviewer A's closing verdict before submitting a scorecard, reads it after,
and the recruiter sees both notes with their authors, in the page and in the API."""

from __future__ import annotations

import html
import re
from pathlib import Path

import requests

from tests.support.auth import PASSWORD, Auth, csrf
from tests.support.served import (
    TOKEN_RE,
    Served,
    assign_reviewer,
    clone_and_push_solution,
    started_candidate,
    wait_graded,
)

SECOND = "second-reviewer@served.example"
A_VERDICT = "A-VERDICT: strong hire, argued the trade-offs well"
B_VERDICT = "B-VERDICT: not convinced about the error handling"


def _second_reviewer(served: Served, auth: Auth) -> tuple[requests.Session, str]:
    served.reciprocal("users", "create", "--email", SECOND, "--role", "reviewer",
                      "--name", "Second Reviewer", input=f"{PASSWORD}\n")
    token = TOKEN_RE.findall(served.reciprocal("tokens", "create", "--email", SECOND).stdout)[-1]
    return auth.session(served, SECOND), token


def _kit_page(served: Served, session: requests.Session, submission_id: int) -> str:
    page = session.get(f"{served.url}/submissions/{submission_id}/kit", timeout=30)
    assert page.status_code == 200, page.text[:500]
    return page.text


def _save_fit(served: Served, session: requests.Session, submission_id: int,
              answer: str) -> None:
    page = _kit_page(served, session, submission_id)
    saved = session.post(f"{served.url}/submissions/{submission_id}/kit/notes", timeout=30,
                         data={"csrf_token": csrf(page), "section": "fit", "answer": answer})
    assert saved.status_code == 200 and "Notes saved" in saved.text, saved.text[:500]


def _submit_scorecard(served: Served, session: requests.Session, submission_id: int) -> None:
    form = session.get(f"{served.url}/submissions/{submission_id}/review", timeout=30)
    criteria = len(re.findall(r'name="level-(\d+)" value="great"', form.text))
    assert criteria >= 3
    data = {"csrf_token": csrf(form.text), "action": "submit", "recommendation": "yes",
            "summary": "Clear and correct."}
    for index in range(criteria):
        data[f"level-{index}"] = "good"
        data[f"evidence-{index}"] = "All hidden tests pass; the code reads well."
    sent = session.post(f"{served.url}/submissions/{submission_id}/review", data=data,
                        timeout=30)
    assert sent.status_code == 200 and "Scorecard submitted" in sent.text, sent.text[:800]


def _fit(served: Served, token: str, submission_id: int) -> dict:
    kit = served.api("GET", f"/api/v1/submissions/{submission_id}/interview-kit", token)
    assert kit.status_code == 200, kit.text
    return next(c for c in kit.json()["closing"] if c["section"] == "fit")


def test_kit_notes_are_per_reviewer_and_hidden_until_own_scorecard(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    candidate = started_candidate(served)
    clone_and_push_solution(candidate, tmp_path / "candidate")
    submitted = candidate.call("submit")
    assert submitted.status_code == 201, submitted.text
    sid = submitted.json()["submission_id"]
    wait_graded(served, sid)

    second, second_token = _second_reviewer(served, auth)
    recruiter = auth.session(served, "recruiter")
    assign_reviewer(served, sid, "Reviewer Person", recruiter=recruiter)
    assign_reviewer(served, sid, "Second Reviewer", recruiter=recruiter)

    first = auth.session(served, "reviewer")
    _save_fit(served, first, sid, A_VERDICT)
    _submit_scorecard(served, first, sid)

    # B, before their own scorecard: A's verdict is in neither the page nor the API.
    assert A_VERDICT not in _kit_page(served, second, sid)
    fit = _fit(served, second_token, sid)
    assert fit["answer"] == "" and fit["by_author"] == []
    # B's save writes B's own note; A's stays as A wrote it.
    _save_fit(served, second, sid, B_VERDICT)
    assert A_VERDICT not in _kit_page(served, second, sid)
    fit = _fit(served, second_token, sid)
    assert fit["answer"] == B_VERDICT
    assert [(n["author"], n["answer"]) for n in fit["by_author"]] == [
        ("Second Reviewer", B_VERDICT)]
    assert _fit(served, served.tokens["reviewer"], sid)["answer"] == A_VERDICT

    # After B's scorecard, B reads A's note with A's name.
    _submit_scorecard(served, second, sid)
    page = _kit_page(served, second, sid)
    assert html.escape(A_VERDICT) in page and "Reviewer Person" in page
    assert [(n["author"], n["own"], n["answer"]) for n in
            _fit(served, second_token, sid)["by_author"]] == [
        ("Second Reviewer", True, B_VERDICT), ("Reviewer Person", False, A_VERDICT)]

    # The recruiter sees both, each with its author.
    page = _kit_page(served, recruiter, sid)
    for text in (A_VERDICT, B_VERDICT, "Reviewer Person", "Second Reviewer"):
        assert html.escape(text) in page
    assert sorted((n["author"], n["answer"]) for n in
                  _fit(served, served.tokens["recruiter"], sid)["by_author"]) == [
        ("Reviewer Person", A_VERDICT), ("Second Reviewer", B_VERDICT)]
    assert "Traceback" not in served.log()
