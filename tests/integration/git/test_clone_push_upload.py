"""The candidate's git journey against the app served on loopback, with the real git client."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.models import utcnow

from tests.support import factories
from tests.support.apps import LiveServer, make_app
from tests.support.gitclient import git
from tests.support.services import free_port


def _start(live_app):
    with live_app.app.app_context():
        new = factories.started()
        return new.token, new.git_url, new.invitation.id


def test_clone_commit_push_and_submit(live_app, tmp_path: Path, redis_conn) -> None:
    token, url, invitation_id = _start(live_app)
    home = tmp_path / "home"
    git("clone", url, "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    assert (work / "OWNERSHIP.md").read_text().startswith("# Ownership of this code")
    assert (work / "README.md").exists()
    (work / "NOTES.md").write_text("my approach\n")
    git("add", "NOTES.md", cwd=work, home=home)
    git("commit", "-m", "Add notes", cwd=work, home=home)
    git("push", "origin", "HEAD:main", cwd=work, home=home)
    head = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()

    import requests

    response = requests.post(
        f"{live_app.url}/api/v1/candidate/submit",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    assert response.json()["commit_sha"] == head
    with live_app.app.app_context():
        submission = invitations.get(invitation_id).submission
        assert submission is not None and submission.commit_sha == head
        assert submission.grading_runs[0].status == "queued"
    # The grading job was enqueued after the commit on the grading queue, carrying ids only.
    # It is fetched by the id recorded on the run: a worker may already have taken it.
    from rq.job import Job

    run = submission.grading_runs[0]
    job = Job.fetch(run.rq_job_id, connection=redis_conn)
    assert job.origin == "grading"
    assert job.args == (run.id, run.rq_job_id)

    # After submitting, the repository is read-only and git says why.
    (work / "more.txt").write_text("x")
    git("add", "more.txt", cwd=work, home=home)
    git("commit", "-m", "more", cwd=work, home=home)
    refused = git("push", "origin", "HEAD:main", cwd=work, home=home, check=False)
    assert refused.returncode != 0
    assert "already submitted" in refused.stderr


def test_push_after_deadline_is_refused_with_a_clear_message(live_app, tmp_path: Path) -> None:
    _token, url, invitation_id = _start(live_app)
    home = tmp_path / "home"
    git("clone", url, "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    with live_app.app.app_context():
        invitation = invitations.get(invitation_id)
        invitation.deadline_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    (work / "late.txt").write_text("late")
    git("add", "late.txt", cwd=work, home=home)
    git("commit", "-m", "late", cwd=work, home=home)
    refused = git("push", "origin", "HEAD:main", cwd=work, home=home, check=False)
    assert refused.returncode != 0
    assert "time for this assignment is over" in refused.stderr


def test_deadline_enforced_in_pre_receive_hook_too(live_app, tmp_path: Path) -> None:
    """The hook checks the deadline itself, so a push that races the deadline is still caught."""
    from reciprocal.git import hooks

    try:
        hooks.check_deadline(now=2000.0, deadline=1000.0, grace_seconds=60)
    except hooks.Refusal as refusal:
        assert "not accepted" in str(refusal)
    else:
        raise AssertionError("a push after the deadline plus grace must be refused")
    hooks.check_deadline(now=1050.0, deadline=1000.0, grace_seconds=60)


def test_oversize_file_push_is_refused(live_app, tmp_path: Path) -> None:
    _token, url, _id = _start(live_app)
    home = tmp_path / "home"
    git("clone", url, "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    import os

    (work / "big.bin").write_bytes(os.urandom(live_app.app.config["MAX_BLOB_BYTES"] + 1024))
    git("add", "big.bin", cwd=work, home=home)
    git("commit", "-m", "big", cwd=work, home=home)
    refused = git("push", "origin", "HEAD:main", cwd=work, home=home, check=False)
    assert refused.returncode != 0
    assert "big.bin" in refused.stderr and "not accepted" in refused.stderr


def test_oversize_pack_is_refused(migrated, tmp_path: Path, redis_url) -> None:

    port = free_port()
    app = make_app(
        migrated,
        tmp_path / "data",
        BASE_URL=f"http://127.0.0.1:{port}",
        REDIS_URL=redis_url,
        MAX_PUSH_BYTES=2 * 1024 * 1024,
        MAX_BLOB_BYTES=50 * 1024 * 1024,
    )
    server = LiveServer(app, port).start()
    try:
        _token, url, _id = _start(server)
        home = tmp_path / "home"
        git("clone", url, "work", cwd=tmp_path, home=home)
        work = tmp_path / "work"
        import os

        (work / "blob.bin").write_bytes(os.urandom(4 * 1024 * 1024))
        git("add", "blob.bin", cwd=work, home=home)
        git("commit", "-m", "blob", cwd=work, home=home)
        refused = git("push", "origin", "HEAD:main", cwd=work, home=home, check=False)
        assert refused.returncode != 0
        assert "413" in refused.stderr or "maximum allowed size" in refused.stderr
    finally:
        server.stop()


def test_wrong_token_and_path_tricks_are_404_or_401(live_app, tmp_path: Path) -> None:
    _start(live_app)
    home = tmp_path / "home"
    bad = f"{live_app.url}/git/{'A' * 43}/customer-directory.git"
    proc = git("clone", bad, "nope", cwd=tmp_path, home=home, check=False)
    assert proc.returncode != 0 and "not valid" in proc.stderr
    import requests

    for path in (
        "/git/../00000001.git/info/refs",
        "/git/%2e%2e/x.git/info/refs",
        "/git/worker/1.git/info/refs?service=git-upload-pack",
    ):
        response = requests.get(live_app.url + path, timeout=10)
        assert response.status_code in (403, 404), (path, response.status_code)


def test_zip_upload_replaces_main_and_strips_git_folder(live_app, tmp_path: Path) -> None:
    _token, url, invitation_id = _start(live_app)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("project/app.py", "print('hi')\n")
        zf.writestr("project/.git/config", "[core]\n\tfsmonitor = touch /tmp/pwned-by-upload\n")
        zf.writestr("project/.git/hooks/post-checkout", "#!/bin/sh\ntouch /tmp/pwned-hook\n")
    with live_app.app.app_context():
        invitation = invitations.get(invitation_id)
        sha = invitations.upload(invitation, io.BytesIO(buffer.getvalue()), "work.zip")
        db.session.commit()
    home = tmp_path / "home"
    git("clone", url, "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    assert git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip() == sha
    assert (work / "app.py").read_text() == "print('hi')\n"
    assert not (work / ".git" / "hooks" / "post-checkout").exists()
    assert not Path("/tmp/pwned-by-upload").exists() and not Path("/tmp/pwned-hook").exists()


def test_bundle_upload(live_app, tmp_path: Path) -> None:
    _token, url, invitation_id = _start(live_app)
    home = tmp_path / "home"
    git("clone", url, "work", cwd=tmp_path, home=home)
    work = tmp_path / "work"
    (work / "feature.py").write_text("VALUE = 1\n")
    git("add", "feature.py", cwd=work, home=home)
    git("commit", "-m", "feature", cwd=work, home=home)
    git("bundle", "create", str(tmp_path / "work.bundle"), "main", cwd=work, home=home)
    head = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()
    with live_app.app.app_context():
        invitation = invitations.get(invitation_id)
        with (tmp_path / "work.bundle").open("rb") as fh:
            assert invitations.upload(invitation, fh, "work.bundle") == head
        db.session.commit()
