"""API v1 as an applicant tracking system would use it, with JSON errors and right status codes."""

from __future__ import annotations

from typing import Any

import pytest
from reciprocal.extensions import db

from tests.support import factories
from tests.support.auth import bearer

# In the PostgreSQL pass: the API's reads and writes, its tokens and scoping: queries.
pytestmark = pytest.mark.postgres


@pytest.fixture
def recruiter_token(ctx) -> str:
    factories.library("customer-directory")
    return factories.api_token(factories.staff("recruiter"))


def _role(client: Any, token: str, **overrides: Any) -> Any:
    body = dict(factories.ROLE)
    body.update(overrides)
    return client.post("/api/v1/roles", json=body, headers=bearer(token))


def test_full_api_journey(client, recruiter_token) -> None:
    assignments = client.get("/api/v1/assignments", headers=bearer(recruiter_token)).get_json()
    assert "customer-directory" in {a["slug"] for a in assignments}
    role = _role(client, recruiter_token)
    assert role.status_code == 201
    role_id = role.get_json()["id"]
    listed = client.get("/api/v1/roles", headers=bearer(recruiter_token)).get_json()
    assert listed[0]["id"] == role_id

    created = client.post("/api/v1/invitations", headers=bearer(recruiter_token), json={
        "assignment": "customer-directory", "role": factories.ROLE["title"],
        "candidate": {"name": "Sam", "email": "SAM@example.com"}})
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data["status"] == "invited"
    assert data["portal_url"].startswith("http://127.0.0.1:9/c/")
    assert data["git_url"].endswith("/customer-directory.git")
    assert data["candidate"]["email"] == "sam@example.com"
    token = data["portal_url"].rsplit("/", 1)[1]

    assert client.post("/api/v1/candidate/start", headers=bearer(token)).status_code == 409
    assert client.post("/api/v1/candidate/accept-terms", headers=bearer(token)).status_code == 200
    started = client.post("/api/v1/candidate/start", headers=bearer(token))
    assert started.status_code == 200 and started.get_json()["status"] == "started"
    assert client.post("/api/v1/candidate/start", headers=bearer(token)).status_code == 409
    submitted = client.post("/api/v1/candidate/submit", headers=bearer(token))
    assert submitted.status_code == 201
    assert client.post("/api/v1/candidate/submit", headers=bearer(token)).status_code == 409

    invitation = client.get(f"/api/v1/invitations/{data['id']}", headers=bearer(recruiter_token))
    assert invitation.get_json()["status"] == "submitted"
    submission_id = invitation.get_json()["submission_id"]
    sub = client.get(f"/api/v1/submissions/{submission_id}", headers=bearer(recruiter_token))
    assert sub.status_code == 200
    body = sub.get_json()
    assert body["grading"]["status"] == "queued" and body["late"] is False


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("get", "/api/v1/assignments", {}, 401),
        ("get", "/api/v1/assignments", {"Authorization": "Bearer rcp_nope"}, 401),
        ("get", "/api/v1/assignments", {"Authorization": "Basic abc"}, 401),
        ("post", "/api/v1/candidate/start", {"Authorization": "Bearer " + "x" * 43}, 401),
        ("get", "/api/v1/invitations/999", None, 404),
        ("get", "/api/v1/submissions/999", None, 404),
        ("get", "/api/v1/no-such-endpoint", None, 404),
    ],
)
def test_errors_are_json_with_the_right_status(client, recruiter_token, method, path, headers,
                                               status) -> None:
    response = getattr(client, method)(path, headers=bearer(recruiter_token)
                                       if headers is None else headers)
    assert response.status_code == status
    assert response.is_json and response.get_json()["error"]


def test_bad_bodies_are_400_or_422(client, recruiter_token) -> None:
    no_json = client.post("/api/v1/roles", data="x", headers=bearer(recruiter_token))
    assert no_json.status_code == 400 and "JSON" in no_json.get_json()["error"]
    no_band = _role(client, recruiter_token, salary_max=10, salary_min=20)
    assert no_band.status_code == 422 and "salary" in no_band.get_json()["error"]
    no_reqs = _role(client, recruiter_token, requirements=[])
    assert no_reqs.status_code == 422
    _role(client, recruiter_token)
    for body, fragment in (
        ({"assignment": "nope", "role": 1, "candidate": {"name": "a", "email": "a@b.co"}},
         "no assignment"),
        ({"assignment": "customer-directory", "role": 999, "candidate": {"name": "a",
                                                                          "email": "a@b.co"}},
         "no role"),
        ({"assignment": "customer-directory", "role": 1, "candidate": {"name": "a",
                                                                        "email": "nope"}},
         "valid email"),
        ({"assignment": "customer-directory", "role": 1, "candidate": "x"}, "candidate"),
    ):
        response = client.post("/api/v1/invitations", json=body, headers=bearer(recruiter_token))
        assert response.status_code in (400, 404, 422)
        assert fragment in response.get_json()["error"]


def test_reviewer_token_cannot_create_roles_or_see_unassigned_submissions(client, ctx) -> None:
    reviewer = factories.api_token(factories.staff("reviewer"))
    assert _role(client, reviewer).status_code == 403
    new = factories.started()
    from reciprocal.candidates import operations as invitations

    submission = invitations.submit(new.invitation)
    db.session.commit()
    response = client.get(f"/api/v1/submissions/{submission.id}", headers=bearer(reviewer))
    assert response.status_code == 404


def test_no_stack_trace_on_unexpected_errors(app, client, recruiter_token) -> None:
    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert response.get_json()["error"]
