"""Review panels against `reciprocal serve`, driven from outside: two candidates submit over
the API after pushing with git; the role's panel assigns each submission two reviewers,
balanced and skipping the one marked away; a reviewer hands one back and the panel reassigns
it; a reviewer cannot take a submission the panel does not offer them (404)."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from tests.support.auth import PASSWORD, Auth, csrf
from tests.support.served import ROLE, Candidate, Served, clone_and_push_solution

REVIEWERS = {"rev2@served.example": "Second Reviewer", "rev3@served.example": "Third Reviewer",
             "away@served.example": "Away Reviewer"}


def candidate_on(served: Served, role_id: int, name: str) -> Candidate:
    made = served.api("POST", "/api/v1/invitations", served.tokens["recruiter"], json={
        "assignment": "customer-directory", "role": role_id,
        "candidate": {"name": name, "email": re.sub(r"[^a-z]", "", name.lower()) + "@x.example"}})
    assert made.status_code == 201, made.text
    data = made.json()
    candidate = Candidate(served, data["id"], data["portal_url"].rsplit("/", 1)[-1],
                          data["git_url"])
    assert candidate.call("accept-terms").status_code == 200
    assert candidate.call("start").status_code == 200
    return candidate


def reviewers_of(recruiter: requests.Session, served: Served, submission_id: int) -> set[int]:
    page = recruiter.get(f"{served.url}/submissions/{submission_id}", timeout=30).text
    return {int(n) for n in re.findall(rf"/submissions/{submission_id}/reviewers/(\d+)/remove",
                                       page)}


def test_panel_assigns_two_balanced_reviewers_and_takes_hand_backs(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    for email, name in REVIEWERS.items():
        served.reciprocal("users", "create", "--email", email, "--role", "reviewer",
                          "--name", name, input=f"{PASSWORD}\n")
    role = served.api("POST", "/api/v1/roles", served.tokens["recruiter"], json=ROLE)
    assert role.status_code == 201, role.text
    role_id = role.json()["id"]

    recruiter = auth.session(served, "recruiter")
    panel_url = f"{served.url}/roles/{role_id}/panel"
    page = recruiter.get(panel_url, timeout=30)
    assert page.status_code == 200, page.text[:500]
    ids = {name: int(n) for n, name in re.findall(r'<option value="(\d+)">([^<(]+?) \(', page.text)}
    for name in ("Reviewer Person", *REVIEWERS.values()):
        added = recruiter.post(panel_url, timeout=30, data={
            "csrf_token": csrf(page.text), "reviewer_id": ids[name], "action": "add"})
        assert added.status_code == 200 and f"{name} joined the panel" in added.text
    away = auth.session(served, "away@served.example")
    marked = away.post(f"{served.url}/review/away", timeout=30, data={
        "csrf_token": csrf(away.get(f"{served.url}/queue", timeout=30).text), "away": "1"})
    assert "You are marked away" in marked.text

    submissions = []
    for n, name in enumerate(("Ann Panel", "Ben Panel")):
        candidate = candidate_on(served, role_id, name)
        clone_and_push_solution(candidate, tmp_path / f"c{n}")
        submitted = candidate.call("submit")
        assert submitted.status_code == 201, submitted.text
        assert candidate.call("submit").status_code == 409  # the double click
        submissions.append(submitted.json()["submission_id"])

    first, second = (reviewers_of(recruiter, served, s) for s in submissions)
    assert len(first) == 2 and len(second) == 2, (first, second)
    present = [ids["Reviewer Person"], ids["Second Reviewer"], ids["Third Reviewer"]]
    load = {r: (r in first) + (r in second) for r in present}
    assert ids["Away Reviewer"] not in first | second
    assert sorted(load.values()) == [1, 1, 2], load  # 4 reviews over 3 reviewers: balanced

    # The reviewer with two hands the second one back; the panel gives it to the free one.
    busiest = next(r for r, count in load.items() if count == 2)
    email = {ids["Reviewer Person"]: "reviewer@served.example",
             ids["Second Reviewer"]: "rev2@served.example",
             ids["Third Reviewer"]: "rev3@served.example"}[busiest]
    busy = auth.session(served, email)
    queue = busy.get(f"{served.url}/queue", timeout=30).text
    assert "Your open reviews" in queue and "Hand back" in queue and "<time datetime=" in queue
    handed = busy.post(f"{served.url}/submissions/{submissions[1]}/hand-back", timeout=30,
                       data={"csrf_token": csrf(queue)})
    assert handed.status_code == 200 and "Handed back" in handed.text
    after = reviewers_of(recruiter, served, submissions[1])
    free = next(r for r, count in load.items() if count == 1 and r not in second)
    assert after == (second - {busiest}) | {free}, (second, after)
    assert busy.get(f"{served.url}/submissions/{submissions[1]}/code",
                    timeout=30).status_code == 404

    # Taking what the panel does not offer: full submissions, one handed back, unknown ids.
    token = csrf(busy.get(f"{served.url}/queue", timeout=30).text)
    for sid in (submissions[1], submissions[0] + 1000):
        took = busy.post(f"{served.url}/submissions/{sid}/take", timeout=30,
                         data={"csrf_token": token}, allow_redirects=False)
        assert took.status_code == 404, (sid, took.status_code)
    assert reviewers_of(recruiter, served, submissions[1]) == after
