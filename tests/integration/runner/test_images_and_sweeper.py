"""Image caching, orphan sweeping and infrastructure errors, against the real engine."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import docker
import pytest
from reciprocal.runner import (
    Limits,
    RunnerUnavailable,
    build_images,
    image_for,
    run_tests,
    sweep_orphans,
)
from reciprocal.runner.images import HASH_LABEL, runners_dir

pytestmark = pytest.mark.docker


def test_build_images_is_cached(
    runner_images: dict[str, str], docker_client: docker.DockerClient
) -> None:
    lines: list[str] = []
    again = build_images(progress=lines.append, client=docker_client)
    assert again == runner_images
    assert lines and all(line.endswith("is up to date") for line in lines), lines
    for language, tag in again.items():
        assert tag == image_for(language)
        assert tag.startswith(f"reciprocal-runner-{language}:")
        image = docker_client.images.get(tag)
        assert image.labels[HASH_LABEL] == tag.rsplit(":", 1)[1]


def test_tag_follows_the_build_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "runners"
    shutil.copytree(runners_dir(), copy)
    before = image_for("python")
    monkeypatch.setenv("RECIPROCAL_RUNNERS_DIR", str(copy))
    assert image_for("python") == before
    with (copy / "harness" / "reciprocal_harness" / "main.py").open("a") as harness:
        harness.write("\n# changed\n")
    assert image_for("python") != before


def test_missing_image_is_runner_unavailable(
    runner_images: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "runners"
    shutil.copytree(runners_dir(), copy)
    (copy / "python" / "Dockerfile").write_text(
        (copy / "python" / "Dockerfile").read_text() + "\n# never built\n"
    )
    monkeypatch.setenv("RECIPROCAL_RUNNERS_DIR", str(copy))
    with pytest.raises(RunnerUnavailable, match="is not built"):
        run_tests("python", tmp_path, tmp_path, Limits())


def test_unreachable_daemon_is_runner_unavailable(tmp_path: Path) -> None:
    client = docker.DockerClient(base_url=f"unix://{tmp_path}/no-docker.sock", version="1.41")
    with pytest.raises(RunnerUnavailable, match="not reachable"):
        run_tests("python", tmp_path, tmp_path, Limits(), client=client)
    with pytest.raises(RunnerUnavailable):
        sweep_orphans(client=client)


def test_sweep_orphans_only_of_its_own_installation(
    runner_images: dict[str, str], docker_client: docker.DockerClient
) -> None:
    ours, theirs = f"test-{uuid.uuid4().hex[:12]}", f"other-{uuid.uuid4().hex[:12]}"

    def leftover(job: str, installation: str) -> str:
        container = docker_client.containers.create(
            runner_images["python"],
            entrypoint=["true"],
            network_mode="none",
            labels={"app": "reciprocal", "reciprocal.job": job,
                    "reciprocal.installation": installation},
        )
        return str(container.id)

    orphan, live = leftover("job-orphan", ours), leftover("job-live", ours)
    # Another installation on the same engine, whose job our Redis knows nothing of.
    foreign = leftover("job-foreign", theirs)
    mine = [f"reciprocal.installation={ours}"]
    try:
        assert sweep_orphans({"job-live"}, client=docker_client, required_labels=mine) == 1
        remaining = {
            c.id
            for c in docker_client.containers.list(all=True, filters={"label": "app=reciprocal"})
        }
        assert orphan not in remaining and live in remaining and foreign in remaining
        assert sweep_orphans(None, client=docker_client, required_labels=mine) == 1
        assert sweep_orphans(None, client=docker_client, required_labels=mine) == 0
        assert docker_client.containers.get(foreign).labels["reciprocal.installation"] == theirs
    finally:
        sweep_orphans(None, client=docker_client,
                      required_labels=[f"reciprocal.installation={theirs}"])
