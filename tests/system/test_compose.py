"""The compose stack (compose.yaml), from outside, as a hiring team would run it.

scripts/compose-test.sh (run by `make test`) brings the stack up under a unique project name,
with generated secrets and a free loopback port, then runs this module with
RECIPROCAL_COMPOSE_URL (the published web URL) and RECIPROCAL_COMPOSE_PROJECT set. Without them
(the normal suite) tests/system/conftest.py leaves the module out of collection, so compose is
not started twice and nothing is skipped; with only one of them it fails. Everything is real:
the images built from this tree, Docker, PostgreSQL, Redis, git over HTTP and a runner container
started by a grading worker through the host's socket.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.support.gitclient import git
from tests.support.paths import ROOT

URL = os.environ.get("RECIPROCAL_COMPOSE_URL", "").rstrip("/")
PROJECT = os.environ.get("RECIPROCAL_COMPOSE_PROJECT", "")
ASSIGNMENT = "customer-directory"
PLATFORM_SERVICES = ("web", "maintenance", "worker")
GRADED = {"passed", "failed", "error", "timed_out"}
GRADING_TIMEOUT = 300

pytestmark = [
    pytest.mark.docker,
    pytest.mark.slow,
]


# ---------------------------------------------------------------- helpers


def compose(*args: str, stdin: str | None = None, check: bool = True) -> str:
    """Run docker-compose against the test's project; returns stdout."""
    proc = subprocess.run(
        ["docker-compose", "-p", PROJECT, "-f", str(ROOT / "compose.yaml"), *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"docker-compose {' '.join(args)} failed ({proc.returncode}):\n"
            f"{proc.stdout}\n{proc.stderr}"
        )
    return proc.stdout


def containers(service: str) -> list[dict[str, Any]]:
    """`docker inspect` of the service's containers in this project (running or not)."""
    ids = compose("ps", "-q", service).split()
    assert ids, f"no container for service {service}"
    out = subprocess.run(
        ["docker", "inspect", *ids], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return list(json.loads(out))


def mounts(container: dict[str, Any]) -> set[str]:
    return {str(m.get("Destination")) for m in container.get("Mounts", [])}


def api(token: str, method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(
        method,
        URL + path,
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
        **kwargs,
    )


@pytest.fixture(scope="module")
def stack() -> str:
    """The published URL of a stack that answers /healthz; fails (never skips) when the
    compose-test.sh environment is incomplete."""
    if not (URL and PROJECT):
        pytest.fail(
            "RECIPROCAL_COMPOSE_URL and RECIPROCAL_COMPOSE_PROJECT must both be set "
            "(scripts/compose-test.sh sets them)"
        )
    if shutil.which("docker-compose") is None:
        pytest.fail("docker-compose is not installed (scripts/compose-test.sh installs it)")
    try:
        response = requests.get(f"{URL}/healthz", timeout=10)
    except requests.RequestException as exc:
        pytest.fail(f"the stack does not answer at {URL}: {exc}")
    assert response.status_code == 200, response.text
    return URL


@pytest.fixture(scope="module")
def staff_token(stack: str) -> str:
    """A recruiter and their API token, made with the CLI inside the web container."""
    email = f"recruiter-{secrets.token_hex(4)}@example.com"
    created = compose(
        "exec", "-T", "web", "reciprocal", "users", "create", "--email", email,
        "--role", "recruiter", "--name", "Compose Recruiter",
        stdin=secrets.token_urlsafe(18) + "\n",
    )
    assert f"created recruiter {email}" in created
    token = compose("exec", "-T", "web", "reciprocal", "tokens", "create", "--email", email,
                    "--name", "compose-test").strip().splitlines()[-1]
    assert token.startswith("rcp_"), token
    return token


# ---------------------------------------------------------------- the stack's shape


def test_services_images_users_and_the_docker_socket(stack: str) -> None:
    gid = str(os.stat("/var/run/docker.sock").st_gid)
    (migrate,) = containers("migrate")
    assert migrate["State"]["Status"] == "exited" and migrate["State"]["ExitCode"] == 0

    every = {name: containers(name) for name in (*PLATFORM_SERVICES, "postgres", "redis")}
    for name, found in every.items():
        for container in found:
            assert container["State"]["Running"], f"{name} is not running"
            image = container["Config"]["Image"]
            # Every image is built from this tree (no registry is reachable here).
            assert image.startswith("reciprocal-"), f"{name} runs {image}"
    assert len(every["worker"]) == 2, "two grading workers"

    for name in PLATFORM_SERVICES:
        for container in every[name]:
            assert container["Config"]["User"] == "10001:10001", name
            assert container["HostConfig"]["CapDrop"] == ["ALL"], name
    # Only the workers hold the Docker socket (root on the host), with its group added.
    for name in ("web", "maintenance", "postgres", "redis"):
        for container in every[name]:
            assert "/var/run/docker.sock" not in mounts(container), name
    for container in every["worker"]:
        assert "/var/run/docker.sock" in mounts(container)
        assert gid in (container["HostConfig"].get("GroupAdd") or [])
    assert compose("exec", "-T", "web", "id", "-u").strip() == "10001"
    probe = subprocess.run(
        ["docker-compose", "-p", PROJECT, "-f", str(ROOT / "compose.yaml"),
         "exec", "-T", "web", "test", "-e", "/var/run/docker.sock"],
        cwd=ROOT, capture_output=True, timeout=60,
    )
    assert probe.returncode == 1, "the web container can see a Docker socket"
    # The database and Redis run as their own unprivileged users.
    assert compose("exec", "-T", "postgres", "id", "-un").strip() == "postgres"
    assert compose("exec", "-T", "redis", "id", "-un").strip() == "redis"
    assert compose("exec", "-T", "redis", "redis-cli", "config", "get",
                   "appendonly").split() == ["appendonly", "yes"]


def test_health_metrics_request_ids_and_json_logs(stack: str) -> None:
    assert requests.get(f"{stack}/healthz", timeout=10).json()["status"] == "ok"
    operator = {"Authorization": f"Bearer {os.environ['RECIPROCAL_METRICS_TOKEN']}"}
    assert "checks" not in requests.get(f"{stack}/readyz", timeout=30).json()
    ready = requests.get(f"{stack}/readyz", headers=operator, timeout=30)
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    assert checks["database"]["ok"] and checks["redis"]["ok"], checks

    login = requests.get(f"{stack}/login", timeout=10)
    assert login.status_code == 200 and "<form" in login.text.lower()

    request_id = f"compose-{secrets.token_hex(6)}"
    tagged = requests.get(f"{stack}/login", headers={"X-Request-ID": request_id}, timeout=10)
    assert tagged.headers.get("X-Request-ID") == request_id

    assert requests.get(f"{stack}/metrics", timeout=10).status_code == 401  # the token is set
    metrics = requests.get(f"{stack}/metrics", headers=operator, timeout=10)
    assert metrics.status_code == 200
    assert 'reciprocal_queue_depth{queue="grading"}' in metrics.text
    assert "reciprocal_redis_up 1.0" in metrics.text

    deadline = time.monotonic() + 15  # log lines reach the engine asynchronously
    while True:
        lines = [line.split("|", 1)[-1].strip()
                 for line in compose("logs", "--no-color", "web").splitlines()]
        logged = [json.loads(line) for line in lines
                  if line.startswith("{") and request_id in line]
        if logged or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert logged, "no JSON log line carries the request id"
    assert logged[0]["request_id"] == request_id and logged[0]["path"] == "/login"


# ---------------------------------------------------------------- a whole candidate journey


def test_candidate_journey_from_invitation_to_graded_submission(
    stack: str, staff_token: str, tmp_path: Path
) -> None:
    synced = compose("exec", "-T", "web", "reciprocal", "assignments", "sync")
    assert ASSIGNMENT in synced, synced
    listed = api(staff_token, "GET", "/api/v1/assignments")
    assert listed.status_code == 200, listed.text
    assert ASSIGNMENT in {a["slug"] for a in listed.json()}

    role = api(staff_token, "POST", "/api/v1/roles", json={
        "title": f"Backend engineer {secrets.token_hex(3)}",
        "team": "Platform",
        "salary_min": 60000,
        "salary_max": 80000,
        "currency": "EUR",
        "mission": "Keep our customer data clean and fast to query.",
        "requirements": ["Parses messy real-world data", "Designs small HTTP APIs"],
        "stages": ["Take-home", "Follow-up interview", "Decision"],
        "response_days": 5,
    })
    assert role.status_code == 201, role.text
    invited = api(staff_token, "POST", "/api/v1/invitations", json={
        "assignment": ASSIGNMENT,
        "role": role.json()["id"],
        "candidate": {"name": "Sam Candidate", "email": f"sam-{secrets.token_hex(3)}@example.com"},
    })
    assert invited.status_code == 201, invited.text
    invitation = invited.json()
    # Candidates' links carry the public URL, never the stack's inner address.
    assert invitation["portal_url"].startswith(stack + "/")
    assert invitation["git_url"].startswith(stack + "/git/")
    candidate = urlsplit(invitation["portal_url"]).path.rstrip("/").rsplit("/", 1)[-1]

    accepted = api(candidate, "POST", "/api/v1/candidate/accept-terms")
    assert accepted.status_code == 200, accepted.text
    started = api(candidate, "POST", "/api/v1/candidate/start")
    assert started.status_code == 200, started.text
    assert started.json()["deadline_at"]

    home, work = tmp_path / "home", tmp_path / "work"
    git("clone", invitation["git_url"], str(work), cwd=tmp_path, home=home)
    assert (work / "OWNERSHIP.md").is_file() and (work / "README.md").is_file()
    shutil.copytree(ROOT / "assignments" / ASSIGNMENT / "solution", work, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache"))
    git("add", "-A", cwd=work, home=home)
    git("commit", "-q", "-m", "Parse the exports and serve the directory", cwd=work, home=home)
    git("push", "origin", "HEAD:main", cwd=work, home=home)
    head = git("rev-parse", "HEAD", cwd=work, home=home).stdout.strip()

    submitted = api(candidate, "POST", "/api/v1/candidate/submit")
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["commit_sha"] == head
    again = api(candidate, "POST", "/api/v1/candidate/submit")
    assert again.status_code == 409, again.text
    submission_id = submitted.json()["submission_id"]

    # A grading worker claims the run, fetches the commit from http://web:8000, and runs the
    # hidden tests in a runner container on the host's engine.
    deadline = time.monotonic() + GRADING_TIMEOUT
    grading: dict[str, Any] = {}
    while time.monotonic() < deadline:
        got = api(staff_token, "GET", f"/api/v1/submissions/{submission_id}")
        assert got.status_code == 200, got.text
        grading = got.json().get("grading") or {}
        if grading.get("status") in GRADED and grading.get("passed") is not None:
            break
        time.sleep(2)
    else:
        pytest.fail(f"not graded within {GRADING_TIMEOUT} s: {grading}\n"
                    f"{compose('logs', '--no-color', '--tail=60', 'worker')}")
    assert grading["status"] == "passed", (grading.get("reason"), grading.get("output", "")[-3000:])
    assert grading["passed"] > 0
    assert grading["failed"] == 0 and grading["errors"] == 0
    assert grading["image"].startswith("reciprocal-runner-python:") and grading["image_digest"]
    assert len(grading["tests"]) >= grading["passed"]


def test_no_service_restarted_and_the_web_health_check_passes(stack: str) -> None:
    """Runs last: nothing crash-looped behind `restart: unless-stopped` during the journey, and
    the image's own HEALTHCHECK (what the engine and an orchestrator see) reports healthy."""
    for name in (*PLATFORM_SERVICES, "postgres", "redis"):
        for container in containers(name):
            assert container["State"]["Running"], f"{name} stopped"
            assert container["RestartCount"] == 0, f"{name} restarted"
    deadline = time.monotonic() + 90  # the image checks every 30 s
    while True:
        (web,) = containers("web")
        health = web["State"]["Health"]["Status"]
        if health == "healthy" or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert health == "healthy", web["State"]["Health"]
    for name in ("postgres", "redis"):
        (container,) = containers(name)
        assert container["State"]["Health"]["Status"] == "healthy", name
