"""The staff session: Flask's signed cookie, with its signing serializer built once, and the
signed-in user it carries (Flask-Login).

Flask builds a new serializer (keys, salt, signer settings) each time it opens a session, that is
on every request, including the API's and the candidates' that carry no cookie at all. It
depends only on the secret key, the fallback keys and the interface's settings, so one is kept
per application and built again only if the keys change.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from ..accounts import operations as users
from ..extensions import login_manager
from ..models import User

_EXTENSION = "reciprocal.session_serializer"


class SessionInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys: tuple[Any, ...] = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = app.extensions.get(_EXTENSION)
        if cached is not None and cached[0] == keys:
            return cached[1]  # type: ignore[no-any-return]
        serializer = super().get_signing_serializer(app)
        app.extensions[_EXTENSION] = (keys, serializer)
        return serializer


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)


def _load_user(session_id: str) -> User | None:
    return users.load_session_user(session_id)
