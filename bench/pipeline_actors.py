"""The people of bench/pipeline.py, each acting on a served platform only over HTTP and `git`:
candidates (invite, accept, start, clone, commit, push, submit, rate the process), reviewers
(a comment and a scorecard from the review form) and the recruiter (the panel, decisions).

The candidate endpoints allow 60 requests a minute per address, and every simulated candidate
comes from 127.0.0.1: a 429 is waited out (its Retry-After) and retried, as a client would.
"""

from __future__ import annotations

import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.auth import PASSWORD, auth, csrf
from tests.support.served import ROLE, TOKEN_RE, Served, git, served_platform

__all__ = ["ROLE", "served_platform"]

ASSIGNMENT = "customer-directory"
LIBRARY = Path(__file__).resolve().parents[1] / "assignments" / ASSIGNMENT
STRENGTHS = ("Clear names and small functions: this reads like the rest of our codebase.",
             "Good call to validate at the boundary and keep the core pure.",
             "Careful handling of the documented edge cases, each with its own test.")
CONCERN = "The error message hides which record failed; operators will need it."
# A file and lines, or the composer's generic sentence on a criterion: not the team's words.
NOT_IN_WORDS = re.compile(r"^- (The code you wrote in|The approach you took in) |"
                          r"it was among the highest-scored|also scored well with every")


def call(served: Served, method: str, path: str, token: str | None = None,
         session: requests.Session | None = None, **kwargs: Any) -> requests.Response:
    """One request, waiting out rate limits (429) and retrying."""
    while True:
        if session is not None:
            answer = session.request(method, served.url + path, timeout=60, **kwargs)
        else:
            answer = served.api(method, path, token, timeout=60, **kwargs)
        if answer.status_code != 429:
            return answer
        time.sleep(float(answer.headers.get("Retry-After", "5") or 5))


def expect(answer: requests.Response, *statuses: int) -> requests.Response:
    if answer.status_code not in statuses:
        raise RuntimeError(f"{answer.request.method} {answer.url}: {answer.status_code} "
                           f"{answer.text[:500]}")
    return answer


# Staff -----------------------------------------------------------------------------------


@dataclass
class Reviewer:
    email: str
    name: str
    slow: bool
    token: str
    user_id: int = 0
    session: requests.Session | None = None


def make_reviewers(served: Served, count: int, rng: random.Random) -> list[Reviewer]:
    """Reviewer accounts with API tokens; about half of them (at least one) slow."""
    slow = set(rng.sample(range(count), max(1, count // 2)))
    made = []
    for n in range(count):
        email, name = f"panel{n}@served.example", f"Panel Reviewer {n}"
        served.reciprocal("users", "create", "--email", email, "--role", "reviewer",
                          "--name", name, input=f"{PASSWORD}\n")
        out = served.reciprocal("tokens", "create", "--email", email).stdout
        made.append(Reviewer(email, name, n in slow, TOKEN_RE.findall(out)[-1]))
    return made


def make_role_with_panel(served: Served, reviewers: list[Reviewer]) -> tuple[int, Any]:
    """The role (its promise: ROLE's response_days business days) and its review panel, set up
    on the panel page as a recruiter does; returns the role id and the recruiter's session."""
    role = expect(call(served, "POST", "/api/v1/roles", served.tokens["recruiter"], json=ROLE),
                  201).json()
    recruiter = auth.session(served, "recruiter")
    panel_url = f"/roles/{role['id']}/panel"
    page = expect(call(served, "GET", panel_url, session=recruiter), 200)
    ids = dict((name, n) for n, name in
               re.findall(r'<option value="(\d+)">([^<(]+?) \(', page.text))
    for reviewer in reviewers:
        reviewer.user_id = int(ids[reviewer.name])
        added = call(served, "POST", panel_url, session=recruiter, data={
            "csrf_token": csrf(page.text), "reviewer_id": ids[reviewer.name], "action": "add"})
        if f"{reviewer.name} joined the panel" not in added.text:
            raise RuntimeError(f"{reviewer.name} did not join the panel: {added.text[:500]}")
    return role["id"], recruiter


def assigned_to(served: Served, recruiter: requests.Session, submission_id: int,
                reviewers: list[Reviewer]) -> list[Reviewer]:
    """The reviewers the panel assigned, read from the submission page."""
    page = expect(call(served, "GET", f"/submissions/{submission_id}", session=recruiter), 200)
    ids = {int(n) for n in re.findall(rf"/submissions/{submission_id}/reviewers/(\d+)/remove",
                                      page.text)}
    return [r for r in reviewers if r.user_id in ids]


def review(served: Served, reviewer: Reviewer, submission_id: int, strong: bool,
           rng: random.Random) -> None:
    """A strength and a concern on the candidate's largest source file over the API, then the
    scorecard on the review form (signed in as the reviewer)."""
    files = expect(call(served, "GET", f"/api/v1/submissions/{submission_id}/files",
                        reviewer.token), 200).json()["files"]
    source = max((f for f in files if f["path"].endswith(".py") and "test" not in f["path"]),
                 key=lambda f: f["size"] or 0)["path"]
    for kind, body in (("strength", rng.choice(STRENGTHS)), ("concern", CONCERN)):
        expect(call(served, "POST", f"/api/v1/submissions/{submission_id}/comments",
                    reviewer.token, json={"path": source, "line_start": 1, "line_end": 2,
                                          "kind": kind, "body": body}), 201)
    if reviewer.session is None:
        reviewer.session = auth.session(served, reviewer.email)
    form_url = f"/submissions/{submission_id}/review"
    page = expect(call(served, "GET", form_url, session=reviewer.session), 200)
    data = {"csrf_token": csrf(page.text), "action": "submit",
            "recommendation": "yes" if strong else "no",
            "summary": "Solid work." if strong else "A core part is unfinished."}
    for index in range(len(set(re.findall(r'name="level-(\d+)"', page.text)))):
        level = rng.choice(("great", "good")) if strong else rng.choice(("good", "mediocre"))
        data[f"level-{index}"] = level
        data[f"evidence-{index}"] = f"Read the code and the hidden tests: {level}."
    done = call(served, "POST", form_url, session=reviewer.session, data=data)
    if "Scorecard submitted." not in done.text:
        raise RuntimeError(f"scorecard of {reviewer.email} on {submission_id}: {done.text[:800]}")


def rejection_in_words(text: str) -> tuple[bool, bool]:
    """Does the draft name a strength in the team's words, and one concrete reason?"""
    liked = text.split("What the team liked most:\n", 1)
    items = [line for line in (liked[1].split("\n\n", 1)[0] if len(liked) > 1 else "")
             .splitlines() if line.startswith("- ")]
    worded = any(not NOT_IN_WORDS.search(line) for line in items)
    return worded, "The one reason: this role asks for" in text


# Candidates ------------------------------------------------------------------------------


@dataclass
class Candidate:
    name: str
    invitation_id: int
    token: str
    git_url: str
    strong: bool
    submission_id: int = 0
    answer_by: datetime | None = None


def invite(served: Served, role_id: int, n: int, strong: bool) -> Candidate:
    made = expect(call(served, "POST", "/api/v1/invitations", served.tokens["recruiter"], json={
        "assignment": ASSIGNMENT, "role": role_id,
        "candidate": {"name": f"Pipeline Candidate {n}", "email": f"pipe{n}@example.com"}}),
        201).json()
    return Candidate(f"Pipeline Candidate {n}", made["id"], made["portal_url"].rsplit("/", 1)[-1],
                     made["git_url"], strong)


def work_and_submit(served: Served, candidate: Candidate, workdir: Path) -> int:
    """Accept, start, clone the starter, commit (the reference solution for a strong candidate;
    for the others the starter with one file of the solution), push, submit."""
    for action in ("accept-terms", "start"):
        expect(call(served, "POST", f"/api/v1/candidate/{action}", candidate.token), 200)
    workdir.mkdir(parents=True, exist_ok=True)
    git("clone", "-q", candidate.git_url, "work", cwd=workdir)
    tree = workdir / "work"
    solution = LIBRARY / "solution"
    files = [p for p in sorted(solution.rglob("*"))
             if p.is_file() and "__pycache__" not in p.parts]
    if not candidate.strong:
        files = [p for p in files if p.suffix == ".py" and "tests" not in p.parts][:1]
    for path in files:
        target = tree / path.relative_to(solution)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    git("add", "-A", cwd=tree)
    git("commit", "-q", "--allow-empty", "-m", "My solution", cwd=tree)
    git("push", "-q", "origin", "HEAD:main", cwd=tree)
    submitted = expect(call(served, "POST", "/api/v1/candidate/submit", candidate.token), 201)
    candidate.submission_id = submitted.json()["submission_id"]
    candidate.answer_by = datetime.fromisoformat(submitted.json()["answer_by"])
    return candidate.submission_id


def rate_process(served: Served, candidate: Candidate, rng: random.Random) -> None:
    """The candidate's feedback on their page, after the answer."""
    portal = requests.Session()
    landing = expect(call(served, "GET", f"/c/{candidate.token}", session=portal), 200)
    expect(call(served, "POST", f"/c/{candidate.token}/feedback/decision", session=portal, data={
        "csrf_token": csrf(landing.text), "clarity": rng.randint(3, 5),
        "fairness": rng.randint(2, 5), "time_vs_cap": rng.randint(3, 5),
        "text": "Clear brief; a quick answer."}), 200, 302)
