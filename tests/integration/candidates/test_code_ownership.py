"""The candidate's rights over their code: download (bundle, zip), delete, retention purge.

Each deletion test proves nothing is left: no repository on disk, no grading run or test result
in the database, and the deletion recorded where staff see it.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from reciprocal.candidates import operations as invitations
from reciprocal.candidates import rights as candidate_rights
from reciprocal.extensions import db
from reciprocal.grading import operations as grading
from reciprocal.models import AuditEvent, GradingRun, TestResult, utcnow
from reciprocal.outcomes import operations as outcomes

from tests.support import factories
from tests.support.outcomes import submitted

RESULT = {
    "status": "failed",
    "passed": 3,
    "failed": 1,
    "output": "candidate output",
    "tests": [{"name": "test_a", "outcome": "passed"}, {"name": "test_b", "outcome": "failed"}],
}


def _graded() -> tuple[int, str]:
    submission, token = submitted()
    run = submission.latest_run
    run.rq_job_id = "job-1"  # as if a worker claimed it
    grading.record_result(run.id, "job-1", RESULT)
    db.session.commit()
    return submission.invitation.id, token


def _nothing_left(invitation_id: int) -> None:
    invitation = invitations.get(invitation_id)
    assert invitation.code_deleted_at is not None
    assert not invitations.storage().path_for(invitation_id).exists()
    assert db.session.scalar(db.select(db.func.count(GradingRun.id))) == 0
    assert db.session.scalar(db.select(db.func.count(TestResult.id))) == 0


def test_download_bundle_and_zip(client, ctx, tmp_path: Path) -> None:
    new = factories.started()
    bundle = client.get(f"/c/{new.token}/download/bundle")
    assert bundle.status_code == 200
    assert "attachment" in bundle.headers["Content-Disposition"]
    (tmp_path / "work.bundle").write_bytes(bundle.data)
    subprocess.run(
        ["git", "clone", "-q", str(tmp_path / "work.bundle"), str(tmp_path / "clone")], check=True
    )
    assert (tmp_path / "clone" / "OWNERSHIP.md").exists()
    archive = client.get(f"/c/{new.token}/download/zip")
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert "customer-directory/README.md" in names
    assert client.get(f"/c/{new.token}/download/tar").status_code == 404


@pytest.mark.postgres  # deletes cascade through the schema
def test_candidate_deletes_everything(client, ctx, auth) -> None:
    invitation_id, token = _graded()
    assert invitations.storage().exists(invitation_id)
    page = client.get(f"/c/{token}").get_data(as_text=True)
    assert "Delete my submission" in page and "Download as a git bundle" in page
    refused = client.post(f"/c/{token}/delete", data={})
    assert refused.status_code == 302 and invitations.storage().exists(invitation_id)
    response = client.post(f"/c/{token}/delete", data={"confirm": "yes"}, follow_redirects=True)
    assert "are deleted" in response.get_data(as_text=True)
    db.session.expire_all()
    _nothing_left(invitation_id)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "code.deleted"))
    assert event.actor_kind == "candidate" and event.details["by"] == "candidate"
    assert candidate_rights.deleted_by(invitations.get(invitation_id)) == "deleted by candidate"
    assert client.get(f"/c/{token}/download/zip").status_code == 409
    # Staff see who deleted it.
    factories.staff("recruiter", "rec@example.com")
    auth.client(client, "rec@example.com")
    submission_id = invitations.get(invitation_id).submission.id
    staff_page = client.get(f"/outcomes/submissions/{submission_id}/decision")
    assert "deleted by candidate" in staff_page.get_data(as_text=True)


@pytest.mark.postgres  # a date query picks what to purge
def test_retention_purge_spares_recent_and_kept(app, ctx) -> None:
    old_id, _ = _graded()
    recruiter = factories.staff("recruiter")
    old = invitations.get(old_id)
    outcomes.decide(old.submission, "reject", "Python HTTP APIs", actor=recruiter)
    outcomes.send(old.submission, actor=recruiter)
    db.session.commit()
    # Nothing is due yet: the decision is fresh.
    assert candidate_rights.purge_due() == []
    later = utcnow() + timedelta(days=app.config["RETENTION_DAYS"] + 1)
    assert [i.id for i in candidate_rights.purge_due(later)] == [old_id]
    old.keep_on_file = True
    db.session.commit()
    assert candidate_rights.purge_due(later) == []
    old.keep_on_file = False
    decision = outcomes.decision_for(old.submission)
    decision.sent_at = utcnow() - timedelta(days=app.config["RETENTION_DAYS"] + 1)
    db.session.commit()
    result = CliRunner().invoke(
        __import__("reciprocal.cli", fromlist=["main"]).main,
        ["retention", "purge"],
        obj=__import__("flask.cli", fromlist=["ScriptInfo"]).ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0, result.output
    assert "purged the code of 1 candidate" in result.output
    db.session.expire_all()
    _nothing_left(old_id)
    assert candidate_rights.deleted_by(invitations.get(old_id)) == (
        "deleted after the retention period"
    )
