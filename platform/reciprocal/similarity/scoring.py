"""The score of a pair and its matched regions: pure functions over fingerprints.

Score of submission A against B = |F(A) ∩ F(B)| / max(|F(A)|, min(|F(B)|, MIN_FINGERPRINTS)),
where F(X) is the set of X's distinct
winnowed fingerprints after removing those of the assignment version's starter and (against
other submissions, not against known solutions) those found in more than BOILERPLATE_SHARE of
the assignment's submissions. It reads "the share of A's own code that is also in B" (so it is
not symmetric: a short copy of part of a long solution scores high, the long solution scores
lower against it).

Small submissions: the floor MIN_FINGERPRINTS keeps a submission with almost no code of its own
(the starter plus a small change) from scoring high on a few fingerprints it shares with a long
submission, but the floor never exceeds the other side's own size: a verbatim copy of a short
submission (both sides the same n < MIN_FINGERPRINTS fingerprints) scores n / n = 1.0 and can be
flagged. The cost: two short submissions that share most of their few fingerprints (two tiny
changes alike by chance) score high too; bench/disguise.py measures how many independent
pairs are flagged. A short copy of part of a long submission scores at most
shared / MIN_FINGERPRINTS: that is the false negative the floor keeps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_FINGERPRINTS = 25
REGION_GAP = 3  # lines between two matched fingerprints that still make one region
MAX_REGIONS = 50


@dataclass
class Region:
    path: str
    lines: tuple[int, int]
    other_path: str
    other_lines: tuple[int, int]

    def as_json(self) -> dict[str, object]:
        return {"path": self.path, "lines": list(self.lines), "other_path": self.other_path,
                "other_lines": list(self.other_lines)}


def score(shared: int, own: int, other: int | None = None) -> float:
    """The share of A's `own` fingerprints found in B, which holds `other` (None: unknown, as
    large as the floor)."""
    if shared <= 0 or own <= 0:
        return 0.0
    floor = MIN_FINGERPRINTS if other is None else min(other, MIN_FINGERPRINTS)
    return min(1.0, shared / max(own, floor))


Pair = tuple[str, int, int, str, int, int]  # path, a, b, other_path, c, d


def _close(start: int, end: int, lo: int, hi: int) -> bool:
    return start <= hi + REGION_GAP and end >= lo - REGION_GAP


def regions(pairs: Iterable[Pair]) -> list[Region]:
    """Matched fingerprint pairs merged into regions where both sides are close together,
    largest first, capped at MAX_REGIONS."""
    merged: list[Region] = []
    for path, a, b, other_path, c, d in sorted(set(pairs)):
        last = merged[-1] if merged else None
        if (last is not None and last.path == path and last.other_path == other_path
                and _close(a, b, *last.lines) and _close(c, d, *last.other_lines)):
            last.lines = (min(last.lines[0], a), max(last.lines[1], b))
            last.other_lines = (min(last.other_lines[0], c), max(last.other_lines[1], d))
            continue
        merged.append(Region(path, (a, b), other_path, (c, d)))
    merged.sort(key=lambda r: (-(r.lines[1] - r.lines[0]), r.path, r.lines))
    return merged[:MAX_REGIONS]
