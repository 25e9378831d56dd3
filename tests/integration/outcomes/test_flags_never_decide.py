"""Flags never decide alone: a disclosure that conflicts with the policy (like a similarity flag
or an integrity warning) is a point to discuss; a rejection citing one needs a written reason,
kept in the audit log; the composer's message never mentions it."""

from __future__ import annotations

from typing import Any

import pytest
from reciprocal.candidates import disclosure
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.models import AuditEvent
from reciprocal.outcomes import tone
from sqlalchemy import select

from tests.support import factories
from tests.support.auth import bearer

pytestmark = pytest.mark.postgres

REASON = "Demonstrable experience with PostgreSQL"
FLAG_REASON = "Their disclosure says a chat assistant wrote the VAT fix; we forbade it"


def _forbidden_but_used() -> Any:
    """A submission to invoice-bugfix (AI forbidden) whose candidate disclosed using one."""
    new = factories.started("invoice-bugfix")
    given = disclosure.parse("used", "A chat assistant wrote the VAT fix.", None, None,
                             max_bytes=1024, required=True)
    submission = invitations.submit(new.invitation, given=given)
    db.session.commit()
    return submission


def test_a_rejection_citing_a_flag_needs_a_written_reason_and_never_mentions_it(
        client, ctx) -> None:
    submission = _forbidden_but_used()
    token = factories.api_token(factories.staff("recruiter"))
    path = f"/api/v1/submissions/{submission.id}/decision"

    unknown = client.post(path, headers=bearer(token), json={
        "outcome": "reject", "reason": REASON, "cites": ["similarity"], "flag_reason": "x"})
    assert unknown.status_code == 422 and "no such point" in unknown.get_json()["error"]
    bare = client.post(path, headers=bearer(token), json={
        "outcome": "reject", "reason": REASON, "cites": ["ai-disclosure"]})
    assert bare.status_code == 422 and "written reason" in bare.get_json()["error"]

    drafted = client.post(path, headers=bearer(token), json={
        "outcome": "reject", "reason": REASON, "cites": ["ai-disclosure"],
        "flag_reason": FLAG_REASON})
    assert drafted.status_code == 200, drafted.get_json()
    draft = drafted.get_json()
    assert draft["cited_flags"] == ["ai-disclosure"] and draft["flag_reason"] == FLAG_REASON
    # The composer heard of neither the flag nor the written reason.
    text = (draft["subject"] + draft["text"] + draft["html"]).lower()
    assert FLAG_REASON.lower() not in text and "chat assistant" not in text
    assert not any(word in text for word in tone.FLAG_PHRASES), text
    assert draft["tone_warnings"] == []

    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "decision.drafted").order_by(AuditEvent.id.desc())).first()
    assert event.details["cited_flags"] == ["ai-disclosure"]
    assert event.details["flag_reason"] == FLAG_REASON

    # An edit that names the flag is held by the tone check like criticism.
    sent = client.post(f"{path}/send", headers=bearer(token), json={
        "text": draft["text"] + "\nWe noticed AI-generated code and a similarity flag."})
    assert sent.status_code == 409, sent.get_json()
    assert "ai-generated" in sent.get_json()["error"]


def test_advancing_needs_no_reason_and_the_page_offers_the_points(client, ctx, auth) -> None:
    submission = _forbidden_but_used()
    auth.client(client, "recruiter")
    page = client.get(f"/outcomes/submissions/{submission.id}/decision").get_data(as_text=True)
    assert 'name="cites" value="ai-disclosure"' in page
    answer = client.post(f"/outcomes/submissions/{submission.id}/decision", data={
        "outcome": "reject", "reason": REASON, "cites": "ai-disclosure"}, follow_redirects=True)
    assert "needs a written reason" in answer.get_data(as_text=True)
    answer = client.post(f"/outcomes/submissions/{submission.id}/decision", data={
        "outcome": "advance", "reason": "", "cites": "ai-disclosure"}, follow_redirects=True)
    assert "draft" in answer.get_data(as_text=True).split("id=\"draft\"", 1)[1][:200]
    shown = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "To discuss in the interview" in shown
    assert "disclosed AI assistants under a policy that forbids them" in shown
