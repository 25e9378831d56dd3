"""Image caching, orphan sweeping and infrastructure errors, against the real engine."""

from __future__ import annotations

import contextlib
import io
import shutil
import uuid
from pathlib import Path
from typing import Any

import docker
import pytest
from docker.errors import ImageNotFound
from reciprocal.cli import main
from reciprocal.runner import (
    Limits,
    RunnerUnavailable,
    build_images,
    image_for,
    run_tests,
    sweep_orphans,
)
from reciprocal.runner.images import DEFAULT_BASE_IMAGE, HASH_LABEL, runners_dir

from tests.support.paths import ASSIGNMENTS

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


def test_prune_removes_the_images_of_earlier_code_and_keeps_what_is_current_or_used(
    runner_images: dict[str, str], docker_client: docker.DockerClient, runner: Any
) -> None:
    """`reciprocal runners prune`, on the real engine: a stale runner tag, a stale name on the
    current image, an untagged image of ours, and the older images of an environment whose
    sources are not in the folder go; the current images, the newest of that environment and
    an image a stopped container uses stay."""
    probe = uuid.uuid4().hex[:12]

    def built(tag: str | None, note: str) -> str:
        dockerfile = f"FROM {DEFAULT_BASE_IMAGE}\nLABEL app=reciprocal probe={probe}-{note}\n"
        image, _logs = docker_client.images.build(fileobj=io.BytesIO(dockerfile.encode()),
                                                  tag=tag, pull=False, rm=True)
        return str(image.id)

    python = runner_images["python"]
    alias = "reciprocal-runner-python:0000alias000"
    docker_client.images.get(python).tag(alias)
    stale = f"reciprocal-runner-python:{probe}"
    stale_id = built(stale, "stale")
    untagged_id = built(None, "untagged")
    used = f"reciprocal-runner-go:{probe}"
    container = docker_client.containers.create(built(used, "used"), entrypoint=["true"],
                                                network_mode="none")
    library = f"reciprocal-env-prune-probe-{probe}"
    for version in ("a", "b", "c"):
        built(f"{library}:{version}", version)
    created = {tag: raw["Created"]
               for raw in docker_client.api.images(name=library) for tag in raw["RepoTags"]}
    newest = max(created, key=lambda tag: (created[tag], tag))
    try:
        dry = runner.invoke(main, ["runners", "prune", "--dry-run", "--path", str(ASSIGNMENTS)])
        assert dry.exit_code == 0, dry.output
        for name in (alias, stale, untagged_id, *(set(created) - {newest})):
            assert f"would remove {name}\n" in dry.output
        assert docker_client.images.get(stale).id == stale_id  # a dry run removes nothing

        done = runner.invoke(main, ["runners", "prune", "--path", str(ASSIGNMENTS)])
        assert done.exit_code == 0, done.output
        assert "now take" in done.output
        for gone in (alias, stale, untagged_id, *(set(created) - {newest})):
            with pytest.raises(ImageNotFound):
                docker_client.images.get(gone)
        assert docker_client.images.get(python).tags  # the current image lost only its alias
        assert alias not in docker_client.images.get(python).tags
        for kept in (*runner_images.values(), DEFAULT_BASE_IMAGE, used, newest):
            docker_client.images.get(kept)
        assert f"kept {container.image.id[:19]}: a container uses it" in done.output
    finally:
        container.remove(force=True)
        for name in (used, *created):
            with contextlib.suppress(ImageNotFound):
                docker_client.images.remove(name)
