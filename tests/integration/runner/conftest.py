"""Fixtures for runner tests against the real Docker engine (no mocks).

Under CI=true a missing Docker engine fails the tests; elsewhere they are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import docker
import pytest

LABEL_FILTER = {"label": "app=reciprocal"}


@pytest.fixture(autouse=True)
def no_leftover_containers(docker_client: docker.DockerClient) -> Iterator[None]:
    """The runner tests' own containers are gone after each test. Those of a grading worker
    (which carry an installation label) belong to another installation sharing the engine."""

    def ours() -> set[str]:
        # The low-level listing: containers.list inspects each one and fails on a container
        # removed meanwhile (by another test's run or a pool on the same engine).
        return {c["Id"] for c in docker_client.api.containers(all=True, filters=LABEL_FILTER)
                if "reciprocal.installation" not in (c.get("Labels") or {})}

    before = ours()
    yield
    left = ours() - before
    assert not left, f"runner containers left behind: {sorted(left)}"


WriteTree = Callable[[str, dict[str, str]], Path]


@pytest.fixture
def tree(tmp_path: Path) -> WriteTree:
    """Write ``{relative path: text}`` under tmp_path/<name> and return that folder."""

    def write(name: str, files: dict[str, str]) -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return root

    return write
