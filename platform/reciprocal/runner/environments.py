"""Assignment environments: an image per assignment, built from its ``environment/`` folder
FROM its runner's image (which carries the harness), with everything the stack needs installed
at build time. Grading never installs anything and never has a network.

The tag is a hash of everything the build reads: the runner image's own tag (itself a hash of
its Dockerfile, the harness and the base), every file of the environment folder with its mode,
and the CA bundle handed to the build. An unchanged environment is never rebuilt; a changed one
always is. The build context gets ``reciprocal-ca.crt``: this host's CA bundle, so that pip and
npm can reach PyPI and the npm registry through a TLS-intercepting proxy (``--cert``,
``--cafile``); a Dockerfile removes it in the layer that used it.

One build at a time per Docker engine (a lock file per engine on this host): two workers that
lack the same image build it once. A build that fails raises RunnerBuildError with the failing
step and its last lines of output.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path

import docker
from docker.errors import APIError, ImageNotFound

from reciprocal.config import setting
from reciprocal.runner.errors import RunnerBuildError
from reciprocal.runner.images import (
    DEFAULT_BASE_IMAGE,
    HASH_LABEL,
    build_images,
    docker_client,
    image_for,
)

CA_NAME = "reciprocal-ca.crt"
SLUG_LABEL = "reciprocal.environment"
TAIL_LINES = 60
_IGNORED = {"__pycache__", ".pytest_cache", "node_modules", ".git", ".DS_Store"}


def ca_bundle() -> bytes:
    """The CA bundle handed to builds (RECIPROCAL_BUILD_CA_FILE, else this host's), or none."""
    try:
        return Path(setting("RECIPROCAL_BUILD_CA_FILE")).read_bytes()
    except OSError:
        return b""


def context_files(folder: Path) -> dict[str, Path]:
    """The environment folder's files by their path in the build context."""
    if not (folder / "Dockerfile").is_file():
        raise RunnerBuildError(f"{folder} has no Dockerfile")
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if _IGNORED.intersection(rel.parts) or path.is_symlink() or not path.is_file():
            continue
        found[rel.as_posix()] = path
    if CA_NAME in found:
        raise RunnerBuildError(f"{folder}/{CA_NAME} is reserved for the build's CA bundle")
    return found


def environment_tag(slug: str, folder: Path, runner: str,
                    base_image: str = DEFAULT_BASE_IMAGE) -> str:
    """``reciprocal-env-<slug>:<hash>`` of everything the build reads."""
    digest = hashlib.sha256(f"runner={image_for(runner, base_image)}\n".encode())
    for name, path in context_files(folder).items():
        digest.update(f"{name}\0{path.stat().st_mode & 0o111:o}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(hashlib.sha256(ca_bundle()).digest())
    return f"reciprocal-env-{slug}:{digest.hexdigest()[:12]}"


@contextlib.contextmanager
def engine_lock(client: docker.DockerClient) -> Iterator[None]:
    """One environment build at a time per Docker engine, among this host's processes."""
    info = client.info()
    # Two sockets of one engine share both; two engines on one host may share the id (taken
    # from /etc/docker/key.json) but never the data root.
    engine = f"{info.get('ID', '')}\0{info.get('DockerRootDir', '')}"
    name = hashlib.sha256(engine.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"reciprocal-build-{name}.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_environment(slug: str, folder: Path, runner: str, *,
                       client: docker.DockerClient | None = None,
                       progress: Callable[[str], None] = print,
                       base_image: str = DEFAULT_BASE_IMAGE,
                       events: Callable[[str], None] | None = None) -> str:
    """The environment's tag, built first when this engine lacks it; ``events`` hears
    "building" and "built" around a build this call does."""
    client = docker_client(client)
    tag = environment_tag(slug, folder, runner, base_image)
    if _present(client, tag):
        return tag
    build_images([runner], base_image=base_image, progress=progress, client=client)
    with engine_lock(client):
        if _present(client, tag):  # built by another process while this one waited
            return tag
        if events is not None:
            events("building")
        _build(client, slug, folder, runner, tag, base_image, progress)
        if events is not None:
            events("built")
    return tag


def _present(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except ImageNotFound:
        return False
    return True


def _build(client: docker.DockerClient, slug: str, folder: Path, runner: str, tag: str,
           base_image: str, progress: Callable[[str], None]) -> None:
    progress(f"{slug}: building the environment {tag} FROM {image_for(runner, base_image)}")
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    step = ""
    with tempfile.TemporaryDirectory(prefix="reciprocal-env-") as tmp:
        for name, source in context_files(folder).items():
            target = Path(tmp) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        (Path(tmp) / CA_NAME).write_bytes(ca_bundle())
        try:
            stream = client.api.build(
                path=tmp, tag=tag, rm=True, forcerm=True, pull=False, decode=True,
                network_mode=setting("RECIPROCAL_BUILD_NETWORK") or None,
                buildargs={"RUNNER_BASE": image_for(runner, base_image)},
                labels={"app": "reciprocal", HASH_LABEL: tag.rsplit(":", 1)[1],
                        SLUG_LABEL: slug})
            for chunk in stream:
                if "error" in chunk:
                    raise RunnerBuildError(
                        f"{slug}: the environment's build failed at {step or 'its start'}: "
                        f"{chunk['error'].strip()}\n" + "\n".join(tail))
                for line in str(chunk.get("stream", "")).splitlines():
                    if line.startswith("Step "):
                        step = line.strip()
                    if line.strip():
                        tail.append(line)
                        progress(f"{slug}: {line}")
        except APIError as exc:
            raise RunnerBuildError(f"{slug}: the environment's build failed: {exc}") from exc
    progress(f"{slug}: built {tag}")
