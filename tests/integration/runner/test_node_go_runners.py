"""Smoke tests of the Node and Go runners against the real engine."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reciprocal.runner import Limits, run_tests

pytestmark = pytest.mark.docker

WriteTree = Callable[[str, dict[str, str]], Path]
LIMITS = Limits(timeout_seconds=60)

NODE_TEST = """
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { JSDOM } = require('jsdom');
const { sum } = require(path.join(process.env.SUBMISSION_DIR, 'sum.js'));

test('adds', () => assert.strictEqual(sum(1, 2), 3));
test.describe('dom', () => {
  test.it('renders', () => {
    const dom = new JSDOM('<ul><li>a</li><li>b</li></ul>');
    assert.strictEqual(dom.window.document.querySelectorAll('li').length, 2);
  });
});
"""


def test_node_passing(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub = tree("sub", {"sum.js": "module.exports = { sum: (a, b) => a + b };\n"})
    tests = tree("hidden", {"sum.test.js": NODE_TEST})
    result = run_tests("node", sub, tests, LIMITS)
    assert result.status == "passed", result.output
    assert sorted(t.name for t in result.tests) == ["adds", "renders"]
    assert {t.classname for t in result.tests} == {"sum.test.js"}


def test_node_failing(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub = tree("sub", {"sum.js": "module.exports = { sum: (a, b) => a - b };\n"})
    tests = tree("hidden", {"sum.test.js": NODE_TEST})
    result = run_tests("node", sub, tests, LIMITS)
    assert result.status == "failed"
    assert result.reason == "1 of 2 tests failed"
    failed = [t for t in result.tests if t.outcome == "failed"]
    assert [t.name for t in failed] == ["adds"]
    assert "-1 !== 3" in failed[0].message


MODULE_TEST = """
import test from 'node:test';
import assert from 'node:assert';
import { createRequire } from 'node:module';

const { sum } = createRequire(import.meta.url)(`${process.env.SUBMISSION_DIR}/sum.js`);
test('adds again, from a module', () => assert.strictEqual(sum(2, 2), 4));
"""


def test_node_files_run_in_the_warm_runner_each_reported_with_its_own_file(
    runner_images: dict[str, str], tree: WriteTree
) -> None:
    """The runner started before the job (jsdom loaded) runs every hidden file, CommonJS and
    ES modules alike, in order; each test keeps its file, and the checks hold."""
    sub = tree("sub", {"sum.js": "module.exports = { sum: (a, b) => a + b };\n"})
    tests = tree("hidden", {"sum.test.js": NODE_TEST, "more/sum.test.mjs": MODULE_TEST})
    result = run_tests("node", sub, tests, LIMITS)
    assert result.status == "passed", result.output
    assert result.judge == "warm" and result.integrity == "clean", result.integrity_evidence
    assert sorted((t.classname, t.name) for t in result.tests) == [
        ("more/sum.test.mjs", "adds again, from a module"),
        ("sum.test.js", "adds"),
        ("sum.test.js", "renders"),
    ]


def test_a_node_file_that_fails_to_load_fails_under_its_name_and_the_others_still_run(
    runner_images: dict[str, str], tree: WriteTree
) -> None:
    sub = tree("sub", {"sum.js": "module.exports = { sum: (a, b) => a + b };\n"})
    broken = "const test = require('node:test');\nrequire('./no-such-helper');\n" \
        "test('never collected', () => {});\n"
    tests = tree("hidden", {"sum.test.js": NODE_TEST, "broken.test.js": broken})
    result = run_tests("node", sub, tests, LIMITS)
    assert result.status == "failed", result.output
    assert result.integrity == "clean", result.integrity_evidence
    by_file = {(t.classname, t.outcome) for t in result.tests}
    assert by_file == {("broken.test.js", "failed"), ("sum.test.js", "passed")}
    failure = next(t for t in result.tests if t.classname == "broken.test.js")
    assert "no-such-helper" in failure.message
    assert "broken.test.js failed to load" in result.output


GO_MOD = "module example.com/calc\n\ngo 1.19\n"
GO_TEST = """package calc

import "testing"

func TestAdd(t *testing.T) {
	if got := Add(1, 2); got != 3 {
		t.Fatalf("Add(1, 2) = %d", got)
	}
}

func TestTable(t *testing.T) {
	t.Run("zero", func(t *testing.T) {
		if Add(0, 0) != 0 {
			t.Error("zero")
		}
	})
}
"""
CANDIDATE_TEST = (
    'package calc\n\nimport "testing"\n\nfunc TestMine(t *testing.T) { t.Fatal("x") }\n'
)


def go_submission(tree: WriteTree, body: str) -> Path:
    return tree(
        "sub",
        {"go.mod": GO_MOD, "calc.go": f"package calc\n\n{body}\n", "calc_test.go": CANDIDATE_TEST},
    )


def test_go_passing_ignores_the_candidates_tests(
    runner_images: dict[str, str], tree: WriteTree
) -> None:
    sub = go_submission(tree, "func Add(a, b int) int { return a + b }")
    tests = tree("hidden", {"calc_test.go": GO_TEST})
    result = run_tests("go", sub, tests, LIMITS)
    assert result.status == "passed", result.output
    assert sorted(t.name for t in result.tests) == ["TestAdd", "TestTable/zero"]


def test_go_failing(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub = go_submission(tree, "func Add(a, b int) int { return a * b }")
    tests = tree("hidden", {"calc_test.go": GO_TEST})
    result = run_tests("go", sub, tests, LIMITS)
    assert result.status == "failed"
    assert result.reason == "1 of 2 tests failed"
    failed = [t for t in result.tests if t.outcome == "failed"]
    assert [t.name for t in failed] == ["TestAdd"]
    assert "Add(1, 2) = 2" in failed[0].message


def test_go_compile_error(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub = go_submission(tree, "func Add(a, b int) int { return a + }")
    tests = tree("hidden", {"calc_test.go": GO_TEST})
    result = run_tests("go", sub, tests, LIMITS)
    assert result.status == "error"
    assert result.reason == "The submission did not build"
    assert "calc.go:3" in result.output
