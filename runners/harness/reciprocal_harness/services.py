"""Services an assignment declares (``[[services]]``: PostgreSQL, Redis), started inside the
grading container before the tests and gone with it.

Each runs as ``SERVICES_UID`` from the environment's own Debian packages, listening on loopback
and on a Unix socket in /work/.services/run: the container keeps no network. PostgreSQL's
superuser is reachable only by the services uid (peer authentication); the submission and the
tests connect as the role ``app``, owner of the database ``app``, so the candidate's code never
holds a superuser (which could run programs as the services uid). The connection settings go to
the test command's environment: DATABASE_URL and PG* for PostgreSQL, REDIS_URL for Redis.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .child import become
from .layout import BASE_ENV, SERVICES_DIR, SERVICES_UID
from .protocol import HarnessError

RUN_DIR = SERVICES_DIR / "run"
PG_PORT = 5432
REDIS_PORT = 6379
READY_SECONDS = 60
# Where an environment's image may keep an initialised PostgreSQL cluster (made at build time
# with `run_harness.py --prepare postgresql`): copying it is faster than initdb per run.
PG_TEMPLATE = Path("/opt/reciprocal-services/postgresql")


@dataclass
class Started:
    env: dict[str, str]
    description: str


def start_all(kinds: list[str], deadline: float) -> dict[str, str]:
    """Start every declared service; the environment variables the tests and the submission
    get. A service that cannot start is a HarnessError naming it, with its log's tail."""
    if not kinds:
        return {}
    for folder, mode in ((SERVICES_DIR, 0o755), (RUN_DIR, 0o755)):
        folder.mkdir(mode=mode, exist_ok=True)
        os.chmod(folder, mode)
    os.chown(RUN_DIR, SERVICES_UID, SERVICES_UID)
    env: dict[str, str] = {}
    for kind in kinds:
        starter = STARTERS.get(kind)
        if starter is None:
            raise HarnessError(f"unknown service {kind!r}; known: {', '.join(sorted(STARTERS))}")
        env.update(starter(deadline).env)
    return env


def _spawn(cmd: list[str], log: Path, cwd: Path = SERVICES_DIR) -> subprocess.Popen[bytes]:
    handle = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
    try:
        return subprocess.Popen(cmd, cwd=cwd, env=dict(BASE_ENV, HOME=str(SERVICES_DIR)),
                                stdin=subprocess.DEVNULL, stdout=handle, stderr=handle,
                                close_fds=True, start_new_session=True,
                                preexec_fn=lambda: become(SERVICES_UID))
    finally:
        os.close(handle)


def _run(cmd: list[str], deadline: float) -> subprocess.CompletedProcess[str]:
    cwd = SERVICES_DIR if SERVICES_DIR.is_dir() else Path("/")
    return subprocess.run(cmd, cwd=cwd, env=dict(BASE_ENV, HOME=str(SERVICES_DIR)),
                          capture_output=True, text=True, check=False,
                          timeout=max(1.0, deadline - time.monotonic()),
                          preexec_fn=lambda: become(SERVICES_UID))


def _wait(ready: Callable[[], bool], what: str, log: Path, deadline: float,
          process: subprocess.Popen[bytes]) -> None:
    limit = min(deadline, time.monotonic() + READY_SECONDS)
    while not ready():
        if process.poll() is not None or time.monotonic() > limit:
            raise HarnessError(f"the {what} service did not start: {_tail(log)}")
        time.sleep(0.05)


def _tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-1500:].strip() or "(no output)"
    except OSError:
        return "(no log)"


def _owned_folder(path: Path) -> Path:
    path.mkdir(mode=0o700, exist_ok=True)
    os.chmod(path, 0o700)
    os.chown(path, SERVICES_UID, SERVICES_UID)
    return path


def _tcp_ready(port: int) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            return False
        return True

    return ready


def _pg_ready(binaries: Path) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            return _run([str(binaries / "pg_isready"), "-q", "-h", str(RUN_DIR),
                         "-p", str(PG_PORT), "-U", "services", "-d", "postgres"],
                        time.monotonic() + 5).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    return ready


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if not found:
        raise HarnessError("the assignment declares a PostgreSQL service but its environment "
                           "has no PostgreSQL: install the postgresql package in its Dockerfile")
    return Path(found[-1]).parent


def initialise_postgresql(data: Path) -> None:
    """initdb as the services uid: its superuser by peer authentication only, the role `app`
    with no password on loopback and the socket."""
    binaries = _postgres_bin()
    done = _run([str(binaries / "initdb"), "-D", str(data), "-U", "services", "-E", "UTF8",
                 "--locale=C", "--no-sync", "--auth-local=peer", "--auth-host=reject"],
                time.monotonic() + 120)
    if done.returncode != 0:
        raise HarnessError(f"initdb failed: {(done.stdout + done.stderr)[-1500:]}")
    (data / "pg_hba.conf").write_text(
        "local all services peer\nlocal all app trust\nhost all app 127.0.0.1/32 trust\n")


def start_postgresql(deadline: float) -> Started:
    binaries = _postgres_bin()
    data = SERVICES_DIR / "postgresql"
    if PG_TEMPLATE.is_dir():
        shutil.copytree(PG_TEMPLATE, data, symlinks=True)
        os.chmod(data, 0o700)  # while root's: root cannot change the mode of another's file
        for dirpath, _dirnames, filenames in os.walk(data, topdown=False):  # the top last
            for name in filenames:
                os.lchown(os.path.join(dirpath, name), SERVICES_UID, SERVICES_UID)
            os.chown(dirpath, SERVICES_UID, SERVICES_UID)
    else:
        _owned_folder(data)
        initialise_postgresql(data)
    log = SERVICES_DIR / "postgresql.log"
    process = _spawn([str(binaries / "postgres"), "-D", str(data), "-k", str(RUN_DIR),
                      "-c", "listen_addresses=127.0.0.1", "-c", f"port={PG_PORT}",
                      "-c", "fsync=off", "-c", "synchronous_commit=off",
                      "-c", "full_page_writes=off", "-c", "shared_buffers=32MB",
                      "-c", "max_connections=60", "-c", "dynamic_shared_memory_type=mmap"], log)
    _wait(_tcp_ready(PG_PORT), "PostgreSQL", log, deadline, process)
    # The port accepts before the server does ("the database system is starting up"), which
    # under gVisor lasts long enough for the psql below to fail: wait until it accepts.
    _wait(_pg_ready(binaries), "PostgreSQL", log, deadline, process)
    made = _run([str(binaries / "psql"), "-h",
                 str(RUN_DIR), "-p", str(PG_PORT), "-U", "services", "-d", "postgres", "-q",
                 "-v", "ON_ERROR_STOP=1", "-c", "CREATE ROLE app LOGIN CREATEDB",
                 "-c", "CREATE DATABASE app OWNER app"], deadline)
    if made.returncode != 0:
        raise HarnessError(f"PostgreSQL's database could not be made: {made.stderr[-800:]}")
    return Started(env={
        "DATABASE_URL": f"postgresql://app@127.0.0.1:{PG_PORT}/app",
        "PGHOST": "127.0.0.1", "PGPORT": str(PG_PORT), "PGUSER": "app", "PGDATABASE": "app",
    }, description=f"PostgreSQL on 127.0.0.1:{PG_PORT} and {RUN_DIR}")


def start_redis(deadline: float) -> Started:
    data = _owned_folder(SERVICES_DIR / "redis")
    log = SERVICES_DIR / "redis.log"
    process = _spawn(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1",
                      "--unixsocket", str(RUN_DIR / "redis.sock"), "--unixsocketperm", "777",
                      "--save", "", "--appendonly", "no", "--dir", str(data),
                      "--protected-mode", "no"], log)
    _wait(_tcp_ready(REDIS_PORT), "Redis", log, deadline, process)
    return Started(env={"REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0"},
                   description=f"Redis on 127.0.0.1:{REDIS_PORT}")


def prepare(kinds: list[str]) -> int:
    """``run_harness.py --prepare postgresql``, run as root in an environment's Dockerfile: an
    initialised cluster in the image (PG_TEMPLATE), so that a run copies it instead of running
    initdb (seconds under gVisor)."""
    for kind in kinds:
        if kind != "postgresql":
            print(f"nothing to prepare for {kind!r}", file=sys.stderr)
            return 2
        PG_TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        _owned_folder(PG_TEMPLATE)
        initialise_postgresql(PG_TEMPLATE)
        # Readable by the harness (root with no override of file modes) to copy it; a run's
        # copy is the services uid's own, 0700, as PostgreSQL wants. It holds no secret.
        for dirpath, _dirnames, filenames in os.walk(PG_TEMPLATE):
            os.chmod(dirpath, 0o755)  # noqa: S103 - a template, copied per run
            for name in filenames:
                os.chmod(os.path.join(dirpath, name), 0o644)
    return 0


STARTERS: dict[str, Callable[[float], Started]] = {
    "postgresql": start_postgresql,
    "redis": start_redis,
}
