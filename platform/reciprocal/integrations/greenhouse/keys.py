"""The organisation's Greenhouse API keys: made by the CLI, shown once, stored as a hash.

Greenhouse sends the key as the username of HTTP Basic (with an empty password) on every call,
and the partner's PATCH to Greenhouse carries it the same way. So that the platform can make
that PATCH without keeping the key itself, a key is `rgh_<key id>_<HMAC-SHA256 of the key id
under RECIPROCAL_SECRET_KEY>`: the database holds the key id and the key's SHA-256, and the
callback derives the key again from the secret key. Changing RECIPROCAL_SECRET_KEY leaves
Greenhouse's calls working (the hash still matches) but callbacks fail until a new key is made.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets

from flask import current_app
from sqlalchemy import select

from ...core import audit, tokens
from ...core.errors import Unauthorized
from ...extensions import db
from ...models import utcnow
from ...models.greenhouse import GreenhouseApiKey

PREFIX = "rgh_"
MAX_KEY_LENGTH = 170  # Greenhouse takes keys under 171 characters
UNAUTHORIZED = "send the organisation's Greenhouse API key as the HTTP Basic username"


def _derive(key_id: str) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, b"reciprocal-greenhouse-api-key\0" + key_id.encode(), "sha256")
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def compose(key_id: str) -> str:
    return f"{PREFIX}{key_id}_{_derive(key_id)}"


def create(*, revoke_others: bool = False) -> tuple[GreenhouseApiKey, str]:
    """A new key (returned once, for the admin to give Greenhouse); optionally the only one."""
    if revoke_others:
        for old in db.session.scalars(
            select(GreenhouseApiKey).where(GreenhouseApiKey.revoked_at.is_(None))
        ):
            old.revoked_at = utcnow()
            audit.record("greenhouse.key_revoked", subject=old, key_id=old.key_id)
    key_id = secrets.token_hex(8)
    plain = compose(key_id)
    assert len(plain) <= MAX_KEY_LENGTH
    row = GreenhouseApiKey(key_id=key_id, key_hash=tokens.hash_token(plain))
    db.session.add(row)
    db.session.flush()
    audit.record("greenhouse.key_created", subject=row, key_id=key_id)
    return row, plain


def active_keys() -> list[GreenhouseApiKey]:
    return list(db.session.scalars(
        select(GreenhouseApiKey).where(GreenhouseApiKey.revoked_at.is_(None))
        .order_by(GreenhouseApiKey.id)
    ))


def basic_username(header: str | None) -> str | None:
    """The username of an `Authorization: Basic` header, or None when there is none."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value.strip() or len(value) > 1024:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username = decoded.partition(":")[0]
    return username or None


def authenticate(header: str | None) -> GreenhouseApiKey:
    """The active key named by the request's Basic username; Unauthorized otherwise."""
    key = basic_username(header)
    if key is None or not key.startswith(PREFIX) or len(key) > MAX_KEY_LENGTH:
        raise Unauthorized(UNAUTHORIZED)
    row = db.session.scalar(
        select(GreenhouseApiKey).where(GreenhouseApiKey.key_hash == tokens.hash_token(key))
    )
    if row is None or row.revoked_at is not None or not tokens.matches(key, row.key_hash):
        raise Unauthorized(UNAUTHORIZED)
    return row


def plaintext(row: GreenhouseApiKey) -> str | None:
    """The key again, for the callback; None when the secret key changed since it was made."""
    plain = compose(row.key_id)
    return plain if tokens.matches(plain, row.key_hash) else None
