"""What the reviewers liked, in plain words: praise kept, criticism and questions dropped."""

from __future__ import annotations

import pytest
from reciprocal.outcomes import composer, plain_words, tone


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Parsing is split into small, well named functions",
         "Parsing is split into small, well named functions"),
        ("The candidate's tests are thorough, but the naming is poor. Why not a dict?",
         "Your tests are thorough"),
        ("Great error handling. Would be nicer with types.", "Great error handling"),
        ("Clear [README](http://x) with examples; the author kept commits small",
         "Clear README with examples; you kept commits small"),
        ("Nice!", ""),
        ("Why a dict of lists here rather than sorting on read?", ""),
        ("Solid, readable structure despite the similarity flag", "Solid, readable structure"),
        ("The code was copied but works well", ""),
        ("```\nprint(1)\n```", ""),
    ],
)
def test_strength_sentence_keeps_praise_only(body: str, expected: str) -> None:
    assert plain_words.strength_sentence(body) == expected
    assert tone.check(plain_words.strength_sentence(body)) == []


def test_a_long_comment_is_cut_at_a_word() -> None:
    sentence = plain_words.strength_sentence("Thorough tests " + "of every branch " * 40)
    assert len(sentence) <= plain_words.MAX_CHARS + 1 and sentence.endswith("…")


def test_level_sentence_and_its_tone_guard() -> None:
    assert plain_words.level_sentence("Code design", "Clear names and small functions.") == (
        "Your code design stood out: clear names and small functions.")
    assert plain_words.level_sentence("Testing", "Poor coverage") == ""


def test_the_issue_example_names_the_strength_in_words() -> None:
    """A strength comment then a rejection: the draft says what was liked, in words, with the
    best-scored criterion's top-level description; concerns never appear."""
    draft = composer.compose(composer.ComposerInput(
        outcome="reject", candidate_name="Sam Lee", role_title="Engineer", team="Core",
        assignment_title="Directory", reason="Experience with Go",
        strengths=(composer.Strength("directory/server.py", 1, 3,
                                     "Parsing is split into small, well named functions"),),
        scores=(("Correctness", "great"), ("Correctness", "great"), ("Testing", "good")),
        topics=(composer.Topic("directory/server.py", "concern"),),
        top_levels=(("Correctness", "Every documented case works, including the edge cases."),
                    ("Testing", "Tests cover the behaviour that matters.")),
    ))
    assert ("- Parsing is split into small, well named functions "
            "(directory/server.py, lines 1-3).") in draft.text
    assert "- Your correctness stood out: every documented case works, including the edge " \
           "cases." in draft.text
    assert "Your testing also scored well" in draft.text  # good, not great: no description
    assert "experience with Go" in draft.text
    assert tone.check(draft.text) == []
