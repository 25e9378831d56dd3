"""The Greenhouse partner endpoints in the app (test client), and the callback PATCH to a real
HTTP server on loopback, allowlisted through RECIPROCAL_WEBHOOK_ALLOW_HOSTS."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from http.server import HTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from reciprocal.extensions import db
from reciprocal.integrations.greenhouse import callback, keys
from reciprocal.models import AuditEvent, Invitation, Message
from reciprocal.models.greenhouse import GreenhouseAssessment
from sqlalchemy import select

from tests.support import factories
from tests.support.apps import make_app
from tests.support.greenhouse_receiver import Callbacks, greenhouse_receiver

BASE = "/integrations/greenhouse"


def basic(key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}


@pytest.fixture
def patch_server() -> Iterator[HTTPServer]:
    with greenhouse_receiver() as server:
        yield server


@pytest.fixture
def gh_app(migrated: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(migrated, tmp_path / "data", WTF_CSRF_ENABLED=False,
                   WEBHOOK_ALLOW_HOSTS=["127.0.0.1"])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _setup(app: Flask) -> tuple[str, int]:
    with app.app_context():
        factories.library()
        role = factories.role()
        _row, key = keys.create()
        db.session.commit()
        return key, role.id


def _send(client: Any, key: str, test_id: str, url: str, email: str = "hq@example.org") -> Any:
    return client.post(f"{BASE}/send_test", headers=basic(key), json={
        "partner_test_id": test_id,
        "candidate": {"first_name": "Harriet", "last_name": "Quinn", "preferred_name": None,
                      "email": email, "phone_number": None, "resume_url": None,
                      "greenhouse_profile_url":
                          "https://app.greenhouse.io/people/17681532?application_id=26234709"},
        "sent_by": "recruiter@example.org", "url": url})


def test_list_send_status_and_errors(gh_app: Flask) -> None:
    key, role_id = _setup(gh_app)
    client = gh_app.test_client()

    assert client.get(f"{BASE}/list_tests").status_code == 401
    wrong = client.get(f"{BASE}/list_tests", headers=basic(key[:-2] + "xx"))
    assert wrong.status_code == 401 and "error" in wrong.get_json()
    assert "Basic" in wrong.headers["WWW-Authenticate"]

    listed = client.get(f"{BASE}/list_tests", headers=basic(key))
    assert listed.status_code == 200
    tests = listed.get_json()
    test_id = f"{role_id}:customer-directory"
    names = {t["partner_test_id"]: t["partner_test_name"] for t in tests}
    assert all(set(t) == {"partner_test_id", "partner_test_name"} for t in tests)
    assert names[test_id].startswith("Backend Engineer (Payments): ")

    url = "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/1"
    sent = _send(client, key, test_id, url)
    assert sent.status_code == 200, sent.get_data(as_text=True)
    interview = sent.get_json()["partner_interview_id"]
    assert isinstance(interview, str) and list(sent.get_json()) == ["partner_interview_id"]
    again = _send(client, key, test_id, url)
    assert again.get_json() == {"partner_interview_id": interview}

    with gh_app.app_context():
        record = db.session.scalars(select(GreenhouseAssessment)).one()
        assert record.greenhouse_candidate_id == "17681532"
        assert record.greenhouse_application_id == "26234709"
        assert record.callback_url == url
        invitation = db.session.get(Invitation, record.invitation_id)
        assert invitation.role_id == role_id and invitation.terms_accepted_at is None
        assert invitation.time_cap_minutes == invitation.assignment.time_cap_minutes
        mail = db.session.scalars(select(Message).where(Message.kind == "invitation")).one()
        assert mail.to == "hq@example.org" and "/c/" in mail.text
        assert invitation.role.salary_band in mail.text

    status = client.get(f"{BASE}/test_status", headers=basic(key),
                        query_string={"partner_interview_id": interview})
    assert status.status_code == 200
    assert status.get_json() == {"partner_status": "sent", "partner_profile_url": None,
                                 "partner_score": None, "metadata": None}

    unknown = _send(client, key, "999:customer-directory", url + "0")
    assert unknown.status_code == 404 and "error" in unknown.get_json()
    missing = client.get(f"{BASE}/test_status", headers=basic(key),
                         query_string={"partner_interview_id": "gh-nope"})
    assert missing.status_code == 404
    assert client.get(f"{BASE}/test_status", headers=basic(key)).status_code == 400
    not_json = client.post(f"{BASE}/send_test", headers=basic(key), data="{",
                           content_type="application/json")
    assert not_json.status_code == 400 and "error" in not_json.get_json()
    bad_email = _send(client, key, test_id, url + "9", email="not-an-address")
    assert bad_email.status_code == 400, bad_email.get_data(as_text=True)

    reported = client.post(f"{BASE}/response_error", headers=basic(key), json={
        "api_call": "test_status", "errors": ["partner_profile_url is missing"],
        "partner_interview_id": interview})
    assert reported.status_code == 200 and reported.get_json() == {"status": 200}
    assert client.post(f"{BASE}/response_error", headers=basic(key),
                       json={"api_call": "x"}).status_code == 400
    with gh_app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"greenhouse.key_created", "greenhouse.test_sent",
                "greenhouse.response_error"} <= actions


@pytest.mark.postgres  # a repeated send_test is found under a row lock
def test_a_callback_url_answers_again_only_for_the_same_test_and_candidate(
        gh_app: Flask) -> None:
    """A retry is the same request: the test id is checked first (an unknown one is a 404
    whatever the URL), and only the same test for the same candidate at the same callback URL
    answers the earlier id; anything else sent to a URL already in use is refused."""
    key, role_id = _setup(gh_app)
    with gh_app.app_context():
        other_role = factories.role(title="Data Engineer").id
    client = gh_app.test_client()
    test_id = f"{role_id}:customer-directory"
    url = "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/7"
    first = _send(client, key, test_id, url)
    assert first.status_code == 200
    interview = first.get_json()["partner_interview_id"]

    for unknown in ("999:customer-directory", f"{role_id}:no-such-assignment", "nonsense"):
        answer = _send(client, key, unknown, url)
        assert answer.status_code == 404, unknown
        assert interview not in answer.get_data(as_text=True)
    for test, email in ((f"{other_role}:customer-directory", "hq@example.org"),
                        (test_id, "someone.else@example.org")):
        answer = _send(client, key, test, url, email=email)
        assert answer.status_code == 409, (test, email)
        assert interview not in answer.get_data(as_text=True)
    assert _send(client, key, test_id, url).get_json() == {"partner_interview_id": interview}
    with gh_app.app_context():
        assert len(db.session.scalars(select(GreenhouseAssessment)).all()) == 1
        assert len(db.session.scalars(select(Invitation)).all()) == 1


def test_revoked_keys_are_refused(gh_app: Flask) -> None:
    key, _role_id = _setup(gh_app)
    with gh_app.app_context():
        _row, newer = keys.create(revoke_others=True)
        db.session.commit()
    client = gh_app.test_client()
    assert client.get(f"{BASE}/list_tests", headers=basic(key)).status_code == 401
    assert client.get(f"{BASE}/list_tests", headers=basic(newer)).status_code == 200
    assert len(newer) < 171


def test_the_callback_patches_greenhouse_with_the_key(gh_app: Flask,
                                                      patch_server: HTTPServer) -> None:
    key, role_id = _setup(gh_app)
    client = gh_app.test_client()
    url = f"http://127.0.0.1:{patch_server.server_port}/take_home_tests/77"
    assert _send(client, key, f"{role_id}:customer-directory", url).status_code == 200
    with gh_app.app_context():
        record = db.session.scalars(select(GreenhouseAssessment)).one()
        callback.schedule(record)
        db.session.commit()
        delivered = callback.deliver(record.invitation_id)
        db.session.commit()
        assert delivered.callback_status == "delivered", delivered.callback_last_error
        assert delivered.callback_response_code == 200
    path, headers, body = Callbacks.received[0]
    assert path == "/take_home_tests/77" and body == b""
    assert headers["Authorization"] == basic(key)["Authorization"]


def test_the_callback_refuses_loopback_unless_allowlisted(migrated: str, tmp_path: Path,
                                                          patch_server: HTTPServer) -> None:
    app = make_app(migrated, tmp_path / "data", WTF_CSRF_ENABLED=False)
    key, role_id = _setup(app)
    url = f"http://127.0.0.1:{patch_server.server_port}/take_home_tests/78"
    assert _send(app.test_client(), key, f"{role_id}:customer-directory", url).status_code == 200
    with app.app_context():
        record = db.session.scalars(select(GreenhouseAssessment)).one()
        refused = callback.deliver(record.invitation_id)
        assert refused.callback_status == "failed"
        assert refused.callback_last_error.startswith("refused: ")
        db.session.remove()
        db.engine.dispose()
    assert Callbacks.received == []
