"""What `reciprocal serve` runs: the embedded platform's children, handed to the supervisor.

Imports no model and builds no app: this runs in the supervisor process, which forks.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from .config import private_file, setting
from .core.local_redis import private_redis
from .supervisor import STATE_ENV, ChildSpec, Supervisor, redis_answers


def serve_tree(host: str, port: int, *, rq_workers: int, web_workers: int,
               maintenance_every: int, echo: Callable[[str], None]) -> int:
    """Start Redis (unless RECIPROCAL_REDIS_URL is set), gunicorn, the RQ workers and the
    maintenance process, and supervise them until SIGTERM; returns the exit status."""
    data_dir = setting("RECIPROCAL_DATA_DIR")
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["RECIPROCAL_BASE_URL"] = setting("RECIPROCAL_BASE_URL")
    env["RECIPROCAL_DATA_DIR"] = str(data_dir)
    state_file = data_dir / "run" / "serve.json"
    env[STATE_ENV] = str(state_file)
    specs: list[ChildSpec] = []
    if not setting("RECIPROCAL_REDIS_URL"):
        redis = private_redis(data_dir)
        env["RECIPROCAL_REDIS_URL"] = redis.url
        specs.append(ChildSpec("redis", redis.argv, env, stop_timeout=20,
                               ready=redis_answers(redis.socket), wakes_maintenance=True))
    if not setting("RECIPROCAL_WORKER_TOKEN"):
        env["RECIPROCAL_WORKER_TOKEN"] = worker_token(data_dir)
    specs.append(ChildSpec(
        "web",
        [sys.executable, "-m", "gunicorn", "--config", "python:reciprocal.gunicorn_conf",
         "reciprocal:create_app()"],
        {**env, "WEB_BIND": f"{host}:{port}", "WEB_CONCURRENCY": str(max(1, web_workers))},
        stop_timeout=40,  # above gunicorn's graceful_timeout: requests drain
    ))
    for index in range(rq_workers):
        specs.append(ChildSpec(
            f"worker-{index + 1}",
            [sys.executable, "-m", "reciprocal.cli", "worker", "--name-prefix",
             f"serve-{os.getpid()}-{index + 1}"],
            env,
            stop_timeout=30,
            wakes_maintenance=True,
        ))
    specs.append(ChildSpec(
        "maintenance",
        [sys.executable, "-m", "reciprocal.cli", "maintenance", "--every",
         str(maintenance_every)],
        env,
        stop_timeout=15,
    ))
    echo(f"Reciprocal is serving on http://{host}:{port}/ "
         f"(public URL {env['RECIPROCAL_BASE_URL']})")
    return Supervisor(specs, state_file).run()


def worker_token(data_dir: Path) -> str:
    """The credential of the workers `serve` starts: made once, kept in the data directory
    (private from its creation; the first writer wins, see config.private_file)."""
    return private_file(data_dir / "worker_token", lambda: secrets.token_urlsafe(32))
