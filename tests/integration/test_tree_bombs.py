"""Issue 22, item 3: trees that are a few objects and billions of files. The recursive bomb (one
blob, ten trees each naming the one below ten times: 12 objects, 10^10 files) and a flat tree of
500,000 empty files (3 objects) are built with the real git binary's plumbing, then shown to be
counted without being expanded, and refused on every way in (push, bundle, zip)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from reciprocal.candidates import operations as invitations
from reciprocal.core.errors import InvalidInput, UnsafeArchive
from reciprocal.extensions import db
from reciprocal.git import repos, trees
from reciprocal.git.command import run_git

from tests.integration.gitclient import git
from tests.support import factories, gitbombs

LIMIT = 20000  # RECIPROCAL_MAX_FILES's default


def _bare(tmp_path: Path) -> Path:
    repo = tmp_path / "repo.git"
    run_git(["init", "--bare", "-q", str(repo)])
    return repo


# Counting -------------------------------------------------------------------------------------


def test_the_recursive_bomb_is_counted_through_its_tree_not_walked(tmp_path: Path) -> None:
    repo = _bare(tmp_path)
    bomb = gitbombs.recursive_bomb(repo)
    assert gitbombs.object_count(repo, bomb) == 12  # what an object count sees
    with trees.TreeCounter(repo, max_entries=10**12) as counter:
        size = counter.measure(bomb)
    assert size.complete
    assert size.files == gitbombs.BOMB_FILES == 10**10
    assert size.folders == gitbombs.BOMB_FOLDERS
    assert size.bytes == len(b"boom\n") * 10**10
    assert counter.trees_read == gitbombs.BOMB_LEVELS  # each distinct tree read once


def test_counting_stops_as_soon_as_the_limit_is_passed(tmp_path: Path) -> None:
    repo = _bare(tmp_path)
    bomb = gitbombs.recursive_bomb(repo)
    over = trees.measure(bomb, git_dir=repo, max_entries=LIMIT)
    assert not over.complete and LIMIT < over.entries < 10**6  # stopped, not walked

    flat = gitbombs.flat_tree(repo)
    assert gitbombs.object_count(repo, flat) == 3
    with trees.TreeCounter(repo, max_entries=LIMIT) as counter:
        cut = counter.measure(flat)
    # Past the limit within its one tree object: the rest of it was never parsed.
    assert not cut.complete and LIMIT < cut.entries < 100_000
    assert counter.trees_read == 1
    whole = trees.measure(flat, git_dir=repo, max_entries=10**6)
    assert whole.complete and whole.files == gitbombs.FLAT_FILES and whole.bytes == 0
    assert trees.FileLimits(LIMIT, 10**9).problem(whole) is not None


def test_commits_sharing_trees_are_counted_once_per_tree(tmp_path: Path) -> None:
    repo = _bare(tmp_path)
    bomb = gitbombs.recursive_bomb(repo, levels=4)
    again = gitbombs.recursive_bomb(repo, parent=bomb, levels=5)  # the 4-level tree, named 10x
    with trees.TreeCounter(repo, max_entries=10**6) as counter:
        first = counter.measure(bomb)
        second = counter.measure(again)
    assert first.files == 10**4 and second.files == 10**5
    assert counter.trees_read == 5  # the four of the first commit, one more for the second


def test_trees_counted_before_a_commit_went_over_are_summed_later(tmp_path: Path) -> None:
    repo = _bare(tmp_path)
    big = gitbombs.recursive_bomb(repo, levels=5)  # 111,110 entries; its subtrees 11,110
    small = gitbombs.recursive_bomb(repo, levels=4)  # the same trees as big's subtrees
    with trees.TreeCounter(repo, max_entries=LIMIT) as counter:
        assert not counter.measure(big).complete
        size = counter.measure(small)
    assert size.complete and size.files == 10**4 and size.bytes == len(b"boom\n") * 10**4


def test_a_missing_tree_is_an_error_not_a_count(tmp_path: Path) -> None:
    repo = _bare(tmp_path)
    with pytest.raises(trees.TreeError, match="not in the repository"):
        trees.measure("0" * 40, git_dir=repo, max_entries=LIMIT)


# The ways in: push, bundle, zip ---------------------------------------------------------------


def remote_text(stderr: str) -> str:
    """What the hook said, as git printed it (`remote: ` lines), joined into one paragraph."""
    return " ".join(line.removeprefix("remote:").strip() for line in stderr.splitlines()
                    if line.startswith("remote:") and line.removeprefix("remote:").strip())


def _clone(live_app: Any, tmp_path: Path) -> tuple[Path, Path, int]:
    with live_app.app.app_context():
        new = factories.started()
        url, invitation_id = new.git_url, new.invitation.id
    home = tmp_path / "home"
    git("clone", "-q", url, "work", cwd=tmp_path, home=home)
    return tmp_path / "work", home, invitation_id


@pytest.mark.parametrize("make", [gitbombs.recursive_bomb, gitbombs.flat_tree],
                         ids=["recursive", "flat"])
def test_a_push_of_a_tree_bomb_is_refused_with_a_message_git_prints(
        live_app: Any, tmp_path: Path, make: Any) -> None:
    work, home, invitation_id = _clone(live_app, tmp_path)
    before = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()
    bomb = make(work / ".git", before)
    refused = git("push", "origin", f"{bomb}:refs/heads/main", cwd=work, home=home, check=False)
    assert refused.returncode != 0
    assert "pre-receive hook declined" in refused.stderr
    told = remote_text(refused.stderr)
    assert (f"Commit {bomb[:10]} has more than {LIMIT} files and folders, the most a commit may "
            "hold (counted through every folder), so this push was not accepted. Please leave "
            "generated files, dependencies and data out of the repository (a .gitignore helps), "
            "commit again and push again.") in told, refused.stderr
    with live_app.app.app_context():
        assert repos.head_sha(invitations.storage().path_for(invitation_id)) == before


def test_a_push_within_the_limit_is_still_accepted(live_app: Any, tmp_path: Path) -> None:
    work, home, _id = _clone(live_app, tmp_path)
    before = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()
    small = gitbombs.recursive_bomb(work / ".git", before, levels=4)  # 11,110 entries
    pushed = git("push", "origin", f"{small}:refs/heads/main", cwd=work, home=home)
    assert "Received at" in pushed.stderr


def test_a_push_whose_files_add_up_past_the_size_cap_is_refused(migrated: str, tmp_path: Path,
                                                                 redis_url: str) -> None:
    """One 300 kB blob named 1,000 times: a small push, 300 MB when checked out."""
    from tests.conftest import LiveServer, free_port, make_app

    port = free_port()
    app = make_app(migrated, tmp_path / "data", BASE_URL=f"http://127.0.0.1:{port}",
                   REDIS_URL=redis_url, MAX_PUSH_INFLATED_BYTES=200 * 1024 * 1024)
    server = LiveServer(app, port).start()
    try:
        work, home, _id = _clone(server, tmp_path)
        git_dir = work / ".git"
        blob = gitbombs._git(git_dir, "hash-object", "-w", "--stdin",
                             input=bytes(range(256)) * 1200)
        tree = gitbombs._tree(git_dir, [("100644", f"copy{i:04d}", blob) for i in range(1000)])
        head = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()
        commit = gitbombs._commit(git_dir, tree, "copies", head)
        refused = git("push", "origin", f"{commit}:refs/heads/main", cwd=work, home=home,
                      check=False)
        assert refused.returncode != 0
        assert "of files when checked out, more than the 200 MB a commit may hold" in \
            remote_text(refused.stderr), refused.stderr
    finally:
        server.stop()


def test_a_bundle_holding_a_bomb_is_refused_and_leaves_nothing(live_app: Any,
                                                               tmp_path: Path) -> None:
    work, home, invitation_id = _clone(live_app, tmp_path)
    before = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()
    bomb = gitbombs.recursive_bomb(work / ".git", before)
    git("update-ref", "refs/heads/main", bomb, cwd=work, home=home)
    git("bundle", "create", str(tmp_path / "bomb.bundle"), "main", cwd=work, home=home)
    with live_app.app.app_context():
        invitation = invitations.get(invitation_id)
        with (tmp_path / "bomb.bundle").open("rb") as fh, pytest.raises(InvalidInput) as refused:
            invitations.upload(invitation, fh, "bomb.bundle")
        db.session.rollback()
        told = " ".join(refused.value.message.split())
        assert f"has more than {LIMIT} files and folders" in told
        assert "so this upload was not accepted" in told and "upload again" in told
        repo = invitations.storage().path_for(invitation_id)
        assert repos.head_sha(repo) == before
        missing = run_git(["cat-file", "-e", bomb], git_dir=repo, check=False)
        assert missing.returncode != 0  # the quarantine kept it out


def test_a_zip_with_more_entries_than_the_limit_is_refused(app: Any, tmp_path: Path) -> None:
    app.config["MAX_FILES"] = 30
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(20):  # 20 files in 20 folders: 40 entries, 20 zip members
            zf.writestr(f"pkg{i}/mod.py", "x = 1\n")
    with app.app_context():
        new = factories.started()
        with pytest.raises(UnsafeArchive, match="more than 30 files and folders"):
            invitations.upload(new.invitation, io.BytesIO(buffer.getvalue()), "work.zip")
