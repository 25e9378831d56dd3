"""Running hidden tests against submissions in runner containers.

This package is the only part of the platform that talks to Docker.
"""

from reciprocal.runner.engine import run_tests
from reciprocal.runner.errors import RunnerBuildError, RunnerUnavailable
from reciprocal.runner.images import build_images, docker_client, image_for
from reciprocal.runner.languages import LANGUAGES, LanguageSpec
from reciprocal.runner.limits import Limits
from reciprocal.runner.results import RunResult, TestOutcome
from reciprocal.runner.sweeper import sweep_orphans


def engine_ping() -> None:
    """Raise RunnerUnavailable unless the Docker engine answers (for /readyz)."""
    docker_client().close()


__all__ = [
    "LANGUAGES",
    "LanguageSpec",
    "Limits",
    "RunResult",
    "RunnerBuildError",
    "RunnerUnavailable",
    "TestOutcome",
    "build_images",
    "engine_ping",
    "image_for",
    "run_tests",
    "sweep_orphans",
]
