"""Two-factor sign-in for password accounts, with real authenticator codes (pyotp computes them
from the secret the enrolment page shows): enrolment, the challenge after the password, one-time
recovery codes kept only as hashes, a code never accepted twice, the admin's switch that makes
every password account enrol, too many wrong codes, and the admin's reset."""

from __future__ import annotations

import threading
from typing import Any

import pyotp
import pytest
from flask import Flask
from reciprocal.accounts import two_factor as totp
from reciprocal.cli import main
from reciprocal.extensions import db
from reciprocal.models import AuditEvent, RecoveryCode, User
from sqlalchemy import select

from tests.support.apps import dispose, make_app
from tests.support.auth import RECOVERY_CODES_RE, TOTP_SECRET_RE, next_totp_code, post_login
from tests.support.factories import staff


def enrol(client: Any) -> tuple[str, list[str], str]:
    """Enrol the signed-in user: the secret, the recovery codes, and the code that confirmed."""
    page = client.get("/login/two-factor/setup")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    html = page.get_data(as_text=True)
    assert "<svg" in html and "otpauth://totp/" in html
    secret = TOTP_SECRET_RE.search(html).group(1)  # type: ignore[union-attr]
    wrong = client.post("/login/two-factor/setup", data={"code": "000000"})
    assert wrong.status_code == 422
    used = pyotp.TOTP(secret).now()
    done = client.post("/login/two-factor/setup", data={"code": used})
    assert done.status_code == 200
    codes = RECOVERY_CODES_RE.findall(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes, used


def test_enrolment_then_the_code_after_the_password(app: Flask, client: Any) -> None:
    with app.app_context():
        user = staff("recruiter")
        email = user.email
    assert post_login(client, email).status_code == 302
    secret, codes, used = enrol(client)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.totp_enabled and secret not in (user.totp_secret or "")
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and not set(codes) & set(hashes)
        assert all(h.startswith("$argon2id$") for h in hashes)
    assert client.get("/dashboard").status_code == 200  # the new session is signed in
    client.post("/logout")

    # The password alone does not sign in; the code used at enrolment does not work twice (that
    # code itself: on a loaded machine the current one may already be of a later time step).
    answer = post_login(client, email)
    assert answer.headers["Location"].endswith("/login/two-factor")
    assert client.get("/dashboard").status_code == 302
    assert client.post("/login/two-factor", data={"code": used}).status_code == 401
    assert client.post("/login/two-factor",
                       data={"code": next_totp_code(secret)}).status_code == 302
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


@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["authenticator", "recovery"])
def test_a_code_two_requests_read_before_either_committed_counts_once(app: Flask,
                                                                      kind: str) -> None:
    """The race two sign-ins at once make, in a fixed order: both have read the account before
    the first one's code was committed; the second one's check comes after that commit. Each
    request in its own thread and app context, so each has its own database session."""
    with app.app_context():
        user = staff("recruiter")
        user_id = user.id
        secret = totp.start_enrolment(user)
        codes = totp.confirm_enrolment(user, pyotp.TOTP(secret).now())
        db.session.commit()
    assert codes is not None
    code = codes[0] if kind == "recovery" else next_totp_code(secret)
    first_checked, second_read, first_committed = (threading.Event() for _ in range(3))
    accepted: dict[str, bool] = {}

    def first() -> None:
        with app.app_context():
            accepted["first"] = totp.verify(db.session.get(User, user_id), code)
            first_checked.set()
            second_read.wait(60)
            db.session.commit()
            first_committed.set()

    def second() -> None:
        with app.app_context():
            first_checked.wait(60)
            account = db.session.get(User, user_id)
            assert account is not None
            account.recovery_codes  # noqa: B018 - read now, before the first one commits
            second_read.set()
            first_committed.wait(60)
            accepted["second"] = totp.verify(account, code)
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert accepted == {"first": True, "second": False}
