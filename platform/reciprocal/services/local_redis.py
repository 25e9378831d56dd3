"""The private redis-server that `reciprocal serve` starts when RECIPROCAL_REDIS_URL is unset."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError


class RedisUnavailable(RuntimeError):
    pass


def start_private_redis(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start redis-server on a unix socket in the data dir; returns the process and its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisUnavailable(
            "redis-server is not installed: `apt-get install redis-server`, or set "
            "RECIPROCAL_REDIS_URL to an existing Redis"
        )
    folder = data_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(folder),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            str(folder / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"unix://{socket}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RedisUnavailable(f"redis-server exited; see {folder / 'redis.log'}")
        try:
            if Redis.from_url(url).ping():
                return proc, url
        except RedisError:
            time.sleep(0.1)
    proc.kill()
    raise RedisUnavailable("redis-server did not answer within 15 s")
