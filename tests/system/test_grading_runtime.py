"""`reciprocal serve` grades under gVisor by default, from outside: the API's grading says
`runtime: "runsc"`, /readyz and the admin page show the runtime, the recruiter's and the
reviewer's pages name it, and the job took a container its worker's pool had started."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import docker
import pytest
from reciprocal.grading.worker import installation_id

from tests.support.auth import Auth
from tests.support.served import Served, clone_and_push_solution, started_candidate, wait_graded


def _pooled(client: docker.DockerClient, installation: str) -> list[dict[str, Any]]:
    """This platform's pre-started python containers (other platforms may share the engine)."""
    return client.api.containers(filters={"label": [
        "reciprocal.pool", f"reciprocal.installation={installation}",
        "reciprocal.runner=python"], "status": "running"})


def test_grading_runs_under_gvisor_from_the_pool(
    served: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, auth: Auth) -> None:
    client = docker.from_env()
    monkeypatch.setenv("RECIPROCAL_WORKER_TOKEN",
                       (served.data_dir / "worker_token").read_text().strip())
    installation = installation_id()
    # Each worker's pool starts its containers in the background; wait until they are ready.
    deadline = time.monotonic() + 300
    while len(_pooled(client, installation)) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    ready = {c["Id"] for c in _pooled(client, installation)}
    assert len(ready) >= 2, "the workers' pools started no python container"

    candidate = started_candidate(served)
    clone_and_push_solution(candidate, tmp_path / "candidate")
    submitted = candidate.call("submit")
    assert submitted.status_code == 201, submitted.text
    submission_id = submitted.json()["submission_id"]
    graded = wait_graded(served, submission_id)["grading"]
    assert graded["status"] == "passed", graded
    assert graded["runtime"] == "runsc"

    admin = auth.session(served, "admin")
    details = admin.get(served.url + "/readyz", timeout=30).json()
    engine = details["checks"]["runner_engine"]
    assert engine["runtime"] == "runsc"
    assert engine["workers"] and all(w.get("runtime") == "runsc"
                                     for w in engine["workers"].values()), engine
    page = admin.get(served.url + "/admin/assignments", timeout=30).text
    assert "Grading runtime" in page and "gVisor (runsc)" in page

    recruiter = auth.session(served, "recruiter")
    page = recruiter.get(f"{served.url}/submissions/{submission_id}", timeout=30).text
    assert "Runtime gVisor (runsc)" in page
    review = admin.get(f"{served.url}/submissions/{submission_id}/code", timeout=30)
    assert review.status_code == 200 and "ran under gVisor (runsc)" in review.text

    # The job took one of the containers that were ready before it was submitted (a cold start
    # would have left them all), ran once in it, and it is gone: nothing of the job is left.
    everything = {c["Id"] for c in client.api.containers(
        all=True, filters={"label": f"reciprocal.installation={installation}"})}
    assert ready - everything, "the job did not take a pre-started container"
    assert not client.api.containers(all=True, filters={
        "label": f"reciprocal.installation={installation}", "name": "reciprocal-job."})
