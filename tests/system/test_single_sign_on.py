"""Staff single sign-on against `reciprocal serve` and a real OpenID provider process on
loopback: the whole authorization code flow over HTTP (the provider's own form answered as a
person would), a forged state, an email domain that gets no account, passwords refused while
single sign-on is required (but for the break-glass admin), and sign-out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.support.auth import PASSWORD, csrf
from tests.support.oidc_provider import Provider, running_provider
from tests.support.served import Served, start_served

CLIENT_ID = "reciprocal-test"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("oidc")) as running:
        yield running


@pytest.fixture(scope="module")
def sso_served(tmp_path_factory: pytest.TempPathFactory, platform_ready: Any,
               provider: Provider) -> Iterator[Served]:
    platform = start_served(
        tmp_path_factory.mktemp("served"),
        RECIPROCAL_OIDC_DISCOVERY_URL=provider.discovery_url,
        RECIPROCAL_OIDC_CLIENT_ID=CLIENT_ID,
        RECIPROCAL_OIDC_CLIENT_SECRET="test-client-secret",
        RECIPROCAL_OIDC_ALLOWED_DOMAINS="staff.example",
        RECIPROCAL_OIDC_DEFAULT_ROLE="reviewer",
        RECIPROCAL_OIDC_GROUPS_CLAIM="groups",
        RECIPROCAL_OIDC_GROUP_ROLES="hiring-managers=recruiter",
        RECIPROCAL_REQUIRE_SSO="true",
        RECIPROCAL_BREAK_GLASS_EMAIL="admin@served.example",
    )
    yield platform
    platform.stop()


def start_sign_in(served: Served) -> tuple[requests.Session, str]:
    session = requests.Session()
    out = session.get(f"{served.url}/login/sso", allow_redirects=False, timeout=30)
    assert out.status_code == 302, out.text[:500]
    query = parse_qs(urlsplit(out.headers["Location"]).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    return session, out.headers["Location"]


def sign_in(served: Served, provider: Provider, sub: str) -> tuple[requests.Session,
                                                                   requests.Response]:
    session, authorize_url = start_sign_in(served)
    back = provider.authorize(session, authorize_url, sub)
    assert back.status_code == 302 and back.headers["Location"].startswith(
        f"{served.url}/login/sso/callback?"), back.text[:500]
    return session, session.get(back.headers["Location"], timeout=30)


def test_a_verified_staff_email_signs_in_and_out(sso_served: Served, provider: Provider) -> None:
    provider.set_user("u-1001", email="Dana@Staff.example", email_verified=True,
                      name="Dana Lee", groups=["hiring-managers"])
    _first, landed = sign_in(sso_served, provider, "u-1001")
    assert landed.status_code == 200 and landed.url.endswith("/dashboard"), landed.text[:500]
    assert "Sign out Dana Lee" in landed.text  # made just in time, a recruiter by group

    # The account is matched by its subject next time; sign-out ends the platform session.
    session, landed = sign_in(sso_served, provider, "u-1001")
    assert landed.url.endswith("/dashboard")
    out = session.post(f"{sso_served.url}/logout", timeout=30,
                       data={"csrf_token": csrf(landed.text)})
    assert out.url.endswith("/login")
    assert session.get(f"{sso_served.url}/dashboard", timeout=30).url.endswith(
        "/login?next=%2Fdashboard")

    admin = admin_session(sso_served)
    page = admin.get(f"{sso_served.url}/admin/audit", timeout=30).text
    assert "auth.login" in page and "user.created" in page


def admin_session(served: Served) -> requests.Session:
    """The break-glass admin may still sign in with a password."""
    session = requests.Session()
    form = session.get(f"{served.url}/login", timeout=30)
    done = session.post(f"{served.url}/login", timeout=30, data={
        "csrf_token": csrf(form.text), "email": "admin@served.example", "password": PASSWORD})
    assert done.status_code == 200 and done.url.endswith("/dashboard"), done.text[:500]
    return session


def test_a_forged_state_is_an_error_page_and_kept_for_the_admin(
        sso_served: Served, provider: Provider) -> None:
    provider.set_user("u-2002", email="eve@staff.example", email_verified=True)
    session, authorize_url = start_sign_in(sso_served)
    back = provider.authorize(session, authorize_url, "u-2002")
    forged = back.headers["Location"].replace("state=", "state=forged")
    answer = session.get(forged, timeout=30)
    assert answer.status_code == 400
    assert "state mismatch" in answer.text
    assert session.get(f"{sso_served.url}/dashboard", timeout=30).url.endswith(
        "/login?next=%2Fdashboard")

    page = admin_session(sso_served).get(f"{sso_served.url}/admin/sign-in", timeout=30).text
    assert "state mismatch" in page
    assert provider.discovery_url in page and "test-client-secret" not in page


def test_an_email_outside_the_allowed_domains_gets_no_account(
        sso_served: Served, provider: Provider) -> None:
    provider.set_user("u-3003", email="mallory@elsewhere.example", email_verified=True)
    _session, answer = sign_in(sso_served, provider, "u-3003")
    assert answer.status_code == 400
    assert "invitation only" in answer.text

    # Nor does an allowed domain the provider did not verify.
    provider.set_user("u-3004", email="trent@staff.example", email_verified=False)
    _session, answer = sign_in(sso_served, provider, "u-3004")
    assert answer.status_code == 400
    assert "no verified email" in answer.text


def test_passwords_are_refused_while_single_sign_on_is_required(sso_served: Served) -> None:
    session = requests.Session()
    form = session.get(f"{sso_served.url}/login", timeout=30)
    assert "Sign in with single sign-on" in form.text
    refused = session.post(f"{sso_served.url}/login", timeout=30, data={
        "csrf_token": csrf(form.text), "email": "recruiter@served.example",
        "password": PASSWORD})
    assert refused.status_code == 403
    assert "sign in with single sign-on" in refused.text
    admin_session(sso_served)
