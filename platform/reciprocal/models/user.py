"""Staff accounts and their API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .types import UTCDateTime, utcnow


class StaffRole(enum.StrEnum):
    ADMIN = "admin"
    RECRUITER = "recruiter"
    REVIEWER = "reviewer"


class User(UserMixin, Model):  # type: ignore[misc]  # flask_login is untyped
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # Admins always may; others only when an admin allows it: clone and push the hosted
    # assignment repositories (hidden tests and solutions included) and publish versions.
    can_author_assignments: Mapped[bool] = mapped_column(default=False, server_default=false())
    session_version: Mapped[int] = mapped_column(default=1)
    # Single sign-on: the provider's issuer and subject this account is linked to.
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    # Two-factor: the authenticator secret, encrypted with a key derived from SECRET_KEY; set
    # at enrolment, in force once `totp_enabled`; the last time step used (no code twice).
    totp_secret: Mapped[str | None] = mapped_column(String(300))
    totp_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    totp_last_step: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by SCIM provisioning: the identity provider's userName (when it is not the email) and
    # its own id for the account. A SCIM DELETE deactivates and hides the account (deleted_at)
    # rather than removing the row, so past comments and scorecards keep their author.
    user_name: Mapped[str | None] = mapped_column(String(254), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(254), index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")
    recovery_codes: Mapped[list[RecoveryCode]] = relationship(
        back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str:
        # Bumping session_version (password change, deactivation) ends every old session.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def may_author_assignments(self) -> bool:
        return self.active and (self.role == StaffRole.ADMIN or self.can_author_assignments)


class ApiToken(Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # NULL only for a token an admin made without expiry on purpose (`--days 0`).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    def state(self, now: datetime) -> str:
        """'active', 'expired' or 'revoked'."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return "active"


class RecoveryCode(Model):
    """A one-time code standing in for the authenticator; only its argon2 hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="recovery_codes")


class SignInError(Model):
    """A failed single sign-on, kept for the admin page (the audit log has each one too)."""

    __tablename__ = "sign_in_errors"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    step: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(500))
    who: Mapped[str] = mapped_column(String(300), default="")


class ScimToken(Model):
    """The identity provider's bearer token for /scim/v2: hashed like API tokens, one live at a
    time (making a new one revokes the old)."""

    __tablename__ = "scim_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
