"""AI attribution notes over git: the candidate's `refs/notes/ai` is accepted by the
pre-receive hook with the object limits of any push, other refs stay refused, assignment
repositories do not take notes, and reviewers see the marked lines in the code view and the
file API; the candidate's page shows the same as a summary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from reciprocal.extensions import db
from reciprocal.git import hooks
from reciprocal.review import operations as review

from tests.support import factories
from tests.support.gitclient import git

NOTE_META = {"schema_version": "authorship/3.0.0", "prompts": {
    "d9978a8723e02b52": {"agent_id": {"tool": "cursor", "model": "claude-<b>4.5</b>"}}}}


def _clone(live_app, tmp_path: Path) -> tuple[str, Path, Path, int]:
    with live_app.app.app_context():
        new = factories.started()
        token, url, invitation_id = new.token, new.git_url, new.invitation.id
    home = tmp_path / "home"
    git("clone", url, "work", cwd=tmp_path, home=home)
    return token, tmp_path / "work", home, invitation_id


def _commit_with_note(work: Path, home: Path, lines: str = "2-3") -> None:
    (work / "solver.py").write_text("def solve(x):\n    y = x * 2\n    return y + 1\n\n\n"
                                    "def main():\n    print(solve(2))\n")
    git("add", "solver.py", cwd=work, home=home)
    git("commit", "-m", "Solve", cwd=work, home=home)
    note = work.parent / "note.txt"
    note.write_text(f"solver.py\n  d9978a8723e02b52 {lines}\n---\n{json.dumps(NOTE_META)}\n")
    git("notes", "--ref=ai", "add", "-F", str(note), "HEAD", cwd=work, home=home)


def test_notes_push_is_accepted_and_marks_lines_for_reviewers(live_app, tmp_path, auth) -> None:
    token, work, home, invitation_id = _clone(live_app, tmp_path)
    _commit_with_note(work, home)
    pushed = git("push", "origin", "HEAD:main", "refs/notes/ai", cwd=work, home=home)
    assert "refs/notes/ai" in pushed.stderr
    # Other refs are still refused: tags and other notes alike.
    git("tag", "v1", cwd=work, home=home)
    refused = git("push", "origin", "refs/tags/v1", cwd=work, home=home, check=False)
    assert refused.returncode != 0 and "Only branches" in refused.stderr
    git("notes", "add", "-m", "plain", "HEAD", cwd=work, home=home)
    refused = git("push", "origin", "refs/notes/commits", cwd=work, home=home, check=False)
    assert refused.returncode != 0 and "Only branches" in refused.stderr

    submitted = requests.post(f"{live_app.url}/api/v1/candidate/submit",
                              headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert submitted.status_code == 201, submitted.text
    with live_app.app.app_context():
        from reciprocal.candidates import operations as invitations

        sub = invitations.get(invitation_id).submission
        reviewer = factories.staff("reviewer", "rev@example.com")
        review.assign_reviewer(sub, reviewer, actor=factories.staff("recruiter"))
        api_token = factories.api_token(reviewer)
        db.session.commit()
        sid = sub.id
    client = live_app.app.test_client()
    auth.client(client, "rev@example.com")
    page = client.get(f"/submissions/{sid}/code/solver.py").get_data(as_text=True)
    assert "Written with <strong>cursor (claude-&lt;b&gt;4.5&lt;/b&gt;)</strong>" in page
    assert "as the candidate's notes say: lines 2\u20133." in page
    assert page.count('class=" ai"') == 2 and "<b>4.5</b>" not in page
    data = requests.get(f"{live_app.url}/api/v1/submissions/{sid}/files/solver.py",
                        headers={"Authorization": f"Bearer {api_token}"}, timeout=30).json()
    assert data["ai_attribution"] == [{"agent": "cursor (claude-<b>4.5</b>)", "lines": [[2, 3]],
                                       "source": "the candidate's notes (refs/notes/ai)"}]
    # A file no note names is not marked.
    plain = client.get(f"/submissions/{sid}/code/README.md").get_data(as_text=True)
    assert "ai-legend" not in plain
    # The candidate sees what reviewers see, as files and line counts.
    mine = requests.get(f"{live_app.url}/c/{token}", timeout=30).text
    assert "solver.py" in mine and "2 lines" in mine and "cursor (claude-&lt;b&gt;4.5" in mine


def test_notes_push_gets_the_object_limits(live_app, tmp_path) -> None:
    live_app.app.config["MAX_BLOB_BYTES"] = 4096
    _token, work, home, _id = _clone(live_app, tmp_path)
    git("push", "origin", "HEAD:main", cwd=work, home=home)
    huge = work.parent / "huge.txt"
    huge.write_text("solver.py\n  abcdef1 1\n" + "x" * 8192)
    git("notes", "--ref=ai", "add", "-F", str(huge), "HEAD", cwd=work, home=home)
    refused = git("push", "origin", "refs/notes/ai", cwd=work, home=home, check=False)
    assert refused.returncode != 0 and "not accepted" in refused.stderr


def test_only_the_ai_notes_ref_is_ever_accepted_and_never_deleted() -> None:
    old, new = "1" * 40, "2" * 40
    accepted = hooks.check_updates([f"{old} {new} refs/notes/ai"], notes=(hooks.AI_NOTES_REF,))
    assert accepted == [(old, new, "refs/notes/ai")]
    with pytest.raises(hooks.Refusal, match="Only branches"):
        hooks.check_updates([f"{old} {new} refs/notes/ai"])  # an assignment repository
    with pytest.raises(hooks.Refusal, match="Deleting"):
        hooks.check_updates([f"{old} {hooks.ZERO} refs/notes/ai"], notes=(hooks.AI_NOTES_REF,))
    assert hooks._notes_refs({hooks.NOTES_REFS_ENV: "refs/notes/ai refs/notes/x"}) == (
        hooks.AI_NOTES_REF,)
