"""GET /notes?q=: the task."""

from __future__ import annotations

from conftest import new_note, search


def test_search_finds_titles_and_bodies(api, word):
    in_title = new_note(api, f"About {word}")
    in_body = new_note(api, "Elsewhere", f"mentions {word} inside")
    new_note(api, "Unrelated", "nothing to see")
    assert [n["id"] for n in search(api, word)] == [in_title["id"], in_body["id"]]


def test_search_ignores_case(api, word):
    note = new_note(api, f"Shouting {word.upper()}")
    assert [n["id"] for n in search(api, word)] == [note["id"]]
    assert [n["id"] for n in search(api, word.upper())] == [note["id"]]


def test_percent_and_underscore_are_literal(api, word):
    literal = new_note(api, f"{word} 100% done")
    new_note(api, f"{word} 1000 points")
    assert [n["id"] for n in search(api, f"{word} 100%")] == [literal["id"]]


def test_no_match_is_an_empty_list(api, word):
    assert search(api, word) == []
