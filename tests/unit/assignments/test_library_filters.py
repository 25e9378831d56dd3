"""The library's pure helpers: reading the filters from a query string, matching, each
option's count, the median and the pass rate."""

from __future__ import annotations

import pytest
from reciprocal.assignments.library import (
    Entry,
    Filters,
    Stats,
    apply,
    facets,
    in_cap_bucket,
    matches,
    median,
    page,
    pass_rate,
)


def entry(slug: str, *, kind: str = "greenfield", stack: tuple[str, ...] = ("Python",),
          skills: tuple[str, ...] = ("Testing",), cap: int = 180) -> Entry:
    return Entry(slug=slug, title=slug.title(), summary="", kind=kind, stack=stack,
                 skills=skills, time_cap_minutes=cap)


LIBRARY = [
    entry("directory", stack=("Python", "HTTP and JSON"), cap=180),
    entry("invoices", kind="bug-fix", stack=("Python",), skills=("Debugging",), cap=120),
    entry("digest", stack=("Go",), skills=("Testing", "Parsing"), cap=150),
    entry("bookings", kind="bug-fix", stack=("Python", "PostgreSQL"), cap=300),
]


def slugs(entries: list[Entry]) -> list[str]:
    return [e.slug for e in entries]


def test_filters_come_from_the_query_string_and_ignore_what_they_do_not_know() -> None:
    assert Filters.from_args({}) == Filters() and not Filters().active
    read = Filters.from_args({"stack": " Go ", "skill": "Testing", "cap": "3h", "kind": "bug-fix"})
    assert read == Filters("Go", "Testing", "3h", "bug-fix") and read.active
    assert Filters.from_args({"cap": "9h", "kind": "essay"}) == Filters()
    assert Filters.from_args({"stack": "x" * 500}).stack == "x" * 100
    assert read.without("kind") == Filters("Go", "Testing", "3h", "")


def test_time_cap_buckets_nest_up_to_four_hours_then_longer() -> None:
    assert in_cap_bucket(120, "2h") and not in_cap_bucket(121, "2h")
    assert in_cap_bucket(120, "3h") and in_cap_bucket(180, "3h") and in_cap_bucket(240, "4h")
    assert not in_cap_bucket(240, "longer") and in_cap_bucket(241, "longer")


def test_matching_any_technology_in_the_stack_regardless_of_case() -> None:
    assert slugs(apply(LIBRARY, Filters(stack="python"))) == ["directory", "invoices",
                                                               "bookings"]
    assert slugs(apply(LIBRARY, Filters(stack="PostgreSQL"))) == ["bookings"]
    assert slugs(apply(LIBRARY, Filters(skill="testing", cap="3h"))) == ["directory", "digest"]
    assert slugs(apply(LIBRARY, Filters(kind="bug-fix", cap="2h"))) == ["invoices"]
    assert slugs(apply(LIBRARY, Filters(cap="longer"))) == ["bookings"]
    assert apply(LIBRARY, Filters(stack="COBOL")) == []
    assert not matches(LIBRARY[0], Filters(stack="Pyth"))  # whole names only


def test_each_option_counts_what_choosing_it_would_show() -> None:
    found = facets(LIBRARY, Filters(kind="bug-fix"))
    stack = {o.value: o.count for o in found["stack"]}
    # Among bug fixes (the kind kept), by technology:
    assert stack == {"": 2, "Go": 0, "HTTP and JSON": 0, "PostgreSQL": 1, "Python": 2}
    # The kind's own counts ignore the chosen kind, so another kind can be picked.
    kinds = {o.value: (o.count, o.selected) for o in found["kind"]}
    assert kinds == {"": (4, False), "greenfield": (2, False), "existing-codebase": (0, False),
                     "bug-fix": (2, True)}
    caps = [(o.label, o.count) for o in found["cap"]]
    assert caps == [("Any", 2), ("Up to 2 h", 1), ("Up to 3 h", 1), ("Up to 4 h", 1),
                    ("Longer than 4 h", 1)]
    assert [o.value for o in found["skill"]] == ["", "Debugging", "Parsing", "Testing"]


def test_a_chosen_value_nobody_has_is_still_an_option() -> None:
    stack = facets(LIBRARY, Filters(stack="cobol"))["stack"]
    assert stack[0].value == "" and not stack[0].selected
    assert (stack[-1].value, stack[-1].count, stack[-1].selected) == ("cobol", 0, True)
    chosen = [o for o in facets(LIBRARY, Filters(stack="python"))["stack"] if o.selected]
    assert [o.value for o in chosen] == ["Python"]  # the library's own spelling, once


def test_the_page_filters_and_keeps_the_total() -> None:
    shown = page(Filters(stack="Go"), source=lambda: LIBRARY)
    assert slugs(shown.entries) == ["digest"] and shown.total == 4
    assert set(shown.facets) == {"stack", "skill", "cap", "kind"}


def test_median_and_pass_rate() -> None:
    assert median([]) is None
    assert median([300]) == 300
    assert median([60, 200, 100]) == 100
    assert median([60, 100, 140, 200]) == 120
    assert pass_rate(0, 0) is None
    assert pass_rate(3, 2) == pytest.approx(2 / 3)
    assert pass_rate(4, 0) == 0
    assert Stats(started=2, submitted=2, graded=2, passed=1).pass_rate == 0.5
    assert not Stats().used and Stats().pass_rate is None
