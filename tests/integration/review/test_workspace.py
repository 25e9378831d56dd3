"""The reviewer workspace over HTTP with a real git repository and database: code browsing,
comments, scorecards, independence, blind review, the interview kit, the API and access rules."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from reciprocal.extensions import db
from reciprocal.models import AuditEvent, InterviewNote, User
from reciprocal.review import operations as review
from reciprocal.review import queries as review_queries
from sqlalchemy import select

from tests.support import factories
from tests.support import review as rs


@pytest.fixture
def world(app, client, tmp_path) -> dict[str, Any]:
    app.config["REVIEW_MAX_FILE_BYTES"] = 10_000
    with app.app_context():
        sub = rs.submission(tmp_path)
        alice = rs.reviewer_on(sub, "alice@example.com")
        bob = rs.reviewer_on(sub, "bob@example.com")
        outsider = factories.staff("reviewer", "carol@example.com")
        admin = factories.staff("admin", "admin@example.com")
        return {
            "sub": sub.id,
            "alice": alice.email,
            "bob": bob.email,
            "carol": outsider.email,
            "admin": admin.email,
            "ids": {"alice": alice.id, "carol": outsider.id},
            "name": sub.invitation.candidate_name,
            "code": sub.invitation.candidate_code,
        }


def text_of(html: str) -> str:
    """The page without its tags (highlighted code is split into spans; entities stay)."""
    return re.sub(r"<[^>]+>", "", html)


def comment(client: Any, sid: int, **data: Any) -> Any:
    return client.post(f"/submissions/{sid}/comments", data=data)


def test_tree_file_changes_history_are_safe_and_highlighted(client, world, auth) -> None:
    sid = world["sub"]
    auth.client(client, world["alice"])
    tree = client.get(f"/submissions/{sid}/code")
    assert tree.status_code == 200
    page = tree.text
    assert "<svg onload" not in page
    assert "&lt;svg onload=alert(1)&gt; &amp; &#34;q&#34;.py" in page
    assert "leaf.txt" in page and "app.py" in page
    assert world["name"] not in page and world["code"] in page  # blind review
    assert "script-src 'nonce-" in tree.headers["Content-Security-Policy"]

    src = client.get(f"/submissions/{sid}/code/src/app.py")
    assert src.status_code == 200
    assert '<span class="k">def</span>' in src.text and 'id="L30"' in src.text
    readme = client.get(f"/submissions/{sid}/code/README.md").text
    assert "<img src=x" not in readme and "&lt;img" in readme
    assert "Binary file" in client.get(f"/submissions/{sid}/code/logo.png").text
    assert "not UTF-8" in client.get(f"/submissions/{sid}/code/latin1.txt").text
    assert "too large to show" in client.get(f"/submissions/{sid}/code/big.txt").text
    link = client.get(f"/submissions/{sid}/code/link").text
    assert "Symbolic link to <code>/etc/passwd</code>" in link and "root:" not in link
    odd = client.get(f"/submissions/{sid}/code/{rs.ODD_NAME}")
    assert odd.status_code == 200 and "<b>hi</b>" not in odd.text
    assert client.get(f"/submissions/{sid}/code/../../etc/passwd").status_code == 404
    assert client.get(f"/submissions/{sid}/code/nope.py").status_code == 404

    changes = client.get(f"/submissions/{sid}/changes").text
    assert "added" in changes and "deleted" in changes and "src/app.py" in changes
    assert "Binary file changed" in changes
    history = client.get(f"/submissions/{sid}/history").text
    assert "starter" in history and "My solution &lt;b&gt;bold&lt;/b&gt;" in history


def test_comments_replies_edit_delete_and_ownership(app, client, world, auth) -> None:
    sid = world["sub"]
    auth.client(client, world["alice"])
    made = comment(
        client, sid, path="src/app.py", line_start=1, line_end=2, kind="strength", body="Nice <b>"
    )
    assert made.status_code == 302 and "#comment-" in made.location
    cid = int(made.location.rsplit("comment-", 1)[1])
    page = client.get(f"/submissions/{sid}/code/src/app.py").text
    assert "Nice &lt;b&gt;" in page
    bad = comment(client, sid, path="src/app.py", line_start=99, kind="concern", body="x")
    assert bad.status_code == 302
    assert comment(client, sid, path="logo.png", line_start=1, kind="concern", body="x")
    assert (
        client.post(f"/submissions/{sid}/comments/{cid}/edit", data={"body": "Great"}).status_code
        == 302
    )
    reply = comment(client, sid, parent_id=cid, body="And tested")
    assert reply.status_code == 302

    auth.client(client, world["bob"])
    # Bob has not submitted a scorecard: Alice's comment is hidden (404), not editable.
    assert (
        client.post(f"/submissions/{sid}/comments/{cid}/edit", data={"body": "x"}).status_code
        == 404
    )
    assert "Great" not in client.get(f"/submissions/{sid}/code/src/app.py").text
    auth.client(client, world["admin"])
    assert "Great" in client.get(f"/submissions/{sid}/code/src/app.py").text
    assert (
        client.post(f"/submissions/{sid}/comments/{cid}/edit", data={"body": "x"}).status_code
        == 403
    )
    assert client.post(f"/submissions/{sid}/comments/{cid}/delete").status_code == 403
    auth.client(client, world["alice"])
    assert client.post(f"/submissions/{sid}/comments/{cid}/delete").status_code == 302
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"review.comment_added", "review.comment_edited", "review.comment_deleted"} <= actions


def test_unassigned_reviewer_gets_404_everywhere(client, world, auth) -> None:
    sid = world["sub"]
    auth.client(client, world["carol"])
    for suffix in ("code", "code/src/app.py", "changes", "history", "review", "kit"):
        assert client.get(f"/submissions/{sid}/{suffix}").status_code == 404, suffix
    assert (
        comment(client, sid, path="src/app.py", line_start=1, kind="concern", body="x").status_code
        == 404
    )
    assert client.post(f"/submissions/{sid}/comments/1/edit", data={"body": "x"}).status_code == 404
    assert client.post(f"/submissions/{sid}/kit/notes", data={"section": "fit"}).status_code == 404
    assert client.get("/review/calibration").status_code == 403


def _score_form(
    level: str, evidence: str = "clear reason", action: str = "submit"
) -> dict[str, str]:
    data = {"recommendation": "yes", "summary": "ok", "action": action}
    for i in range(4):
        data[f"level-{i}"] = level
        data[f"evidence-{i}"] = evidence
    return data


def test_scorecards_independent_evidence_required_and_aggregate(app, client, world, auth) -> None:
    sid = world["sub"]
    auth.client(client, world["alice"])
    missing = client.post(f"/submissions/{sid}/review", data=_score_form("great", evidence=""))
    assert missing.status_code == 422 and "give evidence" in missing.text
    assert client.post(f"/submissions/{sid}/review", data=_score_form("great")).status_code == 302
    assert client.post(f"/submissions/{sid}/review", data=_score_form("good")).status_code == 409

    auth.client(client, world["bob"])
    page = client.get(f"/submissions/{sid}/review").text
    assert "All scorecards" not in page and "Alice" not in page
    client.post(f"/submissions/{sid}/review", data=_score_form("mediocre", action="save"))
    assert "All scorecards" not in client.get(f"/submissions/{sid}/review").text
    assert (
        client.post(f"/submissions/{sid}/review", data=_score_form("mediocre")).status_code == 302
    )
    page = client.get(f"/submissions/{sid}/review").text
    assert "strong disagreement" in page

    auth.client(client, world["admin"])
    assert "strong disagreement" in client.get(f"/submissions/{sid}/review").text
    # A submitted scorecard stays, so its reviewer is not offered for removal.
    page = client.get(f"/submissions/{sid}").text
    assert page.count("scorecard submitted") == 2 and "Remove<span" not in page
    # Admins are not assigned: they see but cannot score.
    assert client.post(f"/submissions/{sid}/review", data=_score_form("good")).status_code == 403
    calibration = client.get("/review/calibration").text
    assert "Correctness" in calibration and "0 %" in calibration


def test_interview_kit_questions_in_file_order_with_code_and_notes(
        app, client, world, auth) -> None:
    sid = world["sub"]
    auth.client(client, world["alice"])
    comment(
        client, sid, path="src/app.py", line_start=7, line_end=8, kind="question", body="Why f3?"
    )
    comment(client, sid, path="README.md", line_start=1, kind="question", body="Say more?")
    comment(client, sid, path="src/app.py", line_start=1, kind="strength", body="Good")
    kit = client.get(f"/submissions/{sid}/kit").text
    assert kit.index("Say more?") < kit.index("Why f3?")
    assert "return x + 3" in kit and "Good" not in kit
    assert "Own the customer data services." in kit and "Follow-up interview" in kit
    with app.app_context():
        sub = db.session.get(review.Submission, sid)
        qid = next(
            c.id
            for c in review_queries.visible_comments(
                sub, db.session.get(User, world["ids"]["alice"])
            )
            if c.body == "Why f3?"
        )
    saved = client.post(
        f"/submissions/{sid}/kit/notes",
        data={"section": f"comment-{qid}", "answer": "Because", "notes": "solid"},
    )
    assert saved.status_code == 302
    assert (
        client.post(
            f"/submissions/{sid}/kit/notes", data={"section": "fit", "answer": "good fit"}
        ).status_code
        == 302
    )
    assert (
        client.post(f"/submissions/{sid}/kit/notes", data={"section": "bogus"}).status_code == 422
    )
    with app.app_context():
        notes = {n.section: n.answer for n in db.session.scalars(select(InterviewNote))}
    assert notes == {f"comment-{qid}": "Because", "fit": "good fit"}


def test_api_files_comments_review_and_kit(app, client, world) -> None:
    sid = world["sub"]
    with app.app_context():
        token = factories.api_token(db.session.get(User, world["ids"]["alice"]))
        other = factories.api_token(db.session.get(User, world["ids"]["carol"]))
    auth = {"Authorization": f"Bearer {token}"}
    files = client.get(f"/api/v1/submissions/{sid}/files", headers=auth).get_json()
    kinds = {f["path"]: f["type"] for f in files["files"]}
    assert kinds["link"] == "symlink" and kinds["src"] == "tree" and kinds["src/app.py"] == "file"
    link = client.get(f"/api/v1/submissions/{sid}/files/link", headers=auth).get_json()
    assert link["type"] == "symlink" and link["target"] == "/etc/passwd"
    assert client.get(f"/api/v1/submissions/{sid}/files/logo.png", headers=auth).get_json()[
        "binary"
    ]
    text = client.get(f"/api/v1/submissions/{sid}/files/src/app.py", headers=auth).get_json()
    assert text["text"] == rs.APP_PY
    made = client.post(
        f"/api/v1/submissions/{sid}/comments",
        json={
            "path": "src/app.py",
            "line_start": 4,
            "line_end": 5,
            "kind": "question",
            "body": "?",
        },
        headers=auth,
    )
    assert made.status_code == 201, made.text
    bad = client.post(
        f"/api/v1/submissions/{sid}/comments",
        json={"path": "src/app.py", "line_start": 4, "kind": "rant", "body": "?"},
        headers=auth,
    )
    assert bad.status_code == 422 and "kind" in bad.get_json()["error"]
    data = client.get(f"/api/v1/submissions/{sid}/review", headers=auth).get_json()
    assert [c["body"] for c in data["comments"]] == ["?"] and data["aggregate"] is None
    assert data["candidate"] == world["code"]
    kit = client.get(f"/api/v1/submissions/{sid}/interview-kit", headers=auth).get_json()
    assert kit["questions"][0]["context"][0] == {"line": 1, "text": "def f1(x):"}
    blocked = {"Authorization": f"Bearer {other}"}
    for suffix in ("files", "files/src/app.py", "review", "interview-kit"):
        assert client.get(f"/api/v1/submissions/{sid}/{suffix}", headers=blocked).status_code == 404


def test_changes_stay_within_a_budget_and_open_one_file_at_a_time(app, client, world, auth) -> None:
    sid = world["sub"]
    app.config["REVIEW_DIFF_BUDGET"] = 100
    auth.client(client, world["alice"])
    page = client.get(f"/submissions/{sid}/changes").text
    assert '?file=src/app.py">src/app.py</a> <span class="tag">not loaded' in page
    assert "return x + 7" not in page
    one = client.get(f"/submissions/{sid}/changes?file=src/app.py")
    assert one.status_code == 200 and "return x + 7" in text_of(one.text)
    odd = client.get(f"/submissions/{sid}/changes", query_string={"file": rs.ODD_NAME})
    assert "print('<b>hi</b>')" in html.unescape(text_of(odd.text))  # shown, as text
    assert "<b>hi" not in odd.text
    assert client.get(f"/submissions/{sid}/changes?file=nope").status_code == 404


def test_failing_tests_are_shown_beside_the_code_with_their_messages(
        app, client, world, auth) -> None:
    from reciprocal.grading import operations as grading
    from reciprocal.models import Submission

    with app.app_context():
        run = db.session.get(Submission, world["sub"]).latest_run
        assert grading.claim(run.id, run.rq_job_id) is not None
        grading.record_result(
            run.id,
            run.rq_job_id,
            {
                "status": "failed",
                "reason": "1 of 2 tests failed",
                "passed": 1,
                "failed": 1,
                "tests": [
                    {"name": "test_ok", "classname": "t", "outcome": "passed", "duration": 0.1},
                    {
                        "name": "test_city_<b>bold</b>",
                        "classname": "t",
                        "outcome": "failed",
                        "duration": 0.2,
                        "message": "expected ['Ana'] <script>x</script>",
                    },
                ],
            },
        )
        db.session.commit()
    auth.client(client, world["alice"])
    html = client.get(f"/submissions/{world['sub']}/code").get_data(as_text=True)
    assert "1 passed, 1 not passed" in html
    assert 'href="#failure-' in html and "test_city_&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x</script>" not in html
