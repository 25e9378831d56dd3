"""Errors as each surface answers them: a page for people (the portal, staff pages), JSON for
programs (the API, Greenhouse), plain text for git.

Each surface's blueprint calls `handle_errors(bp, answer)` once with its own `answer(status,
message, title)`; what a refusal says is decided here, the same on every surface. A URL that
matched no route (a 404 or 405 before any blueprint is known) is answered by the app's own
handlers, in the format of the surface whose URL prefix it carries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..core.errors import ReciprocalError
from ..extensions import db
from .body_limits import too_large_message

log = logging.getLogger(__name__)

Answer = Callable[[int, str, str], Any]

MESSAGES = {
    401: "Please sign in or use a valid token.",
    403: "You do not have access to this page.",
    404: "There is nothing here.",
    405: "That method is not allowed here.",
    413: "That is larger than we accept.",
    429: "Too many attempts. Please wait a minute and try again.",
}


def page(status: int, message: str, title: str) -> Any:
    """The HTML surfaces' answer: the error page."""
    return render_template("error.html", status=status, title=title, message=message), status


def handle_errors(scope: Flask | Blueprint, answer: Answer) -> None:
    """Every refusal and failure raised while `scope` serves a request, answered by `answer`."""

    def domain(exc: ReciprocalError) -> Any:
        db.session.rollback()
        return answer(exc.status_code, exc.message, "We could not do that")

    def csrf(_exc: CSRFError) -> Any:
        return answer(400, "The form expired or came from another site. Please try again.",
                      "Please try again")

    def too_large(_exc: RequestEntityTooLarge) -> Any:
        return answer(413, too_large_message(), "Too large")

    def http(exc: HTTPException) -> Any:
        code = exc.code or 500
        return answer(code, MESSAGES.get(code, exc.description or exc.name), exc.name)

    def unexpected(_exc: Exception) -> Any:
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return answer(500, "Something broke on our side. It has been logged; please try again.",
                      "Something went wrong")

    scope.register_error_handler(ReciprocalError, domain)
    scope.register_error_handler(CSRFError, csrf)
    scope.register_error_handler(RequestEntityTooLarge, too_large)
    scope.register_error_handler(HTTPException, http)
    scope.register_error_handler(Exception, unexpected)


def init_app(app: Flask, by_prefix: Mapping[str, Answer]) -> None:
    """The app's handlers: for what no surface's blueprint serves (an unmatched URL, a static
    file, the health checks), answered as the surface its URL prefix names, else as a page."""

    def answer(status: int, message: str, title: str) -> Any:
        for prefix, surface in by_prefix.items():
            if request.path.startswith(prefix):
                return surface(status, message, title)
        return page(status, message, title)

    handle_errors(app, answer)
