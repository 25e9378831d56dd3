"""A role change that takes reviewing away (a reviewer moved to SCIM's recruiter group, or the
identity provider's groups mapping them to recruiter at sign-in) hands the account's open
reviews back to the panel, which reassigns them, as deactivation does; a change that keeps
reviewing (to admin) keeps them."""

from __future__ import annotations

from typing import Any

from reciprocal.accounts import oidc
from reciprocal.extensions import db
from reciprocal.models import AuditEvent, Submission, User
from reciprocal.review import operations as review
from reciprocal.review import panels
from sqlalchemy import select

from tests.support import factories
from tests.support.outcomes import submitted
from tests.support.review import reviewers_of
from tests.support.scim import PATCH, new_scim_token, scim_headers

ISSUER = "https://id.example.com"



def _open_review() -> tuple[Submission, User, User]:
    """A submission reviewed by `moving`, and another panel member who can take it over."""
    open_one, _ = submitted()
    recruiter = factories.staff("recruiter")
    moving, stays = factories.staff("reviewer"), factories.staff("reviewer")
    panels.add_member(open_one.invitation.role, stays, actor=recruiter)
    review.assign_reviewer(open_one, moving, actor=recruiter)
    db.session.commit()
    return open_one, moving, stays


def _join_scim_group(client: Any, group: str, user: User) -> None:
    answer = client.patch(f"/scim/v2/Groups/{group}", headers=scim_headers(new_scim_token()), json={
        "schemas": [PATCH],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": str(user.id)}]}]})
    assert answer.status_code == 200, answer.text
    db.session.expire_all()


def test_a_reviewer_moved_to_recruiters_by_scim_hands_back_open_reviews(client, ctx) -> None:
    open_one, moving, stays = _open_review()
    _join_scim_group(client, "recruiter", moving)
    assert db.session.get(User, moving.id).role == "recruiter"
    assert reviewers_of(open_one.id) == {stays.id}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert event is not None and event.details["reviews_released"] == [open_one.id]


def test_a_reviewer_made_admin_keeps_open_reviews(client, ctx) -> None:
    open_one, moving, _stays = _open_review()
    _join_scim_group(client, "admin", moving)
    assert db.session.get(User, moving.id).role == "admin"
    assert moving.id in reviewers_of(open_one.id)


def test_the_providers_groups_at_sign_in_hand_back_open_reviews(app, ctx) -> None:
    open_one, moving, stays = _open_review()
    moving.oidc_issuer, moving.oidc_subject = ISSUER, "moving-1"
    db.session.commit()
    app.config["OIDC_GROUP_ROLES"] = ["hiring-team=recruiter"]
    signed_in = oidc.account_for(oidc.Identity(issuer=ISSUER, subject="moving-1",
                                               email=moving.email, name="Moving",
                                               groups=("hiring-team",)))
    db.session.commit()
    assert signed_in.id == moving.id and signed_in.role == "recruiter"
    assert reviewers_of(open_one.id) == {stays.id}
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "user.role_from_groups"))
    assert event is not None and event.details["reviews_released"] == [open_one.id]
