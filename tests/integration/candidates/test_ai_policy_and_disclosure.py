"""The AI policy (assignment, role override, frozen at acceptance) and the disclosure the
candidate gives at submit, over the API and the portal's form, with the real database and the
real git repositories."""

from __future__ import annotations

import io
from typing import Any

import pytest
from reciprocal.candidates import rights
from reciprocal.extensions import db
from reciprocal.models import AiDisclosure, Invitation, Role
from reciprocal.review import operations as review
from sqlalchemy import select

from tests.support import factories
from tests.support.auth import bearer

pytestmark = pytest.mark.postgres


@pytest.fixture
def recruiter_token(ctx) -> str:
    factories.library()
    return factories.api_token(factories.staff("recruiter"))


def _invite(client: Any, token: str, slug: str, role: dict[str, Any] | None = None) -> dict:
    made = client.post("/api/v1/roles", headers=bearer(token),
                       json={**factories.ROLE, "title": f"Role for {slug}", **(role or {})})
    assert made.status_code == 201, made.get_json()
    created = client.post("/api/v1/invitations", headers=bearer(token), json={
        "assignment": slug, "role": made.get_json()["id"],
        "candidate": {"name": "Sam", "email": "sam@example.com"}})
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    data["token"] = data["portal_url"].rsplit("/", 1)[1]
    data["role_id"] = made.get_json()["id"]
    return data


def _start(client: Any, token: str) -> None:
    assert client.post("/api/v1/candidate/accept-terms", headers=bearer(token)).status_code == 200
    assert client.post("/api/v1/candidate/start", headers=bearer(token)).status_code == 200


def test_the_library_over_the_api_carries_each_assignments_policy(client,
                                                                   recruiter_token) -> None:
    listed = client.get("/api/v1/assignments", headers=bearer(recruiter_token)).get_json()
    policies = {a["slug"]: a["ai_policy"] for a in listed}
    assert policies["invoice-bugfix"]["use"] == "forbidden"
    assert policies["customer-directory"]["use"] == "allowed-with-disclosure"
    assert policies["shipping-labels-idempotency"]["use"] == "expected"
    assert "autocomplete" in policies["customer-directory"]["text"].lower()
    assert all(p["text"] and p["label"] for p in policies.values())


def test_a_role_overrides_and_acceptance_freezes_the_policy(client, recruiter_token) -> None:
    refused = client.post("/api/v1/roles", headers=bearer(recruiter_token), json={
        **factories.ROLE, "ai_policy": {"use": "sometimes"}})
    assert refused.status_code == 422 and "ai_policy use" in refused.get_json()["error"]
    text_only = client.post("/api/v1/roles", headers=bearer(recruiter_token), json={
        **factories.ROLE, "ai_policy": {"use": "", "text": "be nice"}})
    assert text_only.status_code == 422

    new = _invite(client, recruiter_token, "customer-directory", {
        "ai_policy": {"use": "forbidden", "text": "No assistants for this one, please."}})
    role = client.get("/api/v1/roles", headers=bearer(recruiter_token)).get_json()[0]
    assert role["ai_policy"] == {"use": "forbidden", "text": "No assistants for this one, please."}
    assert new["ai_policy"] == {"use": "forbidden", "label": "AI assistants are not allowed",
                                "text": "No assistants for this one, please.", "source": "role"}
    # The page showed "forbidden": accepting while the policy says something else is refused.
    stale = client.post("/api/v1/candidate/accept-terms", headers=bearer(new["token"]),
                        json={"ai_use": "expected"})
    assert stale.status_code == 400 and "AI policy" in stale.get_json()["error"]
    accepted = client.post("/api/v1/candidate/accept-terms", headers=bearer(new["token"]),
                           json={"ai_use": "forbidden"})
    assert accepted.status_code == 200
    assert accepted.get_json()["ai_policy"]["source"] == "invitation"

    # The team changes its mind afterwards: the candidate keeps the policy they accepted.
    row = db.session.get(Role, new["role_id"])
    row.ai_use, row.ai_policy_text = "expected", "Use them!"
    db.session.commit()
    shown = client.get(f"/api/v1/invitations/{new['id']}", headers=bearer(recruiter_token))
    assert shown.get_json()["ai_policy"]["use"] == "forbidden"


def test_the_api_submit_records_the_disclosure_the_candidate_gives(client, ctx,
                                                                   recruiter_token) -> None:
    new = _invite(client, recruiter_token, "customer-directory")
    _start(client, new["token"])
    url, headers = "/api/v1/candidate/submit", bearer(new["token"])
    cap = ctx.config["AI_TRANSCRIPT_BYTES"]
    for bad, words in [
        ({"ai_disclosure": {"used_tools": "yes"}}, "true or false"),
        ({"ai_disclosure": {"used_tools": True}}, "which AI assistants"),
        ({"ai_disclosure": {"used_tools": False, "tools": "Copilot"}}, "I used none"),
        ({"ai_disclosure": {"used_tools": True, "tools": "x", "transcript": "a" * (cap + 1)}},
         "larger than"),
        ({"ai_disclosure": {"used_tools": True, "tools": "x", "transcript": "hi",
                            "transcript_name": "chat.html"}}, ".txt or .md"),
        ({"ai_disclosure": {"used_tools": True, "tools": "x", "keystrokes": []}}, "must be"),
        ({"ai_disclosure": ["used"]}, "must be"),
    ]:
        answer = client.post(url, headers=headers, json=bad)
        assert answer.status_code == 422, (bad, answer.get_json())
        assert words in answer.get_json()["error"], (words, answer.get_json())
    # Nothing was submitted by a refused disclosure: the candidate can still submit.
    assert db.session.get(Invitation, new["id"]).submission is None

    transcript = "**Me:** <script>alert(1)</script> how do I read a BOM?\n"
    done = client.post(url, headers=headers, json={"ai_disclosure": {
        "used_tools": True, "tools": "  Copilot autocomplete; a chat about BOMs.  ",
        "transcript": transcript, "transcript_name": "../../chat.md"}})
    assert done.status_code == 201, done.get_json()
    given = done.get_json()["ai_disclosure"]
    assert given["used_tools"] is True
    assert given["tools"] == "Copilot autocomplete; a chat about BOMs."
    assert given["transcript_name"] == "chat.md" and given["transcript"] == transcript

    sub = client.get(f"/api/v1/submissions/{done.get_json()['submission_id']}",
                     headers=bearer(recruiter_token)).get_json()
    assert sub["ai"]["policy"]["use"] == "allowed-with-disclosure"
    assert sub["ai"]["disclosure"]["tools"].startswith("Copilot")
    assert sub["ai"]["to_discuss"] == []  # disclosed under a policy that allows it


def test_no_disclosure_over_the_api_is_recorded_as_nothing(client, recruiter_token) -> None:
    new = _invite(client, recruiter_token, "customer-directory")
    _start(client, new["token"])
    done = client.post("/api/v1/candidate/submit", headers=bearer(new["token"]))
    assert done.status_code == 201 and done.get_json()["ai_disclosure"] is None
    assert db.session.scalar(select(AiDisclosure)) is None


def test_tools_disclosed_under_forbidden_are_a_point_to_discuss(client, recruiter_token) -> None:
    new = _invite(client, recruiter_token, "invoice-bugfix")
    _start(client, new["token"])
    done = client.post("/api/v1/candidate/submit", headers=bearer(new["token"]), json={
        "ai_disclosure": {"used_tools": True, "tools": "Asked a chat assistant about Decimal."}})
    assert done.status_code == 201, done.get_json()
    sid = done.get_json()["submission_id"]
    sub = client.get(f"/api/v1/submissions/{sid}", headers=bearer(recruiter_token)).get_json()
    assert [p["kind"] for p in sub["ai"]["to_discuss"]] == ["ai-disclosure"]
    kit = client.get(f"/api/v1/submissions/{sid}/interview-kit",
                     headers=bearer(recruiter_token)).get_json()
    assert kit["ai"]["policy"]["use"] == "forbidden"
    assert [p["kind"] for p in kit["ai"]["to_discuss"]] == ["ai-disclosure"]


def test_the_portal_form_takes_a_transcript_and_the_review_shows_it_escaped(
        client, ctx, auth) -> None:
    new = factories.started()
    portal = f"/c/{new.token}"
    page = client.get(portal).get_data(as_text=True)
    assert "AI assistants are allowed: say what you used" in page
    assert "no keystrokes, pastes, tab switches or webcam" in page
    assert 'name="ai_choice"' in page and 'enctype="multipart/form-data"' in page

    missing = client.post(f"{portal}/submit", data={"confirm": "yes"}, follow_redirects=True)
    assert "please say whether you used AI assistants" in missing.get_data(as_text=True)
    assert db.session.get(Invitation, new.invitation.id).submission is None

    sent = client.post(f"{portal}/submit", content_type="multipart/form-data", data={
        "confirm": "yes", "ai_choice": "used", "ai_tools": "Claude for the CSV <b>rules</b>",
        "transcript": (io.BytesIO(b"# Chat\n<img src=x onerror=alert(1)>\n"), "session.md"),
    }, follow_redirects=True)
    html = sent.get_data(as_text=True)
    assert "Submitted. Thank you" in html
    # The candidate sees what reviewers see: their words, escaped, and their commits.
    assert "What reviewers see about how you worked" in html
    assert "Claude for the CSV &lt;b&gt;rules&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html
    assert "starter, made by Reciprocal" in html

    auth.client(client, "admin")
    sid = db.session.get(Invitation, new.invitation.id).submission.id
    for tab in ("code", "history", "review", "kit", "similarity"):
        review = client.get(f"/submissions/{sid}/{tab}").get_data(as_text=True)
        assert "Claude for the CSV &lt;b&gt;rules&lt;/b&gt;" in review, tab
        assert "session.md" in review and "<img src=x" not in review, tab
        assert "AI assistants are allowed: say what you used" in review, tab


def test_deleting_the_code_deletes_the_disclosure_words(client, ctx) -> None:
    new = factories.started()
    client.post(f"/c/{new.token}/submit", content_type="multipart/form-data", data={
        "confirm": "yes", "ai_choice": "used", "ai_tools": "Copilot",
        "transcript": (io.BytesIO(b"chat"), "chat.txt")})
    rights.delete_by_candidate(db.session.get(Invitation, new.invitation.id))
    db.session.commit()
    row = db.session.scalar(select(AiDisclosure))
    assert row is not None and row.erased_at is not None
    assert (row.tools, row.transcript, row.transcript_name) == ("", "", "")


def test_a_blind_reviewer_reads_the_disclosure_with_the_name_masked(client, ctx, auth) -> None:
    new = factories.started()
    client.post(f"/c/{new.token}/submit", content_type="multipart/form-data", data={
        "confirm": "yes", "ai_choice": "used", "ai_tools": "Sam Candidate's own Copilot setup",
        "transcript": (io.BytesIO(b"sam@example.com asked: how?"), "sam-candidate.md")})
    invitation = db.session.get(Invitation, new.invitation.id)
    sid, code = invitation.submission.id, invitation.candidate_code
    reviewer = factories.staff("reviewer", "blind@example.com")
    review.assign_reviewer(invitation.submission, reviewer, actor=factories.staff("recruiter"))
    db.session.commit()
    auth.client(client, "blind@example.com")
    page = client.get(f"/submissions/{sid}/code").get_data(as_text=True)
    assert f"{code}&#39;s own Copilot setup" in page and "Sam Candidate" not in page
    assert "sam@example.com" not in page
    row = db.session.scalar(select(AiDisclosure))
    assert row.tools == "Sam Candidate's own Copilot setup"  # masked for the reader only
