"""Pushes racing submit against `reciprocal serve` (gunicorn, the real process tree), with the
real git client: after submit, main is the submitted commit, pinned under a hidden ref, and
every later push is refused with a clear message."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.push_race import SUBMITTED_REF, check_race, race, server_ref
from tests.support.served import Served, started_candidate


def test_pushes_racing_submit_never_move_main_after_it(served: Served, tmp_path: Path) -> None:
    for round_ in range(3):
        candidate = started_candidate(served, name=f"Racer {'abc'[round_]}")
        repo_path = served.data_dir / "repos" / f"{candidate.invitation_id:08d}.git"
        assert repo_path.is_dir()
        result = race(
            served.url, candidate.token, candidate.git_url, tmp_path / f"round{round_}", 3
        )
        check_race(result, repo_path)
        answer = served.api(
            "GET", f"/api/v1/invitations/{candidate.invitation_id}", served.tokens["recruiter"]
        )
        assert answer.status_code == 200, answer.text
        submission = served.api(
            "GET", f"/api/v1/submissions/{answer.json()['submission_id']}", served.admin_token
        )
        assert submission.status_code == 200, submission.text
        assert submission.json()["commit_sha"] == server_ref(repo_path, SUBMITTED_REF)
        listed = subprocess.run(
            ["git", "ls-remote", candidate.git_url],
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1"},
            timeout=60,
        ).stdout
        assert "refs/heads/main" in listed
        assert "refs/reciprocal" not in listed
        assert server_ref(repo_path, SUBMITTED_REF) == result.commit_sha
