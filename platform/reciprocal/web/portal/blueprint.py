"""The candidate's surface: everything under /c/<token>, reached through a private link and no
account.

Set once here for every route: the token is taken out of the URL into `g.token` (and put back
into every portal URL built while a portal page is served, so `url_for("portal.landing")` needs
no token), each request is counted against its route's rate limit before anything is looked up,
and only then is the link resolved into `g.invitation` (an unknown, withdrawn or ended link
answers here, before any view runs). Forms carry CSRF tokens (the upload checks its own, after
the link: see journey.upload); errors are pages.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from ...candidates import operations as invitations
from ...extensions import limiter
from ...models import Invitation
from ..errors import handle_errors, page

bp = Blueprint("portal", __name__, url_prefix="/c/<token>")
handle_errors(bp, page)

TOKEN_LIMIT = "120 per minute"  # noqa: S105 - a rate, not a secret
LIMITS = {
    "portal.status": "240 per minute",  # the page polls it while the tests run
    "portal.upload": "20 per minute",
    "portal.download": "20 per minute",
    "portal.ask_question": "20 per minute",
    "portal.accommodation": "30 per minute",
    "portal.extension_request": "30 per minute",
    "portal.result_note": "30 per minute",
    "portal.answer_explanation": "30 per minute",
}


def _limit() -> str:
    return LIMITS.get(request.endpoint or "", TOKEN_LIMIT)


@limiter.limit(_limit)
def _count_request() -> None:
    """Flask-Limiter counts a call of a limited function against the request's endpoint: the
    same count a limit on the route itself keeps, but taken before the link is looked up."""


@bp.url_value_preprocessor
def _take_token(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.token = (values or {}).pop("token", "")


@bp.url_defaults
def _give_token(_endpoint: str, values: dict[str, Any]) -> None:
    if "token" not in values and "token" in g:
        values["token"] = g.token


@bp.before_request
def _open_the_link() -> None:
    _count_request()
    g.invitation = invitations.by_token(g.token)


def current_invitation() -> Invitation:
    """The invitation of the link this request came through."""
    return g.invitation  # type: ignore[no-any-return]


def current_token() -> str:
    """The link's token itself (for the git URL the page shows)."""
    return str(g.token)
