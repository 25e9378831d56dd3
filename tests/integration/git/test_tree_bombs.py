"""Tree bombs: trees that are a few objects and billions of files. The recursive bomb (one blob, ten
trees each naming the one below ten times: 12 objects, 10^10 files) and a flat tree of 500,000 empty
files (3 objects) are built with the real git binary's plumbing, then shown to be counted without
being expanded, refused on every way in (push, bundle, zip), and read by every reader (Code,
Changes, the API, a file, the zip download, the worker, similarity) within caps: pages answer 200
with a notice or a clear 4xx, never a 5xx, never a pinned worker."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from reciprocal.candidates import operations as invitations
from reciprocal.core.errors import InvalidInput, UnsafeArchive
from reciprocal.extensions import db
from reciprocal.git import diffs, repos, trees
from reciprocal.git.command import run_git
from reciprocal.git.sources import text_files
from reciprocal.grading import operations as grading
from reciprocal.grading.worker import WorkerSettings, fetch_submission
from reciprocal.models import Submission, User

from tests.support import factories, gitbombs
from tests.support import review as rs
from tests.support.apps import LiveServer, make_app
from tests.support.gitclient import git
from tests.support.services import free_port

LIMIT = 20000  # RECIPROCAL_MAX_FILES's default
BOMB_PATH = "/".join(["d3"] * (gitbombs.BOMB_LEVELS - 1)) + "/f7"


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


# The readers ---------------------------------------------------------------------------------


def _submitted_bomb(make: Any, **kwargs: Any) -> Submission:
    """A submission whose commit is a bomb, written into the bare repository behind the hooks'
    back (as a repository from before the limit, or made with a higher one, would be)."""
    new = factories.started()
    repo = invitations.storage().path_for(new.invitation.id)
    bomb = make(repo, repos.head_sha(repo), **kwargs)
    run_git(["update-ref", "refs/heads/main", bomb], git_dir=repo)
    submission = invitations.submit(new.invitation)
    db.session.commit()
    return submission


@pytest.mark.parametrize("make", [gitbombs.recursive_bomb, gitbombs.flat_tree],
                         ids=["recursive", "flat"])
def test_review_pages_and_the_api_read_a_bomb_within_bounds(app: Any, client: Any,
                                                            make: Any, auth) -> None:
    app.config["MAX_FILES"] = 500
    with app.app_context():
        submission = _submitted_bomb(make)
        reviewer = rs.reviewer_on(submission)
        token = factories.api_token(db.session.get(User, reviewer.id))
        sid, email = submission.id, reviewer.email
    auth.client(client, email)

    code = client.get(f"/submissions/{sid}/code")
    assert code.status_code == 200
    assert "This submission has more than 500 files and folders; showing the first 500." \
        in code.text
    assert code.text.count('<li class="depth-') == 500

    changes = client.get(f"/submissions/{sid}/changes")
    assert changes.status_code == 200
    assert "more than 500 files and folders (counted through every folder), so its changes " \
           "are not listed" in changes.text
    assert "No changes" not in changes.text
    one = client.get(f"/submissions/{sid}/changes", query_string={"file": "README.md"})
    assert one.status_code == 200 and "are not listed" in one.text

    auth = {"Authorization": f"Bearer {token}"}
    listing = client.get(f"/api/v1/submissions/{sid}/files", headers=auth)
    assert listing.status_code == 200
    data = listing.get_json()
    assert data["truncated"] is True and len(data["files"]) == 500
    assert "more than 500 files" in data["notice"]

    path = BOMB_PATH if make is gitbombs.recursive_bomb else "e499999"
    text = "boom\n" if make is gitbombs.recursive_bomb else ""
    one_file = client.get(f"/api/v1/submissions/{sid}/files/{path}", headers=auth)
    assert one_file.status_code == 200 and one_file.get_json()["text"] == text
    page = client.get(f"/submissions/{sid}/code/{path}")
    assert page.status_code == 200
    assert client.get(f"/submissions/{sid}/code/d3/nope").status_code == 404
    assert client.get(f"/submissions/{sid}/code/d3%00x").status_code == 404


def test_the_candidates_zip_download_of_a_bomb_is_refused(app: Any, client: Any) -> None:
    with app.app_context():
        new = factories.started()
        repo = invitations.storage().path_for(new.invitation.id)
        bomb = gitbombs.recursive_bomb(repo, repos.head_sha(repo))
        run_git(["update-ref", "refs/heads/main", bomb], git_dir=repo)
    archive = client.get(f"/c/{new.token}/download/zip")
    assert archive.status_code == 409
    assert f"has more than {LIMIT} files and folders" in archive.text
    assert "git bundle download has everything" in archive.text
    bundle = client.get(f"/c/{new.token}/download/bundle")
    assert bundle.status_code == 200  # the bundle is the objects: a kilobyte


def test_a_zip_within_the_limits_is_written_whole(tmp_path: Path) -> None:
    repo = _bare(tmp_path)
    small = gitbombs.recursive_bomb(repo, levels=3)
    target = repos.export_zip(repo, small, tmp_path / "small.zip", "small",
                              trees.FileLimits(2000, 10**6))
    names = zipfile.ZipFile(target).namelist()
    assert len([n for n in names if not n.endswith("/")]) == 1000


def test_the_changes_budget_counts_files_not_only_bytes(app: Any) -> None:
    """3,000 empty files: within the files limit, nothing in bytes; each still costs a patch
    header, so a page loads a few hundred and lists at most REVIEW_MAX_CHANGED_FILES."""
    with app.app_context():
        submission = _submitted_bomb(gitbombs.flat_tree, files=3000)
        repo = invitations.storage().path_for(submission.invitation_id)
        change_set = diffs.changes(repo, submission.commit_sha,
                                    submission.invitation.starter_sha, max_listed=2000)
    assert len(change_set.files) == 2000
    assert change_set.notice == ("This submission changes more than 2000 files; showing the "
                                 "first 2000.")
    loaded = [f for f in change_set.files if not f.collapsed]
    assert 0 < len(loaded) <= diffs.DEFAULT_DIFF_BUDGET // diffs.DIFF_FILE_COST
    with app.app_context():
        past = diffs.changes(repo, submission.commit_sha, submission.invitation.starter_sha,
                              only="e2999", max_listed=2000)
    assert [f.path for f in past.files] == ["e2999"] and not past.files[0].collapsed


def test_similarity_reads_a_bomb_within_bounds(app: Any) -> None:
    with app.app_context():
        submission = _submitted_bomb(gitbombs.recursive_bomb)
        repo = invitations.storage().path_for(submission.invitation_id)
        found = text_files(repo, submission.commit_sha, max_bytes=1024, max_files=50,
                           max_entries=1000)
    assert len(found) == 50 and found[0][1] == "boom\n"


@pytest.mark.parametrize("make", [gitbombs.recursive_bomb, gitbombs.flat_tree],
                         ids=["recursive", "flat"])
def test_the_worker_refuses_a_bomb_before_git_archive_expands_it(
        live_app: Any, tmp_path: Path, make: Any) -> None:
    with live_app.app.app_context():
        submission = _submitted_bomb(make)
        sid, sha = submission.id, submission.commit_sha
        run = submission.latest_run
        assert grading.claim(run.id, run.rq_job_id) is not None  # the job holds the run
        job_id = run.rq_job_id
        db.session.commit()
    settings = WorkerSettings(base_url=live_app.url, token=live_app.app.config["WORKER_TOKEN"],
                              scratch_dir=tmp_path / "scratch")
    dest = tmp_path / "scratch" / "submission"
    with pytest.raises(UnsafeArchive, match="the submitted commit has more than 50000 files"):
        fetch_submission(settings, f"{live_app.url}/git/worker/{sid}.git", sha, dest, job_id)
    assert not dest.exists()  # nothing was unpacked
