"""The worker credential reaches nobody. It goes to git through the environment, never the
arguments; a failed fetch becomes a generic reason with no credential in it (nor in the exception RQ
keeps); and what the credential reads (a run's hidden tests, a submission over git) is served only
to the job that holds the running run.

Real things throughout: the app on a loopback port, the `git` binary (behind a wrapper that
writes down every argument it is given before running the real one), Redis for the queue."""

from __future__ import annotations

import io
import os
import shutil
import stat
import tarfile
import traceback
from pathlib import Path

import pytest
import requests
from flask_migrate import downgrade, upgrade
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.git.command import GitCommandError
from reciprocal.git.storage import repositories
from reciprocal.grading import operations as grading
from reciprocal.grading import worker
from reciprocal.models import GradingRun, Submission

from tests.support import factories


def _submitted(live_app) -> tuple[int, int, str, str]:
    """A submitted invitation whose run is claimed by its job: (submission, run, job, sha)."""
    with live_app.app.app_context():
        new = factories.started()
        submission = invitations.submit(new.invitation)
        db.session.commit()
        run = submission.latest_run
        assert grading.claim(run.id, run.rq_job_id) is not None
        db.session.commit()
        return submission.id, run.id, run.rq_job_id, submission.commit_sha


def _settings(live_app, tmp_path: Path) -> worker.WorkerSettings:
    return worker.WorkerSettings(base_url=live_app.url, token=live_app.app.config["WORKER_TOKEN"],
                                 scratch_dir=tmp_path / "scratch")


@pytest.fixture
def git_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every argument list the platform gives `git` from now on, one per line, written by a
    wrapper first on PATH that then runs the real git with the same arguments."""
    real = shutil.which("git")
    assert real is not None
    folder = tmp_path / "git-wrapper"
    folder.mkdir()
    log = folder / "arguments.log"
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return log


def test_the_fetch_gives_git_no_credential_in_its_arguments(
        live_app, redis_conn, tmp_path: Path, git_arguments: Path) -> None:
    submission_id, _run_id, job_id, sha = _submitted(live_app)
    settings = _settings(live_app, tmp_path)
    dest = tmp_path / "scratch" / "submission"
    worker.fetch_submission(settings, f"{live_app.url}/git/worker/{submission_id}.git", sha, dest,
                            job_id)
    assert any(dest.iterdir())  # the header reached the platform: the fetch was served
    arguments = git_arguments.read_text()
    assert " fetch " in arguments
    assert settings.token not in arguments
    assert "extraHeader" not in arguments and "Authorization" not in arguments


def test_a_failed_fetch_carries_no_credential_and_reads_generically(
        live_app, redis_conn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    submission_id, run_id, job_id, _sha = _submitted(live_app)
    settings = _settings(live_app, tmp_path)
    with live_app.app.app_context():
        invitation_id = db.session.get(Submission, submission_id).invitation_id
        repo = repositories().path_for(invitation_id)
    aside = repo.with_name(repo.name + ".aside")
    repo.rename(aside)  # the storage under the platform is gone: git cannot fetch
    try:
        with pytest.raises(worker.SubmissionFetchFailed) as raised:
            worker.grade(run_id, job_id, settings)
    finally:
        aside.rename(repo)
    # What RQ keeps: the formatted exception, chained ones included.
    kept = "".join(traceback.format_exception(raised.value))
    assert "could not fetch the submission" in kept
    assert settings.token not in kept and "Bearer" not in kept
    assert worker.failure_kind(raised.value) == "fetch"

    # The RQ failure callback tells the platform what failed; the run's reason is for people.
    monkeypatch.setenv("RECIPROCAL_WORKER_TOKEN", settings.token)
    monkeypatch.setenv("RECIPROCAL_BASE_URL", settings.base_url)
    worker.report_failure(run_id, job_id, "fetch",
                          f"{kept} (Authorization: Bearer {settings.token})")
    with live_app.app.app_context():
        run = db.session.get(GradingRun, run_id)
        assert run.status == "error"
        assert run.reason == ("The grading infrastructure failed and retries were used up: the "
                              "submission could not be fetched from the platform. A reviewer "
                              "can re-run it.")


def test_an_old_style_reason_never_reaches_the_run(live_app, redis_conn, tmp_path) -> None:
    """A worker that still sends its exception as `reason` (an older worker during an upgrade):
    the text goes nowhere people read."""
    _submission_id, run_id, job_id, _sha = _submitted(live_app)
    token = live_app.app.config["WORKER_TOKEN"]
    answer = requests.post(
        f"{live_app.url}/api/v1/worker/runs/{run_id}/failed", timeout=10,
        headers={"Authorization": f"Bearer {token}"},
        json={"job_id": job_id, "reason": f"git -c http.extraHeader=Authorization: Bearer {token}"
                                          " fetch failed (128)"})
    assert answer.status_code == 200, answer.text
    with live_app.app.app_context():
        run = db.session.get(GradingRun, run_id)
        assert run.status == "error" and token not in run.reason
        assert "the grading job failed" in run.reason


def _hidden_tests(live_app, run_id: int, job_id: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {live_app.app.config['WORKER_TOKEN']}"}
    if job_id is not None:
        headers["X-Reciprocal-Job"] = job_id
    return requests.get(f"{live_app.url}/api/v1/worker/runs/{run_id}/hidden-tests",
                        headers=headers, timeout=10)


def test_hidden_tests_are_served_only_to_the_job_holding_the_running_run(
        live_app, redis_conn) -> None:
    _submission_id, run_id, job_id, _sha = _submitted(live_app)
    assert _hidden_tests(live_app, run_id, None).status_code == 409
    assert _hidden_tests(live_app, run_id, "grading-forged-job").status_code == 409
    served = _hidden_tests(live_app, run_id, job_id)
    assert served.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(served.content)) as tar:
        assert any(Path(n).name.startswith("test_") for n in tar.getnames())
    missing = requests.get(f"{live_app.url}/api/v1/worker/runs/{run_id}/hidden-tests",
                           headers={"X-Reciprocal-Job": job_id}, timeout=10)
    assert missing.status_code == 401  # the job id alone is no credential

    with live_app.app.app_context():
        grading.record_result(run_id, job_id, {"status": "passed", "passed": 1})
        db.session.commit()
    assert _hidden_tests(live_app, run_id, job_id).status_code == 409  # finished


def test_a_submission_is_fetched_only_by_the_job_holding_its_running_run(
        live_app, redis_conn, tmp_path: Path) -> None:
    submission_id, _run_id, job_id, sha = _submitted(live_app)
    other_id, _other_run, other_job, _other_sha = _submitted(live_app)
    settings = _settings(live_app, tmp_path)
    url = f"{live_app.url}/git/worker/{submission_id}.git"
    for index, wrong in enumerate(("", "grading-forged-job", other_job)):
        with pytest.raises(GitCommandError) as refused:
            worker.fetch_submission(settings, url, sha, tmp_path / str(index) / "submission",
                                    wrong)
        assert "fetch failed" in str(refused.value) and "not found" in str(refused.value)
        assert settings.token not in str(refused.value)
    worker.fetch_submission(settings, url, sha, tmp_path / "right" / "submission", job_id)
    assert other_id != submission_id


@pytest.mark.postgres  # a migration
def test_the_migration_rewrites_reasons_that_carried_the_credential(app) -> None:
    """Runs that failed to fetch before the fix kept git's error, credential and all."""
    leaked = ("The grading infrastructure failed and retries were used up (PlatformUnavailable: "
              "could not fetch the submission: git -c http.extraHeader=Authorization: Bearer "
              "WMM2ewLd56KGyq4GaPvVzogb_CuyGLqCKzNIIA0r1jw failed (128)). A reviewer can re-run "
              "it.")
    with app.app_context():
        new = factories.started()
        submission = invitations.submit(new.invitation)
        db.session.commit()
        run = submission.latest_run
        run.status, run.reason = "error", leaked
        kept = grading.request_run(submission, requested_by=None)
        kept.status, kept.reason = "error", "The test results were altered by the submission"
        db.session.commit()
        ids = run.id, kept.id
        db.session.remove()
        downgrade(revision="e6b2d9f4a1c8")
        upgrade(revision="heads")
        db.session.remove()
        first, second = (db.session.get(GradingRun, i) for i in ids)
        assert first.reason == ("The grading infrastructure failed and retries were used up: the "
                                "submission could not be fetched from the platform. A reviewer "
                                "can re-run it.")
        assert second.reason == "The test results were altered by the submission"
