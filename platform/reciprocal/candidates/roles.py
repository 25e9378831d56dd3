"""Roles (job openings): validated creation and lookup."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..assignments import ai_policy
from ..core import audit
from ..core.errors import InvalidInput, NotFound
from ..extensions import db
from ..models import Role, User

DEFAULT_STAGES = [
    "Take-home assignment",
    "Review of your code by two engineers",
    "Follow-up interview about your code",
    "Decision",
]


def _text(data: dict[str, Any], key: str, *, required: bool = True, limit: int = 200) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{key} is required")
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{key} must be text")
    if len(value) > limit:
        raise InvalidInput(f"{key} must be at most {limit} characters")
    return value.strip()


def _int(data: dict[str, Any], key: str, default: int | None = None) -> int:
    value = data.get(key, default)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{key} must be a whole number")
    return value


def _lines(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{key} must be a list of text")
    return [v.strip() for v in value if v.strip()]


def create_role(data: dict[str, Any], *, actor: User | None = None) -> Role:
    """Create a role from API or form data; the salary band is required (transparency)."""
    if not isinstance(data, dict):
        raise InvalidInput("the role must be a JSON object")
    salary_min = _int(data, "salary_min")
    salary_max = _int(data, "salary_max")
    if salary_min <= 0 or salary_max < salary_min:
        raise InvalidInput("the salary band needs 0 < salary_min <= salary_max")
    currency = _text(data, "currency", limit=3).upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput("currency must be a three-letter code such as EUR or USD")
    response_days = _int(data, "response_days", 5)
    if not 1 <= response_days <= 30:
        raise InvalidInput("response_days must be between 1 and 30 business days")
    requirements = _lines(data, "requirements")
    if not requirements:
        raise InvalidInput("list at least one requirement: rejections name one as their reason")
    ai_use, ai_text = _ai_override(data.get("ai_policy"))
    role = Role(
        title=_text(data, "title"),
        team=_text(data, "team"),
        salary_min=salary_min,
        salary_max=salary_max,
        currency=currency,
        mission=_text(data, "mission", limit=5000),
        requirements=requirements,
        stages=_lines(data, "stages") or list(DEFAULT_STAGES),
        response_days=response_days,
        ai_use=ai_use,
        ai_policy_text=ai_text,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(role)
    db.session.flush()
    audit.record("role.created", actor=actor, subject=role, title=role.title,
                 ai_use=role.ai_use)
    return role


def _ai_override(value: object) -> tuple[str | None, str | None]:
    """`ai_policy`: null (or absent, or `use` empty) follows each assignment's own policy;
    `{"use": ..., "text": ...}` overrides it for this role's invitations."""
    if value is None:
        return None, None
    if not isinstance(value, dict) or set(value) - ai_policy.TABLE_KEYS:
        raise InvalidInput('ai_policy must be null or {"use": ..., "text": ...}')
    use, text = value.get("use"), value.get("text")
    if not isinstance(use, str | None) or not isinstance(text, str | None):
        raise InvalidInput("ai_policy use and text must be text")
    try:
        return ai_policy.check_override(use, text)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def list_roles() -> list[Role]:
    return list(db.session.scalars(select(Role).order_by(Role.created_at.desc(), Role.id.desc())))


def find_role(ref: int | str) -> Role:
    """A role by id, or by exact title when the reference is not a number."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        role = db.session.get(Role, ref)
    elif isinstance(ref, str) and ref.strip().isdigit():
        role = db.session.get(Role, int(ref))
    elif isinstance(ref, str) and ref.strip():
        matches = list(db.session.scalars(select(Role).where(Role.title == ref.strip())))
        if len(matches) > 1:
            raise InvalidInput(f"several roles are titled {ref!r}: use the id")
        role = matches[0] if matches else None
    else:
        raise InvalidInput("role must be an id or a title")
    if role is None:
        raise NotFound(f"no role {ref!r}")
    return role


def serialise(role: Role) -> dict[str, Any]:
    return {
        "id": role.id,
        "title": role.title,
        "team": role.team,
        "salary_min": role.salary_min,
        "salary_max": role.salary_max,
        "currency": role.currency,
        "mission": role.mission,
        "requirements": role.requirements,
        "stages": role.stages,
        "response_days": role.response_days,
        # The override of each assignment's AI policy; null follows the assignment's.
        "ai_policy": {"use": role.ai_use, "text": role.ai_policy_text or ""}
        if role.ai_use else None,
        "created_at": role.created_at.isoformat(),
    }
