"""Two-factor sign-in for password accounts, with real authenticator codes (pyotp computes them
from the secret the enrolment page shows): enrolment, the challenge after the password, one-time
recovery codes kept only as hashes, a code never accepted twice, the admin's switch that makes
every password account enrol, too many wrong codes, and the admin's reset."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
from flask import Flask
from reciprocal.cli import main
from reciprocal.extensions import db
from reciprocal.models import AuditEvent, RecoveryCode, User
from sqlalchemy import select

from tests.support.apps import dispose, make_app
from tests.support.auth import post_login
from tests.support.factories import staff

SECRET_RE = re.compile(r'<code id="totp-secret">([A-Z2-7]+)</code>')
CODES_RE = re.compile(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>")


def enrol(client: Any) -> tuple[str, list[str]]:
    page = client.get("/login/two-factor/setup")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    html = page.get_data(as_text=True)
    assert "<svg" in html and "otpauth://totp/" in html
    secret = SECRET_RE.search(html).group(1)  # type: ignore[union-attr]
    wrong = client.post("/login/two-factor/setup", data={"code": "000000"})
    assert wrong.status_code == 422
    done = client.post("/login/two-factor/setup", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = CODES_RE.findall(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def next_code(secret: str) -> str:
    """The code of the next time step (the one just used is never accepted again)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_enrolment_then_the_code_after_the_password(app: Flask, client: Any) -> None:
    with app.app_context():
        user = staff("recruiter")
        email = user.email
    assert post_login(client, email).status_code == 302
    secret, codes = enrol(client)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.totp_enabled and secret not in (user.totp_secret or "")
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and not set(codes) & set(hashes)
        assert all(h.startswith("$argon2id$") for h in hashes)
    assert client.get("/dashboard").status_code == 200  # the new session is signed in
    client.post("/logout")

    # The password alone does not sign in; the code used at enrolment does not work twice.
    answer = post_login(client, email)
    assert answer.headers["Location"].endswith("/login/two-factor")
    assert client.get("/dashboard").status_code == 302
    assert client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()}
                       ).status_code == 401
    assert client.post("/login/two-factor", data={"code": next_code(secret)}).status_code == 302
    assert client.get("/dashboard").status_code == 200
    client.post("/logout")

    # A recovery code signs in once.
    post_login(client, email)
    assert client.post("/login/two-factor", data={"code": codes[0]}).status_code == 302
    client.post("/logout")
    post_login(client, email)
    assert client.post("/login/two-factor", data={"code": codes[0]}).status_code == 401
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert {"auth.two_factor_enabled", "auth.two_factor_passed",
                "auth.two_factor_failed"} <= set(actions)


def test_too_many_wrong_codes_end_the_attempt(app: Flask, client: Any) -> None:
    with app.app_context():
        email = staff("reviewer").email
    post_login(client, email)
    enrol(client)
    client.post("/logout")
    post_login(client, email)
    for _ in range(4):
        assert client.post("/login/two-factor", data={"code": "123456"}).status_code == 401
    fifth = client.post("/login/two-factor", data={"code": "123456"})
    assert fifth.headers["Location"].endswith("/login")
    assert client.get("/login/two-factor").headers["Location"].endswith("/login")


def test_the_admin_requires_two_factor_for_every_password_account(
        migrated: str, tmp_path: Any) -> None:
    app = make_app(migrated, tmp_path / "data", WTF_CSRF_ENABLED=False, REQUIRE_TWO_FACTOR=True)
    try:
        client = app.test_client()
        with app.app_context():
            email = staff("recruiter").email
            admin_email = staff("admin").email
        answer = post_login(client, email)
        assert answer.headers["Location"].endswith("/login/two-factor")
        assert client.get("/login/two-factor").headers["Location"].endswith(
            "/login/two-factor/setup")
        assert client.get("/dashboard").status_code == 302  # not signed in before enrolling
        enrol(client)
        assert client.get("/dashboard").status_code == 200

        # An admin resets a lost authenticator: the account enrols again at its next sign-in.
        admin = app.test_client()
        post_login(admin, admin_email)
        enrol(admin)
        with app.app_context():
            user_id = db.session.scalar(select(User.id).where(User.email == email))
        page = admin.get("/admin/sign-in").get_data(as_text=True)
        assert "Two-factor required for password accounts" in page
        assert admin.post(f"/admin/users/{user_id}/two-factor/reset").status_code == 302
        assert client.get("/dashboard").status_code == 302  # its sessions have ended
        post_login(client, email)
        assert client.get("/login/two-factor").headers["Location"].endswith(
            "/login/two-factor/setup")

        # The last admin who lost their authenticator is reset from the shell.
        done = app.test_cli_runner().invoke(main, ["users", "reset-two-factor", "--email",
                                                    admin_email])
        assert done.exit_code == 0, done.output
        assert admin.get("/dashboard").status_code == 302
        with app.app_context():
            assert not db.session.scalar(select(User.totp_enabled).where(
                User.email == admin_email))
    finally:
        dispose(app)
