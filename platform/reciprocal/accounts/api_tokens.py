"""API tokens for scripts and applicant tracking systems: made, listed, used, expired, revoked.

A token is shown once and only its hash is stored. Every token expires (API_TOKEN_DAYS, 90 by
default; an admin may choose another lifetime per token, or none on purpose), can be revoked at
once from `reciprocal tokens revoke` or the admin page, and records when it was last used.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import contains_eager, selectinload

from ..core import audit, tokens
from ..core.errors import InvalidInput, InvalidToken, NotFound
from ..extensions import db
from ..models import ApiToken, User, utcnow

LAST_USED_RESOLUTION = timedelta(minutes=1)
API_TOKEN_PREFIX = "rcp_"  # noqa: S105 - a prefix, not a secret
MAX_DAYS = 3650


def lifetime_days(days: int | None) -> int:
    """The lifetime asked for, or the setting's default; 0 means no expiry."""
    chosen = int(current_app.config["API_TOKEN_DAYS"]) if days is None else days
    if not 0 <= chosen <= MAX_DAYS:
        raise InvalidInput(f"a token lives 1 to {MAX_DAYS} days (0: no expiry); got {chosen}")
    return chosen


def create(user: User, name: str = "", *, days: int | None = None,
           actor: User | None = None) -> tuple[ApiToken, str]:
    """Create a token; the plain value is returned once and never stored."""
    if not user.active:
        raise InvalidInput(f"{user.email} is deactivated; reactivate the account first")
    lifetime = lifetime_days(days)
    plain = tokens.new_token(API_TOKEN_PREFIX)
    token = ApiToken(user=user, token_hash=tokens.hash_token(plain), name=name.strip()[:100],
                     expires_at=utcnow() + timedelta(days=lifetime) if lifetime else None)
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", actor=actor or user, subject=token, name=token.name,
                 user=user.email, days=lifetime)
    return token, plain


def all_tokens() -> list[ApiToken]:
    """Every token, newest first, with its user."""
    return list(db.session.scalars(
        select(ApiToken).options(selectinload(ApiToken.user))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def get(token_id: int) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no API token {token_id}")
    return token


def revoke(token: ApiToken, *, actor: User | None = None) -> bool:
    """Revoke at once; False if it was revoked already."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record("api_token.revoked", actor=actor, actor_kind="admin" if actor else "system",
                 subject=token, name=token.name)
    return True


@cache
def _lookup_statement() -> Select[tuple[ApiToken]]:
    """One lookup on the unique (indexed) token_hash that brings the user along. Built once per
    process: constructing it costs more than running it."""
    return (
        select(ApiToken)
        .join(ApiToken.user)
        .options(contains_eager(ApiToken.user))
        .where(ApiToken.token_hash == bindparam("token_hash"))
    )


def user_for(plain: str, now: datetime | None = None) -> User:
    """The user a bearer token acts as; unknown, revoked and expired tokens are refused, each
    with its own message (the caller gets 401)."""
    if not plain.startswith(API_TOKEN_PREFIX) or not tokens.looks_like_token(
        plain[len(API_TOKEN_PREFIX) :]
    ):
        raise InvalidToken("the API token is not valid")
    token = db.session.scalar(_lookup_statement(), {"token_hash": tokens.hash_token(plain)})
    if token is None or not tokens.matches(plain, token.token_hash):
        raise InvalidToken("the API token is not valid")
    now = now or utcnow()
    state = token.state(now)
    if state == "revoked":
        raise InvalidToken("the API token has been revoked")
    if state == "expired":
        assert token.expires_at is not None
        raise InvalidToken(
            f"the API token expired on {token.expires_at:%Y-%m-%d}; an admin can make a new one "
            "(reciprocal tokens create)"
        )
    if not token.user.active:
        raise InvalidToken("the API token's user is deactivated")
    # Written at most once a minute: a busy integration must not serialise on this row.
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token.user
