"""Blind review's masking of the candidate's identity in text they wrote (History's commit
summaries): the name, each part of it however short, and the handles people make from a name
or an e-mail address; never an ordinary word that merely contains or resembles a part."""

from __future__ import annotations

import pytest
from reciprocal.review.blind import masker

CODE = "C-7QX2"


@pytest.mark.parametrize(("name", "email", "text", "masked"), [
    # Short name parts, as words.
    ("Al Wong", "al.wong@example.com", "Fix parser (Al)", f"Fix parser ({CODE})"),
    ("Al Wong", "al.wong@example.com", "Al's refactor of the CLI", f"{CODE}'s refactor of the CLI"),
    ("Al Wong", "al.wong@example.com", "AL: tidy", f"{CODE}: tidy"),
    ("Jo Li", "jli@uni.example", "Thanks Jo and Li", f"Thanks {CODE} and {CODE}"),
    # Handles: the e-mail local part, the parts joined, initials and surname, with digits.
    ("Al Wong", "al.wong@example.com", "Merge @alwong/feature", f"Merge @{CODE}/feature"),
    ("Al Wong", "al.wong@example.com", "see github.com/awong42", f"see github.com/{CODE}"),
    ("Al Wong", "al.wong@example.com", "by al.wong", f"by {CODE}"),
    ("Al Wong", "al.wong@example.com", "co-author al_wong, a-wong, Wong.Al",
     f"co-author {CODE}, {CODE}, {CODE}"),
    ("Jane Q. Doe", "jqd123@mail.example", "Signed-off-by: jdoe (JQDoe, jqd123, j.doe)",
     f"Signed-off-by: {CODE} ({CODE}, {CODE}, {CODE})"),
    ("Jane Doe", "hire.me+jobs@mail.example", "pushed from hire.me's laptop",
     f"pushed from {CODE}'s laptop"),
    ("Jane Doe", "jane@mail.example", "janed: first pass; doej too",
     f"{CODE}: first pass; {CODE} too"),
    # Accents: handles are ASCII.
    ("Zoë Ångström", "z@mail.example", "zangstrom and Zoe", f"{CODE} and {CODE}"),
    # A short part that is also an ordinary word is masked only beside the rest of the name.
    ("An Nguyen", "an.nguyen@mail.example", "An index for lookups", "An index for lookups"),
    ("An Nguyen", "an.nguyen@mail.example", "Nguyen, An: index", f"{CODE}, {CODE}: index"),
    ("An Nguyen", "an.nguyen@mail.example", "by An Nguyen", f"by {CODE}"),
    ("Jane Q. Doe", "jqd@mail.example", "by J. Doe and Q Doe", f"by {CODE} and {CODE}"),
    # Any e-mail address, and the full name, as before.
    ("Sam Candidate", "sam@example.com", "by sam candidate (sam@example.com)",
     f"by {CODE} ({CODE})"),
])
def test_names_parts_and_handles_are_masked(name: str, email: str, text: str,
                                            masked: str) -> None:
    assert masker(name, email, CODE)(text) == masked


@pytest.mark.parametrize(("name", "email", "text"), [
    # Word boundaries: a part inside a longer word is not the part.
    ("Al Wong", "al.wong@example.com", "Also finalise the algorithm; wrongly wonged"),
    ("Jo Li", "jli@uni.example", "Join the list; lint jolly jlint"),
    # Lower-case short parts are ordinary words or code far more often than names.
    ("Al Wong", "al.wong@example.com", "al dente: add al to the li element"),
    ("Sam Candidate", "sam@example.com", "Sample data, samples and same"),
])
def test_ordinary_words_are_left_alone(name: str, email: str, text: str) -> None:
    assert masker(name, email, CODE)(text) == text


@pytest.mark.parametrize("name", ["A", "(.*) [x]+", "Jo+Li", "李 小龙", "C C", "Cy Candidate",
                                  "O'Brien-Smith, Mary Ann"])
def test_odd_names_mask_themselves_and_leave_the_code_whole(name: str) -> None:
    mask = masker(name, "x.y@mail.example", CODE)
    assert mask(f"{CODE} fixed it, {CODE}") == f"{CODE} fixed it, {CODE}"
    assert mask(f"by {name}") == f"by {CODE}"
