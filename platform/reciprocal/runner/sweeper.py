"""Removing runner containers left behind by a crashed or killed worker."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import docker
import requests
from docker.errors import APIError, NotFound

from reciprocal.runner.engine import APP_LABEL, APP_VALUE, JOB_LABEL
from reciprocal.runner.images import docker_client


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
