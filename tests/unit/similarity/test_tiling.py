"""Greedy string tiling, the pairwise confirmation: long shared runs are tiles, short
coincidences are not, a tile stays inside one file, and the starter's tokens are never tiled."""

from __future__ import annotations

from reciprocal.similarity.confirm import token_stream
from reciprocal.similarity.tiling import MIN_MATCH, Stream, covered, region, stream, tile
from reciprocal.similarity.tokens import Token


def _side(*files: tuple[str, str]) -> Stream:
    return stream((path, [Token(t, n + 1) for n, t in enumerate(text.split())])
                  for path, text in files)


def test_a_copy_is_one_tile_and_its_regions_name_both_sides() -> None:
    text = open(__file__).read()
    a = token_stream([("a.py", text)])
    b = token_stream([("copy.py", text)])
    tiles = tile(a, b)
    assert len(covered(tiles)) == len(a.texts) and len(tiles) == 1
    assert region(a, b, tiles[0])["other_path"] == "copy.py"


def test_runs_shorter_than_the_minimum_are_not_tiles_and_tiles_stay_in_one_file() -> None:
    short = " ".join(f"s{i}" for i in range(MIN_MATCH - 1))
    long = " ".join(f"l{i}" for i in range(MIN_MATCH + 3))
    a = _side(("one.py", f"x {short} y {long} z"))
    b = _side(("two.py", f"{long} q {short}"))
    tiles = tile(a, b)
    assert [t.length for t in tiles] == [MIN_MATCH + 3]
    # The same run split over two files on one side is not one tile across them.
    half = MIN_MATCH // 2 + 1
    words = long.split()
    split = _side(("p.py", " ".join(words[:half])), ("q.py", " ".join(words[half:])))
    assert tile(split, b) == []


def test_the_starters_tokens_are_never_tiled() -> None:
    starter = " ".join(f"st{i}" for i in range(30))
    own = " ".join(f"o{i}" for i in range(20))
    a = _side(("a.py", f"{starter} {own}"))
    b = _side(("b.py", f"{starter} {own}"))
    marked = covered(tile(a, _side(("starter.py", starter))))
    assert len(marked) == 30
    tiles = tile(a, b, marked_a=marked)
    assert covered(tiles) == set(range(30, 50))
