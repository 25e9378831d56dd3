"""Staff accounts: creation, login checks and activation (API tokens: accounts.api_tokens)."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import select

from ..core import audit
from ..core.errors import Conflict, InvalidInput, NotFound
from ..extensions import db
from ..models import StaffRole, User
from . import passwords

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise InvalidInput(f"{email!r} is not a valid email address")
    return email


def create_user(
    email: str, role: str, password: str, *, name: str = "", actor: User | None = None
) -> User:
    email = normalise_email(email)
    if role not in {r.value for r in StaffRole}:
        raise InvalidInput(f"role must be one of admin, recruiter, reviewer; got {role!r}")
    if len(password) < passwords.MIN_LENGTH:
        raise InvalidInput(f"the password must have at least {passwords.MIN_LENGTH} characters")
    if db.session.scalar(select(User).where(User.email == email)) is not None:
        raise Conflict(f"a user with email {email} already exists")
    user = User(
        email=email, role=role, name=name.strip(), password_hash=passwords.hash_password(password)
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor=actor, subject=user, email=email, role=role)
    return user


def get_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"no user with email {email}")
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Takes the same time for unknown emails."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        passwords.verify_password(passwords.DUMMY_HASH, password)
        audit.record("auth.login_failed", actor_kind="anonymous", reason="unknown email")
        return None
    if not passwords.verify_password(user.password_hash, password) or not user.active:
        audit.record(
            "auth.login_failed", actor_kind="anonymous", subject=user, reason="bad password"
        )
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    audit.record("auth.login", actor=user, subject=user)
    return user


def password_allowed(email: str) -> bool:
    """False when single sign-on is required and `email` is not the break-glass admin (whose
    account must also be an admin's to get in)."""
    if not current_app.config.get("REQUIRE_SSO"):
        return True
    glass = str(current_app.config.get("BREAK_GLASS_EMAIL") or "").strip().lower()
    if not glass or (email or "").strip().lower() != glass:
        return False
    user = db.session.scalar(select(User).where(User.email == glass))
    return user is not None and user.role == StaffRole.ADMIN


def load_session_user(session_id: str) -> User | None:
    """Resolve Flask-Login's stored id `<user id>:<session version>`."""
    try:
        user_id, version = (int(part) for part in session_id.split(":", 1))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.role, User.email)))


def set_assignment_author(user: User, allowed: bool, *, actor: User) -> None:
    """Allow a non-admin to clone, push and publish the hosted assignment repositories (their
    hidden tests and solutions included); admins always may."""
    user.can_author_assignments = allowed
    audit.record("user.author_allowed" if allowed else "user.author_revoked", actor=actor,
                 subject=user)


def get(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user
