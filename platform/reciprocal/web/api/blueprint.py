"""API v1: JSON under /api/v1 for applicant tracking systems, scripts, candidates' tools and
workers.

Set once here for every route: CSRF does not apply (no cookie is read; every call carries a
bearer token), errors are JSON `{"error": message}` with their status, and the bearer is checked
before any view runs. Which credential a route takes is in its URL:

- `/api/v1/candidate/...`: the candidate's invitation token (the twins of the portal's forms),
  rate-limited per route (LIMITS) before the token is looked up;
- `/api/v1/worker/...`: the worker credential (`RECIPROCAL_WORKER_TOKEN`), compared in constant
  time; workers never touch the database themselves;
- everything else: a staff API token (`reciprocal tokens create`); a route that only some roles
  may use says which with `roles_required`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, current_app, g, jsonify, request

from ...accounts import api_tokens
from ...candidates import operations as invitations
from ...core.errors import BadRequest, Forbidden, Unauthorized
from ...extensions import csrf, db, limiter
from ...models import Invitation, User
from ..errors import handle_errors

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

LIMITS = {
    "api.candidate_accept": "60 per minute",
    "api.candidate_start": "60 per minute",
    "api.candidate_submit": "60 per minute",
    "api.candidate_accommodation": "30 per minute",
    "api.candidate_extension_request": "30 per minute",
    "api.candidate_result_note": "30 per minute",
}
DECIDERS = ("admin", "recruiter")
F = TypeVar("F", bound=Callable[..., Any])


def answer(status: int, message: str, _title: str) -> Any:
    """The API's answer to every refusal and failure."""
    return jsonify({"error": message}), status


handle_errors(bp, answer)


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("send an Authorization: Bearer <token> header")
    return value.strip()


def _limit() -> str:
    return LIMITS[request.endpoint or ""]


@limiter.limit(_limit)
def _count_candidate_request() -> None:
    """Counted against the request's endpoint, as a limit on the route itself would be, but
    before the token is looked up."""


def _candidate() -> None:
    if request.endpoint in LIMITS:
        _count_candidate_request()
    g.invitation = invitations.by_token(_bearer())


def _worker() -> None:
    expected = current_app.config.get("WORKER_TOKEN")
    if not expected:
        raise Forbidden("no worker credential is configured on this platform")
    if not hmac.compare_digest(_bearer().encode(), expected.encode()):
        raise Unauthorized("the worker credential is not valid")


def _staff() -> None:
    user = api_tokens.user_for(_bearer())
    if db.session.dirty:
        # The token's last-use stamp: committed at once, so no request holds its row lock
        # (GET handlers never commit, and concurrent calls would queue on it).
        db.session.commit()
    g.api_user = user


CREDENTIALS = {"candidate": _candidate, "worker": _worker}


@bp.before_request
def _authenticate() -> None:
    rule = request.url_rule.rule if request.url_rule else ""
    kind = rule.removeprefix(f"{bp.url_prefix}/").split("/", 1)[0]
    CREDENTIALS.get(kind, _staff)()


def roles_required(*roles: str) -> Callable[[F], F]:
    """Only staff tokens of these roles; others get 403 (the token itself is already checked)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not api_user().has_role(*roles):
                raise Forbidden(f"this needs one of these roles: {', '.join(roles)}")
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def api_user() -> User:
    """The staff account whose token this request carries."""
    return g.api_user  # type: ignore[no-any-return]


def candidate_invitation() -> Invitation:
    """The invitation whose token a candidate route's request carries."""
    return g.invitation  # type: ignore[no-any-return]


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("send a JSON object with Content-Type: application/json")
    return data
