"""Structure-aware tokens per language: layout, braces, identifier names, literal values,
declaration placement and order, and some statement replacements do not change them; a
different program does."""

from __future__ import annotations

import pytest
from reciprocal.similarity.fingerprints import tokenize


def texts(path: str, source: str) -> list[str]:
    return [t.text for t in tokenize(path, source)]


# (path, original, disguised: same program) per language and per kind of normalisation.
SAME = {
    "python layout, comments, docstring, names, literals": (
        "a.py",
        'def total(items):\n    """Sum."""\n    s = 0\n    for i in items:\n        s += i * 2\n'
        '    return s\n',
        "def add_up( xs ) :\n  # the sum\n  acc=10\n  for x in xs: acc = acc + x*3\n"
        "  return acc\n"),
    "python function order": (
        "a.py", "def f(a):\n    return a + 1\n\n\ndef g(b):\n    return [b, b]\n",
        "def h(q):\n    return [q, q]\n\n\ndef k(z):\n    return z + 7\n"),
    "python class member order and for/while": (
        "a.py",
        "class A:\n    def f(self):\n        return 1\n\n    def g(self, n):\n"
        "        i = 0\n        while i < n:\n            i += 1\n        return i\n",
        "class B:\n    def g(self, n):\n        i = 0\n        while i < n:\n"
        "            i = i + 1\n        return i\n\n    def f(self):\n        return 5\n"),
    "javascript braces, let/var, ++, names": (
        "a.js",
        "function f(a) { let s = 0; for (let i = 0; i < a; i++) { s += i; } return s; }",
        "function q(n)\n{\n  var t = 0\n  for (var j = 0; j < n; j += 1) t = t + j\n"
        "  return t\n}\n"),
    "javascript ternary and if": (
        "a.js", "function f(a) { if (a) { return 1; } return 2; }",
        "function f(a) { if (a) return 1\n return 2 }"),
    "typescript annotations": (
        "a.ts", "function f(a: number): number { const s: number = a * 2; return s; }",
        "function g(b) { const t = b * 3; return t; }"),
    "java braces, declaration placement, names": (
        "A.java",
        "class A { int f(int n) { int s = 0; for (int i = 0; i < n; i++) { s += i; } "
        "if (s > 3) { return s; } else { return 0; } } }",
        "class Zed {\n  int calc(int m) {\n    int t;\n    t = 0;\n"
        "    for (int k = 0; k < m; k = k + 1) t = t + k;\n"
        "    if (t > 9) return t; else return 4;\n"
        "  }\n}\n"),
    "java method order": (
        "A.java", "class A { int f() { return 1; } String g(int x) { return \"a\" + x; } }",
        "class A { String g(int y) { return \"b\" + y; } int f() { return 2; } }"),
    "go braces, :=, names": (
        "a.go",
        "package m\nfunc f(n int) int {\n\ts := 0\n\tfor i := 0; i < n; i++ {\n\t\ts += i\n\t}\n"
        "\treturn s\n}\n",
        "package zz\n// comment\nfunc g(m int) int {\n\tvar t int = 5\n"
        "\tfor k := 1; k < m; k = k + 1 {\n\t\tt = t + k\n\t}\n\treturn t\n}\n"),
    "mirrored comparisons, python": (
        "a.py", "if x > y and a >= b and p == q:\n    f()\n",
        "if y < x and b <= a and q == p:\n    f()\n"),
    "mirrored comparisons, go": (
        "a.go", "package m\nfunc f() { if err != nil && n > 0 { g() } }\n",
        "package m\nfunc f() { if nil != err && 0 < n { g() } }\n"),
    "mirrored comparisons, javascript": (
        "a.js", "if (a.b >= c && d === e) f();\n", "if (c <= a.b && e === d) f();\n"),
    "mirrored comparisons, java": (
        "A.java", "class A { void f() { if (i > n) g(); } }",
        "class A { void f() { if (n < i) g(); } }"),
}

DIFFERENT = {
    "python": ("a.py", "def f(a):\n    return a + 1\n", "def f(a):\n    return [a.x for a in a]\n"),
    "javascript": ("a.js", "function f(a) { return a + 1; }", "function f(a) { return a.b(); }"),
    "java": ("A.java", "class A { int f() { return 1; } }", "class A { int f() { g(); } }"),
    "go": ("a.go", "package m\nfunc f() int { return 1 }\n", "package m\nfunc f() { g() }\n"),
    "a comparison turned, not mirrored": ("a.py", "if x.a > 1:\n    f()\n",
                                          "if x.a < 1:\n    f()\n"),
}


@pytest.mark.parametrize("case", sorted(SAME))
def test_a_disguise_gives_the_same_tokens(case: str) -> None:
    path, original, disguised = SAME[case]
    assert texts(path, original) == texts(path, disguised)


@pytest.mark.parametrize("case", sorted(DIFFERENT))
def test_a_different_program_gives_different_tokens(case: str) -> None:
    path, one, two = DIFFERENT[case]
    assert texts(path, one) != texts(path, two)


def test_identifiers_have_kind_specific_placeholders() -> None:
    tokens = texts("A.java", "class A { B f(C c) { return c.d; } }")
    assert "TYPE" in tokens and "ID" in tokens
    assert "FIELD" in texts("a.js", "function f(o) { return o.size; }")


def test_tokens_know_their_line_and_function() -> None:
    tokens = tokenize("a.py", "x = 1\n\ndef area(r):\n    return r * r\n")
    assert {t.unit for t in tokens if t.line == 4} == {"area"}
    assert {t.unit for t in tokens if t.line == 1} == {""}
