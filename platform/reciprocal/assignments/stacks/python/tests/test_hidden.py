import pytest
from wordcount import word_count


@pytest.mark.parametrize(("text", "expected"), [
    ("", 0), ("one", 1), ("a b c", 3), ("  spaced   out  ", 2),
    ("tabs\tand\nlines", 3),
])
def test_word_count(text, expected):
    assert word_count(text) == expected, f"word_count({text!r}) should be {expected}"
