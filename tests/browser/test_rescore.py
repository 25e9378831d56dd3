"""Re-scoring after a fixed hidden test, in headless Chromium: the admin's assignments page offers
the re-score of an assignment whose hidden test was fixed; the preview page lists whose result would
change; the admin confirms; the candidate's page shows the notice. The worker's part is played
through the same functions its HTTP calls reach (the system test runs real containers)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.models import GradingRun, Submission
from sqlalchemy import select

from tests.support import factories
from tests.support.browser import violations
from tests.support.paths import ROOT


def _grade(run: GradingRun, status: str, outcome: str) -> None:
    assert grading.claim(run.id, run.rq_job_id) is not None
    grading.record_result(run.id, run.rq_job_id, {
        "status": status, "passed": 1 + (outcome == "passed"), "failed": outcome == "failed",
        "tests": [{"name": "test_ok", "classname": "t", "outcome": "passed"},
                  {"name": "test_total", "classname": "t", "outcome": outcome}]})
    db.session.commit()


def test_admin_previews_and_confirms_a_rescore(live_app, page, tmp_path: Path, auth) -> None:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "assignments" / "customer-directory", library / "customer-directory",
                    ignore=shutil.ignore_patterns("__pycache__"))
    live_app.app.config["ASSIGNMENTS_DIR"] = library
    with live_app.app.app_context():
        factories.library()
        factories.staff("admin", "admin@example.com")
        new = factories.started()
        submission = invitations.submit(new.invitation)
        db.session.commit()
        _grade(submission.latest_run, "failed", "failed")
        (library / "customer-directory" / "tests" / "test_fixed.py").write_text(
            "def test_total():\n    assert True\n")
        factories.library()
        portal, submission_id = new.portal_url, submission.id

    auth.page(page, live_app.url, "admin@example.com")
    page.goto(f"{live_app.url}/admin/assignments")
    offer = page.locator(".rescore-offer")
    assert "1 graded submission(s) of earlier versions" in offer.inner_text()
    offer.get_by_role("button", name="Preview the re-score of Customer directory service").click()
    assert "previewing" in page.inner_text(".rescore-state")

    with live_app.app.app_context():
        preview = db.session.scalars(select(GradingRun).where(
            GradingRun.submission_id == submission_id, GradingRun.purpose == "preview")).one()
        _grade(preview, "passed", "passed")
    page.reload()
    assert page.inner_text(".rescore-state") == "ready"
    body = page.inner_text("#rescore")
    assert "1 result(s) would change, 0 stay the same" in body
    row = page.locator("tr.changed")
    assert "failed" in row.inner_text() and "passed" in row.inner_text()
    assert "t::test_total: failed → passed" in row.inner_text()
    assert not violations(page)
    page.screenshot(path=str(tmp_path / "rescore-preview.png"), full_page=True)
    shutil.copy(tmp_path / "rescore-preview.png", Path("/tmp/rescore-preview.png"))

    page.get_by_role("button", name="Confirm: make these the current results").click()
    assert page.inner_text(".rescore-state") == "confirmed"
    with live_app.app.app_context():
        current: Any = db.session.get(Submission, submission_id).latest_run
        assert current.purpose == "rescore" and current.status == "passed"

    page.goto(portal)
    assert "re-ran your submission on the fixed tests" in page.inner_text("body")
