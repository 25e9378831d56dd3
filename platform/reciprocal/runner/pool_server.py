"""The pool process: `python -m reciprocal.runner.pool_server`, started by `reciprocal worker`.

It owns one ContainerPool and answers its worker's work horses on a Unix socket (one JSON line
in: the PoolKey; out: the container id with its attach socket as SCM_RIGHTS, or ``{"id":
null}``). It never forks. It dies with its worker (PR_SET_PDEATHSIG) and on SIGTERM removes
every idle container; what a SIGKILL leaves behind the sweeper removes (its owner is gone).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from reciprocal.runner.engine import INSTALLATION_LABEL, container_options
from reciprocal.runner.errors import RunnerUnavailable
from reciprocal.runner.images import image_for
from reciprocal.runner.languages import LANGUAGES
from reciprocal.runner.limits import Limits
from reciprocal.runner.pool import ContainerPool, PoolKey, hand_over
from reciprocal.runner.runtime import configured_runtime
from reciprocal.supervisor import die_with_parent

log = logging.getLogger("reciprocal.pool")
READY_SECONDS = 30.0


def warm_keys() -> list[PoolKey]:
    """Every runner image with the default limits (the limits of every shipped assignment);
    other limits are learned from the first job that asks for them."""
    runtime = configured_runtime()
    keys = []
    for language in LANGUAGES:
        try:
            keys.append(PoolKey(language, image_for(language), Limits(), runtime))
        except RunnerUnavailable as exc:
            log.warning("no pool for %s: %s", language, exc)
    return keys


def serve(pool: ContainerPool, path: Path, stop: threading.Event) -> None:
    """Answer work horses on ``path`` until ``stop`` is set."""
    if path.exists():
        path.unlink()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        path.chmod(0o600)
        server.listen(16)
        server.settimeout(0.5)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                _answer(pool, conn)
    path.unlink(missing_ok=True)


def _answer(pool: ContainerPool, conn: socket.socket) -> None:
    conn.settimeout(5)
    try:
        line = conn.makefile("rb").readline(4096)
        key = PoolKey.from_json(json.loads(line))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("refused a malformed pool request: %s", exc)
        return
    pooled = pool.take(key)
    try:
        hand_over(conn, pooled)
    except OSError:
        if pooled is not None:  # the horse went away: the container is nobody's now
            pool.discard(pooled)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--owner", required=True, help="the worker's name")
    parser.add_argument("--installation", required=True)
    parser.add_argument("--socket", required=True, type=Path)
    parser.add_argument("--parent", type=int, default=0, help="exit if this pid is gone")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    die_with_parent(signal.SIGTERM)
    if args.parent and os.getppid() != args.parent:
        return 1  # the worker died before the request took effect
    stop = threading.Event()

    def on_term(_sig: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    pool = ContainerPool(args.owner, container_options,
                         {INSTALLATION_LABEL: args.installation})
    for key in warm_keys():
        pool.want(key)
    pool.start()
    try:
        serve(pool, args.socket, stop)
    finally:
        pool.stop()
    return 0


def start_pool_process(owner: str, installation: str, path: Path) -> subprocess.Popen[bytes]:
    """Start the pool process for worker ``owner`` and wait until its socket answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reciprocal.runner.pool_server", "--owner", owner,
         "--installation", installation, "--socket", str(path), "--parent", str(os.getpid())],
        start_new_session=True,  # not in the worker's group: a group kill must let it clean up
    )
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists():
            return process
        time.sleep(0.05)
    return process


if __name__ == "__main__":
    sys.exit(main())
