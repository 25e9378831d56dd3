"""What the workers built, shown where an operator looks: the admin's assignments page and the
details of `/readyz`, from the build log the workers keep in Redis; with the app, database and
Redis real."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from reciprocal.core import builds
from reciprocal.extensions import db

from tests.support import factories
from tests.support.apps import make_app


@pytest.fixture
def admin_app(migrated: str, tmp_path: Path, redis_url: str) -> Iterator[Flask]:
    app = make_app(migrated, tmp_path / "data", WTF_CSRF_ENABLED=False, REDIS_URL=redis_url)
    yield app
    with app.app_context():
        db.session.remove()


def test_builds_are_listed_with_the_failing_step(admin_app: Flask, redis_conn: Any,
                                                 auth: Any) -> None:
    builds.record(redis_conn, "reciprocal-env-room-bookings:0123456789ab", state="built",
                  slug="room-bookings", worker="worker-a")
    builds.record(redis_conn, "reciprocal-env-delivery-slots:ba9876543210", state="failed",
                  slug="delivery-slots", worker="worker-b",
                  detail="Step 4/9 : RUN npm ci\nnpm ERR! <script>x</script> 404 Not Found")
    client = admin_app.test_client()
    auth.client(client, "admin")
    html = client.get("/admin/assignments").text
    assert "Environment builds" in html
    assert "reciprocal-env-room-bookings:0123456789ab" in html and "worker-a" in html
    assert "Output of the failing step" in html and "npm ERR! &lt;script&gt;" in html
    assert "<script>x</script>" not in html
    # Newest first.
    assert html.index("delivery-slots:ba98") < html.index("room-bookings:0123")

    details = client.get("/readyz").json["checks"]["runner_engine"]
    assert [entry["state"] for entry in details["builds"]] == ["failed", "built"]


def test_before_any_build_the_page_says_how_builds_happen(admin_app: Flask, redis_conn: Any,
                                                          auth: Any) -> None:
    with admin_app.app_context():
        factories.library()
    client = admin_app.test_client()
    auth.client(client, "admin")
    html = client.get("/admin/assignments").text
    assert "No worker has built an environment lately" in html
    assert "not validated yet" in html  # a synced version no `validate --record` has proved
