"""Building rows for tests through the real services (never by hand-writing rows)."""

from __future__ import annotations

from typing import Any

from reciprocal.accounts import api_tokens
from reciprocal.accounts import operations as users
from reciprocal.assignments import operations as assignments
from reciprocal.candidates import operations as invitations
from reciprocal.candidates import roles
from reciprocal.extensions import db
from reciprocal.models import User

PASSWORD = "correct-horse-battery"
ROLE = {
    "title": "Backend Engineer",
    "team": "Payments",
    "salary_min": 60000,
    "salary_max": 80000,
    "currency": "EUR",
    "mission": "Own the customer data services.",
    "requirements": ["Demonstrable experience with PostgreSQL", "Python HTTP APIs"],
    "stages": ["Take-home", "Review", "Follow-up interview", "Decision"],
    "response_days": 5,
}


def staff(role: str = "recruiter", email: str | None = None) -> User:
    user = users.create_user(
        email or f"{role}-{db.session.query(User).count()}@example.com",
        role,
        PASSWORD,
        name=role.title(),
    )
    db.session.commit()
    return user


def api_token(user: User) -> str:
    _token, plain = api_tokens.create(user, "tests")
    db.session.commit()
    return plain


def library(*slugs: str) -> None:
    """Sync the shipped assignments: every one, or only `slugs` (one sync of all fifteen takes
    seconds, most tests need one)."""
    report = assignments.sync_all(only=slugs or None)
    db.session.commit()
    assert set(slugs or ["customer-directory"]) <= set(
        report.added + report.updated + report.unchanged), report


def role(**overrides: Any) -> Any:
    data = dict(ROLE)
    data.update(overrides)
    created = roles.create_role(data)
    db.session.commit()
    return created


def invitation(slug: str = "customer-directory", **kwargs: Any) -> invitations.NewInvitation:
    if slug not in {assignment.slug for assignment in assignments.list_assignments()}:
        library(slug)
    the_role = kwargs.pop("role", None) or role()
    new = invitations.invite(
        slug,
        the_role.id,
        kwargs.get("name", "Sam Candidate"),
        kwargs.get("email", "sam@example.com"),
        actor=None,
    )
    db.session.commit()
    return new


def started(slug: str = "customer-directory", **kwargs: Any) -> invitations.NewInvitation:
    new = invitation(slug, **kwargs)
    invitations.accept_terms(new.invitation)
    invitations.start(new.invitation)
    db.session.commit()
    return new
