"""Which regions of the candidate's code the interview walks through (pure logic)."""

from __future__ import annotations

from reciprocal.review import regions
from reciprocal.review.regions import Reason, Region, Span

PY = """import os


def small(x):
    return x


def big(rows):
    out = []
    for row in rows:
        out.append(row)
    return out


class Cart:
    def total(self):
        return 1
""".splitlines()

GO = """package main

func (s *Store) Put(k string) error {
\tif k == "" {
\t\treturn nil
\t}
\treturn nil
}

func helper() int { return 1 }
""".splitlines()

JS = """export async function load(url) {
  const r = await fetch(url);
  return r.json();
}

const twice = (x) => {
  return x * 2;
};

class A {
  method(a, b) {
    if (a) {
      return b;
    }
  }
}
""".splitlines()


def test_functions_by_indentation_in_python_go_and_javascript() -> None:
    assert regions.functions(PY) == [Span(4, 5, "small"), Span(8, 12, "big"),
                                      Span(16, 17, "total")]
    assert regions.functions(GO) == [Span(3, 8, "Put"), Span(10, 10, "helper")]
    assert regions.functions(JS) == [Span(1, 4, "load"), Span(6, 8, "twice"),
                                      Span(11, 15, "method")]


def test_java_methods_and_ruby_ends() -> None:
    java = ["public class Cart {", "    public int total(List<Item> items) {", "        return 0;",
            "    }", "}"]
    assert regions.functions(java) == [Span(2, 4, "total")]
    ruby = ["def greet(name)", "  puts name", "end", "", "greet('x')"]
    assert regions.functions(ruby) == [Span(1, 3, "greet")]


def test_largest_changed_functions_ranked_by_added_lines() -> None:
    files = {
        "app.py": (PY, {5, 9, 10, 11, 12}),  # small gets 1, big gets 4
        "main.go": (GO, {4, 5, 6, 10}),  # Put 3, helper 1
        "README.md": (["# Title", "new", "more"], {2, 3}),  # no function: the run of lines
    }
    picked = regions.changed_functions(files, limit=4)
    assert [(c.path, c.span.name, c.changed) for c in picked] == [
        ("app.py", "big", 4), ("main.go", "Put", 3), ("app.py", "small", 1),
        ("main.go", "helper", 1)]
    # Runs of new lines in a file without functions only fill what functions leave.
    picked = regions.changed_functions(files, limit=6)
    assert [(c.path, c.span, c.changed) for c in picked[4:]] == [("README.md", Span(2, 3), 2)]
    assert regions.changed_functions(files, limit=1)[0].span == Span(8, 12, "big")


def test_a_function_inside_a_picked_one_is_not_picked_again() -> None:
    lines = ["def outer():", "    def inner():", "        return 1", "    return inner", "",
             "def other():", "    return 2"]
    picked = regions.changed_functions({"a.py": (lines, {2, 3, 4, 7})})
    assert [(c.span.name, c.changed) for c in picked] == [("outer", 3), ("other", 1)]


def test_failure_location_is_the_deepest_frame_in_the_candidates_files() -> None:
    paths = ["src/app.py", "src/util.py", "web/server.js", "src/main/java/Cart.java"]
    python = ('Traceback (most recent call last):\n  File "/tests/test_hidden.py", line 9, in t\n'
              '  File "/work/src/app.py", line 12, in run\n'
              '  File "/work/src/util.py", line 3, in helper\nValueError: x')
    assert regions.failure_location(python, paths) == ("src/util.py", 3)
    pytest_short = "src/app.py:40: in handle\n    x()\ntests/test_h.py:7: AssertionError"
    assert regions.failure_location(pytest_short, paths) == ("src/app.py", 40)
    node = ("AssertionError: expected 1\n    at handler (/app/web/server.js:27:11)\n"
            "    at Object.<anonymous> (/app/tests/hidden.test.js:5:3)")
    assert regions.failure_location(node, paths) == ("web/server.js", 27)
    java = ("expected:<1> but was:<2>\n\tat Cart.total(Cart.java:42)\n"
            "\tat CartTest.t(CartTest.java:9)")
    assert regions.failure_location(java, paths) == ("src/main/java/Cart.java", 42)
    assert regions.failure_location("AssertionError: 1 != 2", paths) is None
    assert regions.failure_location("../../etc/passwd:1", paths) is None


def test_around_a_line_is_its_function_or_a_few_lines() -> None:
    assert regions.around(PY, 10) == Span(8, 12, "big")
    assert regions.around(PY, 1) == Span(1, 3)


def test_regions_merge_in_file_order() -> None:
    merged = regions.merge([
        Region("b.py", 10, 20, [Reason("function", "f")]),
        Region("a.py", 5, 7, [Reason("question", "q1", 1)], {6}),
        Region("b.py", 18, 25, [Reason("question", "q2", 2)], {19}),
        Region("b.py", 40, 41, [Reason("failure", "t", 9)], {40}),
        Region("a.py", 1, 2, [Reason("question", "q3", 3)], {1}),
    ])
    assert [(r.path, r.start, r.end, [x.text for x in r.reasons]) for r in merged] == [
        ("a.py", 1, 2, ["q3"]), ("a.py", 5, 7, ["q1"]), ("b.py", 10, 25, ["f", "q2"]),
        ("b.py", 40, 41, ["t"])]
    assert merged[2].focus == {19}
