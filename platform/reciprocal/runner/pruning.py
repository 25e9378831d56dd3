"""Removing the runner and environment images of earlier code.

Every image's tag is a hash of what its build reads, so a change to the harness, a runner's
Dockerfile or an environment's files gives it a new tag and leaves the old image on the engine.
Nothing uses the old one again; each is a few hundred megabytes to a gigabyte and a half, and on
a machine that builds often they fill the disk. Pruning removes them:

- a ``reciprocal-runner-<language>`` image whose tag is not the current sources' tag;
- a ``reciprocal-env-<slug>`` image of an assignment in the assignments folder whose tag is not
  the folder's current tag;
- for any other environment (an assignment authored in the platform's library, a scaffold), every
  image but the most recently built one of its repository: its sources are not on this host, so
  the newest stands for the current one;
- untagged images this platform built (label ``app=reciprocal``), left by a rebuilt tag.

An image that a container uses (a pooled or running grading container, even a stopped one) is
kept, and so is the base image. Images are removed by tag, so an image that also carries a tag
pruning keeps loses only the stale name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import docker
from docker.errors import APIError, ImageNotFound

from reciprocal.runner.environments import environment_tag
from reciprocal.runner.images import DEFAULT_BASE_IMAGE, docker_client, image_for
from reciprocal.runner.languages import LANGUAGES

RUNNER_REPOSITORY = "reciprocal-runner-"
ENVIRONMENT_REPOSITORY = "reciprocal-env-"
UNTAGGED = "<none>:<none>"  # how the engine lists an image without a tag


@dataclass(frozen=True)
class EngineImage:
    """What pruning needs to know of one image on the engine."""

    id: str
    tags: tuple[str, ...]
    created: int  # seconds since the epoch
    built_here: bool  # carries the label app=reciprocal


@dataclass
class PrunePlan:
    """The names to remove (tags, or ids of untagged images) and the ids kept because a
    container uses them."""

    remove: list[str] = field(default_factory=list)
    in_use: list[str] = field(default_factory=list)


def plan_prune(images: Iterable[EngineImage], current: set[str], known_slugs: set[str],
               used_ids: set[str]) -> PrunePlan:
    """Which names to remove: see the module's rules. ``current`` is every tag the sources on
    this host build today; ``known_slugs`` the environments those sources describe."""
    plan = PrunePlan()
    newest: dict[str, tuple[int, str]] = {}  # repository -> (created, tag) of an unknown env
    candidates: list[tuple[EngineImage, str]] = []
    for image in images:
        if not image.tags:
            if image.built_here:
                candidates.append((image, image.id))
            continue
        for tag in image.tags:
            repository = tag.rsplit(":", 1)[0]
            if tag in current:
                continue
            if repository.startswith(RUNNER_REPOSITORY):
                candidates.append((image, tag))
            elif repository.startswith(ENVIRONMENT_REPOSITORY):
                if repository[len(ENVIRONMENT_REPOSITORY):] not in known_slugs:
                    if (image.created, tag) > newest.get(repository, (-1, "")):
                        newest[repository] = (image.created, tag)
                candidates.append((image, tag))
    keep = {tag for _created, tag in newest.values()}
    for image, name in candidates:
        if name in keep:
            continue
        if image.id in used_ids:
            if image.id not in plan.in_use:
                plan.in_use.append(image.id)
            continue
        plan.remove.append(name)
    return plan


def current_tags(environments: Iterable[tuple[str, Path, str]],
                 base_image: str = DEFAULT_BASE_IMAGE) -> set[str]:
    """The tags the sources on this host build: every runner's and every listed environment's
    ((slug, environment folder, runner) as ``assignments.environments.with_environments``)."""
    tags = {image_for(language, base_image) for language in LANGUAGES}
    tags.update(environment_tag(slug, folder, runner, base_image)
                for slug, folder, runner in environments)
    return tags


@dataclass
class PruneReport:
    removed: list[str]
    in_use: list[str]
    bytes_before: int
    bytes_after: int


def prune_images(environments: list[tuple[str, Path, str]], *, dry_run: bool = False,
                 client: docker.DockerClient | None = None,
                 progress: Callable[[str], None] = print,
                 base_image: str = DEFAULT_BASE_IMAGE) -> PruneReport:
    """Remove the stale images (see the module) from the engine; ``dry_run`` only lists them."""
    client = docker_client(client)
    before = _images_bytes(client)
    images = [EngineImage(id=raw["Id"],
                          tags=tuple(t for t in raw.get("RepoTags") or () if t != UNTAGGED),
                          created=int(raw.get("Created") or 0),
                          built_here=(raw.get("Labels") or {}).get("app") == "reciprocal")
              for raw in client.api.images()]
    used = {raw["ImageID"] for raw in client.api.containers(all=True) if raw.get("ImageID")}
    plan = plan_prune(images, current_tags(environments, base_image),
                      {slug for slug, _folder, _runner in environments}, used)
    for image_id in plan.in_use:
        progress(f"kept {image_id[:19]}: a container uses it")
    removed: list[str] = []
    for name in plan.remove:
        if dry_run:
            progress(f"would remove {name}")
            removed.append(name)
            continue
        try:
            client.api.remove_image(name, noprune=False)
        except ImageNotFound:
            continue  # gone with an earlier name of the same image
        except APIError as exc:
            progress(f"kept {name}: {exc.explanation or exc}")
            continue
        progress(f"removed {name}")
        removed.append(name)
    return PruneReport(removed=removed, in_use=plan.in_use, bytes_before=before,
                       bytes_after=_images_bytes(client) if removed and not dry_run else before)


def _images_bytes(client: docker.DockerClient) -> int:
    """The disk the engine's image layers take, counting a shared layer once."""
    return int(client.df().get("LayersSize") or 0)
