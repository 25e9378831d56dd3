"""Many `git push`es racing one submit, with the real git client against a live server."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.support.gitclient import git

SUBMITTED_REF = "refs/reciprocal/submitted"
PUSH_BYTES = 1024 * 1024
CHAIN = 40


@dataclass
class Push:
    started: float
    finished: float
    accepted: bool
    stderr: str


@dataclass
class Race:
    submit_status: int
    commit_sha: str
    submit_returned: float
    pushes: list[Push] = field(default_factory=list)


def _pusher(
    url: str, work: Path, home: Path, ready: threading.Event, stop: threading.Event, out: list[Push]
) -> None:
    """Build a chain of commits first, then push them one after another as fast as git can,
    so that at any moment some push is on its way through the server."""
    git("clone", "-q", url, str(work), cwd=work.parent, home=home)
    chain = []
    for n in range(CHAIN):
        # Enough new data that receive-pack is busy for a while between the web layer's check
        # and its ref update: the window a racing submit used to fall into.
        (work / f"{work.name}-{n}.bin").write_bytes(os.urandom(PUSH_BYTES))
        git("add", "-A", cwd=work, home=home)
        git("commit", "-q", "-m", f"{work.name} {n}", cwd=work, home=home)
        chain.append(git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip())
    ready.set()
    for sha in chain:
        if stop.is_set():
            return
        started = time.monotonic()
        done = git(
            "push", "-q", "origin", f"+{sha}:refs/heads/main", cwd=work, home=home, check=False
        )
        out.append(Push(started, time.monotonic(), done.returncode == 0, done.stderr))


def race(base_url: str, token: str, git_url: str, tmp: Path, pushers: int = 3) -> Race:
    """Pushers force-push new commits to main in a loop; once some pushes landed, submit; the
    pushers go on until a push tried after the submit answered has its answer."""
    stop = threading.Event()
    pushes: list[Push] = []
    tmp.mkdir(parents=True, exist_ok=True)
    readies = [threading.Event() for _ in range(pushers)]
    threads = [
        threading.Thread(
            target=_pusher,
            args=(git_url, tmp / f"clone{i}", tmp / f"home{i}", readies[i], stop, pushes),
            daemon=True,
        )
        for i in range(pushers)
    ]
    for thread in threads:
        thread.start()
    for ready in readies:
        ready.wait(120)
    deadline = time.monotonic() + 60
    while sum(p.accepted for p in pushes) < pushers and time.monotonic() < deadline:
        time.sleep(0.01)
    assert any(p.accepted for p in pushes), [p.stderr for p in pushes]
    while True:
        response = requests.post(
            f"{base_url}/api/v1/candidate/submit",
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        if response.status_code != 409 or "in progress" not in response.text:
            break
    returned = time.monotonic()
    # The pushers go on until one push that started after the answer has been refused or
    # accepted (a fixed pause was not enough on a loaded machine, where one push of the chain
    # can take longer than the pause).
    deadline = returned + 60
    while time.monotonic() < deadline and not any(p.started > returned for p in list(pushes)):
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(120)
    return Race(response.status_code, response.json().get("commit_sha", ""), returned, pushes)


def server_ref(repo_path: Path, ref: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo_path), "rev-parse", "--verify", "--quiet", ref],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()


def check_race(result: Race, repo_path: Path) -> None:
    """What must hold after the race, whatever the interleaving."""
    assert result.submit_status == 201, result
    main = server_ref(repo_path, "refs/heads/main")
    assert main == result.commit_sha, "main moved after the submission recorded its commit"
    assert server_ref(repo_path, SUBMITTED_REF) == result.commit_sha
    late = [p for p in result.pushes if p.started > result.submit_returned]
    assert late, "no push was tried after the submit answered"
    assert not any(p.accepted for p in late), [p.stderr for p in late if p.accepted]
    # Refused for the submission, or by the git route's rate limit once the pushers have sent
    # hundreds of pushes in a minute (also a refusal: nothing moved main).
    assert all("already submitted" in p.stderr or "Too many attempts" in p.stderr
               for p in late), [p.stderr for p in late]
    assert any("already submitted" in p.stderr for p in late), [p.stderr for p in late]
