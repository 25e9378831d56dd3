"""The candidate page reads its invitation in one query and the rest as plain rows: what it shows
stays the same (own questions with and without answers, the feedback prompt until it is given,
the latest run of a regraded submission, a missing link)."""

from __future__ import annotations

from typing import Any

from reciprocal.candidates import operations as invitations
from reciprocal.candidates import questions
from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.models import Answer, Question
from reciprocal.outcomes import operations as outcomes

from tests.support import factories
from tests.support.outcomes import reviewed, submitted


def test_own_questions_with_and_without_an_answer(client: Any, ctx: Any) -> None:
    asker = factories.started()
    for body in ("Is <b>sqlite</b> allowed?", "May I add a dependency?"):
        assert client.post(f"/c/{asker.token}/questions", data={"body": body}).status_code == 302
    first = db.session.scalar(db.select(Question).order_by(Question.id))
    db.session.add(Answer(question_id=first.id, body="Yes: plain sqlite3 will do.",
                          for_everyone=False))
    db.session.commit()
    page = client.get(f"/c/{asker.token}").get_data(as_text=True)
    assert "Is &lt;b&gt;sqlite&lt;/b&gt; allowed?" in page  # escaped, as before
    assert "<strong>Our answer:</strong> Yes: plain sqlite3 will do." in page
    assert page.index("sqlite") < page.index("May I add a dependency?")  # oldest first
    assert page.count("Waiting for an answer") == 1  # the second one
    # Answered for this candidate only: not in the FAQ, not on another candidate's page.
    other = factories.started()
    assert "plain sqlite3 will do" not in client.get(f"/c/{other.token}").get_data(as_text=True)
    rows = questions.mine(asker.invitation)
    assert [(r.body, r.answer) for r in rows] == [
        ("Is <b>sqlite</b> allowed?", "Yes: plain sqlite3 will do."),
        ("May I add a dependency?", None),
    ]


def test_the_feedback_prompt_stays_until_given(client: Any, ctx: Any) -> None:
    submission, token = reviewed()
    staff = factories.staff("recruiter", "decider@example.com")
    outcomes.decide(submission, "reject", "Python HTTP APIs", actor=staff)
    outcomes.send(submission, actor=staff, text="Thank you, Sam.\n\nBest.")
    db.session.commit()
    assert "How did it go?" in client.get(f"/c/{token}").get_data(as_text=True)
    given = client.post(f"/c/{token}/feedback/decision",
                        data={"clarity": "5", "fairness": "4", "time_vs_cap": "3"})
    assert given.status_code == 302
    page = client.get(f"/c/{token}").get_data(as_text=True)
    assert "How did it go?" not in page and "Thank you, Sam." in page


def test_no_feedback_prompt_before_a_decision(client: Any, ctx: Any) -> None:
    _submission, token = submitted()
    assert "How did it go?" not in client.get(f"/c/{token}").get_data(as_text=True)
    assert "How did it go?" not in client.get(
        f"/c/{factories.invitation().token}").get_data(as_text=True)


def test_the_latest_run_is_shown_and_its_output_read_when_needed(client: Any, ctx: Any) -> None:
    submission, token = submitted()
    first = submission.grading_runs[-1]
    first.rq_job_id = first.rq_job_id or "job-1"
    db.session.commit()
    grading.claim(first.id, first.rq_job_id)
    grading.record_result(first.id, first.rq_job_id, {
        "status": "failed", "passed": 9, "failed": 1, "output": "9 passed, 1 failed",
        "tests": [], "duration_seconds": 1.0})
    db.session.commit()
    page = client.get(f"/c/{token}").get_data(as_text=True)
    assert "Automated tests finished: 9 passed, 1 did not pass." in page
    grading.request_run(submission, requested_by=factories.staff("admin", "regrader@example.com"))
    db.session.commit()
    page = client.get(f"/c/{token}").get_data(as_text=True)
    assert "Automated tests: queued" in page
    db.session.expire_all()
    invitation = invitations.by_token(token)
    runs = invitation.submission.grading_runs
    assert len(runs) == 2 and invitation.submission.latest_run is runs[-1]
    assert runs[0].output == "9 passed, 1 failed"  # deferred for the page, loaded on access


def test_unknown_and_malformed_links_look_the_same(client: Any, ctx: Any) -> None:
    known = factories.invitation().token
    unknown = client.get("/c/" + "A" * 43)
    malformed = client.get("/c/short")
    assert unknown.status_code == malformed.status_code
    assert unknown.get_data() == malformed.get_data()
    assert client.get(f"/c/{known}").status_code == 200
