"""One error handler per surface: JSON for /api, plain text for /git, HTML for the rest."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..core.errors import ReciprocalError
from ..extensions import db

log = logging.getLogger(__name__)


def _surface() -> str:
    if request.path.startswith(("/api/", "/integrations/")):
        return "json"
    if request.path.startswith("/git/"):
        return "git"
    return "html"


def respond(status: int, message: str, title: str | None = None) -> Any:
    surface = _surface()
    if surface == "json":
        return jsonify({"error": message}), status
    if surface == "git":
        # git would answer a 401 with a password prompt; the token is the only credential here.
        status = 403 if status == 401 else status
        return message + "\n", status, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template(
        "error.html", status=status, title=title or "Something went wrong", message=message
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ReciprocalError)
    def _domain(exc: ReciprocalError) -> Any:
        db.session.rollback()
        return respond(exc.status_code, exc.message, title="We could not do that")

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Any:
        return respond(
            400,
            "The form expired or came from another site. Please try again.",
            title="Please try again",
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        messages = {
            401: "Please sign in or use a valid token.",
            403: "You do not have access to this page.",
            404: "There is nothing here.",
            405: "That method is not allowed here.",
            413: "That is larger than we accept.",
            429: "Too many attempts. Please wait a minute and try again.",
        }
        code = exc.code or 500
        return respond(code, messages.get(code, exc.description or exc.name), title=exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return respond(500, "Something broke on our side. It has been logged; please try again.")
