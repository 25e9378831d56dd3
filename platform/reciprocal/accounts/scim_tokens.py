"""The identity provider's SCIM bearer token: made or rotated by an admin (`reciprocal scim
token`, or the admin page), shown once, stored only as its hash, one live at a time, audited.
It is not an API token: it acts as no staff account and opens only /scim/v2."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..core import audit, tokens
from ..core.errors import InvalidToken
from ..extensions import db
from ..models import ScimToken, User, utcnow

SCIM_TOKEN_PREFIX = "rcs_"  # noqa: S105 - a prefix, not a secret
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _revoke_live() -> int:
    live_tokens = list(db.session.scalars(select(ScimToken).where(ScimToken.revoked_at.is_(None))))
    for token in live_tokens:
        token.revoked_at = utcnow()
    return len(live_tokens)


def rotate(*, actor: User | None = None) -> str:
    """A new token; every earlier one is revoked at once. The plain value is returned once."""
    revoked = _revoke_live()
    plain = tokens.new_token(SCIM_TOKEN_PREFIX)
    token = ScimToken(token_hash=tokens.hash_token(plain),
                      created_by_id=actor.id if actor else None)
    db.session.add(token)
    db.session.flush()
    audit.record("scim.token_created", actor=actor, actor_kind="admin" if actor else "operator",
                 subject=token, revoked_earlier=revoked)
    return plain


def revoke_all(*, actor: User | None = None) -> int:
    """Switch provisioning off: every token is revoked."""
    count = _revoke_live()
    audit.record("scim.token_revoked", actor=actor, actor_kind="admin" if actor else "operator",
                 revoked=count)
    return count


def live() -> ScimToken | None:
    return db.session.scalar(select(ScimToken).where(ScimToken.revoked_at.is_(None))
                             .order_by(ScimToken.id.desc()).limit(1))


def check(plain: str, now: datetime | None = None) -> ScimToken:
    """The live token this bearer value is, or InvalidToken (401)."""
    if not plain.startswith(SCIM_TOKEN_PREFIX) or not tokens.looks_like_token(
            plain[len(SCIM_TOKEN_PREFIX):]):
        raise InvalidToken("the SCIM token is not valid")
    token = db.session.scalar(select(ScimToken).where(
        ScimToken.token_hash == tokens.hash_token(plain)))
    if token is None or not tokens.matches(plain, token.token_hash):
        raise InvalidToken("the SCIM token is not valid")
    if token.revoked_at is not None:
        raise InvalidToken("the SCIM token has been revoked; an admin can make a new one "
                           "(reciprocal scim token)")
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token
