"""JUnit parsing: outcomes, message caps and hostile XML."""

from __future__ import annotations

import pytest
from reciprocal.runner.junit import MAX_MESSAGE_CHARS, JUnitError, parse_junit

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4">
  <testcase classname="test_a" name="test_ok" time="0.010"/>
  <testcase classname="test_a" name="test_bad" time="0.5">
    <failure message="assert 1 == 2">test_a.py:3: in test_bad</failure>
  </testcase>
  <testcase classname="test_a" name="test_boom" time="x">
    <error message="fixture failed"/></testcase>
  <testcase classname="test_a" name="test_later"><skipped message="not yet"/></testcase>
</testsuite></testsuites>"""


def test_outcomes_and_messages() -> None:
    cases = parse_junit(REPORT)
    assert [(c.name, c.outcome) for c in cases] == [
        ("test_ok", "passed"),
        ("test_bad", "failed"),
        ("test_boom", "error"),
        ("test_later", "skipped"),
    ]
    assert cases[0].duration == pytest.approx(0.01)
    assert cases[1].message == "assert 1 == 2\ntest_a.py:3: in test_bad"
    assert cases[2].message == "fixture failed"
    assert cases[2].duration == 0.0


def test_single_testsuite_root() -> None:
    cases = parse_junit('<testsuite><testcase name="t" classname="c"/></testsuite>')
    assert [c.name for c in cases] == ["t"]


def test_long_messages_are_capped() -> None:
    xml = f'<testsuite><testcase name="t"><failure>{"x" * 50_000}</failure></testcase></testsuite>'
    message = parse_junit(xml)[0].message
    assert len(message) < MAX_MESSAGE_CHARS + 100
    assert message.endswith("[... message truncated ...]")


@pytest.mark.parametrize(
    "xml",
    [
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        "<testsuite><testcase name='&lol2;'/></testsuite>",
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><testsuite>&e;</testsuite>',
        "<testsuite><testcase",
        "<html/>",
        "x" * 6_000_000,
    ],
)
def test_hostile_or_broken_reports_raise(xml: str) -> None:
    with pytest.raises(JUnitError):
        parse_junit(xml)
