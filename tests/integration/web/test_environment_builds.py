"""The environment builds workers note in Redis (core.builds) reach the admin's assignments page
and the details of /readyz, a failed one with its step's output, escaped; against the real app,
database and Redis. (A real build on a second Docker engine is in
tests/system/test_second_engine.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from reciprocal.core import builds
from reciprocal.extensions import db

from tests.support.apps import make_app
from tests.support.auth import Auth


@pytest.fixture
def redis_app(migrated: str, tmp_path: Path, redis_url: str) -> Iterator[Flask]:
    app = make_app(migrated, tmp_path / "data", WTF_CSRF_ENABLED=False, REDIS_URL=redis_url)
    yield app
    with app.app_context():
        db.session.remove()


def test_builds_are_listed_for_the_admin_and_in_readyz(
        redis_app: Flask, redis_conn: Any, auth: Auth) -> None:
    client = redis_app.test_client()
    auth.client(client, "admin")
    page = client.get("/admin/assignments").get_data(as_text=True)
    assert "Environment builds" in page and "No worker has built" in page

    builds.record(redis_conn, "reciprocal-env-shop:aaaaaaaaaaaa", slug="shop", worker="w-1",
                  state="built")
    builds.record(redis_conn, "reciprocal-env-cart:bbbbbbbbbbbb", slug="cart", worker="w-2",
                  state="failed", detail="Step 3/4 : RUN pip install <nope>\nno such package")
    page = client.get("/admin/assignments").get_data(as_text=True)
    assert "reciprocal-env-shop:aaaaaaaaaaaa" in page and "w-1" in page
    assert "reciprocal-env-cart:bbbbbbbbbbbb" in page and "failed" in page
    assert "RUN pip install &lt;nope&gt;" in page and "<nope>" not in page

    details = client.get("/readyz").get_json()
    listed = details["checks"]["runner_engine"]["builds"]
    assert [(b["tag"], b["state"]) for b in listed] == [
        ("reciprocal-env-cart:bbbbbbbbbbbb", "failed"),
        ("reciprocal-env-shop:aaaaaaaaaaaa", "built")]
    assert "builds" not in str(redis_app.test_client().get("/readyz").get_json())
