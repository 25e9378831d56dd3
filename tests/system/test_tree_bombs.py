"""Tree bombs against `reciprocal serve` from outside with the real git client: a commit of 12
objects whose tree expands to 10^10 files (each of ten trees names the one below ten times) is
refused by the pre-receive hook with a message git prints to the candidate, and an upload of a
bundle holding it is refused on the portal; the repository keeps its earlier main."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support import gitbombs
from tests.support.served import Served, git, started_candidate


def test_a_tree_bomb_is_refused_on_push_and_upload(served: Served, tmp_path: Path) -> None:
    sam = started_candidate(served)
    git("clone", "-q", sam.git_url, "work", cwd=tmp_path)
    work = tmp_path / "work"
    starter = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    bomb = gitbombs.recursive_bomb(work / ".git", starter)
    assert gitbombs.object_count(work / ".git", bomb) - \
        gitbombs.object_count(work / ".git", starter) == 12  # a commit, ten trees, one blob

    home = tmp_path / ".git-home"
    pushed = subprocess.run(["git", "push", "origin", f"{bomb}:refs/heads/main"], cwd=work,
                            env={**gitbombs.ENV, "HOME": str(home)}, capture_output=True,
                            text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert pushed.returncode != 0
    told = " ".join(line.removeprefix("remote:").strip() for line in pushed.stderr.splitlines()
                    if line.startswith("remote:"))
    assert (f"Commit {bomb[:10]} has more than 20000 files and folders, the most a commit may "
            "hold (counted through every folder), so this push was not accepted.") in told, \
        pushed.stderr
    assert "commit again and push again." in told
    assert "pre-receive hook declined" in pushed.stderr

    git("update-ref", "refs/heads/main", bomb, cwd=work)
    git("bundle", "create", str(tmp_path / "bomb.bundle"), "main", cwd=work)
    uploaded = sam.upload(tmp_path / "bomb.bundle")
    assert uploaded.status_code == 422, uploaded.text[:500]
    page = " ".join(uploaded.text.split())
    assert "has more than 20000 files and folders" in page
    assert "so this upload was not accepted" in page

    # Nothing of either landed: a fresh clone is the starter, and the server still answers.
    git("clone", "-q", sam.git_url, "again", cwd=tmp_path)
    assert git("rev-parse", "HEAD", cwd=tmp_path / "again").stdout.strip() == starter
    assert served.api("GET", "/healthz").status_code == 200
