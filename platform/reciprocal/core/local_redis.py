"""The private redis-server that `reciprocal serve` starts when RECIPROCAL_REDIS_URL is unset."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError


class RedisUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class PrivateRedis:
    """How to run it: on a unix socket in the data directory (reachable by nothing else), with
    every write appended and fsynced (`appendfsync always`), so queued jobs survive a crash of
    redis-server; the reconciler covers anything else."""

    argv: list[str]
    socket: Path
    folder: Path

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"


def private_redis(data_dir: Path) -> PrivateRedis:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisUnavailable(
            "redis-server is not installed: `apt-get install redis-server`, or set "
            "RECIPROCAL_REDIS_URL to an existing Redis"
        )
    folder = data_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    argv = [
        binary,
        "--port", "0",
        "--unixsocket", str(socket),
        "--unixsocketperm", "700",
        "--dir", str(folder),
        "--appendonly", "yes",
        "--appendfsync", "always",
        "--save", "",
        "--daemonize", "no",
        "--logfile", str(folder / "redis.log"),
    ]
    return PrivateRedis(argv, socket, folder)


def start_private_redis(data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start one outside a supervisor (the benchmarks); returns the process and its URL."""
    spec = private_redis(data_dir)
    proc = subprocess.Popen(spec.argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RedisUnavailable(f"redis-server exited; see {spec.folder / 'redis.log'}")
        try:
            if Redis.from_url(spec.url).ping():
                return proc, spec.url
        except RedisError:
            time.sleep(0.1)
    proc.kill()
    raise RedisUnavailable("redis-server did not answer within 15 s")
