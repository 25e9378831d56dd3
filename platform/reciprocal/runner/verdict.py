"""The verdict of a run: what the worker observed turned into a RunResult with a human reason.

With the run's nonce, the report is checked first (runner.integrity): an altered report makes
the run an error whatever its counts say.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reciprocal.runner import integrity
from reciprocal.runner.junit import JUnitError, parse_junit
from reciprocal.runner.limits import Limits
from reciprocal.runner.results import RunResult, TestOutcome


@dataclass
class Outcome:
    """What the worker observed about the container, before interpretation."""

    document: dict[str, Any] | None
    exit_code: int | None
    oom_killed: bool
    hard_timeout: bool
    duration: float


def interpret(
    outcome: Outcome, *, limits: Limits, base: RunResult, nonce: str = "", language: str = ""
) -> RunResult:
    """Turn what the worker observed into a RunResult with a human reason; with the run's
    ``nonce``, the report is checked (runner.integrity) and an altered one becomes an error."""
    result = _verdict(outcome, limits=limits, base=base, nonce=nonce, language=language)
    if result.integrity == integrity.ALTERED:
        result.status = "error"
        result.reason = integrity.ALTERED_REASON
        if result.tests:
            result.reason += f" (the altered report claimed {result.passed} passed, " \
                f"{result.failed + result.errors} failed)"
    return result


def _verdict(
    outcome: Outcome, *, limits: Limits, base: RunResult, nonce: str, language: str
) -> RunResult:
    result = base
    result.exit_code = outcome.exit_code
    result.duration_seconds = round(outcome.duration, 3)
    document = outcome.document or {}
    oom = outcome.oom_killed or int(document.get("oom_kills") or 0) > 0
    result.oom_killed = oom
    result.output = str(document.get("output") or "")
    result.output_truncated = bool(document.get("output_truncated"))
    tests, junit_problem = _tests(document)
    evidence = document.get("integrity")
    if isinstance(evidence, Mapping):
        result.checks = str(evidence.get("checks") or "")[:60]
        result.judge = str(evidence.get("judge") or "")[:10]
    result.screenshots = screenshots(document.get("screenshots"))
    steps = document.get("steps")
    if isinstance(steps, Mapping):
        result.steps = {str(k)[:20]: float(v) for k, v in list(steps.items())[:10]
                        if isinstance(v, int | float)}
    if nonce and outcome.document is not None and not document.get("harness_error"):
        checked = integrity.check_run(tests, document, nonce, language)
        result.integrity, result.integrity_evidence = checked.status, checked.evidence
        tests = integrity.without_sentinels(tests, nonce, language)
        if checked.status != integrity.ALTERED:
            integrity.candidate_ids(tests, document, nonce, language)
    _count(result, tests)
    memory_reason = f"Out of memory ({limits.memory_mb} MB limit)"

    if outcome.hard_timeout or document.get("timed_out"):
        result.status = "timed_out"
        result.reason = f"Killed after {limits.timeout_seconds} s wall-clock limit"
        if oom:
            result.reason += f"; a process also ran out of memory ({limits.memory_mb} MB limit)"
        return result
    if outcome.document is None:
        result.status = "error"
        result.reason = (
            memory_reason
            if oom
            else (
                "The test run ended without a report: the runner process was killed or exited "
                f"early (container exit code {outcome.exit_code})"
            )
        )
        return result
    if document.get("harness_error"):
        result.status = "error"
        result.reason = (
            f"The submission could not be prepared for testing: {document['harness_error']}"
        )
        return result
    if document.get("build_failed"):
        result.status = "error"
        result.reason = "The submission did not build"
        return result
    if junit_problem is not None or not tests:
        result.status = "error"
        if oom:
            result.reason = memory_reason
        elif _killed(document):
            result.reason = (
                f"The test process was killed (signal {-int(document['exit_code'])}) "
                "before it wrote a report"
            )
        elif junit_problem is not None:
            result.reason = f"The tests produced no usable report: {junit_problem}"
        else:
            result.reason = "No tests were run"
        return result
    ran = result.passed + result.failed
    if ran == 0 and result.errors > 0:
        result.status = "error"
        result.reason = (
            f"The hidden tests could not run against the submission ({result.errors} "
            f"error{'s' if result.errors != 1 else ''} while loading them)"
        )
    elif result.failed + result.errors == 0:
        result.status = "passed"
        result.reason = f"All {ran} tests passed" if ran != 1 else "The test passed"
    else:
        result.status = "failed"
        bad = result.failed + result.errors
        result.reason = f"{bad} of {ran + result.errors} tests failed"
    if oom:
        result.reason += f"; a process ran out of memory ({limits.memory_mb} MB limit)"
    return result


MAX_SCREENSHOTS = 12
MAX_SCREENSHOT_CHARS = 4_200_000  # 3 MB of PNG as base64


def screenshots(raw: object) -> list[dict[str, Any]]:
    """The photographs the harness sent, checked: a name, a width, base64 PNG within caps."""
    found: list[dict[str, Any]] = []
    for item in raw if isinstance(raw, list) else []:
        if len(found) >= MAX_SCREENSHOTS or not isinstance(item, Mapping):
            continue
        name, width, png = item.get("name"), item.get("width"), item.get("png")
        if not (isinstance(name, str) and re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,80}", name)
                and isinstance(png, str) and len(png) <= MAX_SCREENSHOT_CHARS
                and png.startswith("iVBORw0KGgo")):  # the PNG signature, base64
            continue
        found.append({"name": name, "png": png,
                      "width": width if isinstance(width, int) and 0 < width < 10_000 else None})
    return found


def _tests(document: Mapping[str, Any]) -> tuple[list[TestOutcome], str | None]:
    junit = document.get("junit")
    if isinstance(junit, str) and not junit.strip():
        return [], document.get("report_error") or "the report is empty"
    if not isinstance(junit, str):
        return [], document.get("report_error") or None
    try:
        return parse_junit(junit), None
    except JUnitError as exc:
        return [], str(exc)


def _count(result: RunResult, tests: list[TestOutcome]) -> None:
    result.tests = tests
    result.passed = sum(1 for t in tests if t.outcome == "passed")
    result.failed = sum(1 for t in tests if t.outcome == "failed")
    result.errors = sum(1 for t in tests if t.outcome == "error")
    result.skipped = sum(1 for t in tests if t.outcome == "skipped")


def _killed(document: Mapping[str, Any]) -> bool:
    code = document.get("exit_code")
    return isinstance(code, int) and code < 0
