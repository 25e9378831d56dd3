"""Re-scoring on fixed hidden tests: which submissions are affected, the preview's differences,
confirmation (superseded runs, current result), and who is told. Real database and services; the
worker's part (claim, hidden tests, result) goes through the same functions its HTTP calls do."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest
from reciprocal.assignments import operations as assignments
from reciprocal.candidates import operations as invitations
from reciprocal.core.errors import Conflict
from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.grading import rescore
from reciprocal.models import AuditEvent, Message, Submission
from reciprocal.review import operations as review
from reciprocal.review import serialize as review_serialize
from sqlalchemy import select

from tests.support import factories
from tests.support.apps import make_app
from tests.support.paths import ROOT

HOSTILE_NAME = 'Sam <script>alert(1)</script> & "Co"'


def _result(status: str, outcomes: dict[str, str]) -> dict:
    return {
        "status": status,
        "passed": sum(o == "passed" for o in outcomes.values()),
        "failed": sum(o == "failed" for o in outcomes.values()),
        "tests": [{"name": name, "classname": "t", "outcome": o} for name, o in outcomes.items()],
    }


def _grade(run_id: int, result: dict) -> set[str]:
    """Play the worker: claim, fetch the hidden tests' names, record the result."""
    run = grading.get_run(run_id)
    assert grading.claim(run.id, run.rq_job_id) is not None
    with tarfile.open(fileobj=io.BytesIO(grading.hidden_tests_tar(run.id, run.rq_job_id))) as tar:
        names = {Path(name).name for name in tar.getnames()}
    grading.record_result(run.id, run.rq_job_id, result)
    db.session.commit()
    return names


def test_difference_lists_only_what_changed() -> None:
    class Run:
        def __init__(self, status: str, outcomes: dict[str, str]) -> None:
            self.status = status
            self.tests = [type("T", (), {"name": n, "classname": "", "outcome": o})()
                          for n, o in outcomes.items()]

    same = rescore.difference(Run("passed", {"a": "passed"}), Run("passed", {"a": "passed"}))
    assert same == {"status_before": "passed", "status_after": "passed", "changed": False,
                    "tests": []}
    changed = rescore.difference(Run("failed", {"a": "passed", "b": "failed"}),
                                 Run("failed", {"a": "failed", "b": "passed", "c": "passed"}))
    assert changed["changed"] is True
    assert changed["tests"] == [{"test": "a", "before": "passed", "after": "failed"},
                                {"test": "b", "before": "failed", "after": "passed"},
                                {"test": "c", "before": None, "after": "passed"}]


def test_the_re_scored_sentence_gives_no_count_from_an_altered_report() -> None:
    class Run:
        def __init__(self, integrity: str) -> None:
            self.status, self.passed, self.failed = "error", 9, 1
            self.altered = integrity == "altered"

    changed = {"changed": True, "status_before": "failed"}
    assert rescore.result_summary(Run("altered"), changed) == (
        "Its result is now error: the test report was altered, so it gives no count; "
        "it was failed.")
    assert rescore.result_summary(Run("clean"), {"changed": False}) == (
        "Its result is now error (9 passed, 1 failed); unchanged.")


@pytest.mark.postgres  # runs superseded and made current
def test_preview_diff_confirm_supersede_and_notify(migrated, tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "assignments" / "customer-directory", library / "customer-directory")
    app = make_app(migrated, tmp_path / "data", ASSIGNMENTS_DIR=library)
    with app.app_context():
        assignments.sync_all()
        db.session.commit()
        admin = factories.staff("admin")
        reviewer = factories.staff("reviewer")
        wrong = factories.started(name=HOSTILE_NAME)
        right = factories.started()
        subs = [invitations.submit(new.invitation) for new in (wrong, right)]
        review.assign_reviewer(subs[0], reviewer, actor=admin)
        db.session.commit()
        sub_ids = [s.id for s in subs]
        old_runs = [s.latest_run.id for s in subs]
        _grade(old_runs[0], _result("failed", {"test_ok": "passed", "test_wrong": "failed"}))
        _grade(old_runs[1], _result("failed", {"test_ok": "failed", "test_wrong": "failed"}))
        assignment = assignments.get_by_slug("customer-directory")
        assert rescore.offers() == []

        (library / "customer-directory" / "tests" / "test_fixed.py").write_text(
            "def test_wrong():\n    assert True\n")
        assignments.sync_all()
        db.session.commit()
        assert [o["submissions"] for o in rescore.offers()] == [2]

        batch = rescore.start_preview(assignment, actor=admin)
        db.session.commit()
        with pytest.raises(Conflict):
            rescore.start_preview(assignment, actor=admin)
        assert rescore.offers() == []
        data = rescore.serialise(batch)
        assert data["state"] == "previewing" and sorted(data["pending"]) == sorted(sub_ids)
        # A preview never replaces the current result, and a regrade request is not answered
        # with the pending preview run.
        first = db.session.get(Submission, sub_ids[0])
        assert first.latest_run.id == old_runs[0]
        with pytest.raises(Conflict):
            rescore.confirm(batch, actor=admin)

        previews = {run.submission_id: run.id for run in batch.runs}
        names = _grade(previews[sub_ids[0]], _result("passed", {"test_ok": "passed",
                                                                "test_wrong": "passed"}))
        assert "test_fixed.py" in names
        _grade(previews[sub_ids[1]], _result("failed", {"test_ok": "failed",
                                                        "test_wrong": "failed"}))
        data = rescore.serialise(rescore.get(batch.id))
        assert data["state"] == "ready"
        assert data["changed"] == [sub_ids[0]] and data["unchanged"] == [sub_ids[1]]
        item = next(i for i in data["submissions"] if i["submission_id"] == sub_ids[0])
        assert (item["status_before"], item["status_after"]) == ("failed", "passed")
        assert item["tests"] == [{"test": "t::test_wrong", "before": "failed", "after": "passed"}]
        assert db.session.get(Submission, sub_ids[0]).latest_run.id == old_runs[0]

        rescore.confirm(rescore.get(batch.id), actor=admin)
        db.session.commit()
        first = db.session.get(Submission, sub_ids[0])
        assert first.latest_run.id == previews[sub_ids[0]]
        assert first.latest_run.purpose == "rescore"
        assert [r.id for r in first.superseded_runs] == [old_runs[0]]
        assert first.invitation.assignment_version_id != assignment.current_version_id
        grading_json = review_serialize.serialise_for(admin, sub_ids[0])["grading"]
        assert grading_json["id"] == previews[sub_ids[0]] and grading_json["status"] == "passed"
        assert grading_json["purpose"] == "rescore"
        assert grading_json["tests_version"] == assignment.current_version.content_hash
        assert [s["id"] for s in grading_json["superseded"]] == [old_runs[0]]
        assert rescore.serialise(rescore.get(batch.id))["changed"] == [sub_ids[0]]
        assert rescore.offers() == []

        kinds = {(m.kind, m.to) for m in db.session.scalars(select(Message))}
        assert ("rescore_candidate", "sam@example.com") in kinds
        assert ("rescore_reviewer", reviewer.email) in kinds
        # The candidate's name is their own text: escaped in the HTML part.
        told = db.session.scalars(select(Message).where(
            Message.kind == "rescore_candidate")).all()
        hostile = next(m for m in told if HOSTILE_NAME in m.text)
        assert "<script" not in hostile.html
        assert "Hello Sam &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;," in hostile.html


@pytest.mark.postgres  # previews found by version
def test_a_preview_on_older_tests_is_discarded_by_a_newer_one(migrated, tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "assignments" / "customer-directory", library / "customer-directory")
    fixed = library / "customer-directory" / "tests" / "test_fixed.py"
    app = make_app(migrated, tmp_path / "data", ASSIGNMENTS_DIR=library)
    with app.app_context():
        assignments.sync_all()
        db.session.commit()
        admin = factories.staff("admin")
        sub = invitations.submit(factories.started().invitation)
        db.session.commit()
        _grade(sub.latest_run.id, _result("failed", {"test_wrong": "failed"}))
        assignment = assignments.get_by_slug("customer-directory")
        fixed.write_text("def test_wrong():\n    assert True\n")
        assignments.sync_all()
        db.session.commit()
        first = rescore.start_preview(assignment, actor=admin)
        db.session.commit()

        # The tests are fixed again before anyone confirmed: the new preview replaces the old.
        fixed.write_text("def test_wrong():\n    assert 1 + 1 == 2\n")
        assignments.sync_all()
        db.session.commit()
        assert [o["submissions"] for o in rescore.offers()] == [1]  # offered again
        second = rescore.start_preview(assignment, actor=admin)
        db.session.commit()
        assert rescore.state(first) == "discarded" and rescore.open_batch(assignment) == second
        assert [run.submission_id for run in second.runs] == [sub.id]
        with pytest.raises(Conflict, match="a newer one replaced it"):
            rescore.confirm(first, actor=admin)
        assert sub.latest_run.purpose != "preview"  # nobody's result changed
        events = db.session.scalars(select(AuditEvent.action)).all()
        assert "grading.rescore_discarded" in events
