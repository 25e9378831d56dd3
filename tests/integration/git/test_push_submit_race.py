"""A push racing submit can no longer move main after the submission (real git, live server).

Submit pins main as refs/reciprocal/submitted under the repository lock; the pre-receive hook
takes the same lock (kept by receive-pack until its ref updates are written) and refuses once
the pin exists. The pin is hidden from clients.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from reciprocal.candidates import operations as invitations
from reciprocal.git import repos
from reciprocal.git.locks import RepositoryBusy, repository_lock
from reciprocal.git.storage import repositories

from tests.support import factories
from tests.support.gitclient import git
from tests.support.push_race import SUBMITTED_REF, check_race, race, server_ref


def _start(live_app) -> tuple[str, str, int, Path]:
    with live_app.app.app_context():
        new = factories.started()
        return new.token, new.git_url, new.invitation.id, repositories().path_for(new.invitation.id)


def _hook_waiting_for_the_lock(repo_path: Path) -> bool:
    """Whether a pre-receive hook of this repository sleeps in the lock's poll (the hook runs in
    the repository; the only sleep of `python -m reciprocal.git.hooks` is that poll)."""
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if b"reciprocal.git.hooks\0pre-receive" not in (proc / "cmdline").read_bytes():
                continue
            if (proc / "cwd").resolve() != repo_path.resolve():
                continue
            if "nanosleep" in (proc / "wchan").read_text():
                return True
        except OSError:  # the process ended meanwhile
            continue
    return False


def _commit(work: Path, home: Path, name: str) -> None:
    (work / name).write_text(name)
    git("add", name, cwd=work, home=home)
    git("commit", "-q", "-m", name, cwd=work, home=home)


def test_many_pushes_racing_submit_never_move_main_after_it(live_app, tmp_path: Path) -> None:
    for round_ in range(3):
        token, url, invitation_id, repo_path = _start(live_app)
        result = race(live_app.url, token, url, tmp_path / f"round{round_}", pushers=3)
        check_race(result, repo_path)
        with live_app.app.app_context():
            submission = invitations.get(invitation_id).submission
            assert submission is not None
            assert submission.commit_sha == server_ref(repo_path, SUBMITTED_REF)


def test_the_hook_refuses_once_the_pin_exists_without_asking_the_database(
    live_app, tmp_path: Path
) -> None:
    """No Submission row (so the web layer's check_push lets the push through): the hook sees
    the pinned ref by itself and says why."""
    _token, url, _id, repo_path = _start(live_app)
    home = tmp_path / "home"
    git("clone", "-q", url, "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    pinned = repos.pin_submission(repo_path)
    _commit(work, home, "after.txt")
    refused = git("push", "origin", "HEAD:main", cwd=work, home=home, check=False)
    assert refused.returncode != 0
    assert "remote: You already submitted this assignment" in refused.stderr
    assert server_ref(repo_path, "refs/heads/main") == pinned


def test_a_push_waits_for_the_lock_and_then_sees_the_pin(live_app, tmp_path: Path) -> None:
    """Submit holds the lock between reading main and pinning it: a push whose hook runs in
    that moment waits, then is refused; main never moves."""
    _token, url, _id, repo_path = _start(live_app)
    home = tmp_path / "home"
    git("clone", "-q", url, "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    _commit(work, home, "racing.txt")
    outcome: dict[str, object] = {}

    def push() -> None:
        outcome["push"] = git("push", "origin", "HEAD:main", cwd=work, home=home, check=False)

    with repository_lock(repo_path):
        thread = threading.Thread(target=push)
        thread.start()
        deadline = time.monotonic() + 60
        while not _hook_waiting_for_the_lock(repo_path):
            assert thread.is_alive(), "the push did not wait for the repository lock"
            assert time.monotonic() < deadline, "no pre-receive hook waited for the lock"
            time.sleep(0.01)
        assert thread.is_alive(), "the push did not wait for the repository lock"
        pinned = repos.pin_submission(repo_path)
    thread.join(60)
    done = outcome["push"]
    assert done.returncode != 0  # type: ignore[attr-defined]
    assert "already submitted" in done.stderr  # type: ignore[attr-defined]
    assert server_ref(repo_path, "refs/heads/main") == pinned


def test_a_push_holds_the_lock_until_its_refs_are_written(live_app, tmp_path: Path) -> None:
    """Watched from outside: during pushes the lock is seen held (the hook took it and
    receive-pack keeps it past the hook's exit); once the pushes are done it is free again."""
    _token, url, _id, repo_path = _start(live_app)
    home = tmp_path / "home"
    git("clone", "-q", url, "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    busy_seen = threading.Event()
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                with repository_lock(repo_path):
                    pass
            except RepositoryBusy:
                busy_seen.set()
            time.sleep(0.001)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for n in range(5):
            _commit(work, home, f"f{n}.txt")
            git("push", "-q", "origin", "HEAD:main", cwd=work, home=home)
    finally:
        stop.set()
        watcher.join(10)
    assert busy_seen.is_set(), "pushes never held the repository lock"
    with repository_lock(repo_path):  # released after the pushes
        pass


def test_platform_refs_are_hidden_and_not_pushable(live_app, tmp_path: Path) -> None:
    _token, url, _id, repo_path = _start(live_app)
    home = tmp_path / "home"
    git("clone", "-q", url, "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    repos.pin_submission(repo_path)
    listed = git("ls-remote", url, cwd=tmp_path, home=home).stdout
    assert "refs/heads/main" in listed
    assert "refs/reciprocal" not in listed
    fetched = git("fetch", "origin", SUBMITTED_REF, cwd=work, home=home, check=False)
    assert fetched.returncode != 0
    pushed = git("push", "origin", f"HEAD:{SUBMITTED_REF}", cwd=work, home=home, check=False)
    assert pushed.returncode != 0


def test_existing_repositories_get_the_hidden_refs_setting(live_app, tmp_path: Path) -> None:
    _token, url, _id, repo_path = _start(live_app)
    for key in repos.HIDE_REFS_KEYS:
        repos.run_git(["config", "--unset-all", "--", key], git_dir=repo_path, check=False)
    repos.pin_submission(repo_path)
    listed = git("ls-remote", url, cwd=tmp_path, home=tmp_path / "home").stdout
    assert "refs/reciprocal" not in listed
    config = (repo_path / "config").read_text()
    assert config.count("hideRefs = refs/reciprocal/") == 3
    git("ls-remote", url, cwd=tmp_path, home=tmp_path / "home")  # no duplicates added
    assert (repo_path / "config").read_text().count("hideRefs = refs/reciprocal/") == 3


def test_submit_answers_409_while_a_push_holds_the_lock(live_app, tmp_path: Path) -> None:
    import requests  # only this test talks to the API directly

    token, _url, invitation_id, repo_path = _start(live_app)
    with repository_lock(repo_path):
        response = requests.post(
            f"{live_app.url}/api/v1/candidate/submit",
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
    assert response.status_code == 409, response.text
    assert server_ref(repo_path, SUBMITTED_REF) == ""
    with live_app.app.app_context():
        assert invitations.get(invitation_id).submission is None
