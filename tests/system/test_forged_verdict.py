"""Forged verdicts against `reciprocal serve`, pushed over git as a candidate would.

Python: the second security review's starter, which rebinds the reporter's send function and
silences its guard, is pushed and graded on its merits (failed, integrity clean): the hidden tests
ran in a judge that never imported it, and the grading record says which checks ran. Text the
submission's code produces (failure messages, output) never reaches the candidate's own page,
which names failing tests by their collected ids only. Node: a module that registers passing
tests of its own is altered (the report's ids differ from those read from the hidden files'
syntax), with the static scan's warning naming the file and line."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import requests

from tests.support.auth import Auth
from tests.support.paths import REDTEAM
from tests.support.served import Served, git, started_candidate, wait_graded

REBINDING = (REDTEAM / "python" / "rebind-the-reporter" / "append" / "directory"
             / "__init__.py").read_text()


def push(candidate, tmp_path: Path, change) -> int:
    """Clone the starter, change it, push, submit; the submission's id."""
    workdir = tmp_path / "candidate"
    workdir.mkdir()
    git("clone", "-q", candidate.git_url, "work", cwd=workdir)
    change(workdir / "work")
    git("commit", "-q", "-am", "Done", cwd=workdir / "work")
    git("push", "-q", "origin", "HEAD:main", cwd=workdir / "work")
    submitted = candidate.call("submit")
    assert submitted.status_code == 201, submitted.text
    return int(submitted.json()["submission_id"])


def test_the_rebinding_starter_is_graded_on_its_merits(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    candidate = started_candidate(served)

    def rebind(tree: Path) -> None:
        with (tree / "directory" / "__init__.py").open("a") as out:
            out.write(REBINDING)

    submission_id = push(candidate, tmp_path, rebind)
    grading = wait_graded(served, submission_id, timeout=300)["grading"]
    assert grading["status"] == "failed", grading["reason"]
    assert grading["integrity"] == "clean", grading["integrity_evidence"]
    assert grading["checks"] == ["boundary", "sentinels", "ids"]
    assert grading["failed"] > 50
    assert not any("sentinel" in t["message"] for t in grading["tests"])

    page = auth.session(served, "recruiter").get(f"{served.url}/submissions/{submission_id}",
                                                 timeout=30)
    assert page.status_code == 200
    assert "How this verdict was checked" in page.text
    assert "apart from the submission" in page.text


def test_text_the_submission_produces_never_reaches_the_candidates_page(
        served: Served, tmp_path: Path) -> None:
    """Every function of the submission fails with a message carrying a marker, and prints it;
    reviewers read it in the failures, the candidate's page and status never show it, and the
    failing tests it offers for a note are named by the hidden tests' ids only."""
    marker = f"LEAK-{uuid.uuid4().hex}"
    candidate = started_candidate(served)

    def leak(tree: Path) -> None:
        with (tree / "directory" / "__init__.py").open("a") as out:
            out.write(f"\nprint({marker!r})\nraise RuntimeError({marker!r})\n")

    submission_id = push(candidate, tmp_path, leak)
    grading = wait_graded(served, submission_id, timeout=300)["grading"]
    assert grading["status"] == "error", grading["reason"]
    assert marker in grading["output"] or any(marker in t["message"] for t in grading["tests"])

    portal = requests.get(f"{served.url}/c/{candidate.token}", timeout=30)
    assert portal.status_code == 200
    assert marker not in portal.text
    status = requests.get(f"{served.url}/c/{candidate.token}/status.json", timeout=30)
    assert marker not in status.text
    offered = re.findall(r'<option value="test:([^"]+)"', portal.text)
    assert all(re.fullmatch(r"test_hidden_\w+\.py::test_\w+(\[.*\])?", o) for o in offered)


NODE_FORGERY = """const { test } = require('node:test');
for (let i = 0; i < 20; i += 1) test(`renders plan ${i}`, () => {});
"""


def test_tests_registered_by_a_node_submission_are_graded_altered(
        served: Served, tmp_path: Path, auth: Auth) -> None:
    candidate = started_candidate(served, "pricing-table")
    workdir = tmp_path / "candidate"
    workdir.mkdir()
    git("clone", "-q", candidate.git_url, "work", cwd=workdir)
    entry = workdir / "work" / "src" / "pricingTable.js"
    entry.write_text(NODE_FORGERY + entry.read_text())
    git("commit", "-q", "-am", "Done", cwd=workdir / "work")
    git("push", "-q", "origin", "HEAD:main", cwd=workdir / "work")
    submitted = candidate.call("submit")
    assert submitted.status_code == 201, submitted.text

    submission_id = submitted.json()["submission_id"]
    grading = wait_graded(served, submission_id, timeout=300)["grading"]
    assert grading["status"] == "error", grading["reason"]
    assert grading["integrity"] == "altered"
    evidence = grading["integrity_evidence"]
    assert any(item["kind"] == "ids" and item["alters"] and "renders plan" in item["detail"]
               for item in evidence), evidence
    assert {"kind": "scan", "detail": "loads node:test outside the tests", "alters": False,
            "file": "src/pricingTable.js", "line": 1} in evidence
    assert grading["checks"] == ["sentinels", "ids", "scan"]
    # No score anywhere: the forged counts are null, and the candidate, whose page shows
    # results for this assignment, reads no count.
    assert [grading[k] for k in ("passed", "failed", "errors", "skipped")] == [None] * 4
    page = auth.session(served, "recruiter").get(f"{served.url}/submissions/{submission_id}",
                                                 timeout=30)
    assert 'class="integrity integrity-altered"' in page.text
    assert "No count: the report was altered" in page.text
    status = served.api("GET", f"/c/{candidate.token}/status.json").json()
    assert status["grading"] == {"status": "error", "finished": True}
    portal = served.api("GET", f"/c/{candidate.token}").text
    assert "Automated tests finished. Reviewers will read the results beside your code." in portal
