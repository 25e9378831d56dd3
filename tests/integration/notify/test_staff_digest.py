"""A candidate cannot flood staff inboxes. Questions and accommodation changes are capped per
invitation, with a clear message on the candidate's page when the cap is reached (their submission
never depends on it); and staff hear of what candidates do in one digest per invitation per window:
the first event at once, what follows within the window together in the next message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from reciprocal import maintenance
from reciprocal.candidates import operations as invitations
from reciprocal.candidates import questions, time_adjustments
from reciprocal.extensions import db
from reciprocal.models import Message, StaffNotice, utcnow
from reciprocal.notify import digest
from sqlalchemy import select

from tests.support import factories

# In the PostgreSQL pass: Caps are counts per invitation, windows are date queries under a row lock.
pytestmark = pytest.mark.postgres

STAFF = ("rita@example.com", "ada@example.com")


def _staff() -> None:
    factories.staff("recruiter", STAFF[0])
    factories.staff("admin", STAFF[1])


def _digests() -> list[Message]:
    db.session.expire_all()
    return list(db.session.scalars(select(Message).where(Message.kind == "staff_digest")
                                   .order_by(Message.id)))


def _window_passes() -> None:
    """Move every digest sent so far one window into the past (the clock, not a sleep)."""
    for row in db.session.scalars(select(StaffNotice).where(StaffNotice.sent_at.is_not(None))):
        row.sent_at -= digest.WINDOW + timedelta(seconds=1)
    db.session.commit()


def test_a_burst_of_questions_is_one_message_now_and_one_digest_later(client: Any,
                                                                     ctx: Any) -> None:
    _staff()
    sam = factories.started()
    for n in range(1, 6):
        asked = client.post(f"/c/{sam.token}/questions", data={"body": f"Question {n}?"})
        assert asked.status_code == 302
    first = _digests()
    assert sorted(m.to for m in first) == sorted(STAFF)  # one each, at once
    code = sam.invitation.candidate_code
    assert all(m.subject == f"Candidate {code} asked a question" for m in first)
    assert "Question 1?" in first[0].text and "Question 2?" not in first[0].text
    assert "Sam Candidate" not in first[0].text  # blind: the candidate code, not the name

    assert digest.flush_due() == [] and len(_digests()) == 2  # the window is still open
    assert digest.flush_due(now=utcnow() + digest.WINDOW) == [sam.invitation.id]
    db.session.commit()  # as the maintenance round does
    later = _digests()[2:]
    assert sorted(m.to for m in later) == sorted(STAFF)
    assert later[0].subject == f"Candidate {code} asked 4 questions"
    assert all(f"Question {n}?" in later[0].text for n in range(2, 6))
    assert "Question 1?" not in later[0].text
    assert digest.flush_due(now=utcnow() + 2 * digest.WINDOW) == []  # nothing new: no mail

    # Another candidate has their own window.
    other = factories.started()
    questions.ask(other.invitation, "Mine?")
    db.session.commit()
    assert len(_digests()) == 6

    # Once the window has passed, the next event is told at once again.
    _window_passes()
    questions.ask(sam.invitation, "Question 6?")
    db.session.commit()
    assert len(_digests()) == 8 and "Question 6?" in _digests()[-1].text


def test_accommodations_and_requests_for_time_share_the_digest(ctx: Any) -> None:
    _staff()
    sam = factories.invitation()
    invitations.accept_terms(sam.invitation)
    time_adjustments.request_accommodation(sam.invitation, 25, "Breaks, please.",
                                           share_note=True)
    time_adjustments.request_accommodation(sam.invitation, 50)
    invitations.start(sam.invitation)
    time_adjustments.request_extension(sam.invitation, 30, "A power cut.")
    questions.ask(sam.invitation, "Is sqlite fine?")
    db.session.commit()
    code = sam.invitation.candidate_code
    first = _digests()
    assert len(first) == 2 and first[0].subject == f"Candidate {code} set an accommodation"
    assert "25% more time" in first[0].text and "Breaks, please." in first[0].text
    assert digest.flush_due(now=utcnow() + digest.WINDOW) == [sam.invitation.id]
    db.session.commit()
    later = _digests()[2]
    assert later.subject == (f"Candidate {code} changed their accommodation, asks for more "
                             "time and asked a question")
    for text in ("50% more time", "30 more minutes", "A power cut.", "Is sqlite fine?",
                 "/dashboard#time-requests", "/outcomes/questions"):
        assert text in later.text, text


def test_the_maintenance_round_sends_what_waited_a_window(ctx: Any) -> None:
    _staff()
    sam = factories.started()
    questions.ask(sam.invitation, "One?")
    questions.ask(sam.invitation, "Two?")
    db.session.commit()
    assert len(_digests()) == 2
    _window_passes()
    maintenance.run_periodic()
    assert len(_digests()) == 4 and "Two?" in _digests()[-1].text


def test_questions_stop_at_the_cap_with_a_clear_message_and_submitting_still_works(
        client: Any, ctx: Any) -> None:
    sam = factories.started()
    for n in range(questions.MAX_QUESTIONS - 1):
        questions.ask(sam.invitation, f"Q{n}?")
    db.session.commit()
    page = client.get(f"/c/{sam.token}").get_data(as_text=True)
    assert f"You can ask up to {questions.MAX_QUESTIONS} questions (1 left)" in page
    assert client.post(f"/c/{sam.token}/questions", data={"body": "Last?"}).status_code == 302
    page = client.get(f"/c/{sam.token}").get_data(as_text=True)
    assert 'id="question-body"' not in page
    assert f"You have asked {questions.MAX_QUESTIONS} questions" in page
    refused = client.post(f"/c/{sam.token}/questions", data={"body": "One more?"})
    assert refused.status_code == 409
    assert f"at most {questions.MAX_QUESTIONS} questions" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert len(questions.mine(sam.invitation)) == questions.MAX_QUESTIONS
    submitted = invitations.submit(sam.invitation)
    db.session.commit()
    assert submitted.id is not None


def test_accommodation_changes_stop_at_the_cap(client: Any, ctx: Any) -> None:
    sam = factories.invitation()
    invitations.accept_terms(sam.invitation)
    db.session.commit()
    page = client.get(f"/c/{sam.token}").get_data(as_text=True)
    assert f"You can set it {time_adjustments.MAX_ACCOMMODATION_CHANGES} times" in page
    for n in range(time_adjustments.MAX_ACCOMMODATION_CHANGES):
        percent = (25, 50)[n % 2]
        saved = client.post(f"/c/{sam.token}/accommodation",
                            data={"extra_time_percent": str(percent)}, follow_redirects=True)
        assert "Your accommodation applies" in saved.get_data(as_text=True)
    page = client.get(f"/c/{sam.token}").get_data(as_text=True)
    assert 'name="extra_time_percent"' not in page
    assert "you cannot change it again here" in page
    refused = client.post(f"/c/{sam.token}/accommodation", data={"extra_time_percent": "100"},
                          follow_redirects=True).get_data(as_text=True)
    assert f"at most {time_adjustments.MAX_ACCOMMODATION_CHANGES} times" in refused
    api = client.post("/api/v1/candidate/accommodation",
                      headers={"Authorization": f"Bearer {sam.token}"},
                      json={"extra_time_percent": 100})
    assert api.status_code == 409 and "at most" in api.get_json()["error"]
    db.session.expire_all()
    assert time_adjustments.accommodation_for(sam.invitation).extra_time_percent == 25
    invitations.start(sam.invitation)
    assert invitations.submit(sam.invitation).id is not None
    db.session.commit()
