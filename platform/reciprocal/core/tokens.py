"""Secret tokens: generated from `secrets`, stored only as a hash, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32  # 256 bits, twice the 128 that guessing cannot reach


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """A SHA-256 hex digest. Tokens carry 256 bits of entropy, so no salt or slow hash is needed."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)


def looks_like_token(value: str) -> bool:
    """Cheap shape check before touching the database (URL-safe base64 of 32+ bytes)."""
    return 40 <= len(value) <= 120 and all(c.isalnum() or c in "-_" for c in value)
