"""One app and one hand-computed history per module (tests/support/report_fixture.py): the
report tests only read it, so building it once keeps them quick."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from reciprocal.extensions import db

from tests.support import report_fixture
from tests.support.apps import make_app


@pytest.fixture(scope="module")
def reports(migrated: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """(app, facts): facts are plain values (ids, names, codes) usable outside a context."""
    app = make_app(migrated, tmp_path_factory.mktemp("reports") / "data",
                   WTF_CSRF_ENABLED=False)
    with app.app_context():
        history = report_fixture.build()
        facts = {
            "role_id": history["role"].id,
            "role_title": history["role"].title,
            "people": {letter: (row.id, row.candidate_name, row.candidate_code,
                                row.candidate_email, row.assignment_id)
                       for letter, row in history["invitations"].items()},
        }
    yield app, facts
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
