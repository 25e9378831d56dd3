"""Sentinel tests: tests whose outcome is known in advance, named from the run's nonce.

reciprocal.runner.integrity derives the same names on the worker, which checks them.
"""

from __future__ import annotations

import hashlib
import hmac

SENTINELS = 2  # of each kind: must fail, must pass


def sentinel_names(nonce: str, language: str) -> tuple[list[str], list[str]]:
    """Names of the run's must-fail and must-pass sentinel tests, derived from the nonce."""

    def name(kind: str, index: int) -> str:
        digest = hmac.new(nonce.encode(), f"{language}:{kind}:{index}".encode(), hashlib.sha256)
        return digest.hexdigest()[:16]

    return (
        [name("fail", i) for i in range(SENTINELS)],
        [name("pass", i) for i in range(SENTINELS)],
    )
