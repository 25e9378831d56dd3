"""Test cases as the harness collects them, and the JUnit XML it sends the worker."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .protocol import MAX_MESSAGE, clean


@dataclass
class Case:
    name: str
    classname: str
    outcome: str  # passed | failed | error | skipped
    seconds: float = 0.0
    message: str = ""
    # The top-level test this case belongs to, as collected from the hidden tests alone
    # (file::test for pytest and node, package::TestX for go); what a candidate may see.
    top: str = ""


def to_junit(cases: list[Case], suite: str) -> str:
    root = ET.Element("testsuites")
    counts = {k: sum(1 for c in cases if c.outcome == k) for k in ("failed", "error", "skipped")}
    node = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(cases)),
        failures=str(counts["failed"]),
        errors=str(counts["error"]),
        skipped=str(counts["skipped"]),
    )
    for case in cases:
        element = ET.SubElement(
            node,
            "testcase",
            name=clean(case.name),
            classname=clean(case.classname),
            time=f"{case.seconds:.3f}",
        )
        if case.top:
            properties = ET.SubElement(element, "properties")
            ET.SubElement(properties, "property", name="reciprocal.top", value=clean(case.top))
        tag = {"failed": "failure", "error": "error", "skipped": "skipped"}.get(case.outcome)
        if tag:
            message = clean(case.message)[:MAX_MESSAGE]
            child = ET.SubElement(element, tag, message=message.split("\n", 1)[0][:500])
            child.text = message
    return ET.tostring(root, encoding="unicode")
