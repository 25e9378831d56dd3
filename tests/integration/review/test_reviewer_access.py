"""What a reviewer can reach, attacked through the in-process client: a reviewer assigning
themselves to submissions by id, the candidate's name in the commit history of a blind review, and a
reviewer reading, answering and publishing every candidate's questions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from reciprocal.candidates import operations as invitations
from reciprocal.candidates import questions
from reciprocal.core.errors import NotFound
from reciprocal.extensions import db
from reciprocal.models import Answer, Question, ReviewAssignment, Submission, User
from reciprocal.outcomes import operations as outcomes
from reciprocal.review import operations as review
from sqlalchemy import func, select

from tests.support import factories
from tests.support import review as rs
from tests.support.outcomes import submitted

# In the PostgreSQL pass: who may see what is a query (review/queries.py).
pytestmark = pytest.mark.postgres


def assignments() -> int:
    return int(db.session.scalar(select(func.count(ReviewAssignment.id))) or 0)


def test_a_reviewer_cannot_assign_themselves_to_any_submission(client, ctx, auth) -> None:
    subs = [submitted()[0] for _ in range(3)]
    recruiter = factories.staff("recruiter", "rita@example.com")
    reviewer = factories.staff("reviewer", "rev@example.com")
    review.assign_reviewer(subs[0], reviewer, actor=recruiter)
    db.session.commit()
    before = assignments()
    auth.client(client, reviewer.email)
    missing = max(s.id for s in subs) + 1
    answers = {}
    for sid in [s.id for s in subs] + [missing, missing + 50]:
        answer = client.post(f"/submissions/{sid}/reviewers", data={"reviewer_id": reviewer.id})
        page = re.sub(r'(nonce|value)="[^"]*"', "", answer.get_data(as_text=True))
        answers[sid] = (answer.status_code, page.replace(f"no submission {sid}", "no submission N"))
    # One answer for all: their own, others' and missing ids look the same.
    assert {status for status, _ in answers.values()} == {404}, answers
    assert len({text for _, text in answers.values()}) == 1
    db.session.expire_all()
    assert assignments() == before
    for sub in subs[1:]:
        assert client.get(f"/submissions/{sub.id}").status_code == 404
        assert client.get(f"/submissions/{sub.id}/code").status_code == 404
    assert "Review this myself" not in client.get(f"/submissions/{subs[0].id}").text

    with pytest.raises(NotFound):
        review.assign_reviewer(subs[1], reviewer, actor=reviewer)
    db.session.rollback()

    auth.client(client, recruiter.email)
    assigned = client.post(f"/submissions/{subs[1].id}/reviewers",
                           data={"reviewer_id": reviewer.id})
    assert assigned.status_code == 302
    db.session.expire_all()
    assert assignments() == before + 1


def test_an_unassigned_reviewer_gets_404_from_every_submission_endpoint(client, ctx, auth) -> None:
    sub, _ = submitted()
    reviewer = factories.staff("reviewer", "rev@example.com")
    token = factories.api_token(reviewer)
    bearer = {"Authorization": f"Bearer {token}"}
    auth.client(client, reviewer.email)
    sid = sub.id
    for path in (f"/submissions/{sid}", f"/submissions/{sid}/grading.json",
                 f"/outcomes/submissions/{sid}/interviewer-feedback"):
        assert client.get(path).status_code == 404, path
    for path in (f"/submissions/{sid}/regrade", f"/submissions/{sid}/reviewers",
                 f"/outcomes/submissions/{sid}/interviewer-feedback"):
        assert client.post(path, data={}).status_code == 404, path
    for path in ("", "/files", "/files/README.md", "/review", "/interview-kit"):
        answer = client.get(f"/api/v1/submissions/{sid}{path}", headers=bearer)
        assert answer.status_code == 404, path
    for path in ("/regrade", "/comments"):
        answer = client.post(f"/api/v1/submissions/{sid}{path}", headers=bearer,
                             json={"path": "README.md", "line_start": 1, "kind": "concern",
                                   "body": "x"})
        assert answer.status_code == 404, path


@pytest.fixture
def blind(app: Any, client: Any, tmp_path: Path) -> dict[str, Any]:
    """A submission whose commit is authored by the candidate under their real name."""
    with app.app_context():
        sub = rs.submission(tmp_path, "My solution <b>bold</b>, by sam candidate (sam@example.com)")
        recruiter = factories.staff("recruiter", "rita@example.com")
        reviewer = factories.staff("reviewer", "rev@example.com")
        review.assign_reviewer(sub, reviewer, actor=recruiter)
        db.session.commit()
        return {"sub": sub.id, "code": sub.invitation.candidate_code,
                "reviewer": reviewer.email, "token": factories.api_token(reviewer),
                "recruiter": recruiter.email}


def test_history_shows_reviewers_the_candidate_code_not_the_commit_author(client,
                                                                          blind, auth) -> None:
    sid = blind["sub"]
    auth.client(client, blind["reviewer"])
    page = client.get(f"/submissions/{sid}/history")
    assert page.status_code == 200
    assert rs.CANDIDATE.name not in page.text and rs.CANDIDATE.email not in page.text
    assert f"<td>{blind['code']}</td>" in page.text and "<td>Reciprocal</td>" in page.text
    code = blind["code"]
    assert f"My solution &lt;b&gt;bold&lt;/b&gt;, by {code} ({code})" in page.text

    bearer = {"Authorization": f"Bearer {blind['token']}"}
    for path in ("", "/files", "/files/src/app.py", "/review", "/interview-kit"):
        answer = client.get(f"/api/v1/submissions/{sid}{path}", headers=bearer)
        assert answer.status_code == 200, path
        text = answer.get_data(as_text=True)
        assert rs.CANDIDATE.name not in text and rs.CANDIDATE.email not in text, path
    for tab in ("code", "changes", "review", "kit"):
        text = client.get(f"/submissions/{sid}/{tab}").get_data(as_text=True)
        assert rs.CANDIDATE.name not in text and rs.CANDIDATE.email not in text, tab

    auth.client(client, blind["recruiter"])
    page = client.get(f"/submissions/{sid}/history").text
    assert f"<td>{rs.CANDIDATE.name}</td>" in page and "by sam candidate (sam@example.com)" in page


def test_history_masks_short_name_parts_and_handles(app, client, tmp_path: Path, auth) -> None:
    """A candidate called Al Wong signs commits as "Al", "@alwong" or "awong42"; the reviewer
    reads the code where those were, and ordinary words ("also", "final") as they are."""
    import git as gitpython
    from reciprocal.git import repos

    message = "Al: final parser (also by @alwong, awong42 and al.wong) - An index"
    with app.app_context():
        new = factories.started(name="Al Wong", email="al.wong@example.com")
        tree = tmp_path / "tree"
        tree.mkdir()
        (tree / "app.py").write_text("print('hi')\n")
        repos.commit_directory(invitations.storage().path_for(new.invitation.id), tree, message,
                               author=gitpython.Actor("Al Wong", "al.wong@example.com"))
        sub = invitations.submit(new.invitation)
        db.session.commit()
        rs.reviewer_on(sub, "rev@example.com")
        sid, code = sub.id, sub.invitation.candidate_code
    auth.client(client, "rev@example.com")
    page = client.get(f"/submissions/{sid}/history").text
    assert (f"{code}: final parser (also by @{code}, {code} and {code}) - An index"
            in page), page
    assert "alwong" not in page.lower() and "Al Wong" not in page and "Al:" not in page


def test_history_names_the_author_once_the_decision_is_sent(app, client, blind, auth) -> None:
    sid = blind["sub"]
    with app.app_context():
        sub = db.session.get(Submission, sid)
        recruiter = db.session.scalar(select(User).where(User.email == blind["recruiter"]))
        reason = sub.invitation.role.requirements[0]
        outcomes.decide(sub, "reject", reason, actor=recruiter)
        outcomes.send(sub, actor=recruiter)
        db.session.commit()
    auth.client(client, blind["reviewer"])
    assert f"<td>{rs.CANDIDATE.name}</td>" in client.get(f"/submissions/{sid}/history").text


def _asked(body: str) -> tuple[Question, Any]:
    new = factories.started()
    question = questions.ask(new.invitation, body)
    db.session.commit()
    return question, new.invitation


def test_reviewers_see_and_answer_only_questions_of_their_submissions(client, ctx, auth) -> None:
    mine, invitation = _asked("May I use <em>sqlite</em>?")
    submission = invitations.submit(invitation)
    other, _ = _asked("Is the time cap strict for Alex?")
    recruiter = factories.staff("recruiter", "rita@example.com")
    reviewer = factories.staff("reviewer", "rev@example.com")
    review.assign_reviewer(submission, reviewer, actor=recruiter)
    db.session.commit()
    mine_id, other_id = mine.id, other.id

    auth.client(client, reviewer.email)
    inbox = client.get("/outcomes/questions").get_data(as_text=True)
    assert "&lt;em&gt;sqlite&lt;/em&gt;" in inbox
    assert "time cap strict" not in inbox and "for_everyone" not in inbox
    assert client.post(f"/outcomes/questions/{other_id}/answer",
                       data={"body": "Yes"}).status_code == 404
    assert client.post(f"/outcomes/questions/{other_id + 99}/answer",
                       data={"body": "Yes"}).status_code == 404
    published = client.post(f"/outcomes/questions/{mine_id}/answer",
                            data={"body": "Yes", "for_everyone": "yes"})
    assert published.status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    answered = client.post(f"/outcomes/questions/{mine_id}/answer",
                           data={"body": "Yes, the standard library is fine."})
    assert answered.status_code == 302
    db.session.expire_all()
    answer = db.session.scalar(select(Answer).where(Answer.question_id == mine_id))
    assert answer is not None and not answer.for_everyone

    reviewer_row = db.session.get(User, reviewer.id)
    with pytest.raises(NotFound):
        questions.answer(db.session.get(Question, other_id), "x", for_everyone=False,
                         actor=reviewer_row)
    db.session.rollback()

    auth.client(client, recruiter.email)
    inbox = client.get("/outcomes/questions").get_data(as_text=True)
    assert "time cap strict" in inbox and "for_everyone" in inbox
    assert client.post(f"/outcomes/questions/{other_id}/answer",
                       data={"body": "It is.", "for_everyone": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Answer).where(Answer.question_id == other_id)).for_everyone
