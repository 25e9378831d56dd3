"""Forged verdicts (issue 12, item 1) on failing starters in the real runner containers: each
ends altered (status error) or flagged with file and line, never a clean pass."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from reciprocal.runner import Limits, run_tests

pytestmark = pytest.mark.docker

ASSIGNMENTS = Path(__file__).resolve().parents[3] / "assignments"
LIMITS = Limits(timeout_seconds=90)

REPORT_PATCH = """
import _pytest.reports as _reports

_original = _reports.TestReport.from_item_and_call.__func__


def _always_passed(cls, item, call):
    report = _original(cls, item, call)
    report.outcome = "passed"
    report.longrepr = None
    return report


_reports.TestReport.from_item_and_call = classmethod(_always_passed)
"""

ATEXIT_JUNIT = """
import atexit, glob, re


def _strip():
    for path in glob.glob("/tmp/reciprocal-report-*/*"):
        text = open(path).read()
        open(path, "w").write(re.sub(r"<failure[^>]*>.*?</failure>", "", text, flags=re.S))


atexit.register(_strip)
"""


def starter(tmp_path: Path, slug: str, extra: dict[str, str], append: dict[str, str]) -> Path:
    root = tmp_path / "submission"
    shutil.copytree(ASSIGNMENTS / slug / "starter", root)
    for rel, text in extra.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))
    for rel, text in append.items():
        with (root / rel).open("a") as out:
            out.write(textwrap.dedent(text))
    return root


def grade(tmp_path: Path, slug: str, language: str, *, extra: dict[str, str] | None = None,
          append: dict[str, str] | None = None):
    sub = starter(tmp_path, slug, extra or {}, append or {})
    return run_tests(language, sub, ASSIGNMENTS / slug / "tests", LIMITS)


def assert_altered(result) -> None:
    assert result.integrity == "altered", (result.status, result.reason, result.integrity_evidence)
    assert result.status == "error"
    assert result.reason.startswith("The test results were altered by the submission")
    assert any(item["alters"] for item in result.integrity_evidence)


def assert_not_clean_pass(result) -> None:
    assert not (result.status == "passed" and result.integrity == "clean"), result.reason


def test_patched_test_report_is_altered(runner_images: dict[str, str], tmp_path: Path) -> None:
    """The issue's 15 lines in the package __init__: every report says passed."""
    result = grade(tmp_path, "customer-directory", "python",
                   append={"directory/__init__.py": REPORT_PATCH})
    assert_altered(result)
    kinds = {item["kind"] for item in result.integrity_evidence}
    assert "sentinel" in kinds
    guard = [i for i in result.integrity_evidence if i["kind"] == "guard:patches-test-tool"]
    assert guard and guard[0]["file"] == "directory/__init__.py" and guard[0]["line"] > 0
    assert not any("test_" + "0" in t.name for t in result.tests)


def test_atexit_rewriting_the_report_file_changes_nothing(
    runner_images: dict[str, str], tmp_path: Path
) -> None:
    """There is no report file to rewrite: the honest failures stand."""
    result = grade(tmp_path, "customer-directory", "python",
                   append={"directory/__init__.py": ATEXIT_JUNIT})
    assert result.status == "failed", (result.reason, result.integrity_evidence)
    assert result.failed > 50
    assert result.integrity in ("clean", "flagged")


def test_os_exit_zero_is_altered(runner_images: dict[str, str], tmp_path: Path) -> None:
    """pytest's exit status is replaced by 0 at exit: a must-fail sentinel ran, so it lies."""
    result = grade(tmp_path, "customer-directory", "python", append={
        "directory/__init__.py": "\nimport atexit, os\natexit.register(os._exit, 0)\n"})
    assert_altered(result)
    assert any(item["kind"] == "exit" for item in result.integrity_evidence)


def test_conftest_sitecustomize_and_fake_junit_are_ignored(
    runner_images: dict[str, str], tmp_path: Path
) -> None:
    """The candidate's conftest.py and sitecustomize.py never load; a JUnit file it ships is
    never read: the starter still fails honestly."""
    forge = "def pytest_runtest_logreport(report):\n    report.outcome = 'passed'\n"
    result = grade(tmp_path, "customer-directory", "python", extra={
        "conftest.py": forge,
        "sitecustomize.py": "import _pytest\n",
        "junit.xml": '<testsuite tests="66" failures="0"></testsuite>',
    })
    assert result.status == "failed", (result.reason, result.integrity_evidence)
    assert result.integrity in ("clean", "flagged")


def test_go_init_rewriting_stdout_is_altered(runner_images: dict[str, str],
                                             tmp_path: Path) -> None:
    forge = """
    package logdigest

    import (
    \t"bufio"
    \t"os"
    \t"strings"
    )

    func init() {
    \tr, w, _ := os.Pipe()
    \treal := os.Stdout
    \tos.Stdout = w
    \tgo func() {
    \t\tscanner := bufio.NewScanner(r)
    \t\tfor scanner.Scan() {
    \t\t\tline := strings.ReplaceAll(scanner.Text(), "--- FAIL", "--- PASS")
    \t\t\tline = strings.ReplaceAll(line, "FAIL", "PASS")
    \t\t\treal.WriteString(line + "\\n")
    \t\t}
    \t}()
    }
    """
    result = grade(tmp_path, "log-digest", "go", extra={"logdigest/zz_forge.go": forge})
    assert_not_clean_pass(result)
    assert result.status != "passed", (result.reason, result.integrity_evidence)
    # goscan read it with go/ast: where os.Stdout is replaced and go test's output imitated.
    assert scan_findings(result, "logdigest/zz_forge.go") >= {
        (13, "replaces os.Stdout"), (17, "prints text that imitates go test's output (--- PASS)")}


def scan_findings(result, file: str) -> set[tuple[int, str]]:
    return {(item.get("line"), item["detail"]) for item in result.integrity_evidence
            if item["kind"] == "scan" and item.get("file") == file}


def test_node_noop_assert_is_altered(runner_images: dict[str, str], tmp_path: Path) -> None:
    forge = """
    const strict = require('node:assert/strict');
    for (const key of Object.keys(strict)) {
      if (typeof strict[key] === 'function') strict[key] = () => {};
    }
    """
    sub = starter(tmp_path, "pricing-table", {}, {})
    entry = sub / "src" / "pricingTable.js"
    entry.write_text(textwrap.dedent(forge) + entry.read_text())
    result = run_tests("node", sub, ASSIGNMENTS / "pricing-table" / "tests", LIMITS)
    assert_altered(result)
    assert (4, "reassigns a method of node:assert (strict[key])") in scan_findings(
        result, "src/pricingTable.js")


def test_node_tests_registered_by_the_submission_are_altered(
        runner_images: dict[str, str], tmp_path: Path) -> None:
    """The candidate's module registers passing tests of its own when the hidden tests load it:
    the sentinels still hold, but the report has ids the hidden tests' syntax does not."""
    forge = """
    const { test } = require('node:test');
    for (let i = 0; i < 20; i += 1) test(`renders plan ${i}`, () => {});
    """
    sub = starter(tmp_path, "pricing-table", {}, {})
    entry = sub / "src" / "pricingTable.js"
    entry.write_text(textwrap.dedent(forge) + entry.read_text())
    result = run_tests("node", sub, ASSIGNMENTS / "pricing-table" / "tests", LIMITS)
    assert_altered(result)
    ids = [i["detail"] for i in result.integrity_evidence if i["kind"] == "ids"]
    assert any("the hidden tests do not have" in d and "renders plan" in d for d in ids), ids
    assert (2, "loads node:test outside the tests") in scan_findings(result, "src/pricingTable.js")


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


def test_the_candidate_cannot_reach_the_report_or_the_hidden_tests(
    runner_images: dict[str, str], tmp_path: Path
) -> None:
    """The tests run as uid 10001, the harness as root: /work/hidden and the sentinels are
    read-only, the harness's descriptors are closed to the candidate, no report file exists."""
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    (hidden / "test_reach.py").write_text(textwrap.dedent("""
        import glob, os
        import pytest

        def test_hidden_is_read_only():
            for path in ("/work/hidden/test_reach.py", "/work/hidden/new.py",
                         *glob.glob("/work/.sentinel/*")):
                with pytest.raises(PermissionError):
                    open(path, "a")

        def test_harness_is_another_uid():
            status = open(f"/proc/{os.getppid()}/status").read()
            assert "Uid:\\t0\\t" in status

        def test_no_report_file():
            assert glob.glob("/tmp/reciprocal-report-*") == []
    """))
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "solution.py").write_text("VALUE = 1\n")
    result = run_tests("python", sub, hidden, LIMITS)
    assert result.status == "passed", result.output
    assert result.passed == 3
    assert result.integrity == "clean", result.integrity_evidence
