"""What a match says about why two pieces of code are alike."""

from __future__ import annotations

from reciprocal.similarity.fingerprints import Fingerprint
from reciprocal.similarity.reasons import common_hashes, explanation, sentence


def test_common_structure_is_measured_only_against_a_cohort() -> None:
    assert common_hashes({1: 5}, cohort=4) is None
    assert common_hashes({1: 5, 2: 1, 3: 2}, cohort=10) == {1, 3}  # more than 10% of 10


def test_an_explanation_names_the_shared_functions_and_the_common_share() -> None:
    own = [Fingerprint(1, "a.py", 1, 2, "parse"), Fingerprint(2, "a.py", 5, 6, "report"),
           Fingerprint(3, "a.py", 9, 9, "")]
    why = explanation("corpus", {1, 3}, own, 0.75, common={3})
    assert why == {"known": True, "functions": ["parse"], "more_functions": 0,
                   "own_share": 0.75, "common_share": 0.5}
    text = sentence(why)
    assert text.startswith("Matches a known solution. Shared code in parse.")
    assert "75% of this submission's own code" in text and "50% of what is shared" in text
    unknown = sentence(explanation("submission", {2}, own, 0.2, common=None))
    assert "known solution" not in unknown and "not measured yet" in unknown
