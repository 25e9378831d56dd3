"""Environment builds the workers did or are doing, kept in Redis for the admin's assignments
page (Environment builds) and `/readyz` (`checks.runner_engine.builds`): which image, for which
assignment, by which worker, when, and how it ended (with the failing step's output). Nothing
here imports the ORM: the worker process uses it."""

from __future__ import annotations

import json
import time
from typing import Any

from redis import Redis

KEY = "reciprocal:environment-builds"
KEEP = 50


def record(connection: Redis, tag: str, **fields: Any) -> None:
    """Note a build's state (``state``: building, built or failed; ``slug``, ``worker``,
    ``detail``); the oldest entries beyond KEEP are dropped."""
    entry = {"tag": tag, "at": time.time(), **fields}
    connection.hset(KEY, tag, json.dumps(entry))
    entries = connection.hgetall(KEY)
    if len(entries) > KEEP:
        oldest = sorted(entries, key=lambda k: json.loads(entries[k]).get("at", 0))
        connection.hdel(KEY, *oldest[: len(entries) - KEEP])


def recent(connection: Redis, limit: int = 10) -> list[dict[str, Any]]:
    """The latest builds, newest first."""
    found = [json.loads(raw) for raw in connection.hgetall(KEY).values()]
    for entry in found:
        entry["when"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime(entry.get("at", 0)))
    return sorted(found, key=lambda e: e.get("at", 0), reverse=True)[:limit]
