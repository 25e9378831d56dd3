"""Signing staff in as the login form does, one way for each kind of client a test drives: the
Flask test client, a served platform's `requests` session, and a Chromium page. Tests reach it
through the `auth` fixture (tests/conftest.py).

`who` is a staff role (admin, recruiter, reviewer) or the e-mail address of an existing user.
With the test client a role makes a new user of that role; on a served platform it names the
user `prepare` made for it (`<role>@served.example`)."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

import pyotp
import requests
from flask import current_app, has_app_context

from tests.support.factories import PASSWORD, staff

if TYPE_CHECKING:
    from tests.support.served import Served

ROLES = ("admin", "recruiter", "reviewer")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Two-factor enrolment's pages: the authenticator's secret, then the ten recovery codes.
TOTP_SECRET_RE = re.compile(r'<code id="totp-secret">([A-Z2-7]+)</code>')
RECOVERY_CODES_RE = re.compile(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>")


def next_totp_code(secret: str) -> str:
    """The authenticator's code of the next time step: the one just used is never accepted
    again, and the platform takes a device's clock a step ahead."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def csrf(html: str) -> str:
    """The CSRF token of the (first) form on a page."""
    found = CSRF_RE.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def bearer(token: str) -> dict[str, str]:
    """The header that carries an API token (or a candidate's invitation token)."""
    return {"Authorization": f"Bearer {token}"}


def post_login(client: Any, email: str, password: str = PASSWORD) -> Any:
    """Send the login form with the test client (with the form's CSRF token when the app checks
    one) and return the answer as it is: for tests of the login itself."""
    data = {"email": email, "password": password}
    if client.application.config.get("WTF_CSRF_ENABLED", True):
        data["csrf_token"] = csrf(client.get("/login").get_data(as_text=True))
    return client.post("/login", data=data)


def _sign_out(client: Any) -> None:
    """Sign out through the form, as a user would: a test holding an app context shares it with
    the requests it sends, and the signed-in user cached there goes only through logout."""
    if client.get_cookie(client.application.config["SESSION_COOKIE_NAME"]) is None:
        return
    data = {}
    if client.application.config.get("WTF_CSRF_ENABLED", True):
        data["csrf_token"] = csrf(client.get("/login", follow_redirects=True).get_data(
            as_text=True))
    client.post("/logout", data=data)


def _new_staff(app: Any, role: str) -> str:
    if has_app_context() and current_app._get_current_object() is app:
        return staff(role).email
    with app.app_context():
        return staff(role).email


class Auth:
    """Sign in as a role or a user (see the module's docstring)."""

    def client(self, client: Any, who: str, password: str = PASSWORD) -> str:
        """Sign the Flask test client in as `who`, signing out whoever was signed in on it
        first; returns the user's e-mail address."""
        email = _new_staff(client.application, who) if who in ROLES else who
        _sign_out(client)
        answer = post_login(client, email, password)
        assert answer.status_code == 302, (email, answer.status_code, answer.text[:500])
        assert "/login" not in answer.headers["Location"], answer.headers["Location"]
        return email

    def session(self, served: Served, who: str, password: str = PASSWORD) -> requests.Session:
        """A new `requests` session signed in as `who` on the served platform."""
        email = f"{who}@served.example" if who in ROLES else who
        session = requests.Session()
        page = session.get(served.url + "/login", timeout=30)
        answer = session.post(served.url + "/login", timeout=30, data={
            "csrf_token": csrf(page.text), "email": email, "password": password})
        assert answer.status_code == 200 and "/login" not in answer.url, answer.text[:500]
        return session

    def page(self, page: Any, url: str, email: str, password: str = PASSWORD) -> None:
        """Sign a Chromium page in as the user `email` on the platform at `url`, through the
        login form, and wait until the platform has taken it somewhere else."""
        page.goto(f"{url}/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]")
        page.wait_for_url(lambda address: "/login" not in address)


auth = Auth()
