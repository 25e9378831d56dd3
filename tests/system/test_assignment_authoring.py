"""Assignments authored as code, against `reciprocal serve`: an author clones the assignment's
hosted repository with an API token, pushes a change that breaks the reference solution (the
validation fails, nothing goes live, the page says why), pushes the fix (it validates and is
published), and a candidate invited afterwards gets the new version while one invited before
keeps theirs. Driven only over HTTP and the `git` binary."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.auth import auth
from tests.support.served import Served, git, invite

SLUG = "customer-directory"
NOTE = "Note from the team: the export of March has a new column; ignore it."
DEADLINE_SECONDS = 900  # two validations queue behind nothing else, but under gVisor on a busy host


def _wait_for_validation(served: Served, commit: str) -> dict[str, Any]:
    """The validation of `commit`, once finished (polled with a generous deadline)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    last: dict[str, Any] = {}
    while time.monotonic() < deadline:
        listed = served.api("GET", f"/api/v1/assignments/{SLUG}/validations", served.admin_token)
        assert listed.status_code == 200, listed.text
        mine = [v for v in listed.json() if v["commit"] == commit]
        if mine:
            last = mine[0]
            if last["status"] in ("passed", "failed", "error"):
                full = served.api("GET", f"/api/v1/assignments/{SLUG}/validations/{last['id']}",
                                  served.admin_token)
                return full.json()  # type: ignore[no-any-return]
        time.sleep(2)
    raise AssertionError(f"the validation of {commit[:10]} did not finish: {last}")


def _author_url(served: Served, token: str) -> str:
    return f"http://author:{token}@127.0.0.1:{served.port}/git/library/{SLUG}.git"


def _push(tree: Path, ref: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "push", "origin", f"HEAD:{ref}"], cwd=tree, text=True,
                          capture_output=True, timeout=120, env=_env(tree),
                          stdin=subprocess.DEVNULL)


def _env(tree: Path) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "HOME": str(tree.parent / ".git-home"),
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}


def _started_clone(served: Served, workdir: Path, email: str) -> Path:
    candidate = invite(served, SLUG, name=email.split("@")[0].title(), email=email)
    assert candidate.call("accept-terms").status_code == 200
    assert candidate.call("start").status_code == 200
    workdir.mkdir(parents=True)
    git("clone", "-q", candidate.git_url, "work", cwd=workdir)
    return workdir / "work"


@pytest.mark.timeout(2400)
def test_a_broken_push_never_goes_live_and_the_fix_is_published(served: Served,
                                                                tmp_path: Path) -> None:
    # Nobody without an author's token gets in; a candidate's portal token is no credential.
    anonymous = requests.get(f"{served.url}/git/library/{SLUG}.git/info/refs",
                             params={"service": "git-upload-pack"}, timeout=30)
    assert anonymous.status_code == 401 and "WWW-Authenticate" in anonymous.headers
    reviewer = requests.get(f"{served.url}/git/library/{SLUG}.git/info/refs",
                            params={"service": "git-upload-pack"}, timeout=30,
                            auth=("x", served.tokens["reviewer"]))
    assert reviewer.status_code == 403

    before = _started_clone(served, tmp_path / "before", "early@example.com")

    authoring = tmp_path / "author"
    authoring.mkdir()
    (authoring / ".git-home").mkdir()
    git("clone", "-q", _author_url(served, served.admin_token), "repo", cwd=authoring)
    tree = authoring / "repo"
    for name, value in (("user.name", "Alex Author"), ("user.email", "alex@example.com")):
        git("config", name, value, cwd=tree)
    assert (tree / "tests").is_dir() and (tree / "solution").is_dir()

    # A change that breaks the reference solution: the starter's code in its place.
    shutil.rmtree(tree / "solution" / "directory")
    shutil.copytree(tree / "starter" / "directory", tree / "solution" / "directory")
    git("add", "-A", cwd=tree)
    git("commit", "-q", "-m", "Simplify the reference solution", cwd=tree)
    refused = _push(tree, "main")
    assert refused.returncode != 0 and "only publishing moves it" in refused.stderr
    pushed = _push(tree, "draft")
    assert pushed.returncode == 0, pushed.stderr
    assert "Validation starts now" in pushed.stderr
    broken = git("rev-parse", "HEAD", cwd=tree).stdout.strip()

    failed = _wait_for_validation(served, broken)
    assert failed["status"] == "failed", failed
    assert failed["failing_step"] == "solution passes every hidden test"
    assert "running solution" in failed["log"]
    publish = served.api("POST", f"/api/v1/assignments/{SLUG}/publish", served.admin_token,
                         json={"commit": broken})
    assert publish.status_code == 409 and "failed" in publish.json()["error"]
    admin = auth.session(served, "admin")
    page = admin.get(f"{served.url}/library/{SLUG}/repository", timeout=30)
    assert page.status_code == 200
    assert "solution passes every hidden test" in page.text and broken[:10] in page.text

    # The fix, and a change candidates will see.
    git("revert", "--no-edit", "HEAD", cwd=tree)
    readme = tree / "starter" / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + f"\n{NOTE}\n", encoding="utf-8")
    git("commit", "-q", "-am", "Tell candidates about the new column", cwd=tree)
    assert _push(tree, "draft").returncode == 0
    fixed = git("rev-parse", "HEAD", cwd=tree).stdout.strip()
    passed = _wait_for_validation(served, fixed)
    assert passed["status"] == "passed", passed
    published = served.api("POST", f"/api/v1/assignments/{SLUG}/publish", served.admin_token,
                           json={"commit": fixed})
    assert published.status_code == 200, published.text
    assert published.json()["published_by"]

    # main is the live version now; the history says who published what.
    git("fetch", "-q", "origin", cwd=tree)
    assert git("rev-parse", "origin/main", cwd=tree).stdout.strip() == fixed
    history = served.api("GET", f"/api/v1/assignments/{SLUG}/publications", served.admin_token)
    assert history.json()[0]["commit"] == fixed

    after = _started_clone(served, tmp_path / "after", "late@example.com")
    assert NOTE in (after / "README.md").read_text(encoding="utf-8")
    git("pull", "-q", cwd=before)
    assert NOTE not in (before / "README.md").read_text(encoding="utf-8")


@pytest.mark.timeout(1800)
def test_a_copy_validates_publishes_and_can_be_sent(served: Served, tmp_path: Path) -> None:
    made = served.api("POST", f"/api/v1/assignments/{SLUG}/copy", served.admin_token,
                      json={"slug": "acme-directory", "title": "Acme customer directory"})
    assert made.status_code == 201, made.text
    commit = made.json()["validation"]["commit"]
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        shown = served.api("GET", f"/api/v1/assignments/acme-directory/validations/"
                           f"{made.json()['validation']['id']}", served.admin_token).json()
        if shown["status"] in ("passed", "failed", "error"):
            break
        time.sleep(2)
    assert shown["status"] == "passed", shown
    assert served.api("POST", "/api/v1/assignments/acme-directory/publish", served.admin_token,
                      json={"commit": commit}).status_code == 200
    listed = served.api("GET", "/api/v1/assignments", served.tokens["recruiter"]).json()
    assert "Acme customer directory" in [a["title"] for a in listed]
    candidate = invite(served, "acme-directory", name="Kim", email="kim@example.com")
    assert candidate.call("accept-terms").status_code == 200
    assert candidate.call("start").status_code == 200
    (tmp_path / "kim").mkdir()
    git("clone", "-q", candidate.git_url, "work", cwd=tmp_path / "kim")
    assert (tmp_path / "kim" / "work" / "README.md").is_file()
    assert not (tmp_path / "kim" / "work" / "solution").exists()
