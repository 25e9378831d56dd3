"""What a reviewer can reach, against `reciprocal serve` from outside: a reviewer session walking
submission ids to assign itself, reading the candidate's name off the commit history of a blind
review, and reading or answering the questions of candidates it does not review."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from tests.support.auth import Auth, csrf
from tests.support.served import (
    Candidate,
    Served,
    assign_reviewer,
    clone_and_push_solution,
    started_candidate,
)

NAME, EMAIL = "Sam Candidate", "sam@example.com"  # the git author of the pushed commit


def ask(served: Served, candidate: Candidate, body: str) -> None:
    session = requests.Session()
    portal = session.get(f"{served.url}/c/{candidate.token}", timeout=30)
    asked = session.post(f"{served.url}/c/{candidate.token}/questions", timeout=30,
                         data={"csrf_token": csrf(portal.text), "body": body})
    assert asked.status_code == 200, asked.text[:500]


def question_ids(page: str) -> dict[str, int]:
    """Question body -> id, from the inbox's answer forms."""
    found = re.findall(r"<p><strong>(.*?)</strong></p>.*?/outcomes/questions/(\d+)/answer", page,
                       re.S)
    return {body: int(qid) for body, qid in found}


def test_a_reviewer_reaches_only_what_it_is_assigned(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    sam = started_candidate(served, name=NAME)
    ask(served, sam, "May I use sqlite for the index?")
    clone_and_push_solution(sam, tmp_path / "sam")
    submitted = sam.call("submit")
    assert submitted.status_code == 201, submitted.text
    mine = submitted.json()["submission_id"]
    alex = started_candidate(served, name="Alex Other")
    ask(served, alex, "Is the time cap strict for me?")
    other_submit = alex.call("submit")
    assert other_submit.status_code == 201, other_submit.text
    other = other_submit.json()["submission_id"]

    recruiter = assign_reviewer(served, mine)
    ids = question_ids(recruiter.get(f"{served.url}/outcomes/questions", timeout=30).text)
    assert len(ids) == 2, ids

    # Walking ids: every POST answers the same 404, and nothing new is assigned.
    reviewer = auth.session(served, "reviewer")
    token = csrf(reviewer.get(f"{served.url}/queue", timeout=30).text)
    for n in (mine, other, other + 1, other + 100):
        walked = reviewer.post(f"{served.url}/submissions/{n}/reviewers", timeout=30,
                               data={"csrf_token": token}, allow_redirects=False)
        assert walked.status_code == 404, (n, walked.status_code)
    bearer = served.tokens["reviewer"]
    assert reviewer.get(f"{served.url}/submissions/{other}", timeout=30).status_code == 404
    assert reviewer.get(f"{served.url}/submissions/{other}/code", timeout=30).status_code == 404
    assert served.api("GET", f"/api/v1/submissions/{other}", bearer).status_code == 404
    assert served.api("GET", f"/api/v1/submissions/{other}/files", bearer).status_code == 404
    queue = reviewer.get(f"{served.url}/queue", timeout=30).text
    assert f"/submissions/{mine}" in queue and f"/submissions/{other}\"" not in queue

    # Blind review: the commit author's name and email reach neither pages nor API.
    history = reviewer.get(f"{served.url}/submissions/{mine}/history", timeout=30)
    assert history.status_code == 200 and "My solution" in history.text
    assert NAME not in history.text and EMAIL not in history.text
    code = served.api("GET", f"/api/v1/submissions/{mine}", bearer).json()["candidate"]["code"]
    assert f"<td>{code}</td>" in history.text and "<td>Reciprocal</td>" in history.text
    for path in ("", "/files", "/files/README.md", "/review", "/interview-kit"):
        answer = served.api("GET", f"/api/v1/submissions/{mine}{path}", bearer)
        assert answer.status_code == 200, (path, answer.text)
        assert NAME not in answer.text and EMAIL not in answer.text, path
    for tab in ("code", "changes", "review", "kit"):
        text = reviewer.get(f"{served.url}/submissions/{mine}/{tab}", timeout=30).text
        assert NAME not in text and EMAIL not in text, tab
    staff_history = recruiter.get(f"{served.url}/submissions/{mine}/history", timeout=30).text
    assert f"<td>{NAME}</td>" in staff_history

    # Questions: only those of the reviewer's own submission; no publishing to the FAQ.
    inbox = reviewer.get(f"{served.url}/outcomes/questions", timeout=30)
    assert "May I use sqlite" in inbox.text and "time cap strict" not in inbox.text
    token = csrf(inbox.text)
    theirs = ids["Is the time cap strict for me?"]
    own = ids["May I use sqlite for the index?"]
    for qid in (theirs, max(ids.values()) + 1):
        refused = reviewer.post(f"{served.url}/outcomes/questions/{qid}/answer", timeout=30,
                                data={"csrf_token": token, "body": "Yes."},
                                allow_redirects=False)
        assert refused.status_code == 404, (qid, refused.status_code)
    published = reviewer.post(f"{served.url}/outcomes/questions/{own}/answer", timeout=30,
                              data={"csrf_token": token, "body": "Yes.", "for_everyone": "yes"},
                              allow_redirects=False)
    assert published.status_code == 403
    answered = reviewer.post(f"{served.url}/outcomes/questions/{own}/answer", timeout=30,
                             data={"csrf_token": token, "body": "Yes, sqlite3 is fine."},
                             allow_redirects=False)
    assert answered.status_code == 302
    staff_inbox = recruiter.get(f"{served.url}/outcomes/questions", timeout=30).text
    assert "Answered: Yes, sqlite3 is fine." in staff_inbox
    assert "Answered: Yes.<" not in staff_inbox and "in the FAQ" not in staff_inbox
    assert "Traceback" not in served.log()
