"""The grading plan read from assignment.toml: environments, any test tool through JUnit,
services, screenshots and the wrong solution; each mistake an author can make is named."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from reciprocal.assignments import grading_plan


def plan(tmp_path: Path, toml: str, runner: str = "python", *,
         dockerfile: bool = True, wrong: bool = True) -> tuple[grading_plan.GradingPlan, list[str]]:
    if dockerfile:
        (tmp_path / "environment").mkdir(exist_ok=True)
        (tmp_path / "environment" / "Dockerfile").write_text(
            "ARG RUNNER_BASE\nFROM ${RUNNER_BASE}\n")
    if wrong:
        (tmp_path / "wrong").mkdir(exist_ok=True)
    problems: list[str] = []
    return grading_plan.parse(tomllib.loads(toml), tmp_path, runner, problems), problems


def test_a_generic_tool_with_services_and_screenshots(tmp_path: Path) -> None:
    found, problems = plan(tmp_path, """
        [environment]
        [tests]
        build = ["mvn", "-o", "-q", "compile"]
        command = ["mvn", "-o", "-q", "test"]
        hidden_path = "src/test/java/hidden"
        junit = ["target/surefire-reports/*.xml"]
        [[services]]
        kind = "postgresql"
        [[services]]
        kind = "redis"
        [screenshots]
        site = "dist"
        pages = ["/", "/orders"]
        widths = [375, 1280]
        [wrong]
        fails = ["OrderTest.java"]
        """, "command")
    assert problems == []
    assert found.environment and found.services == ("postgresql", "redis")
    assert found.harness_config() == {
        "build": ["mvn", "-o", "-q", "compile"], "command": ["mvn", "-o", "-q", "test"],
        "junit": ["target/surefire-reports/*.xml"], "services": ["postgresql", "redis"],
        "hidden_path": "src/test/java/hidden",
        "screenshots": {"site": "dist", "pages": ["/", "/orders"], "widths": [375, 1280]}}
    assert found.wrong_fails == ("OrderTest.java",)


def test_no_tables_is_the_built_in_runner(tmp_path: Path) -> None:
    found, problems = plan(tmp_path, "", dockerfile=False, wrong=False)
    assert problems == [] and found.harness_config() == {} and not found.environment


@pytest.mark.parametrize(("toml", "runner", "expected"), [
    ("[environment]\n", "python", "needs environment/Dockerfile"),
    ("[environment]\nimage = 'node:20'\n", "python", "unknown keys in [environment]: image"),
    ("[tests]\ncommand = ['jest']\n", "python", "are for the command runner"),
    ("[environment]\n[tests]\ncommand = ['jest']\n", "command", "needs [tests] command, junit"),
    ("[tests]\ncommand = ['x']\njunit = ['r.xml']\nhidden_path = 't'\n", "command",
     "needs an [environment]"),
    ("[environment]\n[tests]\ncommand = ['x']\njunit = ['r.xml']\nhidden_path = '../etc'\n",
     "command", "must be a path inside the candidate's tree"),
    ("[environment]\n[tests]\ncommand = 'mvn test'\njunit = ['r.xml']\nhidden_path = 't'\n",
     "command", "[tests] command must be a list of non-empty strings"),
    ("[[services]]\nkind = 'mysql'\n", "python", "kind = one of postgresql, redis"),
    ("[[services]]\nkind = 'redis'\n[[services]]\nkind = 'redis'\n", "python", "declared twice"),
    ("[screenshots]\npages = ['/']\n", "python", "[screenshots] needs site"),
    ("[screenshots]\nsite = 'dist'\nwidths = [10]\n", "python", "240 to 3840"),
    ("[screenshots]\nsite = 'dist'\npages = ['../x']\n", "python", "paths like"),
    ("[wrong]\n", "python", "must name the hidden tests"),
])
def test_each_mistake_is_named(tmp_path: Path, toml: str, runner: str, expected: str) -> None:
    _found, problems = plan(tmp_path, toml, runner,
                            dockerfile="environment/Dockerfile" not in expected)
    assert any(expected in problem for problem in problems), problems


def test_wrong_needs_its_folder(tmp_path: Path) -> None:
    _found, problems = plan(tmp_path, "[wrong]\nfails = ['test_a.py']\n", wrong=False)
    assert any("needs the wrong/ folder" in problem for problem in problems), problems
