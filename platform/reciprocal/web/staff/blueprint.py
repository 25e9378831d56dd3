"""The staff surface: the pages of reviewers, recruiters and admins (queue, review workspace,
scorecard, recruiting, outcomes, panels, the comment library, similarity, re-scores, admin).

Set once here for every route: a signed-in staff account is required (the sign-in page, the
home page and the code stylesheet are marked `public`), forms carry CSRF tokens, errors are
pages. A route that only some roles may use says which with `roles_required`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, request
from flask_login import current_user
from flask_login.config import EXEMPT_METHODS

from ...models import Submission
from ...review import queries as review_queries
from ..errors import handle_errors, page

bp = Blueprint("staff", __name__)
handle_errors(bp, page)

STAFF = ("admin", "recruiter", "reviewer")
DECIDERS = ("admin", "recruiter")
F = TypeVar("F", bound=Callable[..., Any])


def public(view: F) -> F:
    """A route anyone may open, signed in or not."""
    view.public = True  # type: ignore[attr-defined]
    return view


@bp.before_request
def _signed_in_staff() -> Any:
    if request.method in EXEMPT_METHODS:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "public", False):
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    if not current_user.has_role(*STAFF):
        abort(403)
    return None


def roles_required(*roles: str) -> Callable[[F], F]:
    """Only these roles (the blueprint has already required a signed-in account); others get
    403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def visible_submission(submission_id: int) -> Submission:
    """The submission if the signed-in user may see it, else the 404 of a missing id."""
    return review_queries.visible_to(current_user, submission_id)
