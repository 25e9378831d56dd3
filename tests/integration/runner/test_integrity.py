"""The verdict's integrity in the real runner containers: reference solutions pass clean with
the checks their language supports, and the submission's uid cannot reach the hidden tests, the
judge or the report. The known forgeries are tests/redteam's (test_redteam.py)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from reciprocal.runner import Limits, run_tests

from tests.support.paths import ASSIGNMENTS

pytestmark = pytest.mark.docker

LIMITS = Limits(timeout_seconds=90)
CHECKS = {"python": "boundary+sentinels+ids", "node": "sentinels+ids+scan",
          "go": "sentinels+ids+scan"}


@pytest.mark.parametrize(("slug", "language"), [
    ("customer-directory", "python"), ("invoice-bugfix", "python"),
    ("orders-reconcile", "python"), ("timeseries-store", "python"), ("log-digest", "go"),
    ("pricing-table", "node"), ("rest-client", "node")])
def test_reference_solutions_pass_clean(runner_images: dict[str, str], slug: str,
                                        language: str) -> None:
    result = run_tests(language, ASSIGNMENTS / slug / "solution", ASSIGNMENTS / slug / "tests",
                       LIMITS)
    assert result.status == "passed", (result.reason, result.integrity_evidence)
    assert result.integrity == "clean", result.integrity_evidence
    assert not any("sentinel" in t.name or (t.name.startswith("TestR") and len(t.name) == 21)
                   for t in result.tests)
    assert result.checks == CHECKS[language]
    # Every hidden test can be named to the candidate, by its top-level id.
    assert all(t.candidate_id and t.candidate_id == t.top for t in result.tests)


def test_the_candidate_cannot_reach_the_report_or_the_hidden_tests(
    runner_images: dict[str, str], tmp_path: Path
) -> None:
    """The hidden tests run in a judge (uid 10002) that never imports the submission; the
    submission's own process (uid 10001) cannot read the hidden tests or the sentinels, signal
    the judge or read its memory, and no report file exists anywhere."""
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "test_reach.py").write_text(textwrap.dedent("""
        import glob, os
        import pytest
        from probe import attempts

        def test_hidden_is_read_only_for_the_judge():
            for path in ("/work/hidden/test_reach.py", "/work/hidden/new.py",
                         *glob.glob("/work/.sentinel/*")):
                with pytest.raises(PermissionError):
                    open(path, "a")

        def test_the_judge_is_another_uid_than_the_submission_and_the_harness():
            assert os.getuid() == 10002
            status = open(f"/proc/{os.getppid()}/status").read()
            assert "Uid:\t0\t" in status

        def test_the_submission_reaches_nothing_of_the_judge():
            found = attempts(os.getpid())
            assert found["uid"] == 10001
            assert found["imported_by_the_judge"] is False
            assert found["hidden"] == ["PermissionError"] * len(found["hidden"])
            assert found["hidden"], "the probe found no hidden file to try"
            assert found["signal"] == "PermissionError"
            assert found["memory"] == "PermissionError"
            assert found["reports"] == []
    """))
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "probe.py").write_text(textwrap.dedent("""
        import glob, os, sys

        def _error(action):
            try:
                action()
            except OSError as exc:
                return type(exc).__name__
            return "allowed"

        def attempts(judge_pid):
            paths = ["/work/hidden/test_reach.py", *glob.glob("/work/.sentinel/*"),
                     "/work/.sentinel/x"]
            return {
                "uid": os.getuid(),
                "imported_by_the_judge": "pytest" in sys.modules,
                "hidden": [_error(lambda p=p: open(p).read()) for p in paths[:2]],
                "signal": _error(lambda: os.kill(judge_pid, 0)),
                "memory": _error(lambda: open(f"/proc/{judge_pid}/mem", "rb").read(1)),
                "reports": glob.glob("/tmp/reciprocal-report-*"),
            }
    """))
    result = run_tests("python", sub, hidden, LIMITS)
    assert result.status == "passed", result.output
    assert result.passed == 3
    assert result.integrity == "clean", result.integrity_evidence
    assert result.checks == "boundary+sentinels+ids"
