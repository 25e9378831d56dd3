"""Grading runs, worker side: needs only the platform URL, a worker credential and Docker.

The worker claims the run over the platform's worker API, fetches the submitted commit from the
platform's git endpoint, receives the hidden tests of the exact assignment version, runs them in a
runner container, and posts the result. It never touches the database or the data directory, so
workers can run on other hosts.
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from ..config import setting
from ..core import archives
from ..core.redaction import redact_credentials
from ..core.workers import JOB_HEADER
from ..git import repos
from ..git.command import config_env, run_git
from ..git.trees import FileLimits, TreeError, measure
from ..runner import Limits, RunnerBuildError, RunnerUnavailable, run_tests
from ..runner.engine import INSTALLATION_LABEL
from ..runner.environments import ensure_environment, environment_tag
from .tamper import TAMPER_NAMES

log = logging.getLogger(__name__)
HTTP_TIMEOUT = 60


class PlatformUnavailable(Exception):
    """The platform could not be reached or answered with an error: retried by RQ.

    `kind` names the failure for the run's reason once the retries are used up (see
    `failure_kind`); the message is for operators (RQ keeps it, the worker logs it) and never
    carries a credential."""

    kind = "platform"


class SubmissionFetchFailed(PlatformUnavailable):
    """The submitted commit could not be fetched from the platform's git endpoint."""

    kind = "fetch"


def failure_kind(exc: BaseException) -> str:
    """What failed, in one word the platform turns into a sentence for people: `fetch` (the
    submission), `platform` (the worker API), `environment` (its image did not build), `runner`
    (the Docker engine) or `other`."""
    if isinstance(exc, PlatformUnavailable):
        return exc.kind
    if isinstance(exc, RunnerBuildError):
        return "environment"
    if isinstance(exc, RunnerUnavailable):
        return "runner"
    return "other"


@dataclass(frozen=True)
class WorkerSettings:
    base_url: str
    token: str
    scratch_dir: Path

    @classmethod
    def from_env(cls) -> WorkerSettings:
        token = setting("RECIPROCAL_WORKER_TOKEN")
        if not token:
            raise PlatformUnavailable("RECIPROCAL_WORKER_TOKEN is not set for this worker")
        return cls(base_url=setting("RECIPROCAL_BASE_URL"), token=token,
                   scratch_dir=setting("RECIPROCAL_SCRATCH_DIR"))

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def installation_id() -> str:
    """RECIPROCAL_INSTALLATION_ID, else one derived from the worker credential (which every
    worker of an installation shares and no other installation has)."""
    return str(setting("RECIPROCAL_INSTALLATION_ID"))


def platform_api(settings: WorkerSettings, method: str, path: str, *, job_id: str | None = None,
         **kwargs: Any) -> requests.Response:
    headers = dict(settings.headers)
    if job_id is not None:
        headers[JOB_HEADER] = job_id
    try:
        response = requests.request(
            method,
            settings.base_url + path,
            headers=headers,
            timeout=HTTP_TIMEOUT,
            **kwargs,
        )
    except requests.RequestException as exc:
        detail = redact_credentials(str(exc), settings.token)
        raise PlatformUnavailable(f"platform unreachable: {detail}") from None
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


# What a worker unpacks of one submission. Its files are counted against these caps before
# `git archive` expands anything (a few tree objects can name billions of paths).
SUBMISSION_FILES = FileLimits(max_files=50_000, max_bytes=500 * 1024 * 1024)
SUBMISSION_LIMITS = archives.ArchiveLimits(
    max_members=SUBMISSION_FILES.max_files + 1,  # and git's pax header
    max_file_bytes=100 * 1024 * 1024,
    max_total_bytes=SUBMISSION_FILES.max_bytes,
)


def fetch_submission(settings: WorkerSettings, git_url: str, sha: str, dest: Path,
                     job_id: str) -> None:
    """Fetch exactly `sha` into a scratch bare repo and unpack its tree with `git archive`.

    The credential and the job id go to git as configuration in its environment, never in its
    arguments: every user of the host can read a process's arguments, and a failed command's
    arguments end up in error messages. The platform serves the fetch only to the job that holds
    a running run of that submission.

    The tree is never checked out: its files and folders are counted first through the
    recursive tree (git/trees.py), and one past the caps is refused (UnsafeArchive: the run
    ends with that reason, never retried) before anything is expanded; then `git archive`
    writes a tar stream that is extracted, as it arrives through a pipe (never held in memory),
    with the same checks as an upload (tarfile's data filter, caps, no links out of the folder).
    """
    bare = dest.parent / "fetch.git"
    run_git(["init", "--bare", "-q", str(bare)])
    headers = config_env([("http.extraHeader", f"Authorization: Bearer {settings.token}"),
                          ("http.extraHeader", f"{JOB_HEADER}: {job_id}")])
    run_git(
        ["fetch", "--no-tags", "--no-recurse-submodules", "--depth=1", "-q", "--", git_url, sha],
        git_dir=bare,
        env=headers,
        timeout=300,
    )
    try:
        size = measure(sha, git_dir=bare, max_entries=SUBMISSION_FILES.max_files)
        problem = SUBMISSION_FILES.problem(size)
    except TreeError as exc:
        raise archives.UnsafeArchive(f"its files could not be counted ({exc})") from None
    if problem is not None:
        raise archives.UnsafeArchive(f"the submitted commit {problem}")
    with repos.archive_stream(bare, sha, timeout=300) as tar:
        archives.extract_tar(tar, dest, SUBMISSION_LIMITS)


def environment_image(settings: WorkerSettings, run_id: int, job_id: str,
                      environment: dict[str, Any], language: str, scratch: Path,
                      notify: Callable[..., None] | None = None) -> str:
    """The run's environment image on this worker's Docker engine: built here, from the build
    context the platform serves for the run, when the engine lacks it (no registry needed)."""
    slug = str(environment.get("slug") or "assignment")
    path = urlsplit(str(environment.get("context_url") or "")).path
    context = platform_api(settings, "GET", path, job_id=job_id)
    if context.status_code != 200:
        raise PlatformUnavailable(f"the environment's build context is unavailable "
                                  f"({context.status_code})")
    folder = scratch / "environment"
    archives.extract_tar(io.BytesIO(context.content), folder)
    tag = environment_tag(slug, folder, language)
    say = notify or (lambda *_args, **_fields: None)
    try:
        return ensure_environment(slug, folder, language, progress=log.info,
                                  events=lambda state: say(tag, slug=slug, state=state))
    except RunnerBuildError as exc:
        say(tag, slug=slug, state="failed", detail=str(exc)[-3000:])
        raise


@dataclass
class PhaseTimes:
    """Where one grading job's time went, for the worker's log: operators asking why grading
    is slow see the platform's share (claim, fetch, hidden tests, result) apart from the
    container's, and the container's own steps (runner/results.py RunResult.steps)."""

    seconds: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        began = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.monotonic() - began

    def line(self, run_id: int, status: str, steps: dict[str, float] | None = None) -> str:
        parts = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.seconds.items())
        inside = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in (steps or {}).items())
        total = time.monotonic() - self.started
        return (f"run {run_id} {status} in {total:.2f} s ({parts})"
                + (f"; in the container: {inside}" if inside else ""))


def grade(run_id: int, job_id: str, settings: WorkerSettings | None = None,
          notify: Callable[..., None] | None = None) -> str:
    """Run one grading job end to end; returns the run's final status (or 'skipped').

    The platform's URLs are re-based onto the worker's own RECIPROCAL_BASE_URL: a worker may
    reach the platform by another address than candidates do (`http://web:8000` in compose)."""

    settings = settings or WorkerSettings.from_env()
    times = PhaseTimes()
    with times.phase("claim"):
        claim = platform_api(settings, "POST", f"/api/v1/worker/runs/{run_id}/claim",
                             json={"job_id": job_id})
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
            with times.phase("fetch"):
                fetch_submission(settings, git_url, spec["commit_sha"], submission, job_id)
        except archives.UnsafeArchive as exc:
            result = {"status": "error", "reason": f"The submission could not be unpacked: {exc}"}
            return _post_result(settings, run_id, job_id, result)
        except Exception as exc:  # noqa: BLE001 - any failure here is a failed fetch, retried
            # `from None`: RQ keeps the whole traceback, chained exceptions included, so only
            # this message (masked) goes with it.
            detail = redact_credentials(str(exc), settings.token)
            raise SubmissionFetchFailed(f"could not fetch the submission: {detail}") from None
        with times.phase("hidden tests"):
            tests = platform_api(settings, "GET", f"/api/v1/worker/runs/{run_id}/hidden-tests",
                                 job_id=job_id)
            if tests.status_code != 200:
                raise PlatformUnavailable(f"hidden tests unavailable ({tests.status_code})")
            archives.extract_tar(io.BytesIO(tests.content), hidden)
        limits = Limits.from_mapping(spec["limits"])
        image = None
        if spec.get("environment"):
            with times.phase("environment"):
                image = environment_image(settings, run_id, job_id, spec["environment"],
                                          spec["language"], scratch, notify)
        with times.phase("container"):
            outcome = run_tests(
                spec["language"],
                submission,
                hidden,
                limits,
                labels={"reciprocal.job": job_id, "reciprocal.run": str(run_id),
                        INSTALLATION_LABEL: installation_id()},
                image=image,
                tests=spec.get("tests") or None,
                expected_ids=spec.get("expected_ids"),
            )
        result = asdict(outcome)
        result["tamper_flags"] = find_tamper_flags(submission)
        with times.phase("result"):
            status = _post_result(settings, run_id, job_id, result)
        log.info("%s", times.line(run_id, status, outcome.steps))
        return status
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _post_result(settings: WorkerSettings, run_id: int, job_id: str, result: dict[str, Any]) -> str:
    response = platform_api(
        settings,
        "POST",
        f"/api/v1/worker/runs/{run_id}/result",
        json={"job_id": job_id, "result": result},
    )
    if response.status_code != 200:
        raise PlatformUnavailable(f"result refused ({response.status_code}): {response.text[:200]}")
    return str(result.get("status"))


def report_failure(run_id: int, job_id: str, kind: str, detail: str) -> None:
    """Tell the platform that the run's retries are used up: `kind` (see `failure_kind`) becomes
    the run's reason for people; `detail`, masked, is only for the platform's log."""
    settings = WorkerSettings.from_env()
    platform_api(
        settings,
        "POST",
        f"/api/v1/worker/runs/{run_id}/failed",
        json={"job_id": job_id, "kind": kind,
              "detail": redact_credentials(detail, settings.token)[:500]},
    )
