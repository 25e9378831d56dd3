"""Password hashing with argon2id (OWASP: at least 19 MiB memory, t=2, p=1)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


# Verifying against this keeps the time of a login for an unknown email the same as a known one.
DUMMY_HASH = _hasher.hash("reciprocal-dummy-password")

# The password hash of an account made by single sign-on: no password ever verifies against it.
UNUSABLE = "!"
