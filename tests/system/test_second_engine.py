"""A grading worker on a second Docker engine builds the assignment environment it lacks.

A second `dockerd` runs on this host with its own data root, socket, containerd namespaces and
bridge (tests/support/second_engine.py). It gets the runner images of the current code the way
an operator carries them to another host, `docker save | docker load`, and nothing else: no
assignment's environment image. `reciprocal serve` runs with no worker of its own, so the test
decides who is listening when work arrives: a worker with DOCKER_HOST on the second engine
(RECIPROCAL_BUILD_NETWORK=host: nothing is routed for that engine's bridge) and one on the main
engine, both under gVisor.

- A small environment (the runner's image plus one PyPI package, written here): candidates
  submit at once while only the second engine's worker listens; it fetches the build context
  from the platform, builds the image on its engine and grades them all. The build shows on
  /readyz and the admin's assignments page. Then the main engine's worker joins and more
  candidates submit at once: both workers take runs (each run's image id says on which engine
  it ran), and every run passes with the hidden tests' own names.
- The shipped `room-bookings` (FastAPI and PostgreSQL in the sandbox): the second engine's
  worker alone builds it (apt, PyPI over the CA bundle) and grades a candidate.

At the end no container of this installation is left on either engine, the second engine and
its bridge are gone and docker0 is still there.
"""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docker
import pytest
import requests
from docker.errors import ImageNotFound
from reciprocal.config import setting
from reciprocal.runner.environments import environment_tag
from reciprocal.runner.images import DEFAULT_BASE_IMAGE

from tests.support.auth import Auth
from tests.support.paths import ASSIGNMENTS, ROOT
from tests.support.processes import end_session
from tests.support.second_engine import SecondEngine, link_exists, start_second_engine
from tests.support.served import (
    Served,
    clone_and_push_solution,
    served_platform,
    started_candidate,
    wait_graded,
)

SMALL = "utc-stamps"
SHIPPED = "room-bookings"
SECOND = "second-engine"
MAIN = "main-engine"

# A small environment: the python runner's image plus one pinned package from PyPI.
SMALL_FILES = {
    "assignment.toml": '''slug = "utc-stamps"
title = "UTC stamps"
summary = "Turn partners' ISO 8601 timestamps into UTC with the iso8601 library."
language = "python"
runner = "python"
time_cap_minutes = 30
skills = ["Time zones"]
results_visible_to_candidate = true

[environment]

[[rubric]]
name = "Correctness"
description = "A timestamp with an offset becomes the same instant in UTC; one without is refused."
tests = ["test_hidden_stamps.py"]
[rubric.levels]
great = "Every offset and both ISO formats handled; naive times refused with a clear error."
good = "Offsets handled; one format or the refusal missing."
mediocre = "Offsets ignored."
''',
    "environment/Dockerfile": '''# The grading environment: iso8601 from PyPI, at build time.
ARG RUNNER_BASE
FROM ${RUNNER_BASE}
RUN apt-get update \\
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-pip \\
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
COPY reciprocal-ca.crt /tmp/reciprocal-ca.crt
RUN pip install --no-cache-dir --break-system-packages --cert /tmp/reciprocal-ca.crt \\
      iso8601==2.1.0 \\
 && rm /tmp/reciprocal-ca.crt
''',
    "starter/README.md": "# UTC stamps\n\nImplement `stamps.convert.to_utc` with `iso8601`.\n",
    "starter/stamps/__init__.py": "",
    "starter/stamps/convert.py": '''"""Partners' timestamps, in UTC."""

from datetime import datetime


def to_utc(text: str) -> datetime:
    """The instant `text` names (ISO 8601 with an offset), aware and in UTC; ValueError for a
    time without an offset."""
    raise NotImplementedError
''',
    "starter/tests/test_convert.py": '''from stamps.convert import to_utc


def test_zulu():
    assert to_utc("2024-01-01T12:00:00Z").hour == 12
''',
    "solution/stamps/convert.py": '''"""Partners' timestamps, in UTC."""

from datetime import UTC, datetime

import iso8601


def to_utc(text: str) -> datetime:
    """The instant `text` names (ISO 8601 with an offset), aware and in UTC; ValueError for a
    time without an offset."""
    parsed = iso8601.parse_date(text, default_timezone=None)
    if parsed.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return parsed.astimezone(UTC)
''',
    "tests/test_hidden_stamps.py": '''from datetime import UTC, datetime, timedelta
from importlib.metadata import version

import pytest
from stamps.convert import to_utc


def test_the_environment_has_iso8601():
    assert version("iso8601") == "2.1.0"


def test_an_offset_becomes_utc():
    stamp = to_utc("2024-03-31T02:30:00+02:00")
    assert stamp == datetime(2024, 3, 31, 0, 30, tzinfo=UTC)
    assert stamp.utcoffset() == timedelta(0)


def test_the_basic_format_is_read():
    assert to_utc("20240101T120000Z") == datetime(2024, 1, 1, 12, tzinfo=UTC)


def test_a_time_without_offset_is_refused():
    with pytest.raises(ValueError):
        to_utc("2024-01-01T12:00:00")
''',
}


def hidden_test_names(folder: Path) -> set[str]:
    """The test functions of an assignment's hidden tests, read from their syntax."""
    names = set()
    for path in (folder / "tests").glob("test_*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and \
                    node.name.startswith("test_"):
                names.add(node.name)
    return names


# The platform, its workers and the engines ---------------------------------------------------


@dataclass
class Worker:
    name: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 180) -> None:
        """RQ's warm shutdown (the pool removes its containers), then whatever is left of its
        session."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        end_session(self.proc)


@dataclass
class TwoEngines:
    served: Served
    engine: SecondEngine
    main: docker.DockerClient
    assignments: Path
    folder: Path

    @property
    def token(self) -> str:
        return (self.served.data_dir / "worker_token").read_text().strip()

    @property
    def installation(self) -> str:
        """The label value this installation's workers put on their containers."""
        return str(setting("RECIPROCAL_INSTALLATION_ID",
                                 {"RECIPROCAL_WORKER_TOKEN": self.token}))

    def worker(self, name: str, *, second: bool) -> Worker:
        """`reciprocal worker` as an operator starts one elsewhere: the platform's URL, the
        worker credential, its Redis and a Docker engine; no database, no data directory."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("RECIPROCAL_") and k != "DOCKER_HOST"}
        env.update({
            "PYTHONPATH": str(ROOT / "platform"),
            "RECIPROCAL_BASE_URL": self.served.url,
            "RECIPROCAL_WORKER_TOKEN": self.token,
            "RECIPROCAL_REDIS_URL": f"unix://{self.served.data_dir / 'redis' / 'redis.sock'}",
            "RECIPROCAL_SCRATCH_DIR": str(self.folder / f"scratch-{name}"),
            "RECIPROCAL_RUNNER_RUNTIME": "runsc",
        })
        if second:
            env.update({"DOCKER_HOST": self.engine.host, "RECIPROCAL_BUILD_NETWORK": "host"})
        log_path = self.folder / f"{name}.log"
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "reciprocal.cli", "worker", "--queues", "grading",
                 "--name", name], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        worker = Worker(name, proc, log_path)
        wait_for(lambda: name in self.readyz()["checks"]["runner_engine"]["workers"] and
                 self.readyz()["checks"]["runner_engine"]["workers"][name].get("ok"),
                 f"the worker {name} on its engine", timeout=120,
                 failing=lambda: worker.proc.poll() is not None, log=worker.log)
        return worker

    def readyz(self) -> dict[str, Any]:
        answer = self.served.api("GET", "/readyz", headers={
            "Authorization": "Bearer " + METRICS_TOKEN})
        return dict(answer.json())

    def builds(self) -> list[dict[str, Any]]:
        return list(self.readyz()["checks"]["runner_engine"].get("builds", []))

    def submit(self, slug: str, names: list[str]) -> list[int]:
        """Candidates push the reference solution and submit, all at once."""
        def one(name: str) -> int:
            candidate = started_candidate(self.served, slug, name=name)
            clone_and_push_solution(candidate, self.folder / "candidates" / name, slug,
                                    assignments=self.assignments)
            submitted = candidate.call("submit")
            assert submitted.status_code == 201, submitted.text
            return int(submitted.json()["submission_id"])

        with ThreadPoolExecutor(len(names)) as pool:
            return list(pool.map(one, names))

    def ours(self, client: docker.DockerClient) -> list[dict[str, Any]]:
        return list(client.api.containers(all=True, filters={
            "label": [f"reciprocal.installation={self.installation}"]}))


METRICS_TOKEN = "second-engine-metrics-" + "m" * 24


def wait_for(condition: Callable[[], Any], what: str, *, timeout: float,
             failing: Callable[[], bool] = lambda: False,
             log: Callable[[], str] = lambda: "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if failing():
            raise AssertionError(f"gave up waiting for {what}:\n{log()[-4000:]}")
        try:
            found = condition()
        except (requests.RequestException, KeyError, ValueError):
            found = None
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError(f"no {what} within {timeout} s:\n{log()[-4000:]}")


def image_id(client: docker.DockerClient, tag: str) -> str | None:
    try:
        return str(client.images.get(tag).id)
    except ImageNotFound:
        return None


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, platform_ready: dict[str, str],
            docker_client: docker.DockerClient) -> Iterator[TwoEngines]:
    folder = tmp_path_factory.mktemp("second-engine")
    assignments = folder / "assignments"
    for name, text in SMALL_FILES.items():
        path = assignments / SMALL / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    shutil.copytree(ASSIGNMENTS / SHIPPED, assignments / SHIPPED,
                    ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    small_tag = environment_tag(SMALL, assignments / SMALL / "environment", "python")
    main_had_small = image_id(docker_client, small_tag) is not None

    engine = start_second_engine()
    served = None
    problems: list[str] = []
    try:
        with ThreadPoolExecutor(1) as loader:  # the images load while the platform is prepared
            loading = loader.submit(engine.load, [DEFAULT_BASE_IMAGE, *platform_ready.values()])
            served = served_platform(folder / "platform",
                                     RECIPROCAL_ASSIGNMENTS_DIR=str(assignments),
                                     RECIPROCAL_METRICS_TOKEN=METRICS_TOKEN)
            loading.result()
        served.start("--workers", "0")  # the test starts the workers: it decides who listens
        yield TwoEngines(served, engine, docker_client, assignments, folder)
    finally:
        if served is not None:
            served.stop()
        problems = engine.stop()
        if not main_had_small and image_id(docker_client, small_tag):
            docker_client.images.remove(small_tag)
    assert not problems, problems
    assert link_exists("docker0"), "the main engine's docker0 is gone"


@pytest.fixture
def workers(engines: TwoEngines) -> Iterator[dict[str, Worker]]:
    """The workers a test starts (by name); stopped at its end, and nothing of theirs left on
    either engine."""
    started: dict[str, Worker] = {}
    yield started
    for worker in started.values():
        worker.stop()
        print(f"--- the end of {worker.name}'s log (shown when the test failed):\n"
              f"{worker.log()[-4000:]}")
    for label, client in (("second", engines.engine.client()), ("main", engines.main)):
        assert not engines.ours(client), f"containers left on the {label} engine"


def assert_passed(served: Served, submission_id: int, expected: set[str],
                  timeout: float) -> dict[str, Any]:
    grading = wait_graded(served, submission_id, timeout=timeout)["grading"]
    not_passed = {t["name"]: t["message"][-1500:] for t in grading["tests"]
                  if t["outcome"] != "passed"}
    assert grading["status"] == "passed", (grading["status"], grading["reason"], not_passed)
    assert grading["runtime"] == "runsc"
    assert grading["failed"] == 0 and grading["errors"] == 0, grading
    outcomes = {t["name"]: t["outcome"] for t in grading["tests"]}
    assert {name.split("[")[0] for name in outcomes} == expected, outcomes
    assert set(outcomes.values()) == {"passed"}, outcomes
    assert grading["passed"] == len(outcomes)
    return dict(grading)


# The tests -----------------------------------------------------------------------------------


@pytest.mark.timeout(1200)
def test_a_worker_on_a_second_engine_builds_the_environment_it_lacks(
        engines: TwoEngines, workers: dict[str, Worker], auth: Auth) -> None:
    second, main = engines.engine.client(), engines.main
    tag = environment_tag(SMALL, engines.assignments / SMALL / "environment", "python")
    expected = hidden_test_names(engines.assignments / SMALL)
    assert image_id(second, tag) is None  # nobody carried it over: the worker must build it

    # Only the second engine's worker listens: every run is its.
    workers[SECOND] = engines.worker(SECOND, second=True)
    first = engines.submit(SMALL, ["Ada Second", "Bo Second", "Cy Second"])
    graded = [assert_passed(engines.served, sid, expected, timeout=600) for sid in first]

    built = image_id(second, tag)
    assert built is not None, "the second engine has no environment image"
    labels = second.images.get(tag).labels
    assert labels.get("reciprocal.environment") == SMALL and labels.get("app") == "reciprocal"
    assert {g["image"] for g in graded} == {tag}
    assert {g["image_digest"] for g in graded} == {built}, "a run did not use its engine's image"
    noted = [b for b in engines.builds() if b["tag"] == tag]
    assert [(b["state"], b["slug"], b["worker"]) for b in noted] == [("built", SMALL, SECOND)], \
        engines.builds()
    page = auth.session(engines.served, "admin").get(
        engines.served.url + "/admin/assignments", timeout=30).text
    assert "Environment builds" in page and tag in page and SECOND in page

    # The main engine's worker joins: both listen when the next candidates submit at once, and
    # both take runs. The main engine builds the environment unless it already had it.
    workers[MAIN] = engines.worker(MAIN, second=False)
    more = engines.submit(SMALL, ["Di Both", "Ed Both", "Flo Both", "Gus Both"])
    graded = [assert_passed(engines.served, sid, expected, timeout=600) for sid in more]
    on_main = image_id(main, tag)
    assert on_main is not None and on_main != built
    used = {g["image_digest"] for g in graded}
    assert used == {built, on_main}, f"one engine took every run: {used}"
    assert image_id(second, tag) == built  # never rebuilt


@pytest.mark.timeout(1200)
def test_the_second_engine_builds_a_shipped_stack(engines: TwoEngines,
                                                  workers: dict[str, Worker]) -> None:
    """room-bookings: PostgreSQL and FastAPI installed with apt and pip on the second engine,
    through the host's network; its hidden tests run against a real PostgreSQL in gVisor."""
    second = engines.engine.client()
    tag = environment_tag(SHIPPED, engines.assignments / SHIPPED / "environment", "python")
    assert image_id(second, tag) is None

    workers[SECOND] = engines.worker(SECOND, second=True)
    [submission] = engines.submit(SHIPPED, ["Hal Rooms"])
    graded = assert_passed(engines.served, submission,
                           hidden_test_names(engines.assignments / SHIPPED), timeout=900)
    built = image_id(second, tag)
    assert built is not None and graded["image_digest"] == built
    noted = [b for b in engines.builds() if b["tag"] == tag]
    assert [(b["state"], b["worker"]) for b in noted] == [("built", SECOND)], engines.builds()
