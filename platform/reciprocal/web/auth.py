"""Staff login and logout, and the role guard used by staff views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ..accounts import operations as users
from ..extensions import db, limiter, login_manager
from ..models import User

bp = Blueprint("auth", __name__)
F = TypeVar("F", bound=Callable[..., Any])


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load(session_id: str) -> User | None:
        return users.load_session_user(session_id)


def roles_required(*roles: str) -> Callable[[F], F]:
    """Only signed-in staff with one of these roles; others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user: User) -> str:
    if user.role == "reviewer":
        return url_for("recruiter.review_queue")
    return url_for("recruiter.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            db.session.commit()
            flash("That email and password do not match an active account.", "error")
            return render_template("auth/login.html", form=form), 401
        session.clear()  # a fresh session at login: nothing from before survives
        login_user(user)
        db.session.commit()
        return redirect(_safe_next(request.args.get("next")) or home_for(user))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
