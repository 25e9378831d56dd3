"""Issue 12, item 1, against `reciprocal serve`: the untouched customer-directory starter plus
15 lines in its package __init__ that make every pytest report say passed is pushed over git and
graded an error, integrity "altered", with the evidence, in the API and in red on the
recruiter's page. And a Node submission whose module registers passing tests of its own: the
report's ids differ from those read from the hidden files' syntax, so it is altered too, with
the static scan's warning naming the file and line."""

from __future__ import annotations

from pathlib import Path

from tests.system.served import Served, git, started_candidate, wait_graded

FORGERY = '''
import _pytest.reports as _reports

_original = _reports.TestReport.from_item_and_call.__func__


def _always_passed(cls, item, call):
    report = _original(cls, item, call)
    report.outcome = "passed"
    report.longrepr = None
    return report


_reports.TestReport.from_item_and_call = classmethod(_always_passed)
'''


def test_a_forged_pass_is_graded_altered(served: Served, tmp_path: Path) -> None:
    candidate = started_candidate(served)
    workdir = tmp_path / "candidate"
    workdir.mkdir()
    git("clone", "-q", candidate.git_url, "work", cwd=workdir)
    tree = workdir / "work"
    with (tree / "directory" / "__init__.py").open("a") as out:
        out.write(FORGERY)
    git("commit", "-q", "-am", "Done", cwd=tree)
    git("push", "-q", "origin", "HEAD:main", cwd=tree)
    submitted = candidate.call("submit")
    assert submitted.status_code == 201, submitted.text
    submission_id = submitted.json()["submission_id"]

    grading = wait_graded(served, submission_id, timeout=300)["grading"]
    assert grading["status"] == "error", grading["reason"]
    assert grading["reason"].startswith("The test results were altered by the submission")
    assert grading["integrity"] == "altered"
    evidence = grading["integrity_evidence"]
    assert any(item["kind"] == "sentinel" and item["alters"] for item in evidence)
    assert any(item.get("file") == "directory/__init__.py" and item.get("line")
               for item in evidence), evidence
    assert not any("sentinel" in t["message"] for t in grading["tests"])
    # No score anywhere (issue 22, item 6): the forged counts are null, and the candidate, whose
    # page shows results for this assignment, reads no count.
    assert [grading[k] for k in ("passed", "failed", "errors", "skipped")] == [None] * 4

    page = served.login("recruiter").get(f"{served.url}/submissions/{submission_id}", timeout=30)
    assert page.status_code == 200
    assert 'class="integrity integrity-altered"' in page.text
    assert "directory/__init__.py" in page.text
    assert "No count: the report was altered" in page.text
    status = served.api("GET", f"/c/{candidate.token}/status.json").json()
    assert status["grading"] == {"status": "error", "finished": True}
    portal = served.api("GET", f"/c/{candidate.token}").text
    assert "Automated tests finished. Reviewers will read the results beside your code." in portal


NODE_FORGERY = """const { test } = require('node:test');
for (let i = 0; i < 20; i += 1) test(`renders plan ${i}`, () => {});
"""


def test_tests_registered_by_a_node_submission_are_graded_altered(
        served: Served, tmp_path: Path) -> None:
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

    grading = wait_graded(served, submitted.json()["submission_id"], timeout=300)["grading"]
    assert grading["status"] == "error", grading["reason"]
    assert grading["integrity"] == "altered"
    evidence = grading["integrity_evidence"]
    assert any(item["kind"] == "ids" and item["alters"] and "renders plan" in item["detail"]
               for item in evidence), evidence
    assert {"kind": "scan", "detail": "loads node:test outside the tests", "alters": False,
            "file": "src/pricingTable.js", "line": 1} in evidence
