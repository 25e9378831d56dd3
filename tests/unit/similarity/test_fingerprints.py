"""Similarity fingerprints: token fingerprints, winnowing and the score, on Python, JavaScript and
Go.

A renamed, reordered, re-commented copy scores >= 0.8 against its original; the starter plus a
small change scores < 0.15 against every other starter-based submission once the starter's
fingerprints are removed; independently written solutions score low."""

from __future__ import annotations

from pathlib import Path

import pytest
from reciprocal.similarity.fingerprints import (
    IDENTIFIER,
    LITERAL,
    K,
    W,
    fingerprints,
    hashes,
    kgrams,
    tokenize,
    winnow,
)
from reciprocal.similarity.scoring import MIN_FINGERPRINTS, regions, score

from tests.support.disguise import disguise

SAMPLES = Path(__file__).parent / "samples"
LANGUAGES = ("py", "js", "go")


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def own(path: str, text: str, starter: set[int] | None = None) -> set[int]:
    return hashes(fingerprints([(path, text)])) - (starter or set())


def pair_score(new: set[int], other: set[int]) -> float:
    return score(len(new & other), len(new), len(other))


@pytest.mark.parametrize("ext", LANGUAGES)
def test_a_disguised_copy_scores_at_least_0_8(ext: str) -> None:
    original = sample(f"orders_a.{ext}")
    copy = disguise(f"orders.{ext}", original, seed=7)
    assert copy != original
    assert "parse" not in copy.lower().replace("parsefloat", "").replace("parseint", "")
    assert pair_score(own(f"main.{ext}", copy), own(f"orders.{ext}", original)) >= 0.8


@pytest.mark.parametrize("ext", LANGUAGES)
def test_independent_solutions_score_low(ext: str) -> None:
    a, b = own(f"a.{ext}", sample(f"orders_a.{ext}")), own(f"b.{ext}", sample(f"orders_b.{ext}"))
    assert pair_score(a, b) < 0.1
    assert pair_score(b, a) < 0.1


def _starter_of(ext: str) -> str:
    """The Python sample ships a real starter; for JS and Go the starter is the solution's
    header and every other top-level block (what an assignment hands out, half done)."""
    if ext == "py":
        return sample("starter.py")
    blocks = sample(f"orders_a.{ext}").split("\n\n")
    return "\n\n".join(block for i, block in enumerate(blocks) if i % 2 == 0)


@pytest.mark.parametrize("ext", LANGUAGES)
def test_the_starter_plus_a_small_change_scores_far_below_a_threshold(ext: str) -> None:
    """Structural tokens share more with a long solution than lexical ones did (Go's small
    function has the shape of many): the floor keeps it at a few / MIN_FINGERPRINTS."""
    starter_text = _starter_of(ext)
    starter = own(f"s.{ext}", starter_text)
    small = {
        "py": starter_text.replace("raise NotImplementedError", "return {}", 1),
        "js": starter_text + "\nfunction twice(value) {\n  return value * 2;\n}\n",
        "go": starter_text + "\nfunc Twice(value int) int {\n\treturn value * 2\n}\n",
    }[ext]
    mine = own(f"m.{ext}", small, starter)
    others = [
        starter_text + "\n\n" + sample(f"orders_a.{ext}"),
        starter_text + "\n\n" + sample(f"orders_b.{ext}"),
        starter_text + "\n\n" + disguise(f"x.{ext}", sample(f"orders_b.{ext}"), seed=3),
    ]
    for other in others:
        theirs = own(f"o.{ext}", other, starter)
        assert pair_score(mine, theirs) < 0.15
        assert pair_score(theirs, mine) < 0.15


def test_the_lexical_fallback_makes_identifiers_and_literals_placeholders() -> None:
    """A language without a grammar (Ruby here) is lexed by Pygments."""
    tokens = tokenize("a.rb", 'def total(items) # sum them\n  items.size + 2 * "x"\nend\n')
    texts = [t.text for t in tokens]
    assert texts == ["def", IDENTIFIER, "(", IDENTIFIER, ")", IDENTIFIER, ".", IDENTIFIER,
                     "+", LITERAL, "*", LITERAL, "end"]
    assert [t.line for t in tokens][-2] == 2


def test_unknown_and_data_files_give_no_fingerprints() -> None:
    assert fingerprints([("data.csv", "a,b\n1,2\n" * 100), ("notes.md", "# hi\n" * 100)]) == []
    assert fingerprints([("blob.unknownext", "x = 1\n" * 100)]) == []


def test_winnowing_keeps_every_long_shared_run() -> None:
    """The winnowing guarantee: a run of W + K - 1 shared tokens always shares a fingerprint."""
    lines = [f"v{i} = v{i} + {i}\n" if i % 3 else f"f(v{i})\n" for i in range(200)]
    shared_run = "if a < b:\n    while c:\n        d = e(f, [g, h])\n        return i\n"
    assert len(tokenize("a.py", shared_run)) >= W + K - 1
    one = own("one.py", "".join(lines[:90]) + shared_run + "".join(lines[90:180]))
    two = own("two.py", "import os\n" * 3 + shared_run + "x.y()\n" * 50)
    assert one & two


def test_winnow_picks_the_rightmost_minimum_once_per_window() -> None:
    grams = [(h, i, i, "") for i, h in enumerate([5, 3, 3, 7, 1, 9, 9, 9, 8, 2])]
    chosen = [g[0] for g in winnow(grams, w=4)]
    assert chosen == [3, 1, 8, 2]
    assert winnow([(4, 1, 1, ""), (2, 2, 2, "")], w=4) == [(2, 2, 2, "")]
    assert len(list(kgrams(tokenize("a.rb", "x = 1\n"), k=2))) == 2


def test_score_floor_never_hides_a_verbatim_copy_of_a_short_submission() -> None:
    assert score(3, 3, 3) == 1.0  # both sides 3 fingerprints: a copy scores 1.0
    assert score(3, 3, 200) == pytest.approx(3 / MIN_FINGERPRINTS)  # a bit of a long one
    assert score(3, 3) == pytest.approx(3 / MIN_FINGERPRINTS)
    assert score(80, 100) == pytest.approx(0.8)
    assert score(0, 100) == 0.0 and score(5, 0) == 0.0


def test_regions_merge_close_fingerprints_on_both_sides() -> None:
    pairs = [("a.py", 1, 3, "b.py", 10, 12), ("a.py", 4, 6, "b.py", 13, 15),
             ("a.py", 40, 42, "b.py", 2, 4)]
    merged = regions(pairs)
    assert [(r.lines, r.other_lines) for r in merged] == [((1, 6), (10, 15)), ((40, 42), (2, 4))]
    assert merged[0].as_json() == {"path": "a.py", "lines": [1, 6], "other_path": "b.py",
                                   "other_lines": [10, 15]}
