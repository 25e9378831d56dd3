"""Greedy string tiling (Wise, "Running-Karp-Rabin Greedy String Tiling", 1993, as JPlag uses
it) over two normalised token streams: pure functions, the pairwise confirmation of a match the
fingerprints found.

A tile is a run of at least MIN_MATCH equal tokens on both sides, neither side's tokens in
another tile. Each pass finds every maximal run of at least MIN_MATCH tokens not yet tiled
(candidates looked up by a hash of their first MIN_MATCH tokens), and lays them longest first
where they do not overlap a tile already laid; passes repeat until one lays nothing. A side's
stream is its files' tokens in path order; a tile never crosses a file boundary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .tokens import Token

MIN_MATCH = 12  # tokens: JPlag's default minimum match for most of its languages
MAX_CANDIDATES = 64  # positions of the other side tried per start (a repeated idiom)
MAX_PASSES = 40


@dataclass(frozen=True)
class Stream:
    """One side: its tokens' texts, each token's file and line."""

    texts: list[str]
    paths: list[str]
    lines: list[int]


@dataclass(frozen=True)
class Tile:
    a: int  # first token on side A
    b: int  # first token on side B
    length: int


def stream(files: Iterable[tuple[str, list[Token]]]) -> Stream:
    texts: list[str] = []
    paths: list[str] = []
    lines: list[int] = []
    for path, tokens in sorted(files, key=lambda f: f[0]):
        for token in tokens:
            # A token is told apart by its file too, so no run crosses from one file on.
            texts.append(token.text)
            paths.append(path)
            lines.append(token.line)
    return Stream(texts, paths, lines)



def tile(a: Stream, b: Stream, *, marked_a: set[int] | None = None,
         min_match: int = MIN_MATCH) -> list[Tile]:
    """The tiles of A over B; `marked_a` are A's tokens that may not be tiled (the starter's)."""
    used_a = set(marked_a or ())
    used_b: set[int] = set()
    starts: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in range(len(b.texts) - min_match + 1):
        if b.paths[j] == b.paths[j + min_match - 1]:
            starts[tuple(b.texts[j : j + min_match])].append(j)
    tiles: list[Tile] = []
    for _ in range(MAX_PASSES):
        found: list[Tile] = []
        for i in range(len(a.texts) - min_match + 1):
            if i in used_a or a.paths[i] != a.paths[i + min_match - 1]:
                continue
            for j in starts.get(tuple(a.texts[i : i + min_match]), ())[:MAX_CANDIDATES]:
                if j in used_b:
                    continue
                if (i > 0 and j > 0 and i - 1 not in used_a and j - 1 not in used_b
                        and a.texts[i - 1] == b.texts[j - 1] and a.paths[i - 1] == a.paths[i]
                        and b.paths[j - 1] == b.paths[j]):
                    continue  # not maximal: the run starting one token earlier holds it
                n = 0
                while (i + n < len(a.texts) and j + n < len(b.texts)
                       and i + n not in used_a and j + n not in used_b
                       and a.texts[i + n] == b.texts[j + n]
                       and a.paths[i + n] == a.paths[i] and b.paths[j + n] == b.paths[j]):
                    n += 1
                if n >= min_match:
                    found.append(Tile(i, j, n))
        laid = 0
        for t in sorted(found, key=lambda t: (-t.length, t.a, t.b)):
            span_a, span_b = range(t.a, t.a + t.length), range(t.b, t.b + t.length)
            if any(k in used_a for k in span_a) or any(k in used_b for k in span_b):
                continue
            used_a.update(span_a)
            used_b.update(span_b)
            tiles.append(t)
            laid += 1
        if not laid:
            break
    return tiles


def covered(tiles: Iterable[Tile]) -> set[int]:
    return {k for t in tiles for k in range(t.a, t.a + t.length)}


def region(a: Stream, b: Stream, t: Tile) -> dict[str, object]:
    """A tile as file and line ranges on both sides, and its length in tokens."""
    la, lb = a.lines[t.a : t.a + t.length], b.lines[t.b : t.b + t.length]
    return {"path": a.paths[t.a], "lines": [min(la), max(la)], "other_path": b.paths[t.b],
            "other_lines": [min(lb), max(lb)], "tokens": t.length}
