"""Staff web surface: login, CSRF, cookies, rate limits, headers, escaping, role guards."""

from __future__ import annotations

import re

from tests.support import factories
from tests.support.apps import make_app
from tests.support.auth import post_login


def test_login_gives_a_fresh_secure_session(migrated, tmp_path) -> None:
    app = make_app(migrated, tmp_path / "d", BASE_URL="https://hire.example.com")
    with app.app_context():
        factories.staff("recruiter", "rita@example.com")
    client = app.test_client()
    client.get("/login")
    before = client.get_cookie("session")
    response = post_login(client, "rita@example.com")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert client.get_cookie("session").value != before.value
    assert client.get("/dashboard").status_code == 200


def test_wrong_password_is_refused_and_audited_without_the_password(migrated, tmp_path) -> None:
    app = make_app(migrated, tmp_path / "d")
    with app.app_context():
        factories.staff("recruiter", "rita@example.com")
    client = app.test_client()
    response = post_login(client, "rita@example.com", "not-the-password")
    assert response.status_code == 401
    assert "do not match" in response.get_data(as_text=True)
    with app.app_context():
        from reciprocal.extensions import db
        from reciprocal.models import AuditEvent

        events = db.session.query(AuditEvent).filter_by(action="auth.login_failed").all()
        assert events and "not-the-password" not in str([e.details for e in events])


def test_login_is_rate_limited(migrated, tmp_path) -> None:
    app = make_app(migrated, tmp_path / "d", WTF_CSRF_ENABLED=False)
    client = app.test_client()
    codes = [client.post("/login", data={"email": "x@example.com", "password": "y"}).status_code
             for _ in range(12)]
    assert codes[:10] == [401] * 10
    assert codes[-1] == 429


def test_cross_site_post_without_csrf_token_is_refused(csrf_app) -> None:
    with csrf_app.app_context():
        new = factories.invitation()
    client = csrf_app.test_client()
    response = client.post(f"/c/{new.token}/accept", data={"agree": "yes"})
    assert response.status_code == 400
    assert "expired or came from another site" in response.get_data(as_text=True)


def test_pages_send_a_nonce_csp_and_escape_candidate_content(csrf_app, auth) -> None:
    with csrf_app.app_context():
        factories.library("customer-directory")
        role = factories.role(title="<script>alert(1)</script>")
        from reciprocal.candidates import operations as invitations

        new = invitations.invite("customer-directory", role.id, "<img src=x onerror=alert(1)>",
                                 "x@example.com", actor=None)
        from reciprocal.extensions import db

        db.session.commit()
        factories.staff("recruiter", "rita@example.com")
    client = csrf_app.test_client()
    page = client.get(f"/c/{new.token}")
    html = page.get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert(1)</script>" not in html
    csp = page.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in html and "object-src 'none'" in csp
    assert page.headers["Referrer-Policy"] == "no-referrer"
    auth.client(client, "rita@example.com")
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "<img src=x" not in dashboard


def test_role_guards(client, ctx, auth) -> None:
    assert client.get("/dashboard").status_code == 302
    factories.staff("reviewer", "rev@example.com")
    auth.client(client, "rev@example.com")
    assert client.get("/queue").status_code == 200
    assert client.get("/invitations/new").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_recruiter_invites_through_the_form(client, ctx, auth) -> None:
    factories.library("customer-directory")
    role = factories.role()
    factories.staff("recruiter", "rita@example.com")
    auth.client(client, "rita@example.com")
    page = client.post("/invitations/new", data={"name": "Sam", "email": "sam@example.com",
                                                 "role": str(role.id),
                                                 "assignment": "customer-directory"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/c/" in html and "shown only now" in html
    bad = client.post("/invitations/new", data={"name": "", "email": "x", "role": str(role.id),
                                                "assignment": "customer-directory"})
    assert bad.status_code == 422 and "name is required" in bad.get_data(as_text=True)
