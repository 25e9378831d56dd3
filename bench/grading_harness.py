"""Shared machinery for the grading benchmarks: a real platform (SQLite, a private Redis, the app
served on loopback) with real `reciprocal worker` processes, and the bare `docker run` baseline
of the same tests in the same runner image."""

from __future__ import annotations

import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
sys.path.insert(0, str(ROOT))

SLUG = "customer-directory"
PHASE_LINE = re.compile(r"run (?P<run>\d+) \w+ in (?P<total>[\d.]+) s \((?P<parts>[^)]*)\)"
                        r"(?:; in the container: (?P<inside>.*))?$")
WORKER_TOKEN = "bench-worker-token-" + "x" * 24


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
class Platform:
    app: object
    url: str
    redis_url: str
    workers: list[subprocess.Popen[bytes]]
    assignments_dir: Path | None = None
    logs: list[Path] = field(default_factory=list)

    def phases(self, run_ids: list[int]) -> dict[str, list[float]]:
        """Seconds per phase of the given runs, from the workers' logs (grading/worker.py
        PhaseTimes): the worker's phases, and the container's steps prefixed "container: "."""
        wanted = set(run_ids)
        found: dict[str, list[float]] = {}
        for path in self.logs:
            for line in path.read_text(errors="replace").splitlines():
                match = PHASE_LINE.search(line)
                if match is None or int(match["run"]) not in wanted:
                    continue
                found.setdefault("worker, total", []).append(float(match["total"]))
                for prefix, parts in (("", match["parts"]), ("container: ", match["inside"])):
                    for name, seconds in re.findall(r"([a-z ]+) ([\d.]+) s", parts or ""):
                        found.setdefault(prefix + name.strip(), []).append(float(seconds))
        return found

    def submit_many(self, count: int, slug: str = SLUG) -> list[int]:
        """Invite to `slug`, accept, start and upload its solution, `count` times; the ids of
        the invitations, ready to submit."""
        from reciprocal.candidates import operations as invitations
        from reciprocal.extensions import db

        from tests.support import factories

        payload = solution_zip(slug, self.assignments_dir)
        ids = []
        with self.app.app_context():  # type: ignore[attr-defined]
            role = factories.role()
            for index in range(count):
                new = invitations.invite(slug, role.id, f"Candidate {index}",
                                         f"c{index}@example.com", actor=None)
                invitations.accept_terms(new.invitation)
                invitations.start(new.invitation)
                invitations.upload(new.invitation, io.BytesIO(payload), "work.zip")
                ids.append(new.invitation.id)
            db.session.commit()
        return ids

    def submit(self, invitation_ids: list[int]) -> list[int]:
        from reciprocal.candidates import operations as invitations
        from reciprocal.extensions import db

        with self.app.app_context():  # type: ignore[attr-defined]
            runs = [invitations.submit(invitations.get(i)).grading_runs[0] for i in invitation_ids]
            db.session.commit()
            return [run.id for run in runs]

    def wait(self, run_ids: list[int], timeout: float = 1800) -> dict[int, tuple[str, float]]:
        """Poll until every run finished; returns status and queued->finished seconds."""
        from reciprocal.extensions import db
        from reciprocal.models import GradingRun

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.app.app_context():  # type: ignore[attr-defined]
                rows = db.session.query(GradingRun).filter(GradingRun.id.in_(run_ids)).all()
                if all(row.finished for row in rows):
                    return {row.id: (row.status, (row.finished_at - row.queued_at)
                                     .total_seconds()) for row in rows}
            time.sleep(0.05)
        raise TimeoutError("grading did not finish in time")


def pooled_ids(image: str, owners: list[str]) -> list[str]:
    """Pre-started containers of ``image`` that the pools of ``owners`` hold ready."""
    found = []
    for owner in owners:
        out = subprocess.run(["docker", "ps", "-q", "--no-trunc",
                              "--filter", f"label=reciprocal.pool={owner}",
                              "--filter", f"ancestor={image}"], capture_output=True, text=True)
        found += out.stdout.split()
    return found


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


def wait_pools(image: str, owners: list[str], per_owner: int, timeout: float = 300) -> None:
    """Until the pools of ``owners`` hold ``per_owner`` containers of ``image`` each, started
    and with their warm-up over, as a job arriving at an idle platform finds them."""
    deadline = time.monotonic() + timeout
    while True:
        ids = pooled_ids(image, owners)
        if len(ids) >= per_owner * len(owners) and settled(ids):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"the worker pools did not fill and settle: {len(ids)} of "
                               f"{per_owner * len(owners)} containers of {image} ready")
        time.sleep(0.2)


@contextmanager
def running_platform(workers: int, assignments_dir: Path | None = None) -> Iterator[Platform]:
    """The platform on loopback with `workers` real workers, the assignments of
    `assignments_dir` (default: the repository's) synced."""
    import logging

    from reciprocal import create_app
    from reciprocal.core.local_redis import start_private_redis
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    tmp = Path(tempfile.mkdtemp(prefix="reciprocal-bench-"))
    redis_proc, redis_url = start_private_redis(tmp)
    server = make_server("127.0.0.1", 0, None, threaded=True)  # type: ignore[arg-type]
    port = server.server_port
    app = create_app({"DATA_DIR": str(tmp / "data"), "BASE_URL": f"http://127.0.0.1:{port}",
                      "REDIS_URL": redis_url, "WORKER_TOKEN": WORKER_TOKEN,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      **({"ASSIGNMENTS_DIR": str(assignments_dir)} if assignments_dir else {})})
    server.app = app  # type: ignore[attr-defined]
    with app.app_context():
        from flask_migrate import upgrade
        from reciprocal.assignments import operations as assignments
        from reciprocal.extensions import db

        upgrade(revision="heads")
        assignments.sync_all()
        db.session.commit()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = dict(os.environ, RECIPROCAL_REDIS_URL=redis_url, RECIPROCAL_WORKER_TOKEN=WORKER_TOKEN,
               RECIPROCAL_BASE_URL=f"http://127.0.0.1:{port}",
               RECIPROCAL_SCRATCH_DIR=str(tmp / "scratch"))
    logs = [tmp / f"worker-{i}.log" for i in range(workers)]
    procs = [subprocess.Popen([sys.executable, "-m", "reciprocal.cli", "worker", "--queues",
                               "grading", "--name", f"bench-{i}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=logs[i].open("wb"))
             for i in range(workers)]
    time.sleep(2)
    try:
        yield Platform(app, f"http://127.0.0.1:{port}", redis_url, procs, assignments_dir, logs)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:  # a worker finishes its job and removes its pool first: slow on a busy machine
                proc.wait(300)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        server.shutdown()
        redis_proc.terminate()
        redis_proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
