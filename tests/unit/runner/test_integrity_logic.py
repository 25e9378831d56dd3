"""Pure logic of verdict integrity: sentinel derivation (worker and harness agree), id
comparison, the checks on a report, and what a candidate may be shown of a test."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from reciprocal.runner import integrity
from reciprocal.runner.results import TestOutcome

from tests.support.harness import harness_modules

NONCE = "0123456789abcdef0123456789abcdef"


@pytest.fixture(scope="module")
def harness() -> SimpleNamespace:
    return harness_modules()


def case(name: str, outcome: str, classname: str = "test_x.py", top: str = "") -> TestOutcome:
    return TestOutcome(name=name, classname=classname, outcome=outcome, duration=0.0, message="",
                       top=top)


def sentinels(outcome_fail: str = "failed", outcome_pass: str = "passed",  # noqa: S107
              ) -> list[TestOutcome]:
    fail, ok = integrity.sentinel_tests(NONCE, "python")
    return [case(n, outcome_fail, "test_s.py") for n in sorted(fail)] + [
        case(n, outcome_pass, "test_s.py") for n in sorted(ok)]


def document(tests: list[TestOutcome], **evidence: object) -> dict[str, object]:
    ids = [f"{t.classname}::{t.name}" for t in tests]
    base: dict[str, object] = {"sentinels": True, "collected": ids, "finished": 1}
    base.update(evidence)
    return {"exit_code": 1, "integrity": base}


@pytest.mark.parametrize("language", ["python", "go", "node"])
def test_worker_and_harness_derive_the_same_sentinels(harness: SimpleNamespace,
                                                      language: str) -> None:
    assert harness.sentinels.sentinel_names(NONCE, language) == integrity.sentinel_names(
        NONCE, language)
    fail, ok = integrity.sentinel_names(NONCE, language)
    assert len(set(fail + ok)) == 4
    assert integrity.sentinel_names("f" * 32, language) != (fail, ok)


def test_an_honest_report_is_clean() -> None:
    tests = [case("test_a", "failed"), case("test_b", "passed"), *sentinels()]
    checked = integrity.check_run(tests, document(tests), NONCE, "python")
    assert (checked.status, checked.evidence) == ("clean", [])
    assert [t.name for t in integrity.without_sentinels(tests, NONCE, "python")] == [
        "test_a", "test_b"]


def test_a_must_fail_sentinel_reported_passed_alters_the_run() -> None:
    tests = [case("test_a", "passed"), *sentinels(outcome_fail="passed")]
    doc = document(tests)
    doc["exit_code"] = 0
    checked = integrity.check_run(tests, doc, NONCE, "python")
    assert checked.status == "altered"
    assert {i["kind"] for i in checked.evidence} == {"sentinel", "exit"}


def test_a_must_pass_sentinel_reported_failed_alters_the_run() -> None:
    tests = sentinels(outcome_pass="failed")
    assert integrity.check_run(tests, document(tests), NONCE, "python").status == "altered"


def test_a_missing_sentinel_alters_the_run() -> None:
    tests = sentinels()[1:]
    assert integrity.check_run(tests, document(tests), NONCE, "python").status == "altered"


def test_missing_and_extra_ids() -> None:
    missing, extra = integrity.compare_ids(["a.py::x", "a.py::y", "b.py::z"],
                                           ["a.py::x", "c.py::forged"], ["b.py"])
    assert missing == ["a.py::y"]
    assert extra == ["c.py::forged"]


def test_extra_or_missing_ids_alter_the_run_unless_the_process_was_killed() -> None:
    tests = [case("test_a", "passed"), *sentinels()]
    doc = document(tests)
    doc["integrity"]["collected"] = [*doc["integrity"]["collected"], "test_x.py::test_gone"]
    assert integrity.check_run(tests, doc, NONCE, "python").status == "altered"
    doc["exit_code"] = -9
    assert integrity.check_run(tests, doc, NONCE, "python").status == "clean"
    forged = [*tests, case("test_forged", "passed")]
    assert integrity.check_run(forged, document(tests), NONCE, "python").status == "altered"


def test_a_test_reported_twice_alters_the_run() -> None:
    tests = sentinels()
    doc = document(tests, duplicates=["test_x.py::test_a"])
    assert integrity.check_run(tests, doc, NONCE, "python").status == "altered"


def test_scan_findings_alter_only_when_they_only_serve_forgery() -> None:
    tests = sentinels()
    warning = {"detail": "calls process.exit", "file": "src/x.js", "line": 3, "alters": False}
    checked = integrity.check_run(tests, document(tests, scan=[warning]), NONCE, "python")
    assert checked.status == "flagged"
    assert checked.evidence == [{"kind": "scan", "detail": "calls process.exit",
                                 "alters": False, "file": "src/x.js", "line": 3}]
    forging = {"detail": "replaces process.stdout.write", "file": "src/x.js", "line": 9,
               "alters": True}
    checked = integrity.check_run(tests, document(tests, scan=[warning, forging]), NONCE,
                                  "python")
    assert checked.status == "altered"


def test_a_collection_error_never_switches_the_checks_off() -> None:
    """A hidden file that failed to load excuses its own ids, nothing else: the sentinels and
    the other files' ids are still checked."""
    tests = [case("test_b", "passed", "test_y.py"),
             case("test_x.py", "error", "test_x.py"), *sentinels(outcome_fail="passed")]
    doc = document(tests, run_collect_errors=["test_x.py"])
    doc["integrity"]["collected"] = ["test_y.py::test_b", "test_y.py::test_c",
                                     *[f"test_s.py::{t.name}" for t in sentinels()]]
    checked = integrity.check_run(tests, doc, NONCE, "python")
    assert checked.status == "altered"
    details = " ".join(e["detail"] for e in checked.evidence)
    assert "must-fail sentinel" in details
    assert "test_y.py::test_c" in details


def test_a_collection_error_naming_no_hidden_file_alters_the_run() -> None:
    tests = sentinels()
    doc = document(tests, forged_collect_errors=["def test_secret(): assert x == 41"])
    checked = integrity.check_run(tests, doc, NONCE, "python")
    assert checked.status == "altered"
    assert "do not have as a collection error" in checked.evidence[0]["detail"]


def test_a_candidate_sees_only_collected_top_level_ids() -> None:
    tests = [case("test_a[1]", "failed", "test_x.py", top="test_x.py::test_a[1]"),
             case("leaked hidden text", "failed", "test_x.py", top="test_x.py::leaked"),
             case("test_x.py", "error", "test_x.py")]
    doc = document(tests)
    doc["integrity"]["collected"] = ["test_x.py::test_a[1]"]
    integrity.candidate_ids(tests, doc, NONCE, "python")
    assert [t.candidate_id for t in tests] == ["test_x.py::test_a[1]", None, None]
    go = [case("TestA/sub", "failed", "example.com/m", top="example.com/m::TestA"),
          case("TestForged", "failed", "example.com/m", top="example.com/m::TestForged")]
    integrity.candidate_ids(go, {"integrity": {"collected": ["TestA"]}}, NONCE, "go")
    assert [t.candidate_id for t in go] == ["example.com/m::TestA", None]


def test_go_package_passing_with_its_must_fail_sentinel_is_altered() -> None:
    fail, ok = integrity.sentinel_tests(NONCE, "go")
    tests = [case(n, "failed", "example.com/m") for n in fail] + [
        case(n, "passed", "example.com/m") for n in ok] + [case("TestA/sub", "passed",
                                                                "example.com/m")]
    evidence = {"sentinels": True, "collected": sorted([*fail, *ok, "TestA"]),
                "packages": {"example.com/m": "fail"}}
    doc = {"exit_code": 1, "integrity": evidence}
    assert integrity.check_run(tests, doc, NONCE, "go").status == "clean"
    evidence["packages"] = {"example.com/m": "pass"}
    assert integrity.check_run(tests, doc, NONCE, "go").status == "altered"


def test_without_harness_evidence_nothing_is_checked() -> None:
    tests = [case("test_a", "passed")]
    assert integrity.check_run(tests, {"exit_code": 0}, NONCE, "python").status == "clean"


def node_run(harness: SimpleNamespace, events: list[dict[str, object]],
             tests: dict[str, list[str] | None]) -> dict[str, object]:
    """The harness's node evidence for reporter events and what node-scan.cjs read."""
    text = "\n".join(json.dumps(e) for e in events)
    return harness.node.node_ids(harness.node.node_events(text),
                                 harness.scan.StaticScan(tests=tests))


def node_tests(outcomes: dict[str, str]) -> list[TestOutcome]:
    fail, ok = integrity.sentinel_tests(NONCE, "node")
    return [case(n, o, "a.test.js") for n, o in outcomes.items()] + [
        case(n, "failed", "a.test.js") for n in sorted(fail)] + [
        case(n, "passed", "a.test.js") for n in sorted(ok)]


def top(name: str, file: str = "/work/hidden/a.test.js", kind: str = "test:pass",
        nesting: int = 0) -> dict[str, object]:
    return {"type": kind, "name": name, "nesting": nesting, "file": file}


def test_node_ids_compare_top_level_tests_with_the_syntax(harness: SimpleNamespace) -> None:
    fail, ok = integrity.sentinel_tests(NONCE, "node")
    sentinel_events = [top(n, kind="test:fail") for n in sorted(fail)] + [
        top(n) for n in sorted(ok)]
    honest = [top("inner", nesting=1), top("suite", kind="test:fail"), top("plain"),
              *sentinel_events]
    evidence = node_run(harness, honest, {"a.test.js": ["suite", "plain"]})
    assert evidence["collected"] == ["a.test.js::plain", "a.test.js::suite"]
    tests = node_tests({"inner": "passed", "plain": "passed"})
    doc = {"exit_code": 1, "integrity": {"sentinels": True, **evidence}}
    assert integrity.check_run(tests, doc, NONCE, "node").status == "clean"

    # Tests registered by the candidate's code, and a hidden test dropped from the report.
    forged = [top("plain"), top("free pass"), top("free pass 2"), *sentinel_events]
    evidence = node_run(harness, forged, {"a.test.js": ["suite", "plain"]})
    checked = integrity.check_run(tests, {"exit_code": 1, "integrity": {
        "sentinels": True, **evidence}}, NONCE, "node")
    assert checked.status == "altered"
    details = " ".join(e["detail"] for e in checked.evidence)
    assert "2 test(s) the hidden tests do not have" in details
    assert "1 collected test(s) are missing" in details


def test_node_files_that_fail_to_load_or_are_dynamic_are_not_compared(
        harness: SimpleNamespace) -> None:
    fail, ok = integrity.sentinel_tests(NONCE, "node")
    events = [top("/work/hidden/b.test.js", file="/work/hidden/b.test.js", kind="test:fail"),
              top("generated 1", file="/work/hidden/c.test.js"), top("plain"),
              *[top(n, kind="test:fail") for n in sorted(fail)], *[top(n) for n in sorted(ok)]]
    evidence = node_run(harness, events, {"a.test.js": ["plain"], "b.test.js": ["never ran"],
                                          "c.test.js": None})
    assert evidence["broken_files"] == ["b.test.js"]
    assert evidence["uncollected_files"] == ["c.test.js"]
    tests = node_tests({"plain": "passed"})
    doc = {"exit_code": 1, "integrity": {"sentinels": True, **evidence}}
    assert integrity.check_run(tests, doc, NONCE, "node").status == "clean"


def test_a_failed_scan_collects_nothing_and_says_so(harness: SimpleNamespace) -> None:
    scan = harness.scan.StaticScan(error="the static scan did not finish (exit 1)")
    assert harness.node.node_ids([], scan) == {}
    assert harness.go.collected(NONCE, scan) is None
    evidence = {"sentinels": True, "collected": None, **scan.evidence(),
                "scan": [{"file": "m/x.go", "line": 4, "detail": "replaces os.Stdout"}]}
    checked = integrity.check_run(node_tests({}), {"exit_code": 1, "integrity": evidence},
                                  NONCE, "node")
    assert checked.status == "flagged"
    assert {"kind": "scan", "detail": "replaces os.Stdout", "file": "m/x.go", "line": 4,
            "alters": False} in checked.evidence
    assert any("could not be collected" in e["detail"] for e in checked.evidence)


def _tool_document(tests: list[TestOutcome], exit_code: int, **extra: object) -> dict[str, object]:
    """A generic test tool's run: ids compared with the reference's, no sentinels."""
    ids = [f"{t.classname}::{t.name}" for t in tests]
    return {"exit_code": exit_code, **extra,
            "integrity": {"checks": "ids", "collected": ids, "isolation": "in-process"}}


def test_a_tool_failing_beside_a_report_of_passes_alters_the_run() -> None:
    tests = [case("test_a", "passed", "A"), case("test_b", "skipped", "A")]
    checked = integrity.check_run(tests, _tool_document(tests, 1), NONCE, "command")
    assert checked.status == "altered"
    assert "exited with failure (status 1)" in checked.evidence[0]["detail"]
    # Agreeing tool and report: clean, whether the tests passed or not.
    assert integrity.check_run(tests, _tool_document(tests, 0), NONCE, "command").status == "clean"
    failing = [case("test_a", "failed", "A"), case("test_b", "passed", "A")]
    assert integrity.check_run(failing, _tool_document(failing, 1), NONCE,
                               "command").status == "clean"
    # A tool killed by a signal (timeout, memory) proves nothing either way.
    assert integrity.check_run(tests, _tool_document(tests, -9), NONCE,
                               "command").status == "clean"


def test_a_tool_that_left_no_report_is_an_error_not_a_forgery() -> None:
    checked = integrity.check_run([], _tool_document(
        [case("test_a", "passed", "A")], 0, report_error="the test tool wrote no JUnit report"),
        NONCE, "command")
    assert checked.status == "clean"
