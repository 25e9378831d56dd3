"""The comment library: snippets per assignment, inserted into the comment box and edited there,
kept from a comment, curated on their page and through the API, and reachable only through a
submission the viewer may review."""

from __future__ import annotations

import re
from typing import Any

import pytest
from reciprocal.extensions import db
from reciprocal.models import AuditEvent, CommentSnippet, ReviewComment, User
from sqlalchemy import select

from tests.support import factories
from tests.support import review as rs
from tests.support.auth import bearer

# In the PostgreSQL pass: the library is a query of snippets, with usage counts and visibility.
pytestmark = pytest.mark.postgres


@pytest.fixture
def world(app, tmp_path) -> dict[str, Any]:
    with app.app_context():
        sub = rs.submission(tmp_path)
        alice = rs.reviewer_on(sub, "alice@example.com")
        outsider = factories.staff("reviewer", "carol@example.com")
        return {"sub": sub.id, "alice": factories.api_token(alice),
                "carol": factories.api_token(outsider), "alice_email": "alice@example.com"}


def test_snippets_are_added_used_kept_edited_and_removed_through_the_api(app, client,
                                                                         world) -> None:
    sid, alice = world["sub"], bearer(world["alice"])
    base = f"/api/v1/submissions/{sid}/snippets"
    assert client.get(base, headers=alice).json == {"snippets": []}

    made = client.post(base, headers=alice, json={
        "title": "Rows with a BOM", "kind": "concern",
        "body": "The first row loses its key when the file starts with a BOM."})
    assert made.status_code == 201, made.text
    snippet = made.json
    assert snippet["title"] == "Rows with a BOM" and snippet["kind"] == "concern"
    assert snippet["uses"] == 0

    # An empty box with a snippet chosen posts the snippet's text; the use is counted.
    posted = client.post(f"/api/v1/submissions/{sid}/comments", headers=alice, json={
        "path": "src/app.py", "line_start": 1, "kind": "concern", "snippet_id": snippet["id"]})
    assert posted.status_code == 201, posted.text
    assert posted.json["body"] == snippet["body"]
    # The usual way: the reviewer edits the inserted text, and keeps their own wording too.
    edited = client.post(f"/api/v1/submissions/{sid}/comments", headers=alice, json={
        "path": "src/app.py", "line_start": 2, "kind": "strength",
        "snippet_id": snippet["id"], "body": "Clear names: f2 reads like the brief.",
        "save_as_snippet": True})
    assert edited.status_code == 201, edited.text
    listed = client.get(base, headers=alice).json["snippets"]
    assert [s["title"] for s in listed] == ["Rows with a BOM",
                                            "Clear names: f2 reads like the brief."]
    assert listed[0]["uses"] == 2 and listed[1]["uses"] == 0
    assert listed[1]["kind"] == "strength"

    changed = client.patch(f"{base}/{snippet['id']}", headers=alice,
                           json={"body": "A BOM hides the first key.", "kind": None})
    assert changed.status_code == 200, changed.text
    assert changed.json["body"] == "A BOM hides the first key." and changed.json["kind"] is None
    assert changed.json["title"] == "Rows with a BOM"
    assert client.delete(f"{base}/{snippet['id']}", headers=alice).status_code == 204
    assert [s["id"] for s in client.get(base, headers=alice).json["snippets"]] == [listed[1]["id"]]
    # A comment posted from a snippet keeps its text when the snippet goes.
    with app.app_context():
        bodies = list(db.session.scalars(select(ReviewComment.body).order_by(ReviewComment.id)))
        assert bodies[0] == snippet["body"]
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"snippet.created", "snippet.updated", "snippet.deleted"} <= actions


@pytest.mark.parametrize(("data", "message"), [
    ({"body": "  "}, "write the snippet's text"),
    ({"body": "x", "title": "t" * 121}, "at most 120 characters"),
    ({"body": "x", "kind": "praise"}, "kind must be one of"),
    ({"body": "x" * 10_001}, "at most 10000 characters"),
])
def test_bad_snippets_get_a_clear_error_and_change_nothing(app, client, world, data,
                                                           message) -> None:
    answer = client.post(f"/api/v1/submissions/{world['sub']}/snippets",
                         headers=bearer(world["alice"]), json=data)
    assert answer.status_code == 422, answer.text
    assert message in answer.text
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(CommentSnippet)) == 0


def test_the_library_is_reached_only_through_a_submission_one_reviews(client, world) -> None:
    sid = world["sub"]
    made = client.post(f"/api/v1/submissions/{sid}/snippets", headers=bearer(world["alice"]),
                       json={"body": "Good error handling."}).json
    carol = bearer(world["carol"])
    for method, path in [("get", f"/api/v1/submissions/{sid}/snippets"),
                         ("post", f"/api/v1/submissions/{sid}/snippets"),
                         ("patch", f"/api/v1/submissions/{sid}/snippets/{made['id']}"),
                         ("delete", f"/api/v1/submissions/{sid}/snippets/{made['id']}")]:
        answer = getattr(client, method)(path, headers=carol, json={"body": "mine now"})
        assert answer.status_code == 404, (method, path, answer.text)
    assert client.get(f"/api/v1/submissions/{sid}/snippets/{made['id'] + 1}",
                      headers=bearer(world["alice"])).status_code == 405
    missing = client.delete(f"/api/v1/submissions/{sid}/snippets/{made['id'] + 1}",
                            headers=bearer(world["alice"]))
    assert missing.status_code == 404


def test_the_comment_box_offers_the_library_and_keeps_a_comment_in_it(app, client,
                                                                      world, auth) -> None:
    sid = world["sub"]
    auth.client(client, world["alice_email"])
    added = client.post(f"/submissions/{sid}/snippets", follow_redirects=True, data={
        "title": "Thin handler", "kind": "strength", "body": "The handler only translates."})
    assert "Snippet added to the library." in added.text
    page = client.get(f"/submissions/{sid}/code/src/app.py?line=3").text
    option = re.search(r'<option value="(\d+)" data-body="The handler only translates." '
                       r'data-kind="strength">Thin handler</option>', page)
    assert option, page
    assert "Also save this text to the comment library" in page

    # Without the script: an empty box with the snippet chosen posts the snippet's text.
    posted = client.post(f"/submissions/{sid}/comments", data={
        "path": "src/app.py", "line_start": "3", "kind": "strength",
        "snippet_id": option.group(1), "body": ""})
    assert posted.status_code == 302
    kept = client.post(f"/submissions/{sid}/comments", data={
        "path": "src/app.py", "line_start": "4", "kind": "question",
        "body": "Why f4 and not a loop?",
        "save_snippet": "1", "snippet_title": "Loop or functions?"})
    assert kept.status_code == 302
    library = client.get(f"/submissions/{sid}/snippets").text
    assert "Thin handler" in library and "used in 1 comment" in library
    assert "Loop or functions?" in library and "Why f4 and not a loop?" in library

    refused = client.post(f"/submissions/{sid}/snippets", follow_redirects=True,
                          data={"title": "Empty", "body": ""})
    assert "write the snippet&#39;s text" in refused.text
    with app.app_context():
        snippet = db.session.scalar(select(CommentSnippet)
                                    .where(CommentSnippet.title == "Thin handler"))
        edited = client.post(f"/submissions/{sid}/snippets/{snippet.id}", follow_redirects=True,
                             data={"title": "Thin handlers", "kind": "none",
                                   "body": "Handlers only translate."})
        assert "Snippet saved." in edited.text
        removed = client.post(f"/submissions/{sid}/snippets/{snippet.id}/delete",
                              follow_redirects=True)
        assert "Snippet removed from the library." in removed.text
        assert "Thin handlers" not in removed.text.split("Snippets</h2>")[1]
        author = db.session.scalar(select(User).where(User.email == world["alice_email"]))
        assert db.session.scalar(select(db.func.count()).select_from(ReviewComment)
                                 .where(ReviewComment.author_id == author.id)) == 2


def _scores() -> dict[str, Any]:
    from reciprocal.review import operations as review

    return {name: review.ScoreInput(level="good", evidence=f"evidence for {name}")
            for name in ("Correctness", "Code design", "Testing", "Communication")}


def test_what_a_reviewer_keeps_from_a_submission_waits_for_its_other_reviewers_scores(
        app, client, tmp_path, auth) -> None:
    """Alice reviews S and T, Bob reviews S and U (one assignment). A snippet written through S
    (saved from a comment, added or edited on the library page, through the API), and the uses
    of snippets on S, are Alice's judgement of S: Bob does not see them, from any submission,
    until his own scorecard for S is submitted. Recruiters see everything."""
    from reciprocal.review import operations as review

    with app.app_context():
        subs = []
        for name in ("s", "t", "u"):
            (tmp_path / name).mkdir()
            subs.append(rs.submission(tmp_path / name))
        s, t, u = subs
        alice = rs.reviewer_on(s, "alice@example.com")
        bob = rs.reviewer_on(s, "bob@example.com")
        recruiter = factories.staff("recruiter", "rita@example.com")
        review.assign_reviewer(t, alice, actor=recruiter)
        review.assign_reviewer(u, bob, actor=recruiter)
        db.session.commit()
        ids = {"s": s.id, "t": t.id, "u": u.id}
        tokens = {who: factories.api_token(db.session.scalar(select(User).where(
            User.email == f"{who}@example.com"))) for who in ("alice", "bob", "rita")}

    def library(who: str, via: str) -> dict[str, int]:
        answer = client.get(f"/api/v1/submissions/{ids[via]}/snippets",
                            headers=bearer(tokens[who]))
        assert answer.status_code == 200, answer.text
        return {x["title"]: x["uses"] for x in answer.json["snippets"]}

    def comment(who: str, via: str, **data: Any) -> Any:
        answer = client.post(f"/api/v1/submissions/{ids[via]}/comments",
                             headers=bearer(tokens[who]),
                             json={"path": "src/app.py", "line_start": 1, "kind": "concern",
                                   **data})
        assert answer.status_code == 201, answer.text
        return answer.json

    general = client.post(f"/api/v1/submissions/{ids['t']}/snippets", headers=bearer(
        tokens["alice"]), json={"title": "General", "body": "Names read like the brief."}).json
    comment("alice", "s", body="The parser drops the first row.", save_as_snippet="From S")
    comment("alice", "s", snippet_id=general["id"])
    comment("alice", "s", snippet_id=general["id"])
    client.post(f"/api/v1/submissions/{ids['s']}/snippets", headers=bearer(tokens["alice"]),
                json={"title": "Added on S", "body": "No tests for the empty file."})
    auth.client(client, "alice@example.com")
    client.post(f"/submissions/{ids['s']}/snippets",
                data={"title": "Page on S", "body": "The index is rebuilt per query."})
    client.post("/logout")
    comment("alice", "t", body="Clear module split.", save_as_snippet="From T")

    everything = {"General": 2, "From S": 0, "Added on S": 0, "Page on S": 0, "From T": 0}
    assert library("alice", "s") == everything
    assert library("rita", "u") == everything
    for via in ("s", "u"):  # whichever submission Bob opens the library from
        assert library("bob", via) == {"General": 0, "From T": 0}, via
    # Nor in his comment box, nor by id.
    auth.client(client, "bob@example.com")
    box = client.get(f"/submissions/{ids['s']}/code/src/app.py?line=3").text
    page = client.get(f"/submissions/{ids['s']}/snippets").text
    for html in (box, page):
        assert "General" in html and "From T" in html
        assert "From S" not in html and "Added on S" not in html and "Page on S" not in html
        assert "first row" not in html and "empty file" not in html
    assert "used in 0 comments" in page and "used in 2" not in page
    with app.app_context():
        hidden = db.session.scalar(select(CommentSnippet.id).where(
            CommentSnippet.title == "From S"))
    assert client.post(f"/submissions/{ids['s']}/comments", data={
        "path": "src/app.py", "line_start": "3", "kind": "concern", "snippet_id": hidden,
        "body": ""}).status_code == 404
    for method in ("patch", "delete"):
        answer = getattr(client, method)(f"/api/v1/submissions/{ids['u']}/snippets/{hidden}",
                                         headers=bearer(tokens["bob"]), json={"body": "x"})
        assert answer.status_code == 404, method
    client.post("/logout")

    # Alice rewords the general snippet while on S: its text is now about S too.
    client.patch(f"/api/v1/submissions/{ids['s']}/snippets/{general['id']}",
                 headers=bearer(tokens["alice"]), json={"body": "Names read like S's brief."})
    assert library("bob", "u") == {"From T": 0}

    with app.app_context():
        bob_user = db.session.scalar(select(User).where(User.email == "bob@example.com"))
        review.save_scorecard(db.session.get(type(s), ids["s"]), bob_user, _scores(),
                              recommendation="yes", submit=True)
        db.session.commit()
    assert library("bob", "u") == everything
