"""The invitation to the follow-up interview says it walks through the candidate's submission;
a rejection never does."""

from __future__ import annotations

from dataclasses import replace

from reciprocal.outcomes import composer, tone

from tests.unit.outcomes.test_composer_and_tone import BASE


def test_advance_says_the_interview_walks_through_the_submission() -> None:
    draft = composer.compose(replace(BASE, outcome="advance", topics=()))
    assert "walk through your code together" in draft.text
    assert "one small change" in draft.text
    assert f"<p>{composer.WALKTHROUGH}</p>" in draft.html
    assert tone.check(draft.text) == []


def test_a_rejection_does_not_mention_a_walkthrough() -> None:
    draft = composer.compose(BASE)
    assert "walk through" not in draft.text


def test_change_comments_are_topics_but_not_constructive_points() -> None:
    data = replace(BASE, outcome="advance", topics=(composer.Topic("app.py", "change"),))
    topics, constructive = composer.topics(data)
    assert topics == ["your choices in app.py"] and constructive == 0
