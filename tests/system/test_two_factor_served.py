"""Two-factor sign-in against `reciprocal serve` with two web processes, driven from outside:
enrolment with a real authenticator code, and a code sent by several sign-ins at once (each
from an address of its own, so no rate limit decides) signs in exactly one of them, whichever
process answers each. The same for a recovery code."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyotp
import requests

from tests.support.auth import RECOVERY_CODES_RE, TOTP_SECRET_RE, csrf, next_totp_code
from tests.support.factories import PASSWORD
from tests.support.served import Served, served_platform

EMAIL = "recruiter@served.example"
AT_ONCE = 6


def _password_step(served: Served, address: str) -> tuple[requests.Session, str]:
    """A new session past the password, from `address`: it and the second step's CSRF token."""
    session = requests.Session()
    session.headers.update({"X-Forwarded-For": address, "Connection": "close"})
    page = session.get(served.url + "/login", timeout=30)
    answer = session.post(served.url + "/login", timeout=30, data={
        "csrf_token": csrf(page.text), "email": EMAIL, "password": PASSWORD})
    assert answer.status_code == 200 and answer.url.endswith("/login/two-factor"), answer.url
    return session, csrf(answer.text)


def _enrol(served: Served) -> tuple[str, list[str]]:
    """Enrol the recruiter (signed in by password alone, before any second factor): the
    authenticator's secret and the recovery codes."""
    session = requests.Session()
    session.headers["X-Forwarded-For"] = "198.51.100.1"
    page = session.get(served.url + "/login", timeout=30)
    session.post(served.url + "/login", timeout=30, data={
        "csrf_token": csrf(page.text), "email": EMAIL, "password": PASSWORD})
    setup = session.get(served.url + "/login/two-factor/setup", timeout=30)
    assert setup.status_code == 200, setup.text[:500]
    secret = TOTP_SECRET_RE.search(setup.text).group(1)  # type: ignore[union-attr]
    done = session.post(served.url + "/login/two-factor/setup", timeout=30, data={
        "csrf_token": csrf(setup.text), "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200, done.text[:500]
    codes = RECOVERY_CODES_RE.findall(done.text)
    assert len(codes) == 10
    return secret, codes


def _all_at_once(served: Served, first_octet: int, code: Callable[[], str]) -> list[int]:
    """`AT_ONCE` sign-ins past their password, then the same code from all of them at once
    (asked for only then: an authenticator's code is valid for a minute or so, and the
    sign-ins may take a while on a busy machine); the status of each answer (302 signed in,
    401 refused)."""
    pending = [_password_step(served, f"198.51.{first_octet}.{index + 2}")
               for index in range(AT_ONCE)]
    sent = code()

    def send(step: tuple[requests.Session, str]) -> int:
        session, token = step
        return session.post(served.url + "/login/two-factor", timeout=60,
                            allow_redirects=False,
                            data={"csrf_token": token, "code": sent}).status_code

    with ThreadPoolExecutor(AT_ONCE) as pool:
        return sorted(pool.map(send, pending))


def test_a_code_sent_by_several_sign_ins_at_once_signs_in_one(tmp_path: Path,
                                                               platform_ready: Any) -> None:
    served = served_platform(tmp_path, RECIPROCAL_PROXY_FIX="1").start("--web-workers", "2")
    try:
        secret, recovery = _enrol(served)
        # The one enrolment used can never sign in again.
        by_authenticator = _all_at_once(served, 101, lambda: next_totp_code(secret))
        by_recovery = _all_at_once(served, 102, lambda: recovery[0])
        replayed = _all_at_once(served, 103, lambda: recovery[0])
        log = served.log()
    finally:
        served.stop()
    assert by_authenticator == [302] + [401] * (AT_ONCE - 1), (by_authenticator, log[-3000:])
    assert by_recovery == [302] + [401] * (AT_ONCE - 1), (by_recovery, log[-3000:])
    assert replayed == [401] * AT_ONCE
