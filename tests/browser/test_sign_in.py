"""Staff sign-in in Chromium: single sign-on through a real OpenID provider process on loopback
(its own authorization form filled in as a person would), and enrolling an authenticator with a
real code. Every page is checked with axe; screenshots are kept in /tmp for a look."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.support import factories
from tests.support.apps import LiveServer, dispose, make_app
from tests.support.auth import auth
from tests.support.browser import violations
from tests.support.oidc_provider import Provider, running_provider
from tests.support.services import free_port


def _shot(page: Any, tmp_path: Path, name: str) -> None:
    target = tmp_path / f"sign-in-{name}.png"
    page.screenshot(path=str(target), full_page=True)
    shutil.copy(target, Path("/tmp") / target.name)


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[Provider]:
    with running_provider(tmp_path) as running:
        yield running


@pytest.fixture
def sso_app(migrated: str, tmp_path: Path, redis_url: str,
            provider: Provider) -> Iterator[LiveServer]:
    port = free_port()
    app = make_app(migrated, tmp_path / "data", BASE_URL=f"http://127.0.0.1:{port}",
                   REDIS_URL=redis_url, WTF_CSRF_ENABLED=True,
                   OIDC_DISCOVERY_URL=provider.discovery_url, OIDC_CLIENT_ID="reciprocal-browser",
                   OIDC_CLIENT_SECRET="browser-secret", OIDC_ALLOWED_DOMAINS=["staff.example"],
                   OIDC_DEFAULT_ROLE="recruiter")
    server = LiveServer(app, port).start()
    yield server
    server.stop()
    dispose(app)


def test_single_sign_on_and_authenticator_enrolment(sso_app: LiveServer, provider: Provider,
                                                    page: Any, tmp_path: Path) -> None:
    provider.set_user("b-501", email="robin@staff.example", email_verified=True,
                      name="Robin Park")
    page.goto(f"{sso_app.url}/login")
    assert violations(page) == []
    _shot(page, tmp_path, "login")
    page.get_by_role("link", name="Sign in with single sign-on").click()
    page.fill("input[name=sub]", "b-501")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"/dashboard$"))
    assert "Sign out Robin Park" in page.inner_text("header")
    page.get_by_role("button", name="Sign out Robin Park").click()
    page.wait_for_url(re.compile(r"/login$"))

    with sso_app.app.app_context():
        email = factories.staff("reviewer").email
    auth.page(page, sso_app.url, email)
    page.get_by_role("link", name="Two-factor").click()
    assert page.locator(".qr svg").is_visible()
    assert violations(page) == []
    _shot(page, tmp_path, "two-factor-setup")
    secret = page.inner_text("#totp-secret")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert len(page.locator(".recovery-codes li").all()) == 10
    assert violations(page) == []
    _shot(page, tmp_path, "recovery-codes")
    page.get_by_role("link", name="I have saved them, continue").click()
    page.wait_for_url(re.compile(r"/queue$"))
