"""JUnit XML parsing with defusedxml: the report is written inside the candidate's container."""

from __future__ import annotations

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from reciprocal.runner.results import TestOutcome

MAX_REPORT_CHARS = 5_000_000
MAX_CASES = 20_000
MAX_MESSAGE_CHARS = 4_000
_OUTCOME_TAGS = {"failure": "failed", "error": "error", "skipped": "skipped"}
# The harness names each case's top-level test in a property of its own.
TOP_PROPERTY = "reciprocal.top"


class JUnitError(ValueError):
    """The report is not usable JUnit XML."""


def parse_junit(xml: str) -> list[TestOutcome]:
    """Test outcomes from a JUnit XML document (``<testsuites>`` or a single ``<testsuite>``).

    Raises JUnitError when the document is too big, malformed or uses DTD/entity tricks.
    """
    if len(xml) > MAX_REPORT_CHARS:
        raise JUnitError(f"the JUnit report is larger than {MAX_REPORT_CHARS} characters")
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise JUnitError(f"the JUnit report could not be parsed: {exc}") from exc
    if root.tag not in ("testsuites", "testsuite"):
        raise JUnitError(f"unexpected JUnit root element <{root.tag}>")
    outcomes: list[TestOutcome] = []
    for case in root.iter("testcase"):
        if len(outcomes) >= MAX_CASES:
            raise JUnitError(f"the JUnit report lists more than {MAX_CASES} tests")
        outcome, message, top = "passed", "", ""
        for child in case:
            if child.tag == "properties":
                top = _property(child, TOP_PROPERTY) or top
                continue
            mapped = _OUTCOME_TAGS.get(child.tag)
            if mapped is None:
                continue
            outcome = mapped
            message = _message(child.get("message") or "", child.text or "")
            break
        outcomes.append(
            TestOutcome(
                name=(case.get("name") or "")[:500],
                classname=(case.get("classname") or "")[:500],
                outcome=outcome,
                duration=_seconds(case.get("time")),
                message=message,
                top=top[:1000],
            )
        )
    return outcomes


def _property(properties: object, name: str) -> str:
    for item in properties.iter("property"):  # type: ignore[attr-defined]
        if item.get("name") == name:
            return str(item.get("value") or "")
    return ""


def _message(summary: str, body: str) -> str:
    summary, body = summary.strip(), body.strip()
    if body.startswith(summary) or not summary:
        text = body or summary
    else:
        text = f"{summary}\n{body}" if body else summary
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + "\n[... message truncated ...]"
    return text


def _seconds(value: str | None) -> float:
    try:
        seconds = float(value or 0)
    except ValueError:
        return 0.0
    return seconds if 0 <= seconds < 1e7 else 0.0
