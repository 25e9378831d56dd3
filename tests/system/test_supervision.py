"""`reciprocal serve` supervises what it starts: killed children come back, queued gradings are
not lost, and a stop during a push loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.support.auth import Auth
from tests.support.served import (
    Served,
    clone_and_push_solution,
    git,
    served_platform,
    started_candidate,
    wait_graded,
)

BATCH = 4
WITHIN = 60.0  # seconds after the kill by which every submission is graded


def _submit_batch(served: Served, tmp_path: Path, label: str) -> list[int]:
    candidates = [started_candidate(served, name=f"{label} Candidate {chr(65 + n)}")
                  for n in range(BATCH)]
    for n, candidate in enumerate(candidates):
        clone_and_push_solution(candidate, tmp_path / f"{label}-{n}")
    ids = []
    for candidate in candidates:
        answer = candidate.call("submit")
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    return ids


def _graded_once(served: Served, ids: list[int], killed_at: float) -> None:
    remaining = WITHIN - (time.monotonic() - killed_at)
    for submission_id in ids:
        result = wait_graded(served, submission_id, timeout=max(1.0, remaining))
        remaining = WITHIN - (time.monotonic() - killed_at)
        assert result["runs"] == 1, result
        assert result["grading"]["status"] == "passed", result["grading"]


def _kill(served: Served, child: str) -> float:
    pid = served.children()[child]["pid"]
    os.kill(pid, signal.SIGKILL)
    return time.monotonic()


def _wait_running(served: Served, ids: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for submission_id in ids:
            answer = served.api("GET", f"/api/v1/submissions/{submission_id}", served.admin_token)
            if (answer.json().get("grading") or {}).get("status") == "running":
                return
        time.sleep(0.1)
    raise AssertionError("no grading started")


def test_killed_children_are_restarted_and_no_grading_is_lost(own_served: Served,
                                                              tmp_path: Path, auth: Auth) -> None:
    served = own_served
    # Redis, with gradings waiting in its queue.
    ids = _submit_batch(served, tmp_path, "Redis")
    killed_at = _kill(served, "redis")
    served.wait_for_child("redis", restarts=1)
    _graded_once(served, ids, killed_at)

    # A worker, in the middle of a grading (its work horse and container are left behind).
    ids = _submit_batch(served, tmp_path, "Worker")
    _wait_running(served, ids)
    killed_at = _kill(served, "worker-1")
    served.wait_for_child("worker-1", restarts=1)
    _graded_once(served, ids, killed_at)

    # The maintenance process.
    ids = _submit_batch(served, tmp_path, "Maintenance")
    killed_at = _kill(served, "maintenance")
    served.wait_for_child("maintenance", restarts=1)
    _graded_once(served, ids, killed_at)

    log = served.log()
    for child in ("redis", "worker-1", "maintenance"):
        assert f"{child} (pid" in log and "killed by SIGKILL" in log
        assert f"restarted {child}" in log
    ready = auth.session(served, "admin").get(served.url + "/readyz", timeout=30).json()
    processes = ready["checks"]["processes"]["children"]
    assert all(child["state"] == "running" for child in processes.values()), processes
    assert processes["redis"]["restarts"] == 1 and processes["worker-1"]["restarts"] == 1


def _until_receiving(served: Served, invitation_id: int, push: subprocess.Popen[bytes],
                     timeout: float = 60) -> None:
    """Until the server is taking the push's pack in: receive-pack's quarantine folder exists
    from the first byte of the pack until the refs are written."""
    objects = served.data_dir / "repos" / f"{invitation_id:08d}.git" / "objects"
    deadline = time.monotonic() + timeout
    while not any(objects.glob("tmp_objdir-incoming-*")):
        assert push.poll() is None, "the push ended before the server was seen receiving it"
        assert time.monotonic() < deadline, f"the server took no pack within {timeout} s"
        time.sleep(0.005)


def test_stop_during_a_push_loses_nothing(tmp_path: Path, platform_ready: Any) -> None:
    served = served_platform(tmp_path).start()
    try:
        candidate = started_candidate(served)
        tree = clone_and_push_solution(candidate, tmp_path / "candidate")
        for n in range(6):  # about 30 MB of new objects: the push takes a moment
            (tree / f"data-{n}.bin").write_bytes(os.urandom(5 * 1024 * 1024))
        git("add", "-A", cwd=tree)
        git("commit", "-q", "-m", "Fixtures", cwd=tree)
        head = git("rev-parse", "HEAD", cwd=tree).stdout.strip()

        push = subprocess.Popen(["git", "push", "-q", "origin", "HEAD:main"], cwd=tree,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env={**os.environ, "HOME": str(tree.parent / ".git-home"),
                                     "GIT_TERMINAL_PROMPT": "0"})
        _until_receiving(served, candidate.invitation_id, push)
        assert served.stop() == 0
        push.wait(60)

        served.start()
        git("push", "-q", "origin", "HEAD:main", cwd=tree)  # the retry succeeds
        remote = git("ls-remote", "origin", "refs/heads/main", cwd=tree).stdout.split()[0]
        assert remote == head
        submitted = candidate.call("submit")
        assert submitted.status_code == 201, submitted.text
        assert submitted.json()["commit_sha"] == head
        assert wait_graded(served, submitted.json()["submission_id"])["runs"] == 1
    finally:
        served.stop()
