"""Staff accounts as the identity provider sees them (SCIM), and deactivation, which the admin
page and SCIM share.

Deactivating an account ends its sessions (the session version moves on, so every cookie
signed for it is refused at its next request), revokes its API tokens and hands its open
reviews back to the review panel, which reassigns them; its submitted scorecards and comments
stay, attributed to it. A SCIM DELETE deactivates the account and hides it from SCIM (the row
stays for that attribution); the address cannot be provisioned again while it does.

Groups are the staff roles: an account is in exactly one, and joining one leaves the other;
an account taken out of its group becomes a reviewer, the least privileged role. The last
active admin cannot be deactivated, deleted or demoted, by SCIM or by hand.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select

from ..core import audit
from ..core.errors import Conflict, InvalidInput
from ..extensions import db
from ..models import StaffRole, User, utcnow
from ..review import panels
from . import api_tokens, passwords
from .operations import normalise_email
from .scim_protocol import Filter, ScimError, UserFields

# An argon2 hash never equals this, so an account provisioned without a password has none.
NO_PASSWORD = "!scim"  # noqa: S105 - a marker, not a secret
SCIM_ACTOR = "scim"


def _actor_kind(actor: User | None) -> str:
    return "admin" if actor is not None else SCIM_ACTOR


def _last_admin(user: User) -> bool:
    if user.role != StaffRole.ADMIN or not user.active:
        return False
    others = db.session.scalar(select(func.count(User.id)).where(
        User.role == StaffRole.ADMIN, User.active.is_(True), User.id != user.id))
    return not others


def deactivate(user: User, *, actor: User | None = None) -> None:
    """Sessions ended, API tokens revoked, open reviews reassigned; nothing when already
    deactivated."""
    if not user.active:
        return
    if _last_admin(user):
        raise Conflict(f"{user.email} is the last active admin; make another admin first")
    user.active = False
    user.session_version += 1
    revoked = [t.id for t in user.tokens if t.revoked_at is None]
    for token in user.tokens:
        api_tokens.revoke(token, actor=actor)
    released = panels.release_all(user, actor=actor)
    audit.record("user.deactivated", actor=actor, actor_kind=_actor_kind(actor), subject=user,
                 tokens_revoked=revoked, reviews_released=released)


def reactivate(user: User, *, actor: User | None = None) -> None:
    """Sign-in back (not the revoked tokens or released reviews). An account SCIM deleted
    becomes visible to SCIM again, so the provider can still deprovision it."""
    if user.active:
        return
    user.active = True
    user.session_version += 1
    restored = user.deleted_at is not None
    user.deleted_at = None
    audit.record("user.activated", actor=actor, actor_kind=_actor_kind(actor), subject=user,
                 restored_to_scim=restored)


def set_active(user: User, active: bool, *, actor: User | None = None) -> None:
    if active:
        reactivate(user, actor=actor)
    else:
        deactivate(user, actor=actor)


# SCIM Users


def scim_user_name(user: User) -> str:
    return user.user_name or user.email


def _visible() -> ColumnElement[bool]:
    return User.deleted_at.is_(None)


def get(user_id: str) -> User:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or user.deleted_at is not None:
        raise ScimError(404, f"no user {user_id}")
    return user


def find(where: Filter | None, offset: int, limit: int) -> tuple[int, list[User]]:
    """(total matching, the page of them), oldest account first."""
    query = select(User).where(_visible())
    if where is not None and where.attribute == "userName":
        value = where.value.strip().lower()
        query = query.where(or_(func.lower(User.user_name) == value,
                                (User.user_name.is_(None)) & (User.email == value)))
    elif where is not None and where.attribute == "externalId":
        query = query.where(User.external_id == where.value)
    elif where is not None and where.attribute == "id":
        query = query.where(User.id == (int(where.value) if where.value.isdigit() else -1))
    elif where is not None and where.attribute in {"emails", "emails.value"}:
        query = query.where(User.email == where.value.strip().lower())
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = list(db.session.scalars(query.order_by(User.id).offset(offset).limit(limit)))
    return total, page


def _taken(user_name: str, email: str, user: User | None) -> None:
    """SCIM's `uniqueness` 409: another account (deleted ones too) already holds either."""
    other = db.session.scalar(select(User).where(
        or_(func.lower(User.user_name) == user_name.lower(), User.email == email,
            (User.user_name.is_(None)) & (User.email == user_name.lower())),
        User.id != (user.id if user else -1)).limit(1))
    if other is not None:
        held = " (a deleted account keeps it for its past reviews)" if other.deleted_at else ""
        raise ScimError(409, f"{user_name} is already provisioned{held}", "uniqueness")


def _apply(user: User, fields: UserFields) -> list[str]:
    try:
        email = normalise_email(fields.email)
    except InvalidInput as exc:
        raise ScimError(400, f"{exc.message}: send an email in emails or as the userName",
                        "invalidValue") from None
    _taken(fields.user_name, email, user)
    changed = []
    user_name = None if fields.user_name.lower() == email else fields.user_name
    for attribute, value in (("user_name", user_name), ("email", email), ("name", fields.name),
                             ("external_id", fields.external_id)):
        if getattr(user, attribute) != value:
            setattr(user, attribute, value)
            changed.append(attribute)
    if fields.password is not None:
        if len(fields.password) < passwords.MIN_LENGTH:
            raise ScimError(400, f"a password has at least {passwords.MIN_LENGTH} characters",
                            "invalidValue")
        user.password_hash = passwords.hash_password(fields.password)
        user.session_version += 1
        changed.append("password")
    return changed


def create(fields: UserFields) -> User:
    """A new account, a reviewer until a group says otherwise; it has no password unless the
    provider sends one (it signs in through single sign-on)."""
    user = User(email="", role=StaffRole.REVIEWER.value, password_hash=NO_PASSWORD, active=True,
                session_version=1)
    changed = _apply(user, fields)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor_kind=SCIM_ACTOR, subject=user, email=user.email,
                 role=user.role, fields=changed)
    if fields.active is False:
        deactivate(user)
    return user


def replace(user: User, fields: UserFields) -> User:
    changed = _apply(user, fields)
    db.session.flush()
    if changed:
        audit.record("user.updated", actor_kind=SCIM_ACTOR, subject=user, fields=changed)
    if fields.active is not None:
        set_active(user, fields.active)
    return user


def delete(user: User) -> None:
    """Deactivated and hidden from SCIM; the row stays so past work keeps its author."""
    deactivate(user)
    user.deleted_at = utcnow()
    audit.record("user.deleted", actor_kind=SCIM_ACTOR, subject=user)


# SCIM Groups: the staff roles


def role(group_id: str) -> StaffRole:
    try:
        return StaffRole(group_id)
    except ValueError:
        raise ScimError(404, f"no group {group_id}") from None


def members(group: StaffRole) -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == group.value, _visible())
                                   .order_by(User.id)))


def set_members(group: StaffRole, member_ids: list[str]) -> None:
    """The group's members become exactly these accounts: those joining leave their other
    group, those leaving become reviewers."""
    wanted = {get(member_id).id for member_id in member_ids}
    for user in members(group):
        if user.id not in wanted and group != StaffRole.REVIEWER:
            set_role(user, StaffRole.REVIEWER)
    for user_id in sorted(wanted):
        joining = db.session.get(User, user_id)
        assert joining is not None
        set_role(joining, group)


def set_role(user: User, group: StaffRole) -> None:
    if user.role == group.value:
        return
    if group != StaffRole.ADMIN and _last_admin(user):
        raise ScimError(409, f"{user.email} is the last active admin", "mutability")
    before, user.role = user.role, group.value
    released = panels.release_if_no_longer_reviewing(user, before)
    audit.record("user.role_changed", actor_kind=SCIM_ACTOR, subject=user,
                 role_from=before, role_to=group.value, reviews_released=released)

