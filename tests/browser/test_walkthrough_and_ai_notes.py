"""In real Chromium: the code view marks the lines the candidate's git-ai notes attribute (with
a legend, not colour alone), a reviewer adds a "change to ask for in the interview" comment,
the kit shows the walkthrough with that change, and the candidate's page shows the summary.
Every page axe-clean; screenshots kept under /tmp for a human to look at."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.git import repos
from reciprocal.git.command import run_git
from reciprocal.grading import operations as grading
from reciprocal.review import operations as review

from tests.support import factories
from tests.support import review as rs
from tests.support.browser import violations

META = {"schema_version": "authorship/3.0.0", "prompts": {
    "d9978a8723e02b52": {"agent_id": {"tool": "claude-code", "model": "claude-sonnet-4"}},
    "e5be5f8723e02b52": {"agent_id": {"tool": "cursor", "model": "gpt-5"}}}}
NOTE = ("src/app.py\n  d9978a8723e02b52 4-8\n  e5be5f8723e02b52 13-14\n---\n"
        + json.dumps(META))
TRACEBACK = ('Traceback (most recent call last):\n  File "/tests/test_hidden_api.py", line 3\n'
             '  File "/work/src/app.py", line 26, in f9\nAssertionError')


def _world(tmp_path: Path) -> dict[str, object]:
    new = factories.started()
    tree = tmp_path / "candidate-tree"
    tree.mkdir()
    rs.build_tree(tree)
    repo_path = invitations.storage().path_for(new.invitation.id)
    sha = repos.commit_directory(repo_path, tree, "My solution", author=rs.CANDIDATE)
    head = run_git(["rev-parse", "refs/heads/main"], git_dir=repo_path).stdout.decode().strip()
    run_git(["-c", "user.name=Sam", "-c", "user.email=sam@example.com", "notes",
             "--ref=refs/notes/ai", "add", "-m", NOTE, head], git_dir=repo_path)
    sub = invitations.submit(new.invitation)
    db.session.commit()
    run = sub.latest_run
    assert grading.claim(run.id, run.rq_job_id) is not None
    grading.record_result(run.id, run.rq_job_id, {
        "status": "failed", "reason": "1 of 2 did not pass", "passed": 1, "failed": 1,
        "errors": 0, "skipped": 0, "tests": [
            {"name": "test_healthz", "classname": "test_hidden_api.py", "outcome": "passed",
             "duration": 0.1, "message": ""},
            {"name": "test_f9", "classname": "test_hidden_api.py", "outcome": "failed",
             "duration": 0.1, "message": TRACEBACK}]})
    reviewer = rs.reviewer_on(sub, "rev@example.com")
    review.add_comment(sub, reviewer, path="src/app.py", line_start=19, line_end=20,
                       kind="question", body="Why is f7 separate from f6?")
    db.session.commit()
    return {"sid": sub.id, "email": reviewer.email, "token": new.token, "sha": sha}


def _shot(page, tmp_path: Path, name: str) -> None:
    target = tmp_path / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    shutil.copy(target, f"/tmp/ai-walkthrough-{name}.png")


@pytest.mark.browser
def test_marked_lines_change_comment_kit_and_candidate_summary(live_app, page, tmp_path,
                                                               auth) -> None:
    with live_app.app.app_context():
        world = _world(tmp_path)
    sid = world["sid"]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    auth.page(page, live_app.url, world["email"])

    page.goto(f"{live_app.url}/submissions/{sid}/code/src/app.py")
    legend = page.locator("aside.ai-legend")
    assert "Written with claude-code (claude-sonnet-4), as the candidate's notes say: lines 4" \
        in legend.inner_text()
    assert "Written with cursor (gpt-5)" in legend.inner_text()
    assert page.locator("tr.ai").count() == 7
    assert page.locator("#L5 .ai-mark").inner_text().startswith("AI1")
    assert page.locator("#L13 .ai-mark").inner_text().startswith("AI2")
    assert page.locator("#L9 .ai-mark").count() == 0
    assert violations(page) == []
    _shot(page, tmp_path, "code-view")

    # A change to ask for in the interview, through the comment form.
    page.click("a[data-line='10']")
    page.click("a[data-line='11']", modifiers=["Shift"])
    page.select_option("#kind", "change")
    page.fill("#body", "Make f4 refuse negative numbers, with a test.")
    page.click("button:has-text('Add comment')")
    page.wait_for_selector("text=Make f4 refuse negative numbers, with a test.")
    assert "Change to ask for in the interview" in page.locator(
        "article.kind-change .tag.kind").inner_text()

    page.goto(f"{live_app.url}/submissions/{sid}/kit")
    walk = page.locator("#walkthrough")
    assert "Largest changed function f1" in walk.inner_text()
    assert "Failing hidden test test_hidden_api.py::test_f9" in walk.inner_text()
    assert "Follow-up question: Why is f7 separate from f6?" in walk.inner_text()
    assert "Make f4 refuse negative numbers" in page.locator(".live-change").inner_text()
    assert violations(page) == []
    _shot(page, tmp_path, "kit")

    candidate = page.context.browser.new_page()
    candidate.set_viewport_size({"width": 1024, "height": 900})
    candidate.goto(f"{live_app.url}/c/{world['token']}")
    summary = candidate.locator("#ai-notes")
    assert "src/app.py" in summary.inner_text() and "7 lines" in summary.inner_text()
    assert "claude-code (claude-sonnet-4), cursor (gpt-5)" in summary.inner_text()
    assert violations(candidate) == []
    summary.screenshot(path=str(tmp_path / "candidate.png"))
    shutil.copy(tmp_path / "candidate.png", "/tmp/ai-walkthrough-candidate.png")
    candidate.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
