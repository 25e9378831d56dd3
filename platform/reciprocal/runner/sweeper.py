"""Removing runner containers left behind by a crashed or killed worker, and pooled ones whose
worker is gone or whose idle life is over."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from typing import Any

import docker
import requests
from docker.errors import APIError, NotFound

from reciprocal.runner.engine import APP_LABEL, APP_VALUE, JOB_LABEL
from reciprocal.runner.images import docker_client
from reciprocal.runner.pool import EXPIRES_LABEL, POOL_LABEL, job_of_taken


def sweep_orphans(
    live_job_ids: Collection[str] | None = None,
    *,
    client: docker.DockerClient | None = None,
    required_labels: Sequence[str] = (),
) -> int:
    """Force-remove runner containers (label app=reciprocal plus a job label) whose job id is
    not in ``live_job_ids``; ``None`` removes them all. With ``required_labels`` (``key`` or
    ``key=value``), only containers carrying those too are considered: a worker sweeps its own
    installation's grading containers only, never another installation's on the same engine nor
    an `assignments validate` run. Returns how many were removed."""
    client = docker_client(client)
    live = set(live_job_ids) if live_job_ids is not None else set()
    removed = 0
    labels = [f"{APP_LABEL}={APP_VALUE}", JOB_LABEL]
    labels.extend(required_labels)
    containers = client.containers.list(all=True, filters={"label": labels})
    for container in containers:
        if live_job_ids is not None and container.labels.get(JOB_LABEL) in live:
            continue
        try:
            container.remove(force=True)
        except NotFound:
            continue
        except (APIError, requests.exceptions.RequestException):
            continue  # being removed already; the next sweep retries
        removed += 1
    return removed


def sweep_pools(
    live_owners: Collection[str],
    live_job_ids: Collection[str] | None = None,
    *,
    client: docker.DockerClient | None = None,
    required_labels: Sequence[str] = (),
    now: float | None = None,
) -> int:
    """Force-remove pooled containers (runner.pool) whose owner, a worker's name, is not in
    ``live_owners`` (a killed worker's pool), any past its expiry label whoever owns it (a
    forgotten one never runs for ever) and, given ``live_job_ids``, any taken by a job that no
    live worker runs (its work horse was killed). ``required_labels`` as for sweep_orphans."""
    client = docker_client(client)
    now = time.time() if now is None else now
    labels = [f"{APP_LABEL}={APP_VALUE}", POOL_LABEL, *required_labels]
    removed = 0
    # The low-level listing carries labels and names: no inspect per container that could race
    # with its removal by the job that owns it.
    for container in client.api.containers(all=True, filters={"label": labels}):
        if not _pooled_is_orphan(container, live_owners, live_job_ids, now):
            continue
        try:
            client.api.remove_container(container["Id"], force=True)
        except NotFound:
            continue
        except (APIError, requests.exceptions.RequestException):
            continue
        removed += 1
    return removed


def _pooled_is_orphan(container: dict[str, Any], live_owners: Collection[str],
                      live_job_ids: Collection[str] | None, now: float) -> bool:
    found = container.get("Labels") or {}
    try:
        expires = float(found.get(EXPIRES_LABEL, "0"))
    except ValueError:
        expires = 0.0
    if found.get(POOL_LABEL) not in live_owners or now >= expires:
        return True
    names = container.get("Names") or [""]
    job = job_of_taken(names[0])
    return job is not None and live_job_ids is not None and job not in live_job_ids
