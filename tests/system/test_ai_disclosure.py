"""AI assistants against `reciprocal serve` from outside: the candidate reads a `forbidden`
policy, submits through the portal's form saying they used an assistant anyway, with a
transcript; the recruiter sees the disclosure escaped on the review tab and the point to discuss
on the submission page and in the API; a rejection citing it needs a written reason."""

from __future__ import annotations

import html
from pathlib import Path

import requests

from tests.support.auth import Auth, csrf
from tests.support.served import Served, started_candidate

TOOLS = "A chat assistant suggested the <Decimal> rounding; I checked it against the ticket."
TRANSCRIPT = b"# chat\n<script>alert(1)</script>\n"


def test_a_disclosure_under_forbidden_is_a_point_to_discuss(served: Served, tmp_path: Path,
                                                           auth: Auth) -> None:
    candidate = started_candidate(served, "invoice-bugfix")
    portal = requests.Session()
    landing = portal.get(f"{served.url}/c/{candidate.token}", timeout=30)
    assert "AI assistants are not allowed" in landing.text
    assert "no keystrokes, pastes, tab switches or webcam" in landing.text
    sent = portal.post(f"{served.url}/c/{candidate.token}/submit", timeout=60, data={
        "csrf_token": csrf(landing.text), "confirm": "yes", "ai_choice": "used",
        "ai_tools": TOOLS}, files={"transcript": ("chat.md", TRANSCRIPT, "text/markdown")})
    assert sent.status_code == 200 and "Submitted. Thank you" in sent.text, sent.text[:800]
    assert html.escape(TOOLS, quote=False) in sent.text  # the candidate sees what reviewers see

    status = served.api("GET", f"/api/v1/invitations/{candidate.invitation_id}",
                        served.tokens["recruiter"]).json()
    sid = status["submission_id"]
    assert status["ai_policy"]["use"] == "forbidden"
    assert status["ai_policy"]["source"] == "invitation"

    recruiter = auth.session(served, "recruiter")
    page = recruiter.get(f"{served.url}/submissions/{sid}", timeout=30)
    assert "To discuss in the interview" in page.text
    assert "disclosed AI assistants under a policy that forbids them" in page.text
    code = recruiter.get(f"{served.url}/submissions/{sid}/code", timeout=30)
    assert html.escape(TOOLS, quote=False) in code.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in code.text
    assert "<script>alert(1)" not in code.text

    api = served.api("GET", f"/api/v1/submissions/{sid}", served.tokens["recruiter"]).json()
    assert api["ai"]["disclosure"]["tools"] == TOOLS
    assert [p["kind"] for p in api["ai"]["to_discuss"]] == ["ai-disclosure"]

    path = f"/api/v1/submissions/{sid}/decision"
    reason = "Readable code"
    bare = served.api("POST", path, served.tokens["recruiter"], json={
        "outcome": "reject", "reason": reason, "cites": ["ai-disclosure"]})
    assert bare.status_code == 422 and "written reason" in bare.json()["error"]
    drafted = served.api("POST", path, served.tokens["recruiter"], json={
        "outcome": "reject", "reason": reason, "cites": ["ai-disclosure"],
        "flag_reason": "The whole fix came from the assistant, by their own account."})
    assert drafted.status_code == 200, drafted.text
    assert "assistant" not in drafted.json()["text"].lower()
