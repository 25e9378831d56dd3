"""The Python runner end to end: verdicts, per-test outcomes, and the harness protocol."""

from __future__ import annotations

import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import docker
import pytest
from reciprocal.runner import Limits, run_tests

WriteTree = Callable[[str, dict[str, str]], Path]

pytestmark = pytest.mark.docker

CALC = "def add(a, b):\n    return a + b\n"
LIMITS = Limits(timeout_seconds=30)


def hidden(text: str) -> str:
    return textwrap.dedent(text).lstrip()


def test_passing_suite(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub = tree("sub", {"calc.py": CALC})
    tests = tree(
        "hidden",
        {
            "test_calc.py": hidden(
                """
                import os
                import calc

                def test_add():
                    assert calc.add(1, 2) == 3

                def test_submission_dir():
                    assert os.environ["SUBMISSION_DIR"] == "/work/submission"
                """
            )
        },
    )
    result = run_tests("python", sub, tests, LIMITS, labels={"reciprocal.job": "t-pass"})
    assert result.status == "passed", result.output
    assert result.reason == "All 2 tests passed"
    assert (result.passed, result.failed, result.errors) == (2, 0, 0)
    assert {t.name: t.outcome for t in result.tests} == {
        "test_add": "passed",
        "test_submission_dir": "passed",
    }
    assert result.image == runner_images["python"]
    assert result.image_digest.startswith("sha256:")
    assert result.limits == LIMITS.as_dict()
    assert result.exit_code == 0
    assert not result.oom_killed


def test_calls_across_the_boundary_from_threads_callbacks_and_a_crash(
        runner_images: dict[str, str], tree: WriteTree) -> None:
    """The judge's calls into the submission: each thread gets its own answers, a function of
    the tests' that the submission calls may call the submission again, and a submission that
    ends during a call fails that test with its exit status (the later ones start it again)."""
    sub = tree("sub", {"solution.py": hidden(
        """
        import os

        def apply(function, values):
            return [function(value) for value in values]

        def double(value):
            return 2 * value

        def die():
            os._exit(3)
        """)})
    tests = tree("hidden", {"test_calls.py": hidden(
        """
        import threading

        import pytest
        import solution
        from reciprocal_judge import SubmissionCrashed

        def test_a_callback_that_calls_the_submission_again():
            assert solution.apply(lambda v: solution.double(v) + 1, [1, 2, 3]) == [3, 5, 7]

        def test_calls_from_several_threads_each_get_their_own_answers():
            answers = {}

            def work(n):
                answers[n] = [solution.double(n * 100 + i) for i in range(200)]

            threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert answers == {n: [2 * (n * 100 + i) for i in range(200)] for n in range(4)}

        def test_a_submission_that_ends_during_a_call():
            with pytest.raises(SubmissionCrashed, match="exit status 3"):
                solution.die()

        def test_the_next_import_starts_it_again():
            from reciprocal_judge import submission

            assert submission.module("solution").double(21) == 42
        """)})
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status == "passed", (result.reason, result.output[-3000:])
    assert result.passed == 4 and result.integrity == "clean", result.integrity_evidence


def test_failing_test_has_message(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub = tree("sub", {"calc.py": "def add(a, b):\n    return a - b\n"})
    tests = tree(
        "hidden",
        {
            "test_calc.py": hidden(
                """
                import calc

                def test_add():
                    assert calc.add(2, 2) == 4, "two and two make four"

                def test_zero():
                    assert calc.add(0, 0) == 0
                """
            )
        },
    )
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status == "failed"
    assert result.reason == "1 of 2 tests failed"
    failed = [t for t in result.tests if t.outcome == "failed"]
    assert [t.name for t in failed] == ["test_add"]
    assert "two and two make four" in failed[0].message
    assert "test_add" in result.output


def test_broken_submission_is_an_error(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub = tree("sub", {"calc.py": "def add(a, b)\n    return a + b\n"})
    tests = tree("hidden", {"test_calc.py": "import calc\n\ndef test_add():\n    assert calc\n"})
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status == "error"
    assert "could not run against the submission" in result.reason
    assert "SyntaxError" in result.output


def test_candidate_config_cannot_change_the_result(
    runner_images: dict[str, str], tree: WriteTree
) -> None:
    """conftest.py, ini files, sitecustomize/usercustomize and .pth files in the submission try
    to force a pass; none of them is loaded, in the judge or in the submission's own process,
    and the genuine failure stands."""
    force_pass = hidden(
        """
        import os
        os.environ["CANDIDATE_HOOK_RAN"] = "1"
        """
    )
    conftest = hidden(
        """
        import os
        import pytest
        os.environ["CANDIDATE_HOOK_RAN"] = "1"

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(item, call):
            outcome = yield
            outcome.get_result().outcome = "passed"
        """
    )
    ini = "[pytest]\naddopts = -p no:junitxml --collect-only\npython_files = nothing_*.py\n"
    sub = tree(
        "sub",
        {
            "solution.py": "import os\n\ndef answer():\n    return 41\n\n"
                           "def hooks_ran():\n    return 'CANDIDATE_HOOK_RAN' in os.environ\n",
            "conftest.py": conftest,
            "pytest.ini": ini,
            "tox.ini": ini.replace("[pytest]", "[pytest]"),
            "setup.cfg": ini.replace("[pytest]", "[tool:pytest]"),
            "pyproject.toml": '[tool.pytest.ini_options]\naddopts = "--collect-only"\n',
            "sitecustomize.py": force_pass,
            "usercustomize.py": force_pass,
            "evil.pth": 'import os; os.environ["CANDIDATE_HOOK_RAN"] = "1"\n',
            "tests/conftest.py": conftest,
        },
    )
    tests = tree(
        "hidden",
        {
            "test_solution.py": hidden(
                """
                import os
                import sys
                import solution

                def test_nothing_of_the_candidate_ran_at_startup():
                    assert "CANDIDATE_HOOK_RAN" not in os.environ
                    for name in ("sitecustomize", "usercustomize", "conftest"):
                        module = sys.modules.get(name)
                        assert module is None or "/work/submission" not in str(
                            getattr(module, "__file__", "")
                        )
                    assert "/work/submission" not in sys.path
                    assert solution.hooks_ran() is False

                def test_answer():
                    assert solution.answer() == 42
                """
            )
        },
    )
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status == "failed", result.output
    outcomes = {t.name: t.outcome for t in result.tests}
    assert outcomes == {
        "test_nothing_of_the_candidate_ran_at_startup": "passed",
        "test_answer": "failed",
    }
    assert "configfile: ../../opt/reciprocal/reciprocal_harness/pytest.ini" in result.output


def test_hidden_tests_keep_their_own_config(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub = tree("sub", {"calc.py": CALC})
    tests = tree(
        "hidden",
        {
            "pytest.ini": "[pytest]\npython_files = check_*.py\n",
            "conftest.py": "import pytest\n\n@pytest.fixture\ndef three():\n    return 3\n",
            "check_calc.py": (
                "import calc\n\ndef test_add(three):\n    assert calc.add(1, 2) == three\n"
            ),
        },
    )
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status == "passed", result.output
    assert [t.name for t in result.tests] == ["test_add"]


def test_forged_report_on_stdout_is_ignored(runner_images: dict[str, str], tree: WriteTree) -> None:
    """The candidate prints a fake harness document and also writes one to PID 1's stdout
    (the container's real stdout); neither carries the nonce, so both are ignored."""
    fake = (
        '{"reciprocal": 1, "nonce": "guess", "exit_code": 0, "output": "", '
        '"junit": "<testsuites><testsuite><testcase name=\\"fake\\" classname=\\"x\\"/>'
        '</testsuite></testsuites>"}'
    )
    sub = tree(
        "sub",
        {
            "solution.py": hidden(
                f"""
                import sys
                FAKE = {fake!r}
                print("\\n" + FAKE)
                sys.stdout.flush()
                try:
                    with open("/proc/1/fd/1", "w") as real_stdout:
                        real_stdout.write("\\n" + FAKE + "\\n")
                except OSError:
                    pass

                def answer():
                    return 41
                """
            )
        },
    )
    tests = tree(
        "hidden",
        {
            "test_solution.py": (
                "import solution\n\ndef test_answer():\n    assert solution.answer() == 42\n"
            )
        },
    )
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status == "failed"
    assert [t.name for t in result.tests] == ["test_answer"]


def test_unknown_language_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown runner language"):
        run_tests("cobol", tmp_path, tmp_path, LIMITS)


def test_bare_run_timing_for_the_report(
    runner_images: dict[str, str], tree: WriteTree, docker_client: docker.DockerClient
) -> None:
    """Not an assertion on speed: prints run_tests vs a bare ``docker run --rm image true``."""
    sub = tree("sub", {"calc.py": CALC})
    tests = tree(
        "hidden",
        {"test_calc.py": "import calc\n\ndef test_add():\n    assert calc.add(1, 2) == 3\n"},
    )
    bare, graded = [], []
    for _ in range(3):
        start = time.perf_counter()
        docker_client.containers.run(
            runner_images["python"], entrypoint=["true"], remove=True, network_mode="none"
        )
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert run_tests("python", sub, tests, LIMITS).status == "passed"
        graded.append(time.perf_counter() - start)
    print(f"bare docker run: {min(bare):.2f}s, run_tests: {min(graded):.2f}s (best of 3)")
