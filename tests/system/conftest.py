"""System tests: the real process tree of `reciprocal serve`, driven from outside.

`served` is one platform shared by the tests of a module (starting one takes seconds): each test
makes its own roles, invitations and users on it, and none kills a child or stops the server.
A test that kills Redis, a worker or the maintenance process, stops the server or starts it with
settings of its own has a platform of its own (`own_served`, or `served_platform` for other
settings). They need what `serve` needs: redis-server, a Docker engine with the runner images,
and git; under CI=true a missing one fails the test.
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


@pytest.fixture(scope="session")
def platform_ready(runner_images: dict[str, str]) -> dict[str, str]:
    require(shutil.which("redis-server") is not None, "redis-server")
    require(shutil.which("git") is not None, "git")
    return runner_images


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, platform_ready: Any) -> Iterator[Served]:
    """One running platform for the tests of this module."""
    platform = start_served(tmp_path_factory.mktemp("served"))
    yield platform
    platform.stop()


@pytest.fixture
def own_served(tmp_path: Path, platform_ready: Any) -> Iterator[Served]:
    """A running platform for this test alone (it kills children or stops the server)."""
    platform = start_served(tmp_path / "platform")
    yield platform
    platform.stop()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/system/" in item.nodeid:
            item.add_marker(pytest.mark.system)
            item.add_marker(pytest.mark.slow)
