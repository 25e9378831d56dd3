"""A generic environment against the real engine: an image built FROM the command runner base
with a test tool of its own (a small shell-test runner that writes JUnit XML), graded through
`[tests]` exactly as a JUnit 5, Jest or RSpec assignment is.

Per-test results reach the run as the built-in languages' do; a missing or unreadable report is a
clear error; a report the submission ships, JUnit the candidate's code writes and a report that
contradicts the tool's own exit status are caught; the lock-down of the built-in runners (no
network, the runner uid, the pids limit, the output cap, hidden tests out of reach) holds here
too. Building: one tag per content, never rebuilt unchanged, a failing step named with its
output."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reciprocal.runner import Limits, RunnerBuildError, run_tests
from reciprocal.runner.environments import ensure_environment, environment_tag
from reciprocal.runner.runtime import configured_runtime

pytestmark = pytest.mark.docker

WriteTree = Callable[[str, dict[str, str]], Path]
LIMITS = Limits(timeout_seconds=60)

# The environment's test tool: runs each hidden tests/test_*.sh with bash in the candidate's
# tree and writes reports/junit.xml; exits 1 when a test fails, as test tools do.
SHTEST = textwrap.dedent('''\
    #!/usr/bin/python3
    import pathlib, subprocess, sys, time
    from xml.sax.saxutils import quoteattr, escape
    cases, failed = [], 0
    for script in sorted(pathlib.Path("tests").glob("test_*.sh")):
        began = time.monotonic()
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=30)
        took = time.monotonic() - began
        body = ""
        if done.returncode:
            failed += 1
            body = f'<failure message={quoteattr(done.stdout.strip()[:200])}>' \\
                   f'{escape(done.stderr[:2000])}</failure>'
        cases.append(f'<testcase classname="{script.name}" name="{script.stem}" '
                     f'time="{took:.3f}">{body}</testcase>')
    pathlib.Path("reports").mkdir(exist_ok=True)
    pathlib.Path("reports/junit.xml").write_text(
        '<testsuite name="shtest">' + "".join(cases) + "</testsuite>")
    sys.exit(1 if failed else 0)
    ''')
# Its warm tool: started before the job, it reads the command on its stdin (a pipe), says so on
# the run's output, and becomes it.
SHTEST_WARM = textwrap.dedent('''\
    #!/usr/bin/python3
    import os, sys, time
    began, data = time.monotonic(), b""
    while chunk := os.read(0, 65536):
        data += chunk
    if not data:
        sys.exit(3)
    print(f"warm shtest in {os.getcwd()} as uid {os.getuid()}, "
          f"{time.monotonic() - began:.1f} s before its job", flush=True)
    os.execv("/usr/local/bin/shtest", [word.decode() for word in data.split(b"\\0")[:-1]])
    ''')
DOCKERFILE = textwrap.dedent("""\
    ARG RUNNER_BASE
    FROM ${RUNNER_BASE}
    COPY shtest shtest-warm /usr/local/bin/
    RUN chmod 0755 /usr/local/bin/shtest /usr/local/bin/shtest-warm
    ENV RECIPROCAL_WARM_COMMAND="shtest /usr/local/bin/shtest-warm"
    """)
TESTS = {"command": ["shtest"], "hidden_path": "tests", "junit": ["reports/*.xml"]}
HIDDEN = {
    "test_adds.sh": ('[ "$(bash add.sh 2 3)" = 5 ] || '
                     '{ echo "add.sh 2 3 gave $(bash add.sh 2 3)"; exit 1; }\n'),
    "test_negatives.sh": '[ "$(bash add.sh -2 -3)" = -5 ] || { echo "not -5"; exit 1; }\n',
}
IDS = ["test_adds.sh::test_adds", "test_negatives.sh::test_negatives"]
SOLUTION = {"add.sh": 'echo $(( $1 + $2 ))\n'}


@pytest.fixture(scope="module")
def shell_environment(tmp_path_factory: pytest.TempPathFactory, docker_client: Any,
                      runner_images: dict[str, str]) -> str:
    folder = tmp_path_factory.mktemp("shell-env") / "environment"
    folder.mkdir()
    (folder / "Dockerfile").write_text(DOCKERFILE)
    (folder / "shtest").write_text(SHTEST)
    (folder / "shtest-warm").write_text(SHTEST_WARM)
    return ensure_environment("shell-test", folder, "command", client=docker_client,
                              progress=lambda _line: None)


def grade(image: str, tree: WriteTree, files: dict[str, str], *,
          hidden: dict[str, str] | None = None, tests: dict[str, Any] | None = None,
          limits: Limits = LIMITS) -> Any:
    sub = tree("sub", files)
    hidden_dir = tree("hidden", hidden or HIDDEN)
    return run_tests("command", sub, hidden_dir, limits, image=image,
                     tests=tests or TESTS, expected_ids=IDS)


def test_the_tools_junit_becomes_per_test_results(shell_environment: str,
                                                  tree: WriteTree) -> None:
    result = grade(shell_environment, tree, SOLUTION)
    assert result.status == "passed", (result.reason, result.output[-2000:])
    assert sorted((t.classname, t.name, t.outcome) for t in result.tests) == [
        ("test_adds.sh", "test_adds", "passed"), ("test_negatives.sh", "test_negatives", "passed")]
    assert result.integrity == "clean", result.integrity_evidence
    assert result.checks == "ids"
    assert all(t.duration is not None and t.duration >= 0 for t in result.tests)


def test_the_images_warm_tool_runs_the_command_it_stands_in_for(shell_environment: str,
                                                                 tree: WriteTree) -> None:
    result = grade(shell_environment, tree, SOLUTION)
    assert result.status == "passed", (result.reason, result.output)
    assert result.judge == "warm", result.integrity_evidence
    assert "warm shtest in /work/submission as uid 10001" in result.output


def test_a_build_step_or_another_program_runs_cold(shell_environment: str,
                                                   tree: WriteTree) -> None:
    built = grade(shell_environment, tree, SOLUTION, tests={**TESTS, "build": ["true"]})
    other = grade(shell_environment, tree, SOLUTION,
                  tests={**TESTS, "command": ["sh", "-c", "exec shtest"]})
    for result in (built, other):
        assert result.status == "passed", (result.reason, result.output)
        assert result.judge == "cold" and "warm shtest" not in result.output


def test_ls_and_stat_work_in_the_build_and_the_tests(shell_environment: str,
                                                    tree: WriteTree) -> None:
    """coreutils' `ls DIR`, `ls -l` and `stat` pass AT_NO_AUTOMOUNT, which the gVisor release
    refuses; the runner images' statx shim drops it (runners/harness/statx-shim)."""
    listing = ('ls -l add.sh > /dev/null && ls / > /dev/null && stat -c %s add.sh > /dev/null '
               '|| { echo "$(ls -l add.sh 2>&1) $(stat add.sh 2>&1)"; exit 1; }\n')
    result = grade(shell_environment, tree, SOLUTION,
                   hidden={**HIDDEN, "test_adds.sh": listing + HIDDEN["test_adds.sh"]},
                   tests={**TESTS, "build": ["sh", "-c", "ls -la . && stat add.sh"]})
    assert result.status == "passed", (result.reason, result.output[-2000:],
                                       [t.message for t in result.tests])
    assert result.runtime == configured_runtime()


def test_a_failing_test_carries_the_tools_message(shell_environment: str,
                                                  tree: WriteTree) -> None:
    result = grade(shell_environment, tree, {"add.sh": 'echo $(( $1 - $2 ))\n'})
    assert result.status == "failed", result.reason
    failed = {t.name: t for t in result.tests if t.outcome == "failed"}
    assert set(failed) == {"test_adds", "test_negatives"}
    assert "add.sh 2 3 gave -1" in failed["test_adds"].message
    assert result.integrity == "clean", result.integrity_evidence


def test_no_report_or_an_unreadable_one_is_a_clear_error(shell_environment: str,
                                                         tree: WriteTree) -> None:
    missing = grade(shell_environment, tree, SOLUTION, tests={**TESTS, "command": ["true"]})
    assert missing.status == "error"
    assert "wrote no JUnit report" in missing.reason and "reports/*.xml" in missing.reason
    garbled = grade(shell_environment, tree, SOLUTION, tests={
        **TESTS, "command": ["sh", "-c", "mkdir -p reports && echo '<testsuite><oops' "
                             "> reports/junit.xml"]})
    assert garbled.status == "error"
    assert "could not be read" in garbled.reason


def test_a_shipped_report_is_removed_and_named(shell_environment: str, tree: WriteTree) -> None:
    forged = ('<testsuite><testcase classname="test_adds.sh" name="test_adds"/>'
              '<testcase classname="test_negatives.sh" name="test_negatives"/></testsuite>')
    result = grade(shell_environment, tree,
                   {"add.sh": "echo 0\n", "reports/junit.xml": forged})
    assert result.status == "failed"  # the tool's own report, not the shipped one
    assert any(e.get("file") == "reports/junit.xml" for e in result.integrity_evidence)


def test_junit_written_by_the_candidates_code_alters_the_run(shell_environment: str,
                                                             tree: WriteTree) -> None:
    # The candidate's add.sh, called by the first test, writes a report of passes and stops
    # the tool from writing its own.
    forge = textwrap.dedent("""\
        mkdir -p reports
        echo '<testsuite><testcase classname="test_adds.sh" name="test_adds"/>'\\
        '<testcase classname="test_negatives.sh" name="test_negatives"/></testsuite>' \\
          > reports/junit.xml
        chmod 0444 reports/junit.xml; chmod 0555 reports
        echo 0
        """)
    result = grade(shell_environment, tree, {"add.sh": forge})
    assert result.integrity == "altered", (result.status, result.integrity_evidence)
    assert result.status == "error"
    assert any("writes JUnit XML itself" in e["detail"] for e in result.integrity_evidence)


def test_a_disguised_report_contradicting_the_tool_alters_the_run(shell_environment: str,
                                                                  tree: WriteTree) -> None:
    # The same forgery with its markup assembled at run time, out of any scanner's sight: the
    # tool fails to write its report and exits with failure, beside a report of passes.
    forge = textwrap.dedent("""\
        lt=$(printf '\\074')
        mkdir -p reports
        {
          printf '%stestsuite>' "$lt"
          printf '%stestcase classname="test_adds.sh" name="test_adds"/>' "$lt"
          printf '%stestcase classname="test_negatives.sh" name="test_negatives"/>' "$lt"
          printf '%s/testsuite>' "$lt"
        } > reports/junit.xml
        chmod 0444 reports/junit.xml; chmod 0555 reports
        echo 0
        """)
    result = grade(shell_environment, tree, {"add.sh": forge})
    assert result.integrity == "altered", (result.status, result.integrity_evidence)
    assert any("exited with failure" in e["detail"] for e in result.integrity_evidence)
    assert result.passed is None or result.status == "error"


def test_a_report_of_other_tests_alters_the_run(shell_environment: str, tree: WriteTree) -> None:
    result = grade(shell_environment, tree, SOLUTION, hidden={
        **HIDDEN, "test_extra.sh": "exit 0\n"})
    assert result.integrity == "altered"
    assert any("the hidden tests do not" in e["detail"] and "test_extra" in e["detail"]
               for e in result.integrity_evidence), result.integrity_evidence


HOSTILE = {
    "test_network.sh": ("python3 -c \"import socket; socket.create_connection(('1.1.1.1', 53), 3)\""
                        " && { echo 'reached the network'; exit 1; }; exit 0\n"),
    "test_uid.sh": '[ "$(id -u)" = 10001 ] || { echo "uid $(id -u)"; exit 1; }\n',
    "test_hidden_tests_are_read_only.sh": (
        "echo 'exit 0' >> tests/test_uid.sh 2>/dev/null && { echo 'changed a hidden test'; "
        "exit 1; }; rm -f tests/test_uid.sh 2>/dev/null; [ -f tests/test_uid.sh ] || "
        "{ echo 'removed a hidden test'; exit 1; }; exit 0\n"),
    "test_no_secret_in_env.sh": ("env | grep -qi 'RECIPROCAL_WORKER_TOKEN\\|SECRET' && "
                                 "{ echo 'a secret is visible'; exit 1; }; exit 0\n"),
}


def test_the_lock_down_holds_in_a_generic_environment(shell_environment: str,
                                                      tree: WriteTree) -> None:
    result = grade(shell_environment, tree, SOLUTION, hidden=HOSTILE,
                   tests=TESTS)
    outcomes = {t.name: (t.outcome, t.message) for t in result.tests}
    assert all(outcome == "passed" for outcome, _ in outcomes.values()), outcomes


def test_a_fork_bomb_ends_in_an_error_never_a_pass(shell_environment: str,
                                                   tree: WriteTree) -> None:
    # Background processes up to the pids limit: the tool cannot finish its work; the run ends
    # in an error (under gVisor the sandbox itself stops when the limit holds for long), never
    # in a pass, and the container is removed (the autouse fixture checks).
    result = grade(shell_environment, tree,
                   {**SOLUTION, "bomb.sh": "for i in $(seq 1 5000); do sleep 30 & done "
                                           "2>/dev/null; echo done\n"},
                   hidden={**HIDDEN, "test_bomb.sh": "bash bomb.sh; exit 0\n"},
                   limits=Limits(timeout_seconds=60, pids=128))
    assert result.status in ("error", "failed", "timed_out"), (result.status, result.reason)


def test_an_output_flood_is_capped(shell_environment: str, tree: WriteTree) -> None:
    result = grade(shell_environment, tree,
                   {**SOLUTION, "flood.sh": "head -c 50000000 /dev/zero | tr '\\0' 'x'\n"},
                   tests={**TESTS, "command": ["sh", "-c", "bash flood.sh; exec shtest"]})
    assert result.status == "passed", result.reason
    assert result.output_truncated
    assert len(result.output) < 5 * 1024 * 1024


def test_an_unchanged_environment_is_never_rebuilt_and_a_changed_one_always(
        shell_environment: str, tmp_path: Path, docker_client: Any) -> None:
    folder = tmp_path / "environment"
    folder.mkdir()
    (folder / "Dockerfile").write_text(DOCKERFILE)
    (folder / "shtest").write_text(SHTEST)
    (folder / "shtest-warm").write_text(SHTEST_WARM)
    heard: list[str] = []
    again = ensure_environment("shell-test", folder, "command", client=docker_client,
                               progress=lambda _line: None, events=heard.append)
    assert again == shell_environment and heard == []  # same content, same tag, no build
    (folder / "shtest").write_text(SHTEST + "# changed\n")
    changed = environment_tag("shell-test", folder, "command")
    assert changed != shell_environment
    (folder / "shtest").chmod(0o755)  # the mode is part of the content too
    assert environment_tag("shell-test", folder, "command") not in (changed, shell_environment)


def test_a_failing_build_step_is_named_with_its_output(tmp_path: Path, docker_client: Any,
                                                       runner_images: dict[str, str]) -> None:
    folder = tmp_path / "environment"
    folder.mkdir()
    (folder / "Dockerfile").write_text(
        "ARG RUNNER_BASE\nFROM ${RUNNER_BASE}\nRUN echo preparing the stack\n"
        "RUN echo 'no such package: left-pad-9' >&2 && exit 3\n")
    with pytest.raises(RunnerBuildError) as caught:
        ensure_environment("broken-env", folder, "command", client=docker_client,
                           progress=lambda _line: None)
    message = str(caught.value)
    assert "broken-env" in message and "non-zero code: 3" in message
    assert "no such package: left-pad-9" in message
    assert not docker_client.images.list(filters={"label": "reciprocal.environment=broken-env",
                                                  "dangling": False})


def test_an_image_built_elsewhere_and_loaded_is_used_as_is(shell_environment: str,
                                                           tmp_path: Path,
                                                           docker_client: Any) -> None:
    """`docker load` of an exported image: the tag is the content's, so a worker finds it."""
    folder = tmp_path / "environment"
    folder.mkdir()
    (folder / "Dockerfile").write_text(DOCKERFILE)
    (folder / "shtest").write_text(SHTEST)
    (folder / "shtest-warm").write_text(SHTEST_WARM)
    assert environment_tag("shell-test", folder, "command") == shell_environment
    assert docker_client.images.get(shell_environment).labels.get(
        "reciprocal.environment") == "shell-test"

