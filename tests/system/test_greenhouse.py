"""Greenhouse, played from outside against `reciprocal serve`: a client speaking the Assessment
Partner protocol (HTTP Basic with the org key as username) lists the tests, sends one, and the
candidate takes it from the email Reciprocal sends them (real SMTP server), through git, grading
and review; Greenhouse then sees the status move to complete and receives the PATCH callback on
its own HTTP server (loopback, allowlisted with RECIPROCAL_WEBHOOK_ALLOW_HOSTS). Bad keys,
unknown ids and malformed bodies get the documented errors."""

from __future__ import annotations

import base64
import re
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import HTTPServer
from pathlib import Path
from typing import Any

import requests

from tests.support.auth import Auth, csrf
from tests.support.greenhouse_receiver import Callbacks, greenhouse_receiver
from tests.support.outcomes import body_of, smtp_server
from tests.support.served import (
    ROLE,
    Candidate,
    Served,
    assign_reviewer,
    clone_and_push_solution,
    served_platform,
    wait_graded,
)

GH = "/integrations/greenhouse"
PORTAL_RE = re.compile(r"(http://127\.0\.0\.1:\d+)/c/([A-Za-z0-9_\-]+)")


class Greenhouse:
    """The calls Greenhouse makes, with the org key as the Basic username and no password."""

    def __init__(self, served: Served, key: str | None) -> None:
        self.served, self.key = served, key

    def call(self, method: str, name: str, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.key is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(
                f"{self.key}:".encode()).decode()
        return requests.request(method, f"{self.served.url}{GH}/{name}", headers=headers,
                                timeout=30, **kwargs)

    def send_test(self, test_id: Any, url: str, **candidate: Any) -> requests.Response:
        person = {"first_name": "Harriet", "last_name": "Quinn", "preferred_name": "Hat",
                  "email": "harriet@example.com", "phone_number": "123-456-7890",
                  "resume_url": "https://app.greenhouse.io/resume/1",
                  "greenhouse_profile_url":
                      "https://app.greenhouse.io/people/17681532?application_id=26234709"}
        person.update(candidate)
        return self.call("POST", "send_test", json={
            "partner_test_id": test_id, "candidate": person,
            "sent_by": "recruiter@example.com", "url": url})

    def status(self, interview_id: str) -> dict[str, Any]:
        answer = self.call("GET", "test_status", params={"partner_interview_id": interview_id})
        assert answer.status_code == 200, answer.text
        return dict(answer.json())


def _wait(check: Any, what: str, served: Served, timeout: float = 180) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {timeout} s\n{served.log()[-4000:]}")


def _review(served: Served, auth: Auth, submission_id: int) -> None:
    """The recruiter assigns the reviewer, who submits a scorecard (as in the whole journey)."""
    assign_reviewer(served, submission_id)
    reviewer = auth.session(served, "reviewer")
    form = reviewer.get(f"{served.url}/submissions/{submission_id}/review", timeout=30)
    assert "Harriet" not in form.text and "Quinn" not in form.text  # blind review holds
    criteria = len(re.findall(r'name="level-(\d+)" value="great"', form.text))
    card = {"csrf_token": csrf(form.text), "action": "submit", "recommendation": "yes",
            "summary": "Clear and correct."}
    for index in range(criteria):
        card[f"level-{index}"] = "great"
        card[f"evidence-{index}"] = "Every hidden test passes and the code reads well."
    sent = reviewer.post(f"{served.url}/submissions/{submission_id}/review", data=card,
                         timeout=30)
    assert sent.status_code == 200 and "Scorecard submitted" in sent.text, sent.text[:800]


def test_greenhouse_sends_a_test_and_gets_the_result_back(tmp_path: Path, platform_ready: Any,
                                                          auth: Auth) -> None:
    with greenhouse_receiver() as receiver, smtp_server() as (inbox, smtp_port):
        served = served_platform(tmp_path, RECIPROCAL_WEBHOOK_ALLOW_HOSTS="127.0.0.1",
                                 RECIPROCAL_SMTP_HOST="127.0.0.1",
                                 RECIPROCAL_SMTP_PORT=str(smtp_port))
        made = served.reciprocal("integrations", "greenhouse", "key")
        key = made.stdout.strip()
        assert key.startswith("rgh_") and len(key) < 171 and "\n" not in key
        served.start()
        try:
            _journey(served, auth, Greenhouse(served, key), receiver, inbox)
            _errors(served, Greenhouse(served, key))
        finally:
            served.stop()
        assert "Traceback" not in served.log()


def _journey(served: Served, auth: Auth, greenhouse: Greenhouse, receiver: HTTPServer,
             inbox: Any) -> None:
    role = served.api("POST", "/api/v1/roles", served.tokens["recruiter"], json=ROLE)
    assert role.status_code == 201, role.text
    listed = greenhouse.call("GET", "list_tests")
    assert listed.status_code == 200, listed.text
    tests = listed.json()
    assert isinstance(tests, list) and all(set(t) == {"partner_test_id", "partner_test_name"}
                                           for t in tests)
    test_id = f"{role.json()['id']}:customer-directory"
    chosen = next(t for t in tests if t["partner_test_id"] == test_id)
    assert chosen["partner_test_name"].startswith("Backend Engineer (Platform): ")

    callback_url = f"http://127.0.0.1:{receiver.server_port}/take_home_tests/12345"
    sent = greenhouse.send_test(test_id, callback_url)
    assert sent.status_code == 200, sent.text
    assert list(sent.json()) == ["partner_interview_id"]
    interview_id = sent.json()["partner_interview_id"]
    assert greenhouse.status(interview_id)["partner_status"] == "sent"

    # The candidate's email, through the real SMTP server: their private link and the rules.
    email = _wait(lambda: inbox.messages, "the invitation email", served)[0]
    assert email["To"] == "harriet@example.com"
    text = body_of(email)
    assert "70,000 to 90,000 EUR" in text and "Hello Hat" in text
    base, token = PORTAL_RE.search(text).groups()  # type: ignore[union-attr]
    assert base == served.url
    candidate = Candidate(served, 0, token, f"{served.url}/git/{token}/customer-directory.git")
    portal = requests.get(f"{served.url}/c/{token}", timeout=30)
    assert portal.status_code == 200 and "70,000" in portal.text
    assert candidate.call("start").status_code == 409  # the terms first, whatever Greenhouse said
    assert candidate.call("accept-terms").status_code == 200
    assert candidate.call("start").status_code == 200
    assert greenhouse.status(interview_id)["partner_status"] == "started"

    clone_and_push_solution(candidate, served.data_dir.parent / "candidate")
    submitted = candidate.call("submit")
    assert submitted.status_code == 201, submitted.text
    submission_id = submitted.json()["submission_id"]
    graded = wait_graded(served, submission_id)["grading"]
    assert graded["status"] == "passed", f"{graded}"
    waiting = greenhouse.status(interview_id)
    assert waiting == {"partner_status": "graded", "partner_profile_url": None,
                       "partner_score": None, "metadata": None}
    assert receiver and not Callbacks.received

    _review(served, auth, submission_id)
    path, headers, body = _wait(lambda: Callbacks.received, "the PATCH callback",
                                served)[0]
    assert path == "/take_home_tests/12345" and body == b""
    credentials = base64.b64decode(headers["Authorization"].split(" ", 1)[1])
    assert credentials == f"{greenhouse.key}:".encode()

    done = greenhouse.status(interview_id)
    assert done["partner_status"] == "complete"
    assert done["partner_profile_url"] == f"{served.url}/submissions/{submission_id}"
    assert done["partner_score"] == 100
    metadata = done["metadata"]
    assert metadata["Scorecards"] == "1 of 1" and "Clear and correct." in metadata["Summary"]
    assert all(isinstance(value, str | int | float | bool) for value in metadata.values())
    again = greenhouse.send_test(test_id, callback_url)  # a retried send_test: no second invite
    assert again.json() == {"partner_interview_id": interview_id}

    # Copies of one send_test racing each other: one invitation, one id for all of them.
    race_url = f"http://127.0.0.1:{receiver.server_port}/take_home_tests/555"
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _n: greenhouse.send_test(
            test_id, race_url, email="racer@example.com"), range(8)))
    assert {a.status_code for a in answers} == {200}, [a.text for a in answers]
    assert len({a.json()["partner_interview_id"] for a in answers}) == 1


def _errors(served: Served, greenhouse: Greenhouse) -> None:
    nobody = Greenhouse(served, None)
    assert nobody.call("GET", "list_tests").status_code == 401
    forged = Greenhouse(served, "rgh_0000000000000000_" + "A" * 43)
    refused = forged.call("GET", "list_tests")
    assert refused.status_code == 401 and "error" in refused.json()
    assert forged.call("GET", "test_status", params={"partner_interview_id": "x"}
                       ).status_code == 401

    url = "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/999"
    unknown = greenhouse.send_test("999999:customer-directory", url)
    assert unknown.status_code == 404 and "error" in unknown.json()
    assert greenhouse.send_test("not-a-test", url).status_code == 404
    no_instance = greenhouse.call("GET", "test_status", params={"partner_interview_id": "gh-x"})
    assert no_instance.status_code == 404 and "error" in no_instance.json()

    malformed = [
        greenhouse.call("POST", "send_test", data="{not json",
                        headers={"Content-Type": "application/json"}),
        greenhouse.call("POST", "send_test", json=["a", "list"]),
        greenhouse.send_test(None, url),
        greenhouse.send_test("1:customer-directory", "javascript:alert(1)"),
        greenhouse.send_test("1:customer-directory", url, email=None),
        greenhouse.call("GET", "test_status"),
        greenhouse.call("POST", "response_error", json={"api_call": "list_tests"}),
    ]
    for answer in malformed:
        assert answer.status_code == 400 and answer.json()["error"], answer.text
    reported = greenhouse.call("POST", "response_error", json={
        "api_call": "test_status", "errors": ["partner_score is not a number"],
        "partner_interview_id": "gh-x"})
    assert reported.status_code == 200 and reported.json() == {"status": 200}
    big = greenhouse.call("POST", "send_test", data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
                          headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and "error" in big.json()
