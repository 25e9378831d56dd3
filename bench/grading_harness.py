"""Shared machinery for the grading benchmarks: the served platform (`reciprocal serve` as a
process, on SQLite, with its private Redis and real workers, driven over HTTP) and the bare
`docker run` baseline of the same tests in the same runner image."""

from __future__ import annotations

import io
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(0, str(ROOT))

from tests.support.served import (  # noqa: E402  (after the path it is found on)
    Candidate,
    Served,
    invite,
    served_platform,
)

SLUG = "customer-directory"
PHASE_LINE = re.compile(r"run (?P<run>\d+) \w+ in (?P<total>[\d.]+) s \((?P<parts>[^)]*)\)"
                        r"(?:; in the container: (?P<inside>.*))?$")


def machine() -> str:
    return f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}"


def solution_zip(slug: str = SLUG, assignments_dir: Path | None = None) -> bytes:
    buffer = io.BytesIO()
    folder = (assignments_dir or ROOT / "assignments") / slug / "solution"
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def bare_command(image: str, runtime: str = "runc") -> list[str]:
    """The same pytest command the harness runs, as a plain `docker run` with read-only binds,
    under ``runtime``."""
    folder = ROOT / "assignments" / SLUG
    return [
        "docker", "run", "--rm", "--runtime", runtime, "--network", "none",
        "--user", "10001:10001",
        "-v", f"{folder / 'solution'}:/work/submission:ro",
        "-v", f"{folder / 'tests'}:/work/hidden:ro",
        "-w", "/work/submission", "--entrypoint", "python3", image,
        "-I", "-B", "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "-c", "/opt/reciprocal/reciprocal_harness/pytest.ini",
        "--rootdir", "/work/hidden",
        "-o", "pythonpath=/work/submission", "/work/hidden",
    ]


def bare_runs(image: str, count: int, concurrency: int,
              runtime: str = "runc") -> tuple[list[float], float]:
    """Per-run seconds and the wall time of `count` bare docker runs at `concurrency`."""
    command = bare_command(image, runtime)

    def one(_index: int) -> float:
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - start

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        durations = list(pool.map(one, range(count)))
    return durations, time.perf_counter() - start


@dataclass
class BenchCandidate:
    """A candidate on the portal and the address their requests come from."""

    portal: Candidate
    headers: dict[str, str]

    def call(self, action: str, expect: int) -> dict[str, Any]:
        answer = self.portal.call(action, headers=self.headers)
        if answer.status_code != expect:
            raise RuntimeError(f"{action}: {answer.status_code} {answer.text[:500]}")
        return dict(answer.json())


@dataclass
class Platform:
    """`reciprocal serve` as a process of its own (gunicorn, a private Redis, its RQ workers),
    driven only from outside: candidates are invited, start, upload their solution on the
    portal and submit over HTTP, and the results are read back over the API."""

    served: Served
    folder: Path
    assignments_dir: Path | None = None

    def phases(self, run_ids: list[int]) -> dict[str, list[float]]:
        """Seconds per phase of the given runs, from the workers' log lines in serve's log
        (grading/worker.py PhaseTimes): the worker's phases, and the container's steps
        prefixed "container: "."""
        wanted = set(run_ids)
        found: dict[str, list[float]] = {}
        for line in self.served.log().splitlines():
            match = PHASE_LINE.search(line)
            if match is None or int(match["run"]) not in wanted:
                continue
            found.setdefault("worker, total", []).append(float(match["total"]))
            for prefix, parts in (("", match["parts"]), ("container: ", match["inside"])):
                for name, seconds in re.findall(r"([a-z ]+) ([\d.]+) s", parts or ""):
                    found.setdefault(prefix + name.strip(), []).append(float(seconds))
        return found

    def submit_many(self, count: int, slug: str = SLUG) -> list[BenchCandidate]:
        """`count` candidates invited to `slug`, each with the terms accepted, the clock
        started and the solution uploaded on the portal: ready to submit."""
        archive = self.folder / f"{slug}-solution.zip"
        archive.write_bytes(solution_zip(slug, self.assignments_dir))
        made = []
        for _index in range(count):
            letters = "".join(chr(ord("a") + int(digit, 16)) for digit in uuid.uuid4().hex[:10])
            candidate = BenchCandidate(
                invite(self.served, slug, name=f"Bench Candidate {letters}",
                       email=f"{letters}@example.com"),
                # Each candidate from an address of its own, behind the proxy the platform
                # trusts (RECIPROCAL_PROXY_FIX=1), as real candidates are: the candidate
                # endpoints' limits (60 calls, 20 portal uploads a minute) are per address.
                {"X-Forwarded-For": f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}."
                                    f"{1 + secrets.randbelow(254)}"})
            for action in ("accept-terms", "start"):
                candidate.call(action, expect=200)
            uploaded = candidate.portal.upload(archive, candidate.headers)
            if uploaded.status_code >= 400:
                raise RuntimeError(f"upload refused ({uploaded.status_code}): "
                                   f"{uploaded.text[:500]}")
            made.append(candidate)
        return made

    def submit(self, candidates: list[BenchCandidate]) -> list[int]:
        """Submit every candidate at once (concurrent requests); their submissions' ids."""
        with ThreadPoolExecutor(max(1, min(8, len(candidates)))) as pool:
            return list(pool.map(lambda c: int(c.call("submit", expect=201)["submission_id"]),
                                 candidates))

    def wait(self, submission_ids: list[int],
             timeout: float = 1800) -> dict[int, tuple[str, float]]:
        """Poll the API until every submission's grading finished; run id -> its status and
        its queued -> finished seconds. Jobs finish about in the order they were submitted, so
        one request a round asks after the oldest unfinished submission only, and a finished
        one moves straight on to the next: the platform is not kept busy answering polls."""
        deadline = time.monotonic() + timeout
        pending, done = list(submission_ids), {}
        while pending:
            answer = self.served.api("GET", f"/api/v1/submissions/{pending[0]}",
                                     self.served.admin_token)
            answer.raise_for_status()
            run = answer.json().get("grading") or {}
            if run.get("status") not in (None, "queued", "running"):
                done[int(run["id"])] = (run["status"], _seconds(run))
                pending.pop(0)
                continue
            if time.monotonic() > deadline:
                raise TimeoutError(f"grading did not finish in time: {pending}")
            time.sleep(0.05)
        return done


def _seconds(run: dict[str, object]) -> float:
    """Queued -> finished, from the run's ISO 8601 times (nan when one is missing)."""
    queued, finished = run.get("queued_at"), run.get("finished_at")
    if not isinstance(queued, str) or not isinstance(finished, str):
        return float("nan")
    return (datetime.fromisoformat(finished) - datetime.fromisoformat(queued)).total_seconds()




def pooled_ids(image: str) -> list[str]:
    """Pre-started containers of ``image`` that the workers' pools hold ready."""
    out = subprocess.run(["docker", "ps", "-q", "--no-trunc", "--filter", "label=reciprocal.pool",
                          "--filter", f"ancestor={image}"], capture_output=True, text=True)
    return out.stdout.split()


def cpu_seconds(container_id: str) -> float | None:
    """CPU time a container has used so far (its cgroup, v1 or v2), None if unknown."""
    for path, scale in ((f"/sys/fs/cgroup/cpuacct/docker/{container_id}/cpuacct.usage", 1e-9),
                        (f"/sys/fs/cgroup/system.slice/docker-{container_id}.scope/cpu.stat",
                         1e-6)):
        try:
            text = Path(path).read_text()
        except OSError:
            continue
        value = text.split()[1] if text.startswith("usage_usec") else text.strip()
        return int(value) * scale
    return None


def settled(ids: list[str], window: float = 0.5) -> bool:
    """Whether each container's warm-up is over: under 2% of a CPU over ``window`` seconds."""
    before = [cpu_seconds(i) for i in ids]
    time.sleep(window)
    after = [cpu_seconds(i) for i in ids]
    return all(b is None or a is None or a - b < 0.02 * window
               for b, a in zip(before, after, strict=True))


def wait_pools(image: str, count: int, timeout: float = 300) -> None:
    """Until the workers' pools hold ``count`` containers of ``image`` in all, started and with
    their warm-up over, as a job arriving at an idle platform finds them."""
    deadline = time.monotonic() + timeout
    while True:
        ids = pooled_ids(image)
        if len(ids) >= count and settled(ids):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"the worker pools did not fill and settle: {len(ids)} of "
                               f"{count} containers of {image} ready")
        time.sleep(0.2)


@contextmanager
def running_platform(workers: int, assignments_dir: Path | None = None) -> Iterator[Platform]:
    """`reciprocal serve --workers N` on loopback with its own data directory, the assignments
    of `assignments_dir` (default: the repository's) synced. The grading settings the bench
    made (RECIPROCAL_RUNNER_RUNTIME, RECIPROCAL_RUNNER_POOL_SIZE...) are handed to it."""
    folder = Path(tempfile.mkdtemp(prefix="reciprocal-bench-"))
    settings = {k: v for k, v in os.environ.items()
                if k.startswith("RECIPROCAL_RUNNER_") or k == "RECIPROCAL_BUILD_NETWORK"}
    settings["RECIPROCAL_PROXY_FIX"] = "1"  # see BenchCandidate
    if assignments_dir is not None:
        settings["RECIPROCAL_ASSIGNMENTS_DIR"] = str(assignments_dir)
    served = served_platform(folder, **settings).start("--workers", str(workers))
    try:
        yield Platform(served, folder, assignments_dir)
    finally:
        # SIGTERM: the workers finish their job and remove their pools (slow on a busy machine)
        served.stop(timeout=300)
        shutil.rmtree(folder, ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
