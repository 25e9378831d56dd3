"""Submit -> RQ -> a real `reciprocal worker` -> runner container -> results stored.

Everything here is real: Redis, the Docker engine, the git endpoint the worker fetches from, and
the worker process itself, which has no database and no data directory.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from reciprocal.assignments import operations as assignments
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.models import GradingRun, Submission

from tests.support import factories
from tests.support.apps import LiveServer, make_app
from tests.support.paths import ASSIGNMENTS
from tests.support.processes import end_session
from tests.support.services import free_port

pytestmark = pytest.mark.docker


def _zip(folder: Path, extra: dict[str, str] | None = None) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, path.relative_to(folder).as_posix())
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
    buffer.seek(0)
    return buffer


def _submit(live_app, source: str | None, extra: dict[str, str] | None = None) -> int:
    """Start an invitation, upload the assignment's solution or starter (or nothing), submit."""
    with live_app.app.app_context():
        new = factories.started()
        invitation = new.invitation
        version = assignments.version_dir(invitation.assignment_version)
        if source is not None or extra:
            folder = version / (source or "starter")
            invitations.upload(invitation, _zip(folder, extra), "work.zip")
        submission = invitations.submit(invitation)
        db.session.commit()
        return submission.id


def _worker(live_app, redis_url: str, tmp_path: Path, *, burst: bool,
            extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    tmp_path.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "RECIPROCAL_REDIS_URL": redis_url,
        "RECIPROCAL_BASE_URL": live_app.url,
        "RECIPROCAL_WORKER_TOKEN": live_app.app.config["WORKER_TOKEN"],
        "RECIPROCAL_SCRATCH_DIR": str(tmp_path / "scratch"),
        # No database and no data directory: the worker must not need them.
        "RECIPROCAL_DATA_DIR": "/nonexistent/reciprocal-data",
        "RECIPROCAL_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        **(extra_env or {}),
    }
    args = [sys.executable, "-m", "reciprocal.cli", "worker", "--queues", "grading"]
    if burst:
        args.append("--burst")
    return subprocess.Popen(args, env=env, cwd=tmp_path, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _run(live_app, submission_id: int) -> GradingRun:
    with live_app.app.app_context():
        submission = db.session.get(Submission, submission_id)
        run = submission.latest_run
        db.session.expunge_all()
        return run


def test_solution_passes_and_starter_fails(live_app, redis_conn, runner_images, tmp_path) -> None:
    solved = _submit(live_app, "solution")
    untouched = _submit(live_app, None)
    worker = _worker(live_app, live_app.app.config["REDIS_URL"], tmp_path, burst=True)
    output = worker.communicate(timeout=600)[0].decode()
    assert worker.returncode == 0, output

    good = _run(live_app, solved)
    assert good.status == "passed", (good.reason, good.output[-2000:])
    assert good.failed == 0 and good.passed >= 10
    assert good.image.startswith("reciprocal-runner-python:") and good.image_digest
    assert good.limits["memory_mb"] > 0 and good.limits["timeout_seconds"] > 0

    bad = _run(live_app, untouched)
    assert bad.status == "failed"
    assert bad.failed + bad.errors > bad.passed

    response = requests.get(f"{live_app.url}/api/v1/submissions/{solved}", timeout=10,
                            headers={"Authorization": f"Bearer {_admin_token(live_app)}"})
    grading_json = response.json()["grading"]
    assert grading_json["status"] == "passed"
    assert {t["outcome"] for t in grading_json["tests"]} == {"passed"}


def _admin_token(live_app) -> str:
    with live_app.app.app_context():
        return factories.api_token(factories.staff("admin"))


def test_regrade_runs_again_and_tamper_files_are_flagged(live_app, redis_conn, runner_images,
                                                          tmp_path) -> None:
    forged = {"conftest.py": "import pytest\n@pytest.hookimpl(hookwrapper=True)\n"
              "def pytest_runtest_makereport(item, call):\n    out = yield\n"
              "    out.get_result().outcome = 'passed'\n",
              "Dockerfile": "FROM scratch\n"}
    submission_id = _submit(live_app, "starter", forged)
    token = _admin_token(live_app)
    worker = _worker(live_app, live_app.app.config["REDIS_URL"], tmp_path, burst=True)
    worker.communicate(timeout=600)
    first = _run(live_app, submission_id)
    assert first.status == "failed", "a candidate conftest.py must not turn failures into passes"
    assert first.checks == "boundary+sentinels+ids"
    # The judge never reads the candidate's conftest.py: nothing to warn about. A Dockerfile is
    # ignored too, and reviewers are told so.
    assert not any(flag.startswith("conftest.py") for flag in first.tamper_flags)
    assert any(flag.startswith("Dockerfile") for flag in first.tamper_flags)
    # The starter's own pyproject.toml, unchanged, is not the candidate's doing.
    assert (ASSIGNMENTS / "customer-directory" / "starter" / "pyproject.toml").exists()
    assert not any(flag.startswith("pyproject.toml") for flag in first.tamper_flags)

    response = requests.post(f"{live_app.url}/api/v1/submissions/{submission_id}/regrade",
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 202 and response.json()["status"] == "queued"
    worker = _worker(live_app, live_app.app.config["REDIS_URL"], tmp_path, burst=True)
    worker.communicate(timeout=600)
    with live_app.app.app_context():
        runs = db.session.get(Submission, submission_id).grading_runs
        assert [r.status for r in runs] == ["failed", "failed"]
        assert runs[1].attempts == 1


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def test_sigkilled_worker_job_is_picked_up_again(live_app, redis_conn, runner_images, docker_client,
                                                 tmp_path) -> None:
    def ours() -> set[str]:
        """Runner containers this test made: others (another run on the engine, a crashed
        session's leftovers) are not its to judge."""
        return {c["Id"] for c in docker_client.api.containers(
            all=True, filters={"label": "app=reciprocal"})} - before

    before: set[str] = set()
    before = ours()  # with nothing subtracted yet: every runner container already there
    slow = {"directory/__init__.py": "import time\ntime.sleep(12)\n"}
    submission_id = _submit(live_app, "solution", slow)
    redis_url = live_app.app.config["REDIS_URL"]
    first = _worker(live_app, redis_url, tmp_path, burst=False)
    run = _run(live_app, submission_id)
    run_label = f"reciprocal.run={run.id}"
    # A container started for the job carries the run's label; one the job took from the
    # worker's pool of pre-started containers carries the job id in its name instead.
    taken = f"reciprocal-job.{run.rq_job_id}."
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if docker_client.containers.list(filters={"label": ["app=reciprocal", run_label]}) or \
                docker_client.containers.list(filters={"name": taken}):
            break
        time.sleep(0.3)
    else:
        first.kill()
        pytest.fail("the first worker never started a container")
    # Kill the worker and its work horse (RQ puts the horse in its own session), as when a
    # worker's machine dies.
    for pid in [first.pid, *_descendants(first.pid)]:
        os.kill(pid, signal.SIGKILL)
    first.wait(10)
    assert _run(live_app, submission_id).status == "running"
    left_by_first = ours()

    # A new worker sweeps the orphaned container at start; the reconciler re-enqueues the run
    # once the dead worker's heartbeat is stale.
    second = _worker(live_app, redis_url, tmp_path, burst=False)
    try:
        requeued: list[int] = []
        deadline = time.monotonic() + 90
        while not requeued and time.monotonic() < deadline:
            time.sleep(2)
            with live_app.app.app_context():
                requeued = grading.reconcile(older_than=timedelta(0))
                db.session.commit()
        if not requeued:
            from reciprocal.core.workers import live_worker_names
            from rq.job import Job

            run = _run(live_app, submission_id)
            job = Job.fetch(run.rq_job_id, connection=redis_conn)
            pytest.fail(f"not re-enqueued: run {run.status} job {job.get_status()} "
                        f"{job.worker_name} live {live_worker_names(redis_conn)}")
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not _run(live_app, submission_id).finished:
            time.sleep(1)
        run = _run(live_app, submission_id)
        assert run.status == "passed", (run.status, run.reason)
        assert run.attempts == 2
        # The killed worker's containers (its job's and its pool's) are swept by the new
        # worker's periodic sweep.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and ours() & left_by_first:
            time.sleep(1)
        assert not ours() & left_by_first
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(180)
        end_session(second)
    # The stopped worker's pool removed its containers; a removal under way may still finish.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and ours():
        time.sleep(1)
    assert not ours()


def test_two_stateless_workers_grade_concurrently_each_job_once(live_app, redis_conn,
                                                                runner_images, tmp_path) -> None:
    """Two workers with their own scratch folders and no data directory or database share the
    queue; every run is graded exactly once and both workers take part."""
    from rq.job import Job

    submissions = [_submit(live_app, "solution") for _ in range(6)]
    workers = [_worker(live_app, live_app.app.config["REDIS_URL"], tmp_path / f"w{i}", burst=True)
               for i in range(2)]
    for worker in workers:
        worker.communicate(timeout=600)
    runs = [_run(live_app, sid) for sid in submissions]
    assert [run.status for run in runs] == ["passed"] * 6
    assert [run.attempts for run in runs] == [1] * 6
    names = {Job.fetch(run.rq_job_id, connection=redis_conn).worker_name for run in runs}
    assert len(names) == 2, names
    for i in range(2):
        assert not any((tmp_path / f"w{i}" / "scratch").iterdir()), "scratch left behind"


def test_redis_restart_without_persistence_loses_no_grading(live_app, redis_conn, runner_images,
                                                            tmp_path) -> None:
    submission_id = _submit(live_app, "solution")
    redis_conn.flushall()  # what a Redis restart without persistence leaves behind
    assert _run(live_app, submission_id).status == "queued"
    with live_app.app.app_context():
        requeued = grading.reconcile(older_than=timedelta(0))
        db.session.commit()
    assert requeued == [_run(live_app, submission_id).id]
    worker = _worker(live_app, live_app.app.config["REDIS_URL"], tmp_path, burst=True)
    worker.communicate(timeout=600)
    assert _run(live_app, submission_id).status == "passed"


def test_infrastructure_failure_is_retried_then_shown_as_an_error_to_rerun(
    migrated, tmp_path, redis_url, redis_conn, runner_images
) -> None:
    """A worker whose Docker engine is gone retries with backoff, then the run says so."""

    port = free_port()
    app = make_app(migrated, tmp_path / "data", BASE_URL=f"http://127.0.0.1:{port}",
                   REDIS_URL=redis_url, GRADING_RETRY_SECONDS=[1, 1])
    server = LiveServer(app, port).start()
    try:
        submission_id = _submit(server, "solution")
        worker = _worker(server, redis_url, tmp_path / "broken", burst=False,
                         extra_env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"})
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and not _run(server, submission_id).finished:
                time.sleep(0.5)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(60)
            end_session(worker)
        run = _run(server, submission_id)
        assert run.status == "error"
        assert "infrastructure failed" in run.reason and "re-run" in run.reason
        assert run.attempts == 3  # the first try and two retries

        fixed = _worker(server, redis_url, tmp_path / "fixed", burst=True)
        with server.app.app_context():
            grading.request_run(db.session.get(Submission, submission_id),
                                requested_by=factories.staff("reviewer"))
            db.session.commit()
        fixed.communicate(timeout=600)
        assert _run(server, submission_id).status == "passed"
    finally:
        server.stop()
