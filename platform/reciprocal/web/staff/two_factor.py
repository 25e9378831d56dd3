"""The second step of a password sign-in: the authenticator code (or a recovery code), and
enrolling an authenticator, either by a signed-in account or right after the password when
admins require two-factor for every password account."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from ...accounts import operations as users
from ...accounts import two_factor as totp
from ...extensions import db, limiter
from ...models import User
from .blueprint import bp, public
from .login import home_for

MAX_TRIES = 5


def _pending() -> User | None:
    """The account whose password was right and whose second step is due, if any."""
    pending = session.get("two_factor")
    return users.load_session_user(pending["user"]) if pending else None


def _finish(user: User) -> Any:
    target = session.get("two_factor", {}).get("next")
    session.clear()
    login_user(user)
    return target or home_for(user)


@bp.route("/login/two-factor", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def two_factor() -> Any:
    user = _pending()
    if user is None:
        return redirect(url_for("staff.login"))
    if not user.totp_enabled:
        return redirect(url_for("staff.two_factor_setup"))
    if request.method == "POST":
        if totp.verify(user, request.form.get("code", "")):
            target = _finish(user)
            db.session.commit()
            return redirect(target)
        db.session.commit()
        pending = session["two_factor"]
        pending["tries"] = pending.get("tries", 0) + 1
        session.modified = True
        if pending["tries"] >= MAX_TRIES:
            session.clear()
            flash("Too many wrong codes: please sign in again.", "error")
            return redirect(url_for("staff.login"))
        flash("That code is not right. Try the current code, or a recovery code.", "error")
        return render_template("auth/two_factor.html"), 401
    return render_template("auth/two_factor.html")


@bp.route("/login/two-factor/setup", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def two_factor_setup() -> Any:
    signed_in = current_user.is_authenticated
    # The account itself, not the proxy: the session is cleared and signed in anew below.
    user = current_user._get_current_object() if signed_in else _pending()
    if user is None:
        return redirect(url_for("staff.login"))
    if user.totp_enabled:
        flash("Two-factor sign-in is already on for this account.", "info")
        return redirect(home_for(user) if signed_in else url_for("staff.two_factor"))
    secret = totp.pending_secret(user)
    if secret is None:
        secret = totp.start_enrolment(user)
        db.session.commit()
    if request.method == "POST":
        codes = totp.confirm_enrolment(user, request.form.get("code", ""))
        if codes is not None:
            target = _finish(user)  # a fresh session: the account's old sessions have ended
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
        db.session.commit()
        flash("That code is not right: check the clock of the device and try the next code.",
              "error")
    uri = totp.provisioning_uri(user, secret)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/two_factor_setup.html", secret=secret, uri=uri,
                           qr=totp.qr_svg(uri), required=not signed_in), status
