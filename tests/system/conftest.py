"""System tests: the real process tree of `reciprocal serve`, driven from outside.

Each test gets its own data directory and port. They need what `serve` needs: redis-server, a
Docker engine with the runner images, and git; under CI=true a missing one fails the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.served import Served, start_served
from tests.support.services import require

# The compose stack's tests run in scripts/compose-test.sh, which brings the stack up first.
collect_ignore = [] if (os.environ.get("RECIPROCAL_COMPOSE_URL")
                        or os.environ.get("RECIPROCAL_COMPOSE_PROJECT")) else ["test_compose.py"]


@pytest.fixture
def platform_ready(runner_images: dict[str, str]) -> dict[str, str]:
    require(shutil.which("redis-server") is not None, "redis-server")
    require(shutil.which("git") is not None, "git")
    return runner_images


@pytest.fixture
def served(tmp_path: Path, platform_ready: Any) -> Iterator[Served]:
    platform = start_served(tmp_path)
    yield platform
    platform.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/system/" in item.nodeid:
            item.add_marker(pytest.mark.system)
            item.add_marker(pytest.mark.slow)
