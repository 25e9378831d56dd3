"""Deactivating a staff account, by SCIM or on the admin page: its sessions end, its API tokens
are revoked, its open reviews go back to the panel (which reassigns them), and its past comments
and submitted scorecards stay, attributed to it. Also the SCIM token's lifecycle and a SCIM
DELETE (the account is hidden and deactivated, the row kept)."""

from __future__ import annotations

import re
from typing import Any

from reciprocal.cli import main
from reciprocal.extensions import db
from reciprocal.models import (
    ApiToken,
    AuditEvent,
    ReviewComment,
    Scorecard,
    User,
)
from reciprocal.review import operations as review
from reciprocal.review import panels
from sqlalchemy import select

from tests.support import factories
from tests.support.auth import bearer, post_login
from tests.support.outcomes import reviewed, submitted
from tests.support.review import reviewers_of
from tests.support.scim import PATCH, new_scim_token, scim_headers


def test_scim_deactivation_ends_sessions_tokens_and_open_reviews(client, ctx) -> None:
    done, _ = reviewed()
    leaving = db.session.scalar(select(User).join(Scorecard, Scorecard.reviewer_id == User.id)
                                .where(Scorecard.submission_id == done.id)
                                .order_by(Scorecard.id).limit(1))
    assert leaving is not None
    open_one, _ = submitted()
    recruiter = factories.staff("recruiter")
    stays = factories.staff("reviewer")
    panels.add_member(open_one.invitation.role, stays, actor=recruiter)
    review.assign_reviewer(open_one, leaving, actor=recruiter)
    review.add_comment(open_one, leaving, path="directory/parser.py", line_start=1,
                       kind="question", body="Why parse twice?")
    api_token = factories.api_token(leaving)
    comments = set(db.session.scalars(select(ReviewComment.id).where(
        ReviewComment.author_id == leaving.id)))
    db.session.commit()
    scim = new_scim_token()
    signed_in = post_login(client, leaving.email)
    assert signed_in.status_code == 302
    home = signed_in.headers["Location"]
    assert client.get(home).status_code == 200
    assert client.get("/api/v1/assignments", headers=bearer(api_token)).status_code == 200

    answer = client.patch(f"/scim/v2/Users/{leaving.id}", headers=scim_headers(scim), json={
        "schemas": [PATCH], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]})
    assert answer.status_code == 200, answer.text
    assert answer.json["active"] is False

    ended = client.get(home)  # the session ended
    assert ended.status_code == 302 and "/login" in ended.headers["Location"]
    assert client.get("/api/v1/assignments", headers=bearer(api_token)).status_code == 401
    db.session.expire_all()
    assert all(t.revoked_at is not None for t in db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == leaving.id)))
    assert reviewers_of(open_one.id) == {stays.id}  # handed back, the panel reassigned it
    assert leaving.id in reviewers_of(done.id)  # the finished review stays
    card = db.session.scalar(select(Scorecard).where(Scorecard.submission_id == done.id,
                                                     Scorecard.reviewer_id == leaving.id))
    assert card is not None and card.submitted_at is not None
    assert comments <= set(db.session.scalars(select(ReviewComment.id).where(
        ReviewComment.author_id == leaving.id)))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.deactivated"))
    assert event is not None and event.actor_kind == "scim"
    assert event.details["reviews_released"] == [open_one.id]
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "review.auto_assigned",
        AuditEvent.subject_id == open_one.id)) is not None
    assert post_login(client, leaving.email).status_code == 401  # cannot sign in again


def test_the_admin_page_deactivates_through_the_same_service(client, ctx, auth) -> None:
    reviewer = factories.staff("reviewer")
    token = factories.api_token(reviewer)
    auth.client(client, "admin")
    answer = client.post(f"/admin/users/{reviewer.id}/active", data={"active": "no"})
    assert answer.status_code == 302
    assert client.get("/api/v1/assignments", headers=bearer(token)).status_code == 401
    db.session.expire_all()
    assert not db.session.get(User, reviewer.id).active
    scim = new_scim_token()
    kept = client.put(f"/scim/v2/Users/{reviewer.id}", headers=scim_headers(scim), json={
        "userName": reviewer.email, "emails": [{"value": reviewer.email}]})
    assert kept.status_code == 200 and kept.json["active"] is False  # no `active`: unchanged
    last_admin = db.session.scalar(select(User).where(User.role == "admin"))
    assert last_admin is not None
    refused = client.patch(f"/scim/v2/Users/{last_admin.id}", headers=scim_headers(scim), json={
        "schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]})
    assert refused.status_code == 409
    assert refused.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_a_new_scim_token_revokes_the_old_and_is_audited_without_it(client, ctx,
                                                                    runner) -> None:
    first = new_scim_token()
    assert client.get("/scim/v2/Users", headers=scim_headers(first)).status_code == 200
    printed = runner.invoke(main, ["scim", "token"])
    assert printed.exit_code == 0, printed.output
    second = printed.output.strip()
    assert second.startswith("rcs_") and second != first
    denied = client.get("/scim/v2/Users", headers=scim_headers(first))
    assert denied.status_code == 401 and "revoked" in denied.json["detail"]
    assert client.get("/scim/v2/Users", headers=scim_headers(second)).status_code == 200
    db.session.expire_all()
    events = list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "scim.token_created")))
    assert len(events) == 2 and second not in str([e.details for e in events])
    assert runner.invoke(main, ["scim", "token", "--revoke"]).exit_code == 0
    assert client.get("/scim/v2/Users", headers=scim_headers(second)).status_code == 401


def _create(client: Any, token: str, email: str) -> dict[str, Any]:
    made = client.post("/scim/v2/Users", headers=scim_headers(token), json={
        "userName": email, "emails": [{"value": email}], "name": {"formatted": "Lin Park"}})
    assert made.status_code == 201, made.text
    return dict(made.json)


def test_scim_delete_hides_the_account_and_keeps_its_row(client, ctx) -> None:
    token = new_scim_token()
    made = _create(client, token, "lin@example.com")
    listed = client.get("/scim/v2/Users?filter=userName%20eq%20%22LIN@example.com%22",
                        headers=scim_headers(token)).json
    assert [r["id"] for r in listed["Resources"]] == [made["id"]]
    headers = scim_headers(token)
    assert client.delete(f"/scim/v2/Users/{made['id']}", headers=headers).status_code == 204
    assert client.get(f"/scim/v2/Users/{made['id']}", headers=headers).status_code == 404
    db.session.expire_all()
    kept = db.session.get(User, int(made["id"]))
    assert kept is not None and not kept.active and kept.deleted_at is not None
    again = client.post("/scim/v2/Users", headers=scim_headers(token), json={
        "userName": "lin@example.com", "emails": [{"value": "lin@example.com"}]})
    assert again.status_code == 409 and again.json["scimType"] == "uniqueness"
    assert post_login(client, "lin@example.com", "anything-at-all").status_code == 401
    answer = client.put(f"/scim/v2/Users/{made['id']}", headers=scim_headers(token), json={
        "userName": "lin@example.com", "emails": [{"value": "lin@example.com"}]})
    assert answer.status_code == 404


def test_an_admin_makes_the_scim_token_on_the_tokens_page(client, ctx, auth) -> None:
    auth.client(client, "admin")
    page = client.post("/admin/scim-token")
    assert page.status_code == 200
    shown = re.search(r'id="new-scim-token">(rcs_[\w-]+)<', page.get_data(as_text=True))
    assert shown is not None
    assert client.get("/scim/v2/Users", headers=scim_headers(shown.group(1))).status_code == 200
    assert "Live token made" in client.get("/admin/tokens").get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "scim.token_created"))
    assert event is not None and event.actor_kind == "admin"
