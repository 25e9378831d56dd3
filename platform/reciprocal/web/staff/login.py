"""The door: the home page, sign-in (a fresh session at login, rate-limited) and sign-out."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from ...accounts import oidc, two_factor
from ...accounts import operations as users
from ...core import audit
from ...extensions import db, limiter
from ...models import User
from .blueprint import bp, public


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=500)])


def safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user: User) -> str:
    if user.role == "reviewer":
        return url_for("staff.review_queue")
    return url_for("staff.dashboard")


@bp.get("/")
@public
def index() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    return render_template("home.html")


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    shown = {"sso": oidc.configured(), "require_sso": current_app.config.get("REQUIRE_SSO")}
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        if not users.password_allowed(email):
            audit.record("auth.login_failed", actor_kind="anonymous", email=email,
                         reason="single sign-on required")
            db.session.commit()
            flash("Passwords are turned off here: sign in with single sign-on.", "error")
            return render_template("auth/login.html", form=form, **shown), 403
        user = users.authenticate(email, form.password.data or "")
        if user is None:
            db.session.commit()
            flash("That email and password do not match an active account.", "error")
            return render_template("auth/login.html", form=form, **shown), 401
        target = safe_next(request.args.get("next"))
        session.clear()  # a fresh session at login: nothing from before survives
        if two_factor.required_for(user):
            session["two_factor"] = {"user": user.get_id(), "next": target, "tries": 0}
            db.session.commit()
            return redirect(url_for("staff.two_factor"))
        login_user(user)
        db.session.commit()
        return redirect(target or home_for(user))
    return render_template("auth/login.html", form=form, **shown)


@bp.post("/logout")
@public
def logout() -> Any:
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("staff.login"))
