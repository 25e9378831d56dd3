"""Interview-kit notes are per reviewer: one note per submission, section and author; a reviewer
edits only their own and reads the others' only once their own scorecard is submitted
(independent scoring); recruiters and admins read every note with its author. Attacked as a
second reviewer would: reviewer B reading and overwriting reviewer A's closing verdict."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask_migrate import downgrade, upgrade
from reciprocal.extensions import db
from reciprocal.models import InterviewNote, User
from reciprocal.models.types import utcnow
from sqlalchemy import select

from tests.support import factories
from tests.support import review as rs

A_VERDICT = "A-VERDICT: strong hire, argued the trade-offs well"
B_VERDICT = "B-VERDICT: not convinced about the error handling"


def _score_form() -> dict[str, str]:
    data = {"recommendation": "yes", "summary": "ok", "action": "submit"}
    for i in range(4):
        data[f"level-{i}"] = "good"
        data[f"evidence-{i}"] = "clear reason"
    return data


@pytest.fixture
def kit_world(app, tmp_path) -> dict[str, Any]:
    with app.app_context():
        sub = rs.submission(tmp_path)
        alice = rs.reviewer_on(sub, "alice@example.com")
        bob = rs.reviewer_on(sub, "bob@example.com")
        recruiter = factories.staff("recruiter", "rita@example.com")
        admin = factories.staff("admin", "adam@example.com")
        for user, name in ((alice, "Alice Reviewer"), (bob, "Bob Reviewer"),
                           (recruiter, "Rita Recruiter")):
            user.name = name  # type: ignore[attr-defined]
        db.session.commit()
        return {
            "sub": sub.id,
            "ids": {"alice": alice.id, "bob": bob.id},  # type: ignore[attr-defined]
            "tokens": {
                "alice": factories.api_token(alice),  # type: ignore[arg-type]
                "bob": factories.api_token(bob),  # type: ignore[arg-type]
                "recruiter": factories.api_token(recruiter),
                "admin": factories.api_token(admin),
            },
        }


def _api_kit(client: Any, world: dict[str, Any], who: str) -> dict[str, Any]:
    answer = client.get(
        f"/api/v1/submissions/{world['sub']}/interview-kit",
        headers={"Authorization": f"Bearer {world['tokens'][who]}"},
    )
    assert answer.status_code == 200, answer.text
    return answer.get_json()


def _closing(kit: dict[str, Any], section: str = "fit") -> dict[str, Any]:
    return next(c for c in kit["closing"] if c["section"] == section)


def _save(client: Any, sid: int, section: str, answer: str, **extra: str) -> None:
    saved = client.post(
        f"/submissions/{sid}/kit/notes", data={"section": section, "answer": answer, **extra}
    )
    assert saved.status_code == 302, saved.text


def _notes(app: Any) -> dict[tuple[str, int], str]:
    with app.app_context():
        return {
            (n.section, n.author_id): n.answer for n in db.session.scalars(select(InterviewNote))
        }


def test_reviewer_b_neither_reads_nor_overwrites_a_closing_note(
        app, client, kit_world, auth) -> None:
    sid, ids = kit_world["sub"], kit_world["ids"]
    auth.client(client, "alice@example.com")
    _save(client, sid, "fit", A_VERDICT)
    assert client.post(f"/submissions/{sid}/review", data=_score_form()).status_code == 302

    # Bob has not submitted his scorecard: Alice's verdict is nowhere, page or API.
    auth.client(client, "bob@example.com")
    page = client.get(f"/submissions/{sid}/kit")
    assert page.status_code == 200
    assert A_VERDICT not in page.text and "Alice Reviewer" not in page.text
    kit = _api_kit(client, kit_world, "bob")
    assert A_VERDICT not in json.dumps(kit)
    assert _closing(kit)["answer"] == "" and _closing(kit)["by_author"] == []

    # Bob's save, even naming Alice as the author, writes only Bob's own note.
    _save(client, sid, "fit", B_VERDICT, author_id=str(ids["alice"]))
    assert _notes(app) == {("fit", ids["alice"]): A_VERDICT, ("fit", ids["bob"]): B_VERDICT}
    kit = _api_kit(client, kit_world, "bob")
    assert _closing(kit)["answer"] == B_VERDICT
    assert [(n["author"], n["own"]) for n in _closing(kit)["by_author"]] == [
        ("Bob Reviewer", True)
    ]
    assert A_VERDICT not in client.get(f"/submissions/{sid}/kit").text
    _save(client, sid, "fit", B_VERDICT + " (edited)")
    assert _notes(app)[("fit", ids["alice"])] == A_VERDICT
    assert len(_notes(app)) == 2

    # Once Bob has submitted his own scorecard he reads Alice's note, with her name, read-only.
    assert client.post(f"/submissions/{sid}/review", data=_score_form()).status_code == 302
    page = client.get(f"/submissions/{sid}/kit").text
    assert A_VERDICT.replace("'", "&#39;") in page and "Alice Reviewer" in page
    fit = _closing(_api_kit(client, kit_world, "bob"))
    assert fit["answer"] == B_VERDICT + " (edited)"
    assert [(n["author"], n["own"], n["answer"]) for n in fit["by_author"]] == [
        ("Bob Reviewer", True, B_VERDICT + " (edited)"),
        ("Alice Reviewer", False, A_VERDICT),
    ]
    _save(client, sid, "fit", "B again")
    assert _notes(app)[("fit", ids["alice"])] == A_VERDICT


def test_recruiters_and_admins_see_every_note_with_its_author(app, client, kit_world, auth) -> None:
    sid = kit_world["sub"]
    auth.client(client, "alice@example.com")
    _save(client, sid, "fit", A_VERDICT)
    _save(client, sid, "candidate", "A: asked about on-call")
    auth.client(client, "bob@example.com")
    _save(client, sid, "fit", B_VERDICT)

    auth.client(client, "rita@example.com")
    page = client.get(f"/submissions/{sid}/kit").text
    for text in ("Alice Reviewer", "Bob Reviewer", "A: asked about on-call"):
        assert text in page
    assert "A-VERDICT: strong hire" in page and "B-VERDICT: not convinced" in page
    for who in ("recruiter", "admin"):
        kit = _api_kit(client, kit_world, who)
        fit = _closing(kit)
        assert fit["answer"] == ""  # nothing of their own yet
        assert sorted((n["author"], n["answer"], n["own"]) for n in fit["by_author"]) == [
            ("Alice Reviewer", A_VERDICT, False),
            ("Bob Reviewer", B_VERDICT, False),
        ]
        assert [n["author"] for n in _closing(kit, "candidate")["by_author"]] == [
            "Alice Reviewer"
        ]
    # A recruiter's own note is a third note and leaves the reviewers' alone.
    _save(client, sid, "fit", "R: agree with Alice")
    assert len(_notes(app)) == 4
    assert _closing(_api_kit(client, kit_world, "recruiter"))["answer"] == "R: agree with Alice"


def test_question_notes_are_per_author_too(app, client, kit_world, auth) -> None:
    sid, ids = kit_world["sub"], kit_world["ids"]
    auth.client(client, "alice@example.com")
    made = client.post(
        f"/submissions/{sid}/comments",
        data={"path": "src/app.py", "line_start": 1, "line_end": 2, "kind": "question",
              "body": "Why f1?"},
    )
    assert made.status_code == 302
    question = _api_kit(client, kit_world, "alice")["questions"][0]
    section = f"comment-{question['comment_id']}"
    _save(client, sid, section, "A: because", notes="A notes")
    assert client.post(f"/submissions/{sid}/review", data=_score_form()).status_code == 302

    auth.client(client, "bob@example.com")
    # Bob cannot reach Alice's question before his scorecard; after it, his note is his own.
    refused = client.post(f"/submissions/{sid}/kit/notes", data={"section": section})
    assert refused.status_code == 404
    assert client.post(f"/submissions/{sid}/review", data=_score_form()).status_code == 302
    _save(client, sid, section, "B: hmm", notes="B notes")
    assert _notes(app) == {(section, ids["alice"]): "A: because", (section, ids["bob"]): "B: hmm"}
    question = _api_kit(client, kit_world, "bob")["questions"][0]
    assert question["answer"] == "B: hmm" and question["notes"] == "B notes"
    assert [(n["author"], n["notes"]) for n in question["by_author"]] == [
        ("Bob Reviewer", "B notes"),
        ("Alice Reviewer", "A notes"),
    ]


@pytest.mark.postgres  # a migration, both ways
def test_migration_keeps_each_note_with_its_author_both_ways(app, kit_world) -> None:
    """Down to the shared-note schema and back up on the test database (SQLite or PostgreSQL):
    a shared note stays with the person who wrote it; going down keeps the newest per section."""
    sid, ids = kit_world["sub"], kit_world["ids"]
    with app.app_context():
        db.session.add_all([
            InterviewNote(submission_id=sid, section="fit", author_id=ids["alice"],
                          answer="older", updated_at=utcnow()),
            InterviewNote(submission_id=sid, section="fit", author_id=ids["bob"],
                          answer="newer", updated_at=utcnow()),
            InterviewNote(submission_id=sid, section="candidate", author_id=ids["alice"],
                          answer="only one"),
        ])
        db.session.commit()
        db.session.remove()
        downgrade(revision="a5567d08460f")
        db.session.remove()
        try:
            rows = {(n.section, n.author_id, n.answer)
                    for n in db.session.scalars(select(InterviewNote))}
            assert rows == {("fit", ids["bob"], "newer"), ("candidate", ids["alice"], "only one")}
        finally:
            db.session.remove()
            upgrade(revision="heads")
        db.session.remove()
        db.session.add(InterviewNote(submission_id=sid, section="fit", author_id=ids["alice"],
                                     answer="again"))
        db.session.commit()
        rows = {(n.section, n.author_id, n.answer)
                for n in db.session.scalars(select(InterviewNote))}
        assert rows == {("fit", ids["bob"], "newer"), ("fit", ids["alice"], "again"),
                        ("candidate", ids["alice"], "only one")}
        assert db.session.get(User, ids["bob"]) is not None
