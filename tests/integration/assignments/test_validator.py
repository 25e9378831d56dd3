"""`reciprocal assignments validate/new/import` in the real runner containers."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from reciprocal.assignments import stacks
from reciprocal.assignments.scaffold import scaffold
from reciprocal.assignments.validation import scan_hidden_tests, validate_folder
from reciprocal.cli import main

pytestmark = pytest.mark.docker


def _failed(report) -> dict[str, str]:
    return {check.name: check.detail for check in report.checks if not check.ok}


# A stack with an environment builds its image first: minutes when Docker's layer cache is cold
# (apt, PyPI, npm), nearly nothing once the shipped assignment sharing its lines was built.
STACK_SECONDS = {"fastapi-postgres": 1200, "react-browser": 2400, "command": 600}


@pytest.mark.parametrize("stack", [
    pytest.param(stack, marks=[pytest.mark.slow, pytest.mark.timeout(STACK_SECONDS[stack])])
    if stack in STACK_SECONDS else stack for stack in stacks.STACKS])
def test_scaffolded_assignment_validates_out_of_the_box(tmp_path: Path, stack: str,
                                                        runner_images) -> None:
    folder = scaffold(tmp_path, f"new-{stack}", stack)
    report = validate_folder(folder)
    assert report.ok, _failed(report)
    checks = {check.name for check in report.checks}
    assert "wrong solution fails the named tests" in checks
    assert ("environment builds" in checks) == (folder / "environment").is_dir()


def test_broken_assignments_are_rejected_with_clear_messages(tmp_path: Path,
                                                             runner_images) -> None:
    base = scaffold(tmp_path / "base", "broken", "python")

    def variant(name: str) -> Path:
        target = tmp_path / name / "broken"
        shutil.copytree(base, target)
        return target

    solution_fails = variant("solution-fails")
    (solution_fails / "solution" / "wordcount.py").write_text(
        "def word_count(text):\n    return 0\n")
    assert "solution passes every hidden test" in _failed(validate_folder(solution_fails))

    starter_passes = variant("starter-passes")
    shutil.copy(base / "solution" / "wordcount.py", starter_passes / "starter" / "wordcount.py")
    failed = _failed(validate_folder(starter_passes))
    assert "untouched starter fails the hidden tests" in failed
    assert "0/5 fail" in failed["untouched starter fails the hidden tests"]

    no_anchor = variant("no-anchor")
    toml = no_anchor / "assignment.toml"
    toml.write_text(toml.read_text().replace('mediocre = "Only the happy path works."\n', "", 1))
    failed = _failed(validate_folder(no_anchor))
    assert "lacks an anchor for: mediocre" in failed["assignment.toml"]

    long_cap = variant("long-cap")
    toml = long_cap / "assignment.toml"
    toml.write_text(re.sub(r"time_cap_minutes = \d+",
                           'time_cap_minutes = 420\ntime_cap_reason = "agreed"', toml.read_text()))
    failed = _failed(validate_folder(long_cap))
    assert failed == {"time cap at most 6 hours": "420 minutes"}


def test_a_rubric_tag_that_matches_no_hidden_test_is_rejected(tmp_path: Path,
                                                              runner_images) -> None:
    folder = scaffold(tmp_path, "tagged", "python")
    toml = folder / "assignment.toml"
    toml.write_text(toml.read_text().replace(
        'tests = ["test_hidden.py::test_word_count"]',
        'tests = ["test_hidden.py::test_word_count", "tests/test_hidden.py"]'))
    failed = _failed(validate_folder(folder))
    assert list(failed) == ["rubric test tags match hidden tests"]
    assert failed["rubric test tags match hidden tests"] == (
        "criterion 'Correctness': 'tests/test_hidden.py' matches no hidden test; "
        "did you mean 'test_hidden.py'?")


def test_hidden_tests_on_network_or_clock_are_flagged(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_x.py").write_text(
        "import time, urllib.request\n"
        "def test_a():\n    assert time.time() > 0\n"
        "def test_b():\n    urllib.request.urlopen('https://example.com')\n"
        "def test_c():\n    urllib.request.urlopen('http://127.0.0.1:8000/')\n")
    findings = scan_hidden_tests(tests)
    assert len(findings) == 2
    assert "wall clock" in findings[0] and "beyond loopback" in findings[1]


def test_cli_validate_exits_non_zero_and_prints_a_table(tmp_path: Path, runner_images) -> None:
    scaffold(tmp_path, "fine", "python")
    broken = scaffold(tmp_path, "broken", "python")
    (broken / "solution" / "wordcount.py").write_text("def word_count(text):\n    return -1\n")
    result = CliRunner().invoke(main, ["assignments", "validate", "--path", str(tmp_path),
                                       "--jobs", "2"])
    assert result.exit_code == 1
    assert "1 of 2 assignments valid; failing: broken" in result.output
    # Each assignment is named as it finishes, in whichever order the two finish.
    assert "fine: valid" in result.output
    assert "broken: FAILED (solution passes every hidden test" in result.output
    assert result.output.index("assignment  check") > result.output.index("fine: valid")
    assert re.search(r"fine\s+solution passes every hidden test\s+ok", result.output)
    single = CliRunner().invoke(main, ["assignments", "validate", "fine", "--path", str(tmp_path)])
    assert single.exit_code == 0, single.output


def test_cli_new_and_import_from_a_git_repository(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    made = CliRunner().invoke(main, ["assignments", "new", "log-tool", "--language", "go",
                                     "--path", str(library)])
    assert made.exit_code == 0, made.output
    again = CliRunner().invoke(main, ["assignments", "new", "log-tool", "--language", "go",
                                      "--path", str(library)])
    assert again.exit_code != 0 and "already exists" in again.output

    source = tmp_path / "source"
    scaffold(tmp_path / "scratch", "imported-task", "python")
    shutil.copytree(tmp_path / "scratch" / "imported-task", source)
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b.c", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@b.c", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "task"]):
        subprocess.run(["git", *args], cwd=source, env=env, check=True)
    (source / "uncommitted.txt").write_text("not part of HEAD")
    result = CliRunner().invoke(main, ["assignments", "import", str(source), "--path",
                                       str(library)])
    assert result.exit_code == 0, result.output
    assert (library / "imported-task" / "assignment.toml").exists()
    assert not (library / "imported-task" / "uncommitted.txt").exists()
    assert not (library / "imported-task" / ".git").exists()
