"""Rubric criteria tagged with hidden tests: which tests a tag picks out, how assignment.toml
declares them, the validator's check, and the evidence per criterion (fakes: pure logic)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from reciprocal.assignments import rubric_tags
from reciprocal.assignments.spec import AssignmentInvalid, load_spec
from reciprocal.assignments.validation import validate_folder
from reciprocal.review.criterion_evidence import for_run, serialise
from reciprocal.runner import RunResult, TestOutcome

from tests.support.paths import ROOT

PYTHON = [("test_api.py", "test_unknown_city_is_404"), ("test_api.py", "test_city[lisbon]"),
          ("test_api.py", "test_city_sorting"), ("test_api.py::TestCart", "test_total"),
          ("sub/test_parse.py", "test_bom")]
NODE = [("client.test.js", "retries on 503 (once)"), ("client.test.js", "POST is not retried")]
GO = [("example.com/logdigest/logdigest", "TestTopN/zero"),
      ("example.com/logdigest/logdigest", "TestTopNames")]


def _picked(tag: str, tests: list[tuple[str, str]]) -> list[str]:
    return [rubric_tags.full_id(c, n) for c, n in tests if rubric_tags.matches(tag, c, n)]


@pytest.mark.parametrize(("tag", "expected"), [
    ("test_api.py::test_unknown_city_is_404", ["test_api.py::test_unknown_city_is_404"]),
    ("test_api.py::test_city", ["test_api.py::test_city[lisbon]"]),  # not test_city_sorting
    ("test_api.py::TestCart", ["test_api.py::TestCart::test_total"]),
    ("sub", ["sub/test_parse.py::test_bom"]),
    ("sub/test_parse.py", ["sub/test_parse.py::test_bom"]),
    ("test_bom", ["sub/test_parse.py::test_bom"]),  # a name alone
    ("test_api", []),  # neither a file nor a test
    ("tests/test_api.py", []),  # ids are relative to tests/
    ("test_api.py::test_city*",
     ["test_api.py::test_city[lisbon]", "test_api.py::test_city_sorting"]),
])
def test_python_node_ids(tag: str, expected: list[str]) -> None:
    assert _picked(tag, PYTHON) == expected


def test_node_titles_and_go_packages_and_subtests() -> None:
    assert _picked("client.test.js", NODE) == [rubric_tags.full_id(*t) for t in NODE]
    assert _picked("retries on 503 (once)", NODE) == ["client.test.js::retries on 503 (once)"]
    assert _picked("*retried*", NODE) == ["client.test.js::POST is not retried"]
    assert _picked("TestTopN", GO) == ["example.com/logdigest/logdigest::TestTopN/zero"]
    assert len(_picked("example.com/logdigest/logdigest", GO)) == 2
    assert len(_picked("example.com/logdigest", GO)) == 2  # packages below, as ./... does
    assert _picked("example.com/log", GO) == []


@dataclass
class Row:
    name: str
    classname: str
    outcome: str = "passed"
    id: int | None = None


def test_unmatched_and_suggestions() -> None:
    rows = [Row(n, c) for c, n in PYTHON]
    assert rubric_tags.unmatched(["test_api.py", "test_apii.py", "nope"], rows) == [
        "test_apii.py", "nope"]
    assert "did you mean 'test_api.py'" in rubric_tags.suggestion("test_apii.py", rows)
    assert "ids look like 'test_api.py::" in rubric_tags.suggestion("zzz", rows)


@pytest.mark.parametrize(("value", "problem"), [
    ("test_api.py", "must be a list of test names"),
    (["a", 3], "must be a list of test names"),
    (["a", " "], "has an empty name"),
    (["a", "a"], "lists a name twice"),
])
def test_tags_shape_is_checked(value: object, problem: str) -> None:
    problems: list[str] = []
    rubric_tags.parse(value, "Correctness", problems)
    assert problems and problem in problems[0] and "'Correctness'" in problems[0]


def _copy(tmp_path: Path, slug: str = "customer-directory") -> Path:
    target = tmp_path / slug
    shutil.copytree(ROOT / "assignments" / slug, target,
                    ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
    return target


def test_spec_keeps_the_tags_in_the_rubric_json_and_refuses_unknown_keys(tmp_path) -> None:
    spec = load_spec(ROOT / "assignments" / "customer-directory")
    rubric = {c["name"]: c for c in spec.rubric_as_json()}
    assert rubric["Correctness"]["tests"] == ["test_hidden_parser.py", "test_hidden_api.py"]
    assert rubric["Communication"]["tests"] == []
    folder = _copy(tmp_path)
    toml = folder / "assignment.toml"
    toml.write_text(toml.read_text().replace("tests = [", "test = [", 1))
    with pytest.raises(AssignmentInvalid, match="'Correctness' has unknown keys: test"):
        load_spec(folder)


def _fake_run(tests: list[TestOutcome]):
    def run(_runner, tree: Path, *_args, **_kwargs) -> RunResult:
        if tree.name == "starter":
            return RunResult("failed", "all failed", failed=3)
        return RunResult("passed", "all passed", tests=tests, passed=len(tests))
    return run


def test_validator_names_a_tag_that_matches_no_hidden_test(tmp_path) -> None:
    folder = _copy(tmp_path)
    toml = folder / "assignment.toml"
    toml.write_text(toml.read_text().replace(
        'tests = ["test_hidden_parser.py", "test_hidden_api.py"]',
        'tests = ["test_hidden_parser.py", "tests/test_hidden_api.py"]'))
    tests = [TestOutcome("test_healthz", "test_hidden_api.py", "passed", 0.0, ""),
             TestOutcome("test_csv_simple_row", "test_hidden_parser.py", "passed", 0.0, "")]
    report = validate_folder(folder, run=_fake_run(tests))
    failed = {c.name: c.detail for c in report.checks if not c.ok}
    assert list(failed) == ["rubric test tags match hidden tests"]
    detail = failed["rubric test tags match hidden tests"]
    assert "criterion 'Correctness': 'tests/test_hidden_api.py' matches no hidden test" in detail
    assert "did you mean 'test_hidden_api.py'" in detail

    toml.write_text(toml.read_text().replace("tests/test_hidden_api.py", "test_hidden_api.py"))
    report = validate_folder(folder, run=_fake_run(tests))
    assert report.ok, [(c.name, c.detail) for c in report.checks if not c.ok]


@dataclass
class FakeRun:
    id: int = 7
    finished: bool = True
    altered: bool = False
    tests: tuple[Row, ...] = ()


CRITERIA = [{"name": "Correctness", "tests": ["test_api.py", "test_gone.py"]},
            {"name": "Communication", "tests": []}]


def test_evidence_counts_outcomes_and_names_what_did_not_pass() -> None:
    run = FakeRun(tests=(Row("test_a", "test_api.py", "passed", 1),
                         Row("test_b", "test_api.py", "failed", 2),
                         Row("test_c", "test_api.py", "error", 3),
                         Row("test_d", "test_api.py", "skipped", 4),
                         Row("test_x", "test_other.py", "failed", 5)))
    [evidence] = for_run(CRITERIA, run)  # untagged criteria have none
    assert evidence.summary() == (
        "1 of 3 tagged hidden tests passed in the latest run; 2 did not pass; 1 skipped.")
    assert [(t.id, t.outcome, t.result_id) for t in evidence.not_passed] == [
        ("test_api.py::test_b", "failed", 2), ("test_api.py::test_c", "error", 3)]
    data = serialise(evidence)
    assert (data["passed"], data["not_passed"], data["skipped"]) == (1, 2, 1)
    assert data["unmatched"] == ["test_gone.py"] and data["run_id"] == 7
    assert {"test": "test_api.py::test_b", "outcome": "failed"} in data["tests"]


def test_evidence_before_and_without_a_trustworthy_run() -> None:
    assert for_run(CRITERIA, None)[0].summary().startswith("No test run yet")
    assert for_run(CRITERIA, FakeRun(finished=False))[0].state == "pending"
    altered = for_run(CRITERIA, FakeRun(altered=True, tests=(Row("t", "test_api.py"),)))[0]
    assert altered.state == "altered" and altered.tests == [] and "not evidence" in \
        altered.summary()
    assert for_run(CRITERIA, FakeRun())[0].summary() == (
        "None of the tagged tests ran in the latest run.")
