"""Runner images: where their build contexts live, their content-hashed tags, and building them.

A tag carries a hash of the build context (Dockerfile + harness + base image name), so a change
to either produces a new tag and ``build_images`` rebuilds only what changed.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import docker
from docker.errors import APIError, DockerException, ImageNotFound

from reciprocal.config import setting
from reciprocal.runner.errors import RunnerBuildError, RunnerUnavailable
from reciprocal.runner.languages import LANGUAGES, language_spec

DEFAULT_BASE_IMAGE = "reciprocal-base:bookworm"
HARNESS_DIR = "harness"
HASH_LABEL = "reciprocal.context-hash"
_IGNORED = {"__pycache__", ".pytest_cache"}


def runners_dir() -> Path:
    """The repository's ``runners/`` folder (RECIPROCAL_RUNNERS_DIR overrides)."""
    return Path(setting("RECIPROCAL_RUNNERS_DIR"))


def context_files(language: str) -> dict[str, Path]:
    """Build-context path -> source file: the language's folder plus the shared harness."""
    spec = language_spec(language)
    root = runners_dir()
    files: dict[str, Path] = {}
    for folder, prefix in ((root / spec.runner_dir, ""), (root / HARNESS_DIR, HARNESS_DIR + "/")):
        if not folder.is_dir():
            raise RunnerUnavailable(f"runner folder {folder} is missing")
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not _IGNORED.intersection(path.relative_to(folder).parts):
                files[prefix + path.relative_to(folder).as_posix()] = path
    if "Dockerfile" not in files:
        raise RunnerUnavailable(f"{root / spec.runner_dir / 'Dockerfile'} is missing")
    return files


def context_hash(language: str, base_image: str = DEFAULT_BASE_IMAGE) -> str:
    digest = hashlib.sha256(f"base={base_image}\n".encode())
    for name, path in sorted(context_files(language).items()):
        digest.update(f"{name}\0{path.stat().st_mode & 0o111:o}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def image_for(language: str, base_image: str = DEFAULT_BASE_IMAGE) -> str:
    """Tag of the runner image for ``language`` built from the current sources."""
    return f"reciprocal-runner-{language_spec(language).name}:{context_hash(language, base_image)}"


def docker_client(client: docker.DockerClient | None = None) -> docker.DockerClient:
    """The given client, or one from the environment (DOCKER_HOST...), checked with a ping."""
    try:
        if client is None:
            client = docker.from_env(timeout=60)
        client.ping()
    except (DockerException, OSError) as exc:
        raise RunnerUnavailable(f"the Docker engine is not reachable: {exc}") from exc
    return client


def build_images(
    languages: Iterable[str] | None = None,
    *,
    base_image: str = DEFAULT_BASE_IMAGE,
    progress: Callable[[str], None] = print,
    client: docker.DockerClient | None = None,
) -> dict[str, str]:
    """Build the base image if missing, then every runner image whose tag is missing.

    Returns language -> tag. Progress lines from the builds go to ``progress``.
    """
    client = docker_client(client)
    wanted = list(languages) if languages is not None else list(LANGUAGES)
    for language in wanted:
        language_spec(language)
    _ensure_base(client, base_image, progress)
    built: dict[str, str] = {}
    for language in wanted:
        tag = image_for(language, base_image)
        try:
            client.images.get(tag)
        except ImageNotFound:
            _build(client, language, tag, base_image, progress)
        else:
            progress(f"{language}: {tag} is up to date")
        built[language] = tag
    return built


def _ensure_base(
    client: docker.DockerClient, base_image: str, progress: Callable[[str], None]
) -> None:
    try:
        client.images.get(base_image)
        return
    except ImageNotFound:
        pass
    script = runners_dir() / "base" / "build-base.sh"
    progress(f"base image {base_image} is missing; building it with {script}")
    proc = subprocess.Popen(
        ["bash", str(script), base_image],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        progress(line.rstrip("\n"))
    if proc.wait() != 0:
        raise RunnerBuildError(f"building the base image {base_image} failed ({proc.returncode})")


def _build(
    client: docker.DockerClient,
    language: str,
    tag: str,
    base_image: str,
    progress: Callable[[str], None],
) -> None:
    progress(f"{language}: building {tag}")
    with tempfile.TemporaryDirectory(prefix="reciprocal-build-") as tmp:
        for name, source in context_files(language).items():
            target = Path(tmp) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        try:
            stream = client.api.build(
                path=tmp,
                tag=tag,
                buildargs={"BASE_IMAGE": base_image},
                labels={"app": "reciprocal", HASH_LABEL: tag.rsplit(":", 1)[1]},
                rm=True,
                forcerm=True,
                pull=False,
                decode=True,
            )
            for chunk in stream:
                if "error" in chunk:
                    raise RunnerBuildError(f"{language}: image build failed: {chunk['error']}")
                line = str(chunk.get("stream", "")).rstrip("\n")
                if line.strip():
                    progress(f"{language}: {line}")
        except APIError as exc:
            raise RunnerBuildError(f"{language}: image build failed: {exc}") from exc
    progress(f"{language}: built {tag}")
