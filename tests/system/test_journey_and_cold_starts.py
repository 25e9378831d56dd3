"""`reciprocal serve` from outside: cold starts under concurrent load, the whole journey, and
double-sent candidate actions."""

from __future__ import annotations

import html
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

from tests.support.auth import Auth, csrf
from tests.support.served import (
    Served,
    assign_reviewer,
    clone_and_push_solution,
    invite,
    served_platform,
    started_candidate,
    wait_graded,
)

COLD_STARTS = 5


def _burst(requests_to_send: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, int | str]]:
    def send(item: tuple[str, dict[str, Any]]) -> tuple[str, int | str]:
        url, kwargs = item
        try:
            return url, requests.get(url, timeout=30, **kwargs).status_code
        except requests.RequestException as exc:
            return url, type(exc).__name__

    with ThreadPoolExecutor(len(requests_to_send)) as pool:
        return list(pool.map(send, requests_to_send))


def test_cold_starts_answer_a_burst_of_concurrent_requests(tmp_path: Path,
                                                          platform_ready: Any, auth: Auth) -> None:
    served = served_platform(tmp_path).start()
    candidate = invite(served)
    assert candidate.call("accept-terms").status_code == 200
    recruiter = auth.session(served, "recruiter").cookies.get_dict()
    served.stop()

    bearer = {"headers": {"Authorization": f"Bearer {served.tokens['recruiter']}"}}
    base = served.url
    burst = (
        [(f"{base}/api/v1/assignments", bearer)] * 5
        + [(f"{base}/api/v1/roles", bearer)] * 4
        + [(f"{base}/api/v1/invitations/{candidate.invitation_id}", bearer)] * 3
        + [(f"{base}/dashboard", {"cookies": recruiter})] * 4
        + [(f"{base}/outcomes/pipeline", {"cookies": recruiter})] * 2
        + [(f"{base}/c/{candidate.token}", {})] * 5
        + [(f"{base}/c/{candidate.token}/status.json", {})] * 2
        + [(f"{base}/login", {})] * 2
        + [(f"{base}/readyz", {})] * 3
    )
    assert len(burst) == 30
    for start in range(COLD_STARTS):
        served.start()
        answers = _burst(burst)
        served.stop()
        failed = [(url, status) for url, status in answers if status != 200]
        assert not failed, f"cold start {start + 1}: {failed}\n{served.log()[-4000:]}"
    assert "Traceback" not in served.log()


def test_the_whole_journey(served: Served, tmp_path: Path, auth: Auth) -> None:
    candidate = started_candidate(served)
    clone_and_push_solution(candidate, tmp_path / "candidate")
    submitted = candidate.call("submit")
    assert submitted.status_code == 201, submitted.text
    submission_id = submitted.json()["submission_id"]
    graded = wait_graded(served, submission_id)["grading"]
    assert graded["status"] == "passed" and graded["failed"] == 0 and graded["passed"] > 0

    assign_reviewer(served, submission_id)

    reviewer_token = served.tokens["reviewer"]
    files = served.api("GET", f"/api/v1/submissions/{submission_id}/files", reviewer_token)
    assert files.status_code == 200, files.text
    comment = served.api("POST", f"/api/v1/submissions/{submission_id}/comments", reviewer_token,
                         json={"path": "README.md", "line_start": 1, "line_end": 1,
                               "kind": "question", "body": "Why this data structure?"})
    assert comment.status_code == 201, comment.text

    reviewer = auth.session(served, "reviewer")
    form = reviewer.get(f"{served.url}/submissions/{submission_id}/review", timeout=30)
    criteria = len(re.findall(r'name="level-(\d+)" value="great"', form.text))
    assert criteria >= 3
    scorecard = {"csrf_token": csrf(form.text), "action": "submit", "recommendation": "yes",
                 "summary": "Clear and correct."}
    for index in range(criteria):
        scorecard[f"level-{index}"] = "good"
        scorecard[f"evidence-{index}"] = "All hidden tests pass; the code reads well."
    sent = reviewer.post(f"{served.url}/submissions/{submission_id}/review", data=scorecard,
                         timeout=30)
    assert sent.status_code == 200 and "Scorecard submitted" in sent.text, sent.text[:800]
    review = served.api("GET", f"/api/v1/submissions/{submission_id}/review",
                        served.tokens["recruiter"])
    assert review.status_code == 200 and review.json()["scorecards"], review.text

    draft = served.api("POST", f"/api/v1/submissions/{submission_id}/decision",
                       served.tokens["recruiter"],
                       json={"outcome": "reject", "reason": "Readable code"})
    assert draft.status_code == 200, draft.text
    decision = served.api("POST", f"/api/v1/submissions/{submission_id}/decision/send",
                          served.tokens["recruiter"], json={})
    assert decision.status_code == 202, decision.text
    portal = requests.get(f"{served.url}/c/{candidate.token}", timeout=30)
    assert portal.status_code == 200 and "Our decision" in portal.text
    first_paragraph = draft.json()["text"].split("\n\n")[0]
    assert html.escape(first_paragraph, quote=False) in portal.text


def _race(call: Any, times: int = 20) -> Counter[int]:
    with ThreadPoolExecutor(times) as pool:
        return Counter(pool.map(lambda _n: call().status_code, range(times)))


def test_double_sent_candidate_actions_have_one_winner(served: Served, tmp_path: Path) -> None:
    candidate = invite(served)
    assert _race(lambda: candidate.call("accept-terms")) == Counter({200: 1, 409: 19})
    assert _race(lambda: candidate.call("start")) == Counter({200: 1, 409: 19})
    clone_and_push_solution(candidate, tmp_path / "candidate")
    assert _race(lambda: candidate.call("submit")) == Counter({201: 1, 409: 19})
    invitation = served.api("GET", f"/api/v1/invitations/{candidate.invitation_id}",
                            served.tokens["recruiter"]).json()
    submission_id = invitation["submission_id"]
    assert wait_graded(served, submission_id)["runs"] == 1

    recruiter = served.tokens["recruiter"]
    decide = served.api("POST", f"/api/v1/submissions/{submission_id}/decision", recruiter,
                        json={"outcome": "advance", "reason": ""})
    assert decide.status_code == 200, decide.text
    send = _race(lambda: served.api("POST", f"/api/v1/submissions/{submission_id}/decision/send",
                                    recruiter, json={}), times=10)
    assert send == Counter({202: 1, 409: 9})
    assert "Traceback" not in served.log()
