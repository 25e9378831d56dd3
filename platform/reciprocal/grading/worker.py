"""Grading runs, worker side: needs only the platform URL, a worker credential and Docker.

The worker claims the run over the platform's worker API, fetches the submitted commit from the
platform's git endpoint, receives the hidden tests of the exact assignment version, runs them in a
runner container, and posts the result. It never touches the database or the data directory, so
workers can run on other hosts.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from ..core import archives
from ..git import repos
from ..git.command import run_git
from ..runner import Limits, RunnerUnavailable, run_tests
from ..runner.engine import INSTALLATION_LABEL
from .tamper import TAMPER_NAMES

log = logging.getLogger(__name__)
HTTP_TIMEOUT = 60


class PlatformUnavailable(Exception):
    """The platform could not be reached or answered with an error: retried by RQ."""


@dataclass(frozen=True)
class WorkerSettings:
    base_url: str
    token: str
    scratch_dir: Path

    @classmethod
    def from_env(cls) -> WorkerSettings:
        base_url = os.environ.get("RECIPROCAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        token = os.environ.get("RECIPROCAL_WORKER_TOKEN", "")
        if not token:
            raise PlatformUnavailable("RECIPROCAL_WORKER_TOKEN is not set for this worker")
        scratch = Path(os.environ.get("RECIPROCAL_SCRATCH_DIR") or tempfile.gettempdir())
        return cls(base_url=base_url, token=token, scratch_dir=scratch)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def installation_id() -> str:
    """RECIPROCAL_INSTALLATION_ID, else one derived from the worker credential (which every
    worker of an installation shares and no other installation has)."""
    configured = os.environ.get("RECIPROCAL_INSTALLATION_ID", "").strip()
    if configured:
        return configured[:63]
    token = os.environ.get("RECIPROCAL_WORKER_TOKEN", "")
    return hashlib.sha256(b"reciprocal-installation:" + token.encode()).hexdigest()[:16]


def _api(settings: WorkerSettings, method: str, path: str, **kwargs: Any) -> requests.Response:
    try:
        response = requests.request(
            method,
            settings.base_url + path,
            headers=settings.headers,
            timeout=HTTP_TIMEOUT,
            **kwargs,
        )
    except requests.RequestException as exc:
        raise PlatformUnavailable(f"platform unreachable: {exc}") from exc
    if response.status_code >= 500 or response.status_code in (401, 403):
        raise PlatformUnavailable(f"platform answered {response.status_code} for {path}")
    return response


def find_tamper_flags(tree: Path) -> list[str]:
    """Files in a submission that could try to change how tests run, for reviewers to see."""
    flags = []
    for path in sorted(tree.rglob("*")):
        rel = path.relative_to(tree).as_posix()
        if path.name in TAMPER_NAMES:
            flags.append(f"{rel}: {TAMPER_NAMES[path.name]}")
    return flags[:50]


def fetch_submission(settings: WorkerSettings, git_url: str, sha: str, dest: Path) -> None:
    """Fetch exactly `sha` into a scratch bare repo and unpack its tree with `git archive`.

    The tree is never checked out: `git archive` writes a tar stream that is extracted, as it
    arrives through a pipe (never held in memory), with the same checks as an upload (tarfile's
    data filter, caps, no links out of the folder).
    """
    bare = dest.parent / "fetch.git"
    run_git(["init", "--bare", "-q", str(bare)])
    header = f"http.extraHeader=Authorization: Bearer {settings.token}"
    run_git(
        [
            "-c",
            header,
            "fetch",
            "--no-tags",
            "--no-recurse-submodules",
            "--depth=1",
            "-q",
            "--",
            git_url,
            sha,
        ],
        git_dir=bare,
        timeout=300,
    )
    with repos.archive_stream(bare, sha, timeout=300) as tar:
        archives.extract_tar(
            tar,
            dest,
            archives.ArchiveLimits(
                max_members=50_000,
                max_file_bytes=100 * 1024 * 1024,
                max_total_bytes=500 * 1024 * 1024,
            ),
        )


def grade(run_id: int, job_id: str, settings: WorkerSettings | None = None) -> str:
    """Run one grading job end to end; returns the run's final status (or 'skipped').

    The platform's URLs are re-based onto the worker's own RECIPROCAL_BASE_URL: a worker may
    reach the platform by another address than candidates do (`http://web:8000` in compose)."""

    settings = settings or WorkerSettings.from_env()
    claim = _api(settings, "POST", f"/api/v1/worker/runs/{run_id}/claim", json={"job_id": job_id})
    if claim.status_code in (404, 409):
        log.info("run %s is not ours to grade (%s)", run_id, claim.status_code)
        return "skipped"
    spec = claim.json()
    settings.scratch_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"run-{run_id}-", dir=settings.scratch_dir))
    try:
        submission = scratch / "submission"
        hidden = scratch / "hidden"
        try:
            git_url = settings.base_url + urlsplit(spec["git_url"]).path
            fetch_submission(settings, git_url, spec["commit_sha"], submission)
        except archives.UnsafeArchive as exc:
            result = {"status": "error", "reason": f"The submission could not be unpacked: {exc}"}
            return _post_result(settings, run_id, job_id, result)
        except Exception as exc:
            raise PlatformUnavailable(f"could not fetch the submission: {exc}") from exc
        tests = _api(settings, "GET", f"/api/v1/worker/runs/{run_id}/hidden-tests")
        if tests.status_code != 200:
            raise PlatformUnavailable(f"hidden tests unavailable ({tests.status_code})")
        archives.extract_tar(io.BytesIO(tests.content), hidden)
        limits = Limits.from_mapping(spec["limits"])
        try:
            outcome = run_tests(
                spec["language"],
                submission,
                hidden,
                limits,
                labels={"reciprocal.job": job_id, "reciprocal.run": str(run_id),
                        INSTALLATION_LABEL: installation_id()},
            )
        except RunnerUnavailable:
            raise
        result = asdict(outcome)
        result["tamper_flags"] = find_tamper_flags(submission)
        return _post_result(settings, run_id, job_id, result)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _post_result(settings: WorkerSettings, run_id: int, job_id: str, result: dict[str, Any]) -> str:
    response = _api(
        settings,
        "POST",
        f"/api/v1/worker/runs/{run_id}/result",
        json={"job_id": job_id, "result": result},
    )
    if response.status_code != 200:
        raise PlatformUnavailable(f"result refused ({response.status_code}): {response.text[:200]}")
    return str(result.get("status"))


def report_failure(run_id: int, job_id: str, reason: str) -> None:
    settings = WorkerSettings.from_env()
    _api(
        settings,
        "POST",
        f"/api/v1/worker/runs/{run_id}/failed",
        json={"job_id": job_id, "reason": reason},
    )
