"""How observations become a RunResult (engine.interpret) and the nonce check."""

from __future__ import annotations

import json

from reciprocal.runner import Limits, RunResult
from reciprocal.runner.engine import _Outcome, interpret, last_document

LIMITS = Limits(memory_mb=256, timeout_seconds=60)
PASS = '<testsuite><testcase name="a"/><testcase name="b"/></testsuite>'
FAIL = (
    '<testsuite><testcase name="a"/>'
    '<testcase name="b"><failure message="no"/></testcase></testsuite>'
)


def verdict(document: dict | None, **observed: object) -> RunResult:
    outcome = _Outcome(
        document=document,
        exit_code=observed.get("exit_code", 0),  # type: ignore[arg-type]
        oom_killed=bool(observed.get("oom", False)),
        hard_timeout=bool(observed.get("hard_timeout", False)),
        duration=1.5,
    )
    return interpret(outcome, limits=LIMITS, base=RunResult(status="error", reason=""))


def doc(**fields: object) -> dict:
    return {"reciprocal": 1, "nonce": "n", "exit_code": 0, "output": "out", **fields}


def test_passed_and_failed() -> None:
    assert verdict(doc(junit=PASS)).reason == "All 2 tests passed"
    failed = verdict(doc(junit=FAIL, exit_code=1))
    assert (failed.status, failed.reason, failed.failed) == ("failed", "1 of 2 tests failed", 1)


def test_timeouts() -> None:
    assert verdict(None, hard_timeout=True).reason == "Killed after 60 s wall-clock limit"
    soft = verdict(doc(timed_out=True, junit=None, output="partial"))
    assert (soft.status, soft.output) == ("timed_out", "partial")


def test_oom_without_report() -> None:
    result = verdict(doc(junit=None, exit_code=-9), oom=True)
    assert (result.status, result.reason) == ("error", "Out of memory (256 MB limit)")
    assert verdict(doc(junit=None, oom_kills=1)).oom_killed


def test_errors() -> None:
    assert verdict(None, exit_code=137).reason.startswith("The test run ended without a report")
    assert verdict(doc(build_failed=True)).reason == "The submission did not build"
    assert "killed (signal 9)" in verdict(doc(junit=None, exit_code=-9)).reason
    assert (
        verdict(doc(junit="")).reason == "The tests produced no usable report: the report is empty"
    )
    assert verdict(doc(junit="<nope")).status == "error"
    assert verdict(doc(junit="<testsuite/>")).reason == "No tests were run"
    assert verdict(doc(harness_error="bad tar")).reason.endswith("bad tar")
    only_errors = '<testsuite><testcase name="x"><error message="import"/></testcase></testsuite>'
    assert "could not run against the submission" in verdict(doc(junit=only_errors)).reason


def test_last_document_requires_the_nonce() -> None:
    real = json.dumps({"reciprocal": 1, "nonce": "secret", "junit": "real"}).encode()
    forged = json.dumps({"reciprocal": 1, "nonce": "guess", "junit": "forged"}).encode()
    log = b"noise\n" + real + b"\n" + forged + b'\n{"reciprocal": 1, "nonce": "secr'
    found = last_document(log, "secret")
    assert found is not None and found["junit"] == "real"
    assert last_document(forged, "secret") is None
