"""SCIM requests as an identity provider sends them, for tests driving `/scim/v2` with the test
client: the provisioning token and its headers, and the PATCH message's schema."""

from __future__ import annotations

from reciprocal.accounts import scim_tokens
from reciprocal.extensions import db

from tests.support.auth import bearer

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def scim_headers(token: str) -> dict[str, str]:
    return {**bearer(token), "Content-Type": "application/scim+json"}


def new_scim_token() -> str:
    """A new provisioning token (the one before it revoked), committed."""
    plain = scim_tokens.rotate()
    db.session.commit()
    return plain
