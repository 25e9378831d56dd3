"""An invitation keeps the assignment version it was given, even after the folder changes."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest
from reciprocal.assignments import operations as assignments
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.grading import operations as grading

from tests.support import factories
from tests.support.apps import make_app
from tests.support.paths import ROOT


@pytest.mark.postgres  # the claim is a conditional UPDATE
def test_grading_uses_the_invitations_version_of_the_hidden_tests(migrated, tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "assignments" / "customer-directory", library / "customer-directory")
    app = make_app(migrated, tmp_path / "data", ASSIGNMENTS_DIR=library)
    with app.app_context():
        assignments.sync_all()
        db.session.commit()
        new = factories.started()
        first_version = new.invitation.assignment_version.content_hash

        (library / "customer-directory" / "tests" / "test_added_later.py").write_text(
            "def test_new_rule():\n    assert True\n")
        report = assignments.sync_all()
        db.session.commit()
        assert report.updated == ["customer-directory"]
        assignment = assignments.get_by_slug("customer-directory")
        assert assignment.current_version.content_hash != first_version

        submission = invitations.submit(new.invitation)
        db.session.commit()
        run = submission.latest_run
        assert grading.claim(run.id, run.rq_job_id) is not None
        db.session.commit()
        hidden = grading.hidden_tests_tar(run.id, run.rq_job_id)
        with tarfile.open(fileobj=io.BytesIO(hidden)) as tar:
            names = {Path(name).name for name in tar.getnames()}
        assert "test_added_later.py" not in names
        assert any(name.startswith("test_") for name in names)

        later = factories.invitation()
        assert later.invitation.assignment_version.content_hash != first_version
