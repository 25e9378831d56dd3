"""`[ai_policy]` in assignment.toml, a role's override, and when a disclosure conflicts (pure)."""

from __future__ import annotations

import pytest
from reciprocal.assignments import ai_policy


def test_absent_is_allowed_with_disclosure_and_shows_the_default_text() -> None:
    problems: list[str] = []
    assert ai_policy.parse(None, problems) == ("allowed-with-disclosure", "")
    policy = ai_policy.make("allowed-with-disclosure", "")
    assert policy.text == ai_policy.DEFAULT_TEXTS["allowed-with-disclosure"]
    assert not problems and policy.asks_disclosure


@pytest.mark.parametrize(("table", "problem"), [
    ("yes", "[ai_policy] must be a table"),
    ({"use": "sometimes"}, "use must be one of"),
    ({"use": "expected", "text": 3}, "text must be a string"),
    ({"use": "expected", "why": "x"}, "unknown keys in [ai_policy]: why"),
    ({"text": "x" * 2001}, "longer than 2000"),
])
def test_wrong_tables_are_named(table: object, problem: str) -> None:
    problems: list[str] = []
    ai_policy.parse(table, problems)
    assert any(problem in p for p in problems), problems


def test_a_team_text_is_kept_and_each_use_has_a_label() -> None:
    assert ai_policy.parse({"use": "forbidden", "text": " no chat "}, []) == ("forbidden",
                                                                               "no chat")
    assert {ai_policy.make(use, None).short for use in ai_policy.USES} == set(
        ai_policy.SHORT.values())


def test_a_role_override_needs_a_use() -> None:
    assert ai_policy.check_override("", "") == (None, None)
    assert ai_policy.check_override("expected", "") == ("expected", None)
    with pytest.raises(ValueError, match="needs a policy"):
        ai_policy.check_override(None, "autocomplete yes")
    with pytest.raises(ValueError, match="must be one of"):
        ai_policy.check_override("maybe", None)


def test_only_tools_disclosed_under_forbidden_conflict() -> None:
    forbidden, expected = ai_policy.make("forbidden", ""), ai_policy.make("expected", "")
    assert ai_policy.conflicts(forbidden, True)
    assert not ai_policy.conflicts(forbidden, False)
    assert not ai_policy.conflicts(forbidden, None)  # said nothing: nothing to infer
    assert not ai_policy.conflicts(expected, False)  # not using one breaks no rule
