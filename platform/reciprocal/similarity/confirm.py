"""The pairwise confirmation of the matches worth reporting: after the fingerprints pick a
pair at or above the assignment's threshold, greedy string tiling (`tiling`) over the two
normalised token streams says how much of the candidate's code is covered by long shared runs.

- The candidate's tokens that tile with the starter are taken out first: neither tiled nor
  counted, as the fingerprints leave the starter out.
- `coverage` = the candidate's tiled tokens / its tokens outside the starter; the tiles are
  stored as regions (file and lines on both sides, length in tokens), longest first.
- The rule: a match whose tiled coverage is below HOLD_SHARE of its fingerprint score does not
  hold up (its shared fingerprints are scattered, not runs of at least MIN_MATCH tokens) and is
  dropped, so it neither flags the submission nor is listed. Below the threshold nothing is
  tiled (the cost stays with the pairs a person will read), and a pair whose other side can no
  longer be read (code deleted) keeps its fingerprint score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..extensions import db
from ..models import SimilarityDocument, SimilarityMatch
from . import index
from .fingerprints import tokenize
from .texts import document_files
from .tiling import MIN_MATCH, Stream, covered, region, stream, tile

HOLD_SHARE = 0.5
MAX_TILES = 20  # stored per match (the longest)

Files = list[tuple[str, str]]


def token_stream(files: Files) -> Stream:
    return stream((path, tokenize(path, text)) for path, text in files)


@dataclass
class Confirmation:
    """The candidate's files and the starter's; `read` gives the other side's files."""

    own: Files
    starter: Files
    read: Callable[[SimilarityDocument], Files] = document_files
    _streams: dict[str, Stream] = field(default_factory=dict)

    def _own(self) -> tuple[Stream, set[int]]:
        if "own" not in self._streams:
            self._streams["own"] = token_stream(self.own)
            self._streams["starter"] = token_stream(self.starter)
        own, starter = self._streams["own"], self._streams["starter"]
        return own, covered(tile(own, starter)) if starter.texts else set()

    def confirm(self, match: SimilarityMatch, other: SimilarityDocument) -> bool:
        """Tile the pair, store the coverage and tiles in the match's explanation; False when
        the match does not hold up."""
        other_files = self.read(other)
        if not other_files:
            return True
        own, starter = self._own()
        theirs = token_stream(other_files)
        tiles = tile(own, theirs, marked_a=starter)
        counted = len(own.texts) - len(starter)
        coverage = len(covered(tiles)) / counted if counted > 0 else 0.0
        longest = sorted(tiles, key=lambda t: (-t.length, t.a))[:MAX_TILES]
        match.explanation = {**match.explanation, "tiled_coverage": round(coverage, 3),
                             "min_match": MIN_MATCH,
                             "tiles": [region(own, theirs, t) for t in longest]}
        return coverage >= HOLD_SHARE * match.score

    def apply(self, matches: list[SimilarityMatch], threshold: float) -> list[SimilarityMatch]:
        """The matches that hold up; the dropped ones are taken out of the session."""
        worth = [m for m in matches if threshold > 0 and m.score >= threshold]
        docs = index.documents(m.other_document_id for m in worth)
        kept = []
        for match in matches:
            if match in worth and not self.confirm(match, docs[match.other_document_id]):
                db.session.expunge(match)
                continue
            kept.append(match)
        return kept
