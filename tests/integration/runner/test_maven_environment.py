"""A Maven environment (shift-pay-bugfix, built from its folder against the real engine): its
image names the harness's warm Maven, so the JVM that runs the job's `mvn` arguments has built a
throwaway project before the job came. The grading is the cold `mvn`'s: the same reports, and a
candidate's compile error in the run's output."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import docker
import pytest
from reciprocal.runner import Limits, RunResult, run_tests
from reciprocal.runner.environments import ensure_environment

pytestmark = pytest.mark.docker

FOLDER = Path(__file__).resolve().parents[3] / "assignments" / "shift-pay-bugfix"
SPEC = tomllib.loads((FOLDER / "assignment.toml").read_text())
LIMITS = Limits(timeout_seconds=300, memory_mb=SPEC["limits"]["memory_mb"])


@pytest.fixture(scope="module")
def image(docker_client: docker.DockerClient) -> str:
    return ensure_environment("shift-pay-bugfix", FOLDER / "environment", "command",
                              client=docker_client, progress=lambda _line: None)


def grade(image: str, submission: Path) -> RunResult:
    return run_tests("command", submission, FOLDER / "tests", LIMITS, image=image,
                     tests=SPEC["tests"])


def test_the_warm_maven_grades_the_solution(image: str) -> None:
    result = grade(image, FOLDER / "solution")
    assert result.status == "passed", (result.reason, result.output)
    assert result.judge == "warm", result.integrity_evidence
    assert len(result.tests) > 10 and all(t.outcome == "passed" for t in result.tests)
    # Without a validated reference run there are no ids to compare, and nothing else is found.
    assert [e["kind"] for e in result.integrity_evidence] == ["ids"], result.integrity_evidence


def test_a_compile_error_reaches_the_runs_output(image: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(FOLDER / "solution", broken)
    source = next((broken / "src" / "main" / "java").rglob("*.java"))
    source.write_text(source.read_text() + "\nthis is not Java\n")
    result = grade(image, broken)
    assert result.status == "error" and result.judge == "warm"
    assert "COMPILATION ERROR" in result.output and source.name in result.output
