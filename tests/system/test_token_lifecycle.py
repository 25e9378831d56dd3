"""Token and link lifecycles, against `reciprocal serve` from outside: API tokens expire, are listed
with their last use and revoked from the command line and the admin page; a candidate's link stops
taking changes once the decision is sent and opens nothing after the retention period.

The clock cannot be moved from outside, so the tests move the dates in the database instead, as
the days passing would: a token's expiry into the past, a decision's sending 91 days back.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import time
from pathlib import Path

import requests

from tests.support.auth import Auth, csrf
from tests.support.served import (
    TOKEN_RE,
    Served,
    clone_and_push_solution,
    git,
    started_candidate,
    wait_graded,
)

ADMIN = "admin@served.example"


def _sql(served: Served, statement: str, *args: object) -> None:
    with sqlite3.connect(served.data_dir / "reciprocal.db") as db:
        db.execute(statement, args)


def _token_id(listing: str, name: str) -> int:
    found = re.search(rf"^(\d+)\s+\S+\s+{re.escape(name)}\s", listing, re.M)
    assert found, listing
    return int(found.group(1))


def test_api_tokens_expire_are_listed_and_revoked(served: Served) -> None:
    made = served.reciprocal("tokens", "create", "--email", ADMIN, "--name", "nightly-export")
    token = TOKEN_RE.findall(made.stdout)[-1]
    assert served.api("GET", "/api/v1/roles", token).status_code == 200
    listing = served.reciprocal("tokens", "list").stdout
    token_id = _token_id(listing, "nightly-export")
    row = next(line for line in listing.splitlines() if line.startswith(f"{token_id} "))
    assert re.search(r"\sactive\s.*\s\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d$", row), row

    # Expired: the days pass (the expiry moves into the past); the API says so, plainly.
    _sql(served, "UPDATE api_tokens SET expires_at = '2020-01-01 00:00:00' WHERE id = ?", token_id)
    expired = served.api("GET", "/api/v1/roles", token)
    assert expired.status_code == 401 and "expired on 2020-01-01" in expired.text, expired.text
    assert "expired" in served.reciprocal("tokens", "list").stdout

    # Revoked from the command line: refused at once, by every web worker.
    other = TOKEN_RE.findall(served.reciprocal("tokens", "create", "--email", ADMIN, "--name",
                                               "ats-sync").stdout)[-1]
    assert served.api("GET", "/api/v1/roles", other).status_code == 200
    other_id = _token_id(served.reciprocal("tokens", "list").stdout, "ats-sync")
    assert "revoked" in served.reciprocal("tokens", "revoke", str(other_id)).stdout
    for _ in range(6):
        refused = served.api("GET", "/api/v1/roles", other)
        assert refused.status_code == 401 and "revoked" in refused.text, refused.text
    assert "already revoked" in served.reciprocal("tokens", "revoke", str(other_id)).stdout
    missing = served.reciprocal("tokens", "revoke", "999999", check=False)
    assert missing.returncode != 0 and "no API token 999999" in missing.stderr


def test_the_admin_page_makes_lists_and_revokes_tokens(served: Served, auth: Auth) -> None:
    admin = auth.session(served, "admin")
    page = admin.get(f"{served.url}/admin/tokens", timeout=30)
    assert page.status_code == 200 and "Last used" in page.text
    user_id = re.search(r'<option value="(\d+)"[^>]*>recruiter@served\.example', page.text)
    assert user_id, page.text[:2000]
    made = admin.post(f"{served.url}/admin/tokens", timeout=30, data={
        "csrf_token": csrf(page.text), "user_id": user_id.group(1), "name": "Greenhouse",
        "days": "30"})
    assert made.status_code == 200 and "will not be shown again" in made.text
    plain = TOKEN_RE.findall(made.text)[-1]
    assert served.api("GET", "/api/v1/roles", plain).status_code == 200
    listed = admin.get(f"{served.url}/admin/tokens", timeout=30).text
    assert plain not in listed  # shown once, on the response that made it
    row = re.search(r"<tr><td>(\d+)</td><td>recruiter@served\.example.*?Greenhouse.*?</tr>",
                    listed, re.S)
    assert row and "<td>never</td></tr>" not in row.group(0), row  # it has an expiry date
    bad = admin.post(f"{served.url}/admin/tokens", timeout=30, data={
        "csrf_token": csrf(listed), "user_id": user_id.group(1), "days": "-4"})
    assert bad.status_code == 422 and "1 to 3650 days" in bad.text
    revoked = admin.post(f"{served.url}/admin/tokens/{row.group(1)}/revoke", timeout=30,
                         data={"csrf_token": csrf(listed)})
    assert revoked.status_code == 200 and "is revoked" in revoked.text
    assert served.api("GET", "/api/v1/roles", plain).status_code == 401
    reviewer = auth.session(served, "reviewer")
    assert reviewer.get(f"{served.url}/admin/tokens", timeout=30).status_code in (403, 404)


def test_a_candidate_link_closes_after_the_decision_and_ends_after_retention(
        served: Served, tmp_path: Path) -> None:
    sam = started_candidate(served)
    clone_and_push_solution(sam, tmp_path / "sam")
    submitted = sam.call("submit")
    assert submitted.status_code == 201, submitted.text
    submission_id = submitted.json()["submission_id"]
    wait_graded(served, submission_id)
    recruiter = served.tokens["recruiter"]
    assert served.api("POST", f"/api/v1/submissions/{submission_id}/decision", recruiter,
                      json={"outcome": "advance", "reason": ""}).status_code == 200
    assert served.api("POST", f"/api/v1/submissions/{submission_id}/decision/send", recruiter,
                      json={}).status_code == 202

    # Decided: the link reads, and the candidate's rights still work; other changes are refused.
    portal = requests.Session()
    deadline = time.monotonic() + 90
    while True:  # sending is a queued job: the decision counts once it has gone out
        landing = portal.get(f"{served.url}/c/{sam.token}", timeout=30)
        assert landing.status_code == 200
        if "Next step: the follow-up interview" in landing.text or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "Next step: the follow-up interview" in landing.text, served.log()[-3000:]
    asked = portal.post(f"{served.url}/c/{sam.token}/questions", timeout=30,
                        data={"csrf_token": csrf(landing.text), "body": "One more thing?"})
    assert asked.status_code == 409 and "closed to changes" in asked.text
    kept = portal.post(f"{served.url}/c/{sam.token}/keep", timeout=30,
                       data={"csrf_token": csrf(landing.text), "keep": "no"})
    assert kept.status_code == 200 and "is saved" in kept.text
    assert portal.get(f"{served.url}/c/{sam.token}/download/zip", timeout=30).status_code == 200
    git("clone", "-q", sam.git_url, "again", cwd=tmp_path / "sam")

    # Retention over (the decision went out 91 days ago): code purged, the link ends.
    _sql(served, "UPDATE decisions SET sent_at = datetime('now', '-91 days') "
                 "WHERE submission_id = ?", submission_id)
    # serve's own maintenance round may purge first; either way the purge has happened after this.
    assert re.match(r"purged the code of [01] candidate", served.reciprocal("retention",
                                                                            "purge").stdout)
    ended = requests.get(f"{served.url}/c/{sam.token}", timeout=30)
    assert ended.status_code == 410 and "this link has ended" in ended.text
    api = sam.call("accept-terms")
    assert api.status_code == 410 and "this link has ended" in api.json()["error"]
    clone = subprocess.run(["git", "clone", "-q", sam.git_url, str(tmp_path / "late")],
                           capture_output=True, text=True, timeout=60,
                           env={"PATH": "/usr/bin:/bin", "GIT_TERMINAL_PROMPT": "0"})
    assert clone.returncode != 0 and not (tmp_path / "late" / "README.md").exists()
