"""Why two pieces of code are alike, not only how much: what each stored match says.

- `known`: the other side is a known solution (the reference solution, a corpus the admin
  added, such as solutions known to be public, or a submission the team marked as public).
  Those are compared before the common-code filter, so a leaked solution stays visible however
  many candidates copied it;
- `functions`: the candidate's functions and methods the shared fingerprints fall in;
- `own_share`: the share of the candidate's own code (the starter left out) that is shared;
- `common_share`: of the shared fingerprints, the share that more than COMMON_SHARE of the
  cohort's earlier submissions also hold, that is the structure any solution tends to have
  (None while the cohort is smaller than COMMON_MIN_SUBMISSIONS: not measured yet);
- `tiled_coverage`, `min_match`, `tiles`: the greedy-string-tiling confirmation of a match at
  or above the threshold (`confirm`), when it ran.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .fingerprints import Fingerprint

COMMON_SHARE = 0.1
COMMON_MIN_SUBMISSIONS = 10
MAX_FUNCTIONS = 12
KNOWN_KINDS = ("solution", "corpus", "public")  # public: a submission marked so


def common_hashes(frequencies: dict[int, int], cohort: int) -> set[int] | None:
    """The hashes more than COMMON_SHARE of the cohort holds, or None if it is too small."""
    if cohort < COMMON_MIN_SUBMISSIONS:
        return None
    return {h for h, n in frequencies.items() if n > COMMON_SHARE * cohort}


def explanation(kind: str, shared: Iterable[int], own_prints: list[Fingerprint],
                own_share: float, common: set[int] | None) -> dict[str, Any]:
    hashes = set(shared)
    functions = sorted({p.unit for p in own_prints if p.hash in hashes and p.unit})
    common_share = None
    if common is not None and hashes:
        common_share = round(len(hashes & common) / len(hashes), 3)
    return {
        "known": kind in KNOWN_KINDS,
        "functions": functions[:MAX_FUNCTIONS],
        "more_functions": max(0, len(functions) - MAX_FUNCTIONS),
        "own_share": round(own_share, 3),
        "common_share": common_share,
    }


def sentence(why: dict[str, Any]) -> str:
    """One line for a person: what is shared and whether it is the kind any solution has."""
    if not why:
        return ""
    parts = ["Matches a known solution." if why.get("known") else ""]
    names = why.get("functions") or []
    if names:
        more = why.get("more_functions") or 0
        listed = ", ".join(names) + (f" and {more} more" if more else "")
        parts.append(f"Shared code in {listed}.")
    parts.append(f"{round(100 * why.get('own_share', 0))}% of this submission's own code.")
    if why.get("tiled_coverage") is not None:
        parts.append(f"Confirmed by greedy string tiling: {round(100 * why['tiled_coverage'])}% "
                     f"of its tokens in {len(why.get('tiles') or [])} runs of at least "
                     f"{why.get('min_match')} tokens.")
    common = why.get("common_share")
    if common is None:
        parts.append("Common structure not measured yet (fewer than "
                     f"{COMMON_MIN_SUBMISSIONS} earlier submissions).")
    else:
        parts.append(f"{round(100 * common)}% of what is shared is structure common to the "
                     "cohort.")
    return " ".join(p for p in parts if p)
