"""`reciprocal serve` from outside: a candidate pushes git-ai notes (`refs/notes/ai`) over git
beside their work, submits, and the reviewer's code page of the served platform marks the lines
the notes attribute; the kit carries the walkthrough with a change asked for on the code."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.support.auth import Auth
from tests.support.served import (
    Served,
    assign_reviewer,
    clone_and_push_solution,
    git,
    started_candidate,
)

PATH = "directory/index.py"
META = {"schema_version": "authorship/3.0.0", "base_commit_sha": "0" * 40, "prompts": {
    "d9978a8723e02b52": {"agent_id": {"tool": "claude-code", "id": "s1",
                                      "model": "claude-sonnet-4"}, "messages": []}}}


def test_pushed_ai_notes_mark_lines_on_the_served_review_page(served: Served, tmp_path: Path,
                                                              auth: Auth) -> None:
    candidate = started_candidate(served, name="Noa Notes")
    tree = clone_and_push_solution(candidate, tmp_path / "candidate")
    note = tmp_path / "note.txt"
    note.write_text(f"{PATH}\n  d9978a8723e02b52 2,5-6,12-16\n---\n{json.dumps(META)}\n")
    git("notes", "--ref=ai", "add", "-F", str(note), "HEAD", cwd=tree)
    pushed = git("push", "origin", "refs/notes/ai", cwd=tree)
    assert "refs/notes/ai" in pushed.stderr
    submitted = candidate.call("submit")
    assert submitted.status_code == 201, submitted.text
    submission_id = submitted.json()["submission_id"]
    assign_reviewer(served, submission_id)

    reviewer = auth.session(served, "reviewer")
    page = reviewer.get(f"{served.url}/submissions/{submission_id}/code/{PATH}", timeout=30)
    assert page.status_code == 200
    # Line 2 is the starter's (blame says so): a note on the candidate's commit never marks it.
    marked = re.findall(r'<tr id="L(\d+)" class="[^"]*\bai\b', page.text)
    assert marked == ["5", "6", "12", "13", "14", "15", "16"]
    assert ("Written with <strong>claude-code (claude-sonnet-4)</strong>, as the candidate's "
            "notes say: lines 5\u20136, 12\u201316.") in page.text

    token = served.tokens["reviewer"]
    change = served.api("POST", f"/api/v1/submissions/{submission_id}/comments", token, json={
        "path": PATH, "line_start": 2, "line_end": 4, "kind": "change",
        "body": "Make the lookup case-insensitive"})
    assert change.status_code == 201, change.text
    kit = served.api("GET", f"/api/v1/submissions/{submission_id}/interview-kit", token)
    assert kit.status_code == 200, kit.text
    plan = kit.json()["walkthrough"]
    assert plan["change"]["body"] == "Make the lookup case-insensitive"
    assert any(r["reasons"][0]["kind"] == "function" for r in plan["regions"])

    mine = served.api("GET", f"/c/{candidate.token}")
    assert PATH in mine.text and "7 lines" in mine.text
