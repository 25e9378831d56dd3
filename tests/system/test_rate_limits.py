"""Rate limits hold across gunicorn's processes (one count in Redis), per real client address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests

from tests.support.auth import csrf
from tests.support.served import served_platform

LOGIN_LIMIT = 10  # per minute and address, web/auth.py


def _failed_logins(url: str, times: int, headers: dict[str, str] | None = None) -> list[int]:
    """Wrong passwords, each on a new connection (so gunicorn's workers share the load)."""
    statuses = []
    for _ in range(times):
        session = requests.Session()
        extra = {"Connection": "close", **(headers or {})}
        page = session.get(url + "/login", headers=extra, timeout=30)
        answer = session.post(url + "/login", headers=extra, timeout=30, data={
            "csrf_token": csrf(page.text), "email": "nobody@served.example",
            "password": "wrong-password-123"})
        statuses.append(answer.status_code)
        session.close()
    return statuses


def test_the_login_limit_is_one_count_across_web_processes(tmp_path: Path,
                                                            platform_ready: Any) -> None:
    served = served_platform(tmp_path).start("--web-workers", "2")
    try:
        statuses = _failed_logins(served.url, LOGIN_LIMIT + 3)
    finally:
        served.stop()
    assert statuses[:LOGIN_LIMIT] == [401] * LOGIN_LIMIT
    assert statuses[LOGIN_LIMIT:] == [429] * 3


def test_behind_a_proxy_each_client_address_has_its_own_count(tmp_path: Path,
                                                               platform_ready: Any) -> None:
    served = served_platform(tmp_path, RECIPROCAL_PROXY_FIX="1").start()
    try:
        first = _failed_logins(served.url, LOGIN_LIMIT + 1, {"X-Forwarded-For": "203.0.113.7"})
        second = _failed_logins(served.url, 2, {"X-Forwarded-For": "203.0.113.8"})
    finally:
        served.stop()
    assert first[-1] == 429 and set(first[:-1]) == {401}
    assert second == [401, 401]
