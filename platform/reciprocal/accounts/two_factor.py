"""Two-factor sign-in for password accounts: an authenticator app's codes (TOTP, RFC 6238) and
ten one-time recovery codes.

The secret is kept encrypted with a key derived from the platform's SECRET_KEY (it must be
readable to check codes); recovery codes are kept only as argon2 hashes. A code's time step is
remembered, so one code never signs in twice: not even when the same code comes in several
requests at once, to different web processes. Each code is claimed with one conditional
UPDATE (the step only if it is later than the last one used; a recovery code only if it is
unused), and the database lets one of them match: the other UPDATE waits for the first to
commit and then matches no row.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import Update, update

from ..core import audit
from ..extensions import db
from ..models import RecoveryCode, User, utcnow
from . import passwords

ISSUER = "Reciprocal"
RECOVERY_CODES = 10


def _fernet() -> Fernet:
    key = hashlib.sha256(b"reciprocal-totp:" + str(current_app.config["SECRET_KEY"]).encode())
    return Fernet(base64.urlsafe_b64encode(key.digest()))


def _secret(user: User) -> str | None:
    if not user.totp_secret:
        return None
    try:
        return _fernet().decrypt(user.totp_secret.encode()).decode()
    except InvalidToken:
        return None  # SECRET_KEY changed: the account must enrol again (an admin resets it)


def required_for(user: User) -> bool:
    return bool(current_app.config.get("REQUIRE_TWO_FACTOR")) or user.totp_enabled


def start_enrolment(user: User) -> str:
    """A new secret for `user` (not in force until confirmed with a code); returns it."""
    secret = pyotp.random_base32()
    user.totp_secret = _fernet().encrypt(secret.encode()).decode()
    user.totp_enabled = False
    return secret


def pending_secret(user: User) -> str | None:
    return None if user.totp_enabled else _secret(user)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (with a title for screen readers)."""
    return segno.make(uri, error="m").svg_inline(scale=5, title="QR code of the authenticator "
                                                                 "secret")


def _valid_code(user: User, code: str) -> bool:
    secret = _secret(user)
    code = "".join(code.split())
    if secret is None or not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow())
    for step in (now_step - 1, now_step, now_step + 1):
        if step > user.totp_last_step and secrets.compare_digest(totp.generate_otp(step), code):
            return _claimed(update(User).where(User.id == user.id, User.totp_last_step < step)
                            .values(totp_last_step=step))
    return False


def _claimed(claim: Update) -> bool:
    """Whether the conditional UPDATE ``claim`` changed its one row (see the module)."""
    return bool(db.session.execute(claim).rowcount == 1)


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Put the pending secret in force when `code` matches it; returns the recovery codes to
    show once (None for a wrong code)."""
    if user.totp_enabled or not _valid_code(user, code):
        return None
    user.totp_enabled = True
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.recovery_codes.clear()
    user.recovery_codes.extend(RecoveryCode(code_hash=passwords.hash_password(c)) for c in codes)
    user.session_version += 1  # sessions from before the second factor end
    audit.record("auth.two_factor_enabled", actor=user, subject=user)
    return codes


def verify(user: User, code: str) -> bool:
    """A current authenticator code, or an unused recovery code (then spent)."""
    if not user.totp_enabled:
        return False
    if _valid_code(user, code):
        audit.record("auth.two_factor_passed", actor=user, subject=user, method="authenticator")
        return True
    candidate = code.strip().lower()
    if len(candidate) == 13:
        for recovery in user.recovery_codes:
            if recovery.used_at is None and passwords.verify_password(recovery.code_hash,
                                                                      candidate):
                if not _claimed(update(RecoveryCode).where(RecoveryCode.id == recovery.id,
                                                           RecoveryCode.used_at.is_(None))
                                .values(used_at=utcnow())):
                    break  # spent by a request at the same time
                left = sum(1 for r in user.recovery_codes if r.used_at is None)
                audit.record("auth.two_factor_passed", actor=user, subject=user,
                             method="recovery code", recovery_codes_left=left)
                return True
    audit.record("auth.two_factor_failed", actor_kind="anonymous", subject=user)
    return False


def reset(user: User, *, actor: User | None) -> None:
    """An admin's reset for a lost authenticator (no actor: from the shell, for the last admin
    locked out): the account enrols again at next sign-in."""
    user.totp_secret, user.totp_enabled = None, False
    user.recovery_codes.clear()
    user.session_version += 1
    audit.record("auth.two_factor_reset", actor=actor, subject=user)
