"""The hidden tests' collected ids, kept in Redis per runner image and hidden tests.

The harness compares the ids a run reports with the ids collected from the hidden tests alone,
in a pytest process that never imported candidate code (runners/harness/pytest_boot.py). That
collection is a second pytest start in every run (0.6 to 1.2 s under gVisor), yet its result
depends only on the hidden tests and on the image (pytest's version), never on the submission.
So the first run of a pair (image, hidden tests) stores the ids it collected (reported by the
harness over its own pipe, out of the candidate's reach), and later runs of the same pair hand
them to the harness in the payload's header, which then skips the collection.

Redis, not the worker's memory: every worker reads the same entry, and no process keeps state
of its own. Sentinel ids are never stored (they are derived from each run's nonce); an entry
lives 30 days, and a changed test or a rebuilt image is another key.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
PREFIX = "reciprocal:collected-ids:"
TTL_SECONDS = 30 * 24 * 3600
MAX_BYTES = 512 * 1024  # a suite this large is collected in each run (the header stays small)
LANGUAGES = ("python",)  # go and node read their tests from the sources (runner scan)


def tests_digest(hidden: Path) -> str:
    """A digest of the hidden tests folder: every file's relative path and content."""
    digest = hashlib.sha256()
    for path in sorted(p for p in hidden.rglob("*") if p.is_file() and not p.is_symlink()):
        digest.update(str(path.relative_to(hidden)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class CollectedIds:
    """Get and put the collected ids of one (image, language, hidden tests) in Redis; any
    Redis failure means "not known", so grading never depends on the cache."""

    def __init__(self, connection: Redis) -> None:
        self.connection = connection

    @staticmethod
    def key(image_digest: str, language: str, hidden: Path) -> str:
        return f"{PREFIX}{language}:{image_digest}:{tests_digest(hidden)}"

    def get(self, key: str) -> list[str] | None:
        try:
            raw: Any = self.connection.get(key)
        except RedisError as exc:
            log.warning("collected ids unavailable (%s): the run collects them itself", exc)
            return None
        if not raw:
            return None
        try:
            ids = json.loads(raw)
        except ValueError:
            return None
        return [str(i) for i in ids] if isinstance(ids, list) else None

    def put(self, key: str, ids: list[str]) -> None:
        data = json.dumps(ids)
        if len(data) > MAX_BYTES:
            return
        try:
            self.connection.set(key, data, ex=TTL_SECONDS)
        except RedisError as exc:
            log.warning("could not keep the collected ids (%s)", exc)
