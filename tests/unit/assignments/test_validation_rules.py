"""Validation's rules for the stacks: which visible tests a Python-runner assignment's starter
has and how they run, and a generic tool's reference run, which has no ids to compare with."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from reciprocal.assignments.validation import VISIBLE_RUNNERS, _clean, visible_files

NOT_COMPARED = {"kind": "ids", "alters": False,
                "detail": "the report's ids were not compared: this assignment version has no "
                          "validated run of its reference solution"}


def test_visible_files_by_the_tool_that_runs_them() -> None:
    visible = [Path("tests/conftest.py"), Path("tests/test_api.py"), Path("tests/data.json"),
               Path("tests/counter.test.mjs"), Path("tests/helpers.mjs")]
    assert visible_files(visible) == {
        "pytest": ["tests/conftest.py", "tests/test_api.py"],
        "node --test": ["tests/counter.test.mjs"]}
    assert visible_files([Path("tests/readme.txt")]) == {}
    assert VISIBLE_RUNNERS["node --test"][0] == ["node", "--test"]


def test_a_command_runners_reference_run_may_lack_ids_only() -> None:
    command = SimpleNamespace(runner="command")

    def run(integrity: str, *evidence: dict[str, object]) -> SimpleNamespace:
        return SimpleNamespace(integrity=integrity, integrity_evidence=list(evidence))

    assert _clean(command, run("clean"))
    assert _clean(command, run("flagged", NOT_COMPARED))
    shipped = {"kind": "report", "alters": False, "detail": "the submission shipped a report"}
    assert not _clean(command, run("flagged", NOT_COMPARED, shipped))
    assert not _clean(command, run("altered", {**NOT_COMPARED, "alters": True}))
    assert not _clean(SimpleNamespace(runner="python"), run("flagged", NOT_COMPARED))
