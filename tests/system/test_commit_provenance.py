"""Commit provenance, against `reciprocal serve` from outside with the real git client: the starter
is the commit recorded when the repository was made, never one recognised by its author, and commit
dates are shown as claimed beside the server's time of the push that brought them.

The attack: the candidate force-pushes a fake root commit authored "Reciprocal" that already
holds their changes, dated a year back, so that a Changes view based on the author name would
show nothing changed and a History based on commit dates would put all work before the start.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from tests.support.auth import Auth
from tests.support.served import Served, assign_reviewer, git, started_candidate

BACKDATED = "2025-01-01T09:00:00+00:00"
FORGER = {"GIT_AUTHOR_NAME": "Reciprocal", "GIT_AUTHOR_EMAIL": "platform@reciprocal.invalid",
          "GIT_COMMITTER_NAME": "Reciprocal", "GIT_COMMITTER_EMAIL": "platform@reciprocal.invalid",
          "GIT_AUTHOR_DATE": BACKDATED, "GIT_COMMITTER_DATE": BACKDATED}


def forged_commit(tree: Path, message: str, parent: str | None = None) -> str:
    """A commit of the work tree's index, authored and dated as the forger wants."""
    tree_id = git("write-tree", cwd=tree).stdout.strip()
    args = ["git", "commit-tree", tree_id, "-m", message] + (["-p", parent] if parent else [])
    env = {**os.environ, "HOME": str(tree.parent / ".git-home"), "GIT_CONFIG_NOSYSTEM": "1",
           **FORGER}
    done = subprocess.run(args, cwd=tree, env=env, capture_output=True, text=True, check=True,
                          timeout=60)
    return done.stdout.strip()


def test_a_forged_root_and_backdated_commits_do_not_hide_changes(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    sam = started_candidate(served)
    git("clone", "-q", sam.git_url, "work", cwd=tmp_path)
    tree = tmp_path / "work"
    (tree / "NOTES.md").write_text("How I approached the directory.\n")
    readme = tree / "README.md"
    readme.write_text(readme.read_text() + "\nSearch is case-insensitive.\n")
    git("add", "-A", cwd=tree)
    root = forged_commit(tree, "Starter for the assignment")  # a fake root, "by Reciprocal"
    (tree / "EXTRA.md").write_text("A later file.\n")
    git("add", "-A", cwd=tree)
    head = forged_commit(tree, "Backdated work", parent=root)
    pushed = git("push", "-f", "origin", f"{head}:refs/heads/main", cwd=tree)
    assert "Received at" in pushed.stderr  # the post-receive hook answered with the server time

    submitted = sam.call("submit")
    assert submitted.status_code == 201, submitted.text
    submission_id = submitted.json()["submission_id"]

    assign_reviewer(served, submission_id)

    reviewer = auth.session(served, "reviewer")
    changes = reviewer.get(f"{served.url}/submissions/{submission_id}/changes", timeout=30)
    assert changes.status_code == 200, changes.text[:500]
    for path in ("NOTES.md", "README.md", "EXTRA.md"):
        assert path in changes.text, f"{path} is hidden from Changes"

    history = reviewer.get(f"{served.url}/submissions/{submission_id}/history", timeout=30).text
    # The forged date, as a reviewer reads it: against the server's receipt (a reviewer sees no
    # clock time, so no accommodation can be worked out from one); staff read the date itself.
    assert len(re.findall(r"tag warn\">\d{3} days before it was received", history)) == 2
    staff_history = auth.session(served, "admin").get(
        f"{served.url}/submissions/{submission_id}/history", timeout=30).text
    assert "claimed</span> 01 Jan 09:00" in staff_history  # the forged date, labelled a claim
    assert "made by Reciprocal" not in history  # the recorded starter is no longer in history
    # Judged on the server's time: both commits arrived minutes after the start, not before it.
    assert len(re.findall(r"<td>0 h \d\d min</td>", history)) == 2, history
    assert "-1 h" not in history and "after the cap" not in history
    # Blind review: the forged "Reciprocal" author is the candidate, shown by their code.
    code = served.api("GET", f"/api/v1/submissions/{submission_id}",
                      served.tokens["reviewer"]).json()["candidate"]["code"]
    assert history.count(f"<td>{code}</td>") == 2
    assert "<td>Reciprocal</td>" not in history


def test_history_shows_the_starter_and_upload_times(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    sam = started_candidate(served)
    git("clone", "-q", sam.git_url, "work", cwd=tmp_path)
    tree = tmp_path / "work"
    (tree / "NOTES.md").write_text("Plain work.\n")
    git("add", "-A", cwd=tree)
    git("commit", "-q", "-m", "Plain work", cwd=tree)
    git("push", "-q", "origin", "HEAD:main", cwd=tree)
    (tree / "MORE.md").write_text("Uploaded work.\n")
    git("add", "-A", cwd=tree)
    git("commit", "-q", "-m", "Uploaded work", cwd=tree)
    git("bundle", "create", str(tmp_path / "more.bundle"), "main", cwd=tree)
    uploaded = sam.upload(tmp_path / "more.bundle")
    assert uploaded.status_code == 200 and "Uploaded." in uploaded.text, uploaded.text[:500]
    submitted = sam.call("submit")
    assert submitted.status_code == 201, submitted.text
    admin = auth.session(served, "admin")
    history = admin.get(f"{served.url}/submissions/{submitted.json()['submission_id']}/history",
                        timeout=30).text
    assert "made by Reciprocal" in history
    assert '<span class="tag">upload</span>' in history
    assert "not recorded" not in history
