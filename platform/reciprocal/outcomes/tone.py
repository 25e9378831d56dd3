"""The tone check: flags negative or critical wording in a rejection before it is sent.

A rejection states one concrete reason and what the team liked; criticism belongs in a
conversation, not in an email the candidate reads alone. Pure: no database, no Flask.
"""

from __future__ import annotations

import re

# Words and phrases that criticise the work or the person. Matched case-insensitively on word
# boundaries; the list is deliberately broad: a false alarm costs one written override.
NEGATIVE_PHRASES: tuple[str, ...] = (
    "awful",
    "bad",
    "below our bar",
    "below the bar",
    "buggy",
    "careless",
    "confusing",
    "couldn't",
    "could not",
    "did not",
    "didn't",
    "disappointed",
    "disappointing",
    "failed to",
    "fell short",
    "inadequate",
    "incompetent",
    "incorrect",
    "inexperienced",
    "insufficient",
    "lack of",
    "lacked",
    "lacking",
    "lacks",
    "mediocre",
    "mess",
    "messy",
    "mistake",
    "mistakes",
    "not good enough",
    "not strong enough",
    "poor",
    "poorly",
    "should have",
    "sloppy",
    "terrible",
    "unacceptable",
    "unable to",
    "weak",
    "weakness",
    "weaknesses",
    "wrong",
)

_ALTERNATION = "|".join(re.escape(p) for p in sorted(NEGATIVE_PHRASES, key=len, reverse=True))
_PATTERN = re.compile(r"(?<![\w'])(" + _ALTERNATION + r")(?![\w'])", re.IGNORECASE)


def check(text: str) -> list[str]:
    """The negative phrases found in `text`, lower-cased, each once, in order of appearance."""
    found: list[str] = []
    for match in _PATTERN.finditer(text.replace("\u2019", "'")):
        phrase = re.sub(r"\s+", " ", match.group(1).lower())
        if phrase not in found:
            found.append(phrase)
    return found
