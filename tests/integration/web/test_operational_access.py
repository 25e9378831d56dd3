"""Who may read /metrics and the details of /readyz, and that a candidate's token never reaches
the application's own log lines; against the real app, database and Redis. (The served process
tree, gunicorn's logs included, is proved in tests/system/test_operational_access.py.)"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from reciprocal.extensions import db

from tests.support import factories
from tests.support.apps import make_app

METRICS_TOKEN = "metrics-" + "m" * 40
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.7"}


def _app(migrated: str, tmp_path: Path, **overrides: Any) -> Flask:
    return make_app(migrated, tmp_path / "data", WTF_CSRF_ENABLED=False, **overrides)


@pytest.fixture
def open_app(migrated: str, tmp_path: Path, redis_url: str) -> Iterator[Flask]:
    """RECIPROCAL_METRICS_TOKEN unset."""
    app = _app(migrated, tmp_path, REDIS_URL=redis_url)
    yield app
    with app.app_context():
        db.session.remove()


@pytest.fixture
def token_app(migrated: str, tmp_path: Path, redis_url: str) -> Iterator[Flask]:
    app = _app(migrated, tmp_path, REDIS_URL=redis_url, METRICS_TOKEN=METRICS_TOKEN)
    yield app
    with app.app_context():
        db.session.remove()


def _bearer(token: str, scheme: str = "Bearer") -> dict[str, str]:
    return {"Authorization": f"{scheme} {token}"}


def test_without_a_token_or_a_named_scraper_metrics_answer_nobody(open_app: Flask) -> None:
    """A proxy on this host that adds no forwarding header makes every visitor a loopback
    client: being on loopback is no credential."""
    client = open_app.test_client()
    for address in ("127.0.0.1", "::1", "::ffff:127.0.0.1", "203.0.113.7", "", "not-an-address"):
        refused = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
        assert refused.status_code == 403, address
        assert "reciprocal_" not in refused.get_data(as_text=True)
        assert "RECIPROCAL_METRICS_ALLOW_FROM" in refused.get_data(as_text=True)
    # No token is configured, so none is accepted either.
    assert client.get("/metrics", headers=_bearer("")).status_code == 403
    assert open_app.test_client().get("/readyz").get_json() == {"status": "degraded"}


@pytest.fixture
def scraper_app(migrated: str, tmp_path: Path, redis_url: str) -> Iterator[Flask]:
    """RECIPROCAL_METRICS_ALLOW_FROM names the scraper: this host and a monitoring network."""
    app = _app(migrated, tmp_path, REDIS_URL=redis_url,
               METRICS_ALLOW_FROM=["127.0.0.1", "10.1.2.0/24"])
    yield app
    with app.app_context():
        db.session.remove()


def test_named_scraper_addresses_read_metrics_and_readyz_details(scraper_app: Flask) -> None:
    client = scraper_app.test_client()
    for address in ("127.0.0.1", "10.1.2.9", "::ffff:10.1.2.9"):
        answer = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
        assert answer.status_code == 200, address
        details = client.get("/readyz", environ_base={"REMOTE_ADDR": address}).get_json()
        assert details["checks"]["redis"] == {"ok": True}, address
    for address in ("127.0.0.2", "::1", "10.1.3.9", "203.0.113.7", ""):
        refused = client.get("/metrics", environ_base={"REMOTE_ADDR": address})
        assert refused.status_code == 403, address
        assert client.get("/readyz", environ_base={"REMOTE_ADDR": address}).get_json() == {
            "status": "degraded"}, address
    # A proxy connects from a named address whoever its client is.
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        assert client.get("/metrics", headers={header: "10.1.2.9"}).status_code == 403
        assert set(client.get("/readyz", headers={header: "10.1.2.9"}).get_json()) == {"status"}


def test_a_setting_naming_no_address_stops_the_start(migrated: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from reciprocal.config import load_config

    monkeypatch.setenv("RECIPROCAL_METRICS_ALLOW_FROM", "127.0.0.1, prometheus.internal")
    with pytest.raises(ValueError, match="RECIPROCAL_METRICS_ALLOW_FROM"):
        load_config({"DATA_DIR": str(tmp_path), "SECRET_KEY": "x"})
    monkeypatch.setenv("RECIPROCAL_METRICS_ALLOW_FROM", " 127.0.0.1 , fd00::/8 ")
    assert load_config({"DATA_DIR": str(tmp_path), "SECRET_KEY": "x"})[
        "METRICS_ALLOW_FROM"] == ["127.0.0.1", "fd00::/8"]


def test_with_a_token_metrics_need_the_bearer(token_app: Flask) -> None:
    client = token_app.test_client()
    for headers in ({}, _bearer("wrong"), _bearer(METRICS_TOKEN + "x"), _bearer(""),
                    {"Authorization": METRICS_TOKEN}, _bearer(METRICS_TOKEN, "Basic")):
        refused = client.get("/metrics", headers=headers)  # even from loopback
        assert refused.status_code == 401, headers
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert "reciprocal_" not in refused.get_data(as_text=True)
    for headers in (_bearer(METRICS_TOKEN), _bearer(METRICS_TOKEN, "bearer")):
        answer = client.get("/metrics", headers=headers, environ_base=ELSEWHERE)
        assert answer.status_code == 200
        assert 'reciprocal_queue_depth{queue="grading"}' in answer.get_data(as_text=True)


def test_with_a_token_and_a_named_scraper_either_will_do(migrated: str, tmp_path: Path,
                                                         redis_url: str) -> None:
    app = _app(migrated, tmp_path, REDIS_URL=redis_url, METRICS_TOKEN=METRICS_TOKEN,
               METRICS_ALLOW_FROM=["10.1.2.9"])
    client = app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.9"}).status_code == 200
    assert client.get("/metrics", headers=_bearer(METRICS_TOKEN),
                      environ_base=ELSEWHERE).status_code == 200
    assert client.get("/metrics", environ_base=ELSEWHERE).status_code == 401
    assert client.get("/metrics").status_code == 401  # loopback is not named
    with app.app_context():
        db.session.remove()


def test_readyz_details_only_for_an_admin_or_the_metrics_token(token_app: Flask, auth) -> None:
    with token_app.app_context():
        factories.staff("admin", "ada@example.com")
        factories.staff("recruiter", "rita@example.com")
    anonymous = token_app.test_client().get("/readyz")
    assert anonymous.status_code == 200  # no worker is running: degraded, still ready
    assert anonymous.get_json() == {"status": "degraded"}
    assert token_app.test_client().get("/readyz", headers=_bearer("wrong")).get_json() == {
        "status": "degraded"
    }

    with_token = token_app.test_client().get("/readyz", headers=_bearer(METRICS_TOKEN))
    assert with_token.status_code == 200
    assert with_token.get_json()["checks"]["redis"] == {"ok": True}

    for email, sees_details in (("ada@example.com", True), ("rita@example.com", False)):
        client = token_app.test_client()
        auth.client(client, email)
        body = client.get("/readyz").get_json()
        assert ("checks" in body) is sees_details, email
        assert body["status"] == "degraded"


def test_readyz_says_unavailable_without_its_reasons(migrated: str, tmp_path: Path) -> None:
    app = _app(migrated, tmp_path, REDIS_URL="redis://127.0.0.1:9/0", METRICS_TOKEN=METRICS_TOKEN)
    anonymous = app.test_client().get("/readyz")
    assert anonymous.status_code == 503
    assert anonymous.get_json() == {"status": "unavailable"}
    detailed = app.test_client().get("/readyz", headers=_bearer(METRICS_TOKEN))
    assert detailed.status_code == 503
    assert detailed.get_json()["checks"]["redis"]["ok"] is False
    with app.app_context():
        db.session.remove()


@pytest.fixture
def root_buffer() -> Iterator[io.StringIO]:
    """A plain handler on the root logger, as a process that configured logging has."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    buffer = io.StringIO()
    root.addHandler(logging.StreamHandler(buffer))
    root.setLevel(logging.INFO)
    yield buffer
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved_handlers:
        root.addHandler(handler)
    root.setLevel(saved_level)


def _failing_portal_route(app: Flask) -> None:
    @app.get("/c/<token>/boom")
    def _boom(token: str) -> str:
        raise RuntimeError(f"boom while serving {token[:4]}")


def test_an_error_on_a_portal_path_is_logged_without_the_token(
    migrated: str, tmp_path: Path, root_buffer: io.StringIO
) -> None:
    app = _app(migrated, tmp_path)
    _failing_portal_route(app)
    with app.app_context():
        token = factories.invitation().token
    assert app.test_client().get(f"/c/{token}/boom").status_code == 500
    text = root_buffer.getvalue()
    assert "unhandled error on GET /c/[token]/boom" in text
    assert token not in text
    with app.app_context():
        db.session.remove()


def test_json_access_lines_name_the_path_without_the_token(
    migrated: str, tmp_path: Path, root_buffer: io.StringIO
) -> None:
    app = _app(migrated, tmp_path, LOG_FORMAT="json")
    handler = next(h for h in logging.getLogger().handlers
                   if getattr(h, "_reciprocal_json_handler", False))
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    handler.setStream(buffer)
    _failing_portal_route(app)
    with app.app_context():
        token = factories.invitation().token
    client = app.test_client()
    assert client.get(f"/c/{token}").status_code == 200
    assert client.get(f"/c/{token}/status.json").status_code == 200
    assert client.get(f"/c/{token}/boom").status_code == 500
    text = buffer.getvalue()
    assert token not in text
    lines = [json.loads(line) for line in text.splitlines()]
    access = [line for line in lines if line["logger"] == "reciprocal.access"]
    assert [line["path"] for line in access] == [
        "/c/[token]", "/c/[token]/status.json", "/c/[token]/boom"
    ]
    assert all(line["message"].startswith("GET /c/[token]") for line in access)
    error = next(line for line in lines if line["level"] == "error")
    assert error["message"] == "unhandled error on GET /c/[token]/boom"
    with app.app_context():
        db.session.remove()
