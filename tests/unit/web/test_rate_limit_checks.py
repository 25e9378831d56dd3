"""The request-wide rate-limit check is skipped only while no request-wide limit exists: routes'
own limits always hold, and default, application or blueprint limits switch the check back on.
The rate-limit headers are written on the API and on every 429, and nowhere else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Blueprint, Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from reciprocal import create_app
from reciprocal.extensions import limiter as platform_limiter
from reciprocal.web.rate_limits import (
    check_request_wide_limits_only_when_set,
    rate_limit_headers_only_where_read,
    request_wide_limits_exist,
)


def _app(**limiter_options: Any) -> tuple[Flask, Limiter]:
    app = Flask(__name__)
    limiter = Limiter(get_remote_address, storage_uri="memory://", **limiter_options)

    @app.get("/free")
    def free() -> str:
        return "free"

    @app.get("/limited")
    @limiter.limit("2 per minute")
    def limited() -> str:
        return "limited"

    return app, limiter


def _statuses(app: Flask, path: str, times: int) -> list[int]:
    client = app.test_client()
    return [client.get(path).status_code for _ in range(times)]


def _count_resolutions(limiter: Limiter, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    calls: list[bool] = []
    original = limiter.limit_manager.resolve_limits

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(bool(kwargs.get("in_middleware", args[4] if len(args) > 4 else False)))
        return original(*args, **kwargs)

    monkeypatch.setattr(limiter.limit_manager, "resolve_limits", counting)
    return calls


def test_without_request_wide_limits_only_the_routes_own_are_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app, limiter = _app()
    limiter.init_app(app)
    check_request_wide_limits_only_when_set(app, limiter)
    assert not request_wide_limits_exist(limiter)
    calls = _count_resolutions(limiter, monkeypatch)
    assert _statuses(app, "/free", 5) == [200] * 5
    assert calls == []  # the request-wide hook did not run
    assert _statuses(app, "/limited", 3) == [200, 200, 429]
    assert calls and not any(calls)  # the route's own check, in the view


def test_default_limits_switch_the_request_wide_check_on() -> None:
    app, limiter = _app(default_limits=["3 per minute"])
    limiter.init_app(app)
    check_request_wide_limits_only_when_set(app, limiter)
    assert request_wide_limits_exist(limiter)
    assert _statuses(app, "/free", 4) == [200, 200, 200, 429]


def test_limits_from_the_configuration_and_on_blueprints_count_too() -> None:
    app, limiter = _app()
    app.config["RATELIMIT_APPLICATION"] = "2 per minute"
    limiter.init_app(app)
    check_request_wide_limits_only_when_set(app, limiter)
    assert _statuses(app, "/free", 3) == [200, 200, 429]

    app, limiter = _app()
    bp = Blueprint("bp", __name__)

    @bp.get("/in-blueprint")
    def in_blueprint() -> str:
        return "bp"

    limiter.limit("1 per minute")(bp)
    app.register_blueprint(bp)
    limiter.init_app(app)
    check_request_wide_limits_only_when_set(app, limiter)
    assert _statuses(app, "/in-blueprint", 2) == [200, 429]


def test_a_limiter_that_keeps_its_limits_elsewhere_is_always_checked() -> None:
    class Unknown:
        pass

    assert request_wide_limits_exist(Unknown())  # type: ignore[arg-type]


def test_the_platform_installs_the_guard(tmp_path: Path) -> None:
    app = create_app({"DATA_DIR": str(tmp_path), "SECRET_KEY": "test",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.db'}"})
    hooks = app.before_request_funcs[None]
    assert platform_limiter._check_request_limit not in hooks
    assert any(h.__name__ == "check_request_wide_limits" for h in hooks)
    assert not request_wide_limits_exist(platform_limiter)


def test_rate_limit_headers_only_on_the_api_and_on_429() -> None:
    app, limiter = _app(headers_enabled=True)

    @app.get("/api/v1/limited")
    @limiter.limit("2 per minute")
    def api_limited() -> str:
        return "api"

    @app.get("/deducted")
    @limiter.limit("5 per minute", deduct_when=lambda response: response.status_code == 200)
    def deducted() -> str:
        return "deducted"

    limiter.init_app(app)
    rate_limit_headers_only_where_read(app, limiter)
    client = app.test_client()
    page = client.get("/limited")
    assert page.status_code == 200 and "X-RateLimit-Remaining" not in page.headers
    client.get("/limited")
    refused = client.get("/limited")
    assert refused.status_code == 429
    assert refused.headers["X-RateLimit-Remaining"] == "0" and "Retry-After" in refused.headers
    api = client.get("/api/v1/limited")
    assert api.headers["X-RateLimit-Limit"] == "2" and api.headers["X-RateLimit-Remaining"] == "1"
    # A conditional deduction is the hook's own work: it still runs (and writes the headers).
    assert [client.get("/deducted").headers.get("X-RateLimit-Remaining") for _ in range(2)] == [
        "4", "3"]


def test_the_platform_guards_its_header_hook() -> None:
    from reciprocal.web.rate_limits import _headers_guard

    app = create_app({"TESTING": True})
    hooks = app.after_request_funcs[None]
    assert any(h.__name__ == _headers_guard(platform_limiter, lambda r: r).__name__
               for h in hooks)
    inject = vars(Limiter)["_Limiter__inject_headers"]
    assert not any(getattr(h, "func", None) is inject for h in hooks)
