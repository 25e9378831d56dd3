"""Single sign-on (OpenID Connect): the way out to the provider and the way back. Every failure
is a page saying what went wrong, kept for the admin page and in the audit log."""

from __future__ import annotations

import logging
from typing import Any

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import login_user

from ...accounts import oidc
from ...core import audit
from ...extensions import db, limiter
from .blueprint import bp, public
from .login import home_for, safe_next

log = logging.getLogger(__name__)


def _redirect_uri() -> str:
    return str(current_app.config["BASE_URL"]) + url_for("staff.sso_callback")


def _failed(failure: oidc.SignInFailed) -> Any:
    db.session.rollback()
    oidc.record_failure(failure)
    db.session.commit()
    return render_template("auth/sso_failed.html", failure=failure), 400


@bp.get("/login/sso")
@public
@limiter.limit("20 per minute")
def sso_start() -> Any:
    if not oidc.configured():
        abort(404)
    try:
        target, pending = oidc.begin(_redirect_uri())
    except oidc.SignInFailed as failure:
        return _failed(failure)
    pending["next"] = safe_next(request.args.get("next"))
    session["oidc"] = pending
    return redirect(target)


@bp.get("/login/sso/callback")
@public
@limiter.limit("20 per minute")
def sso_callback() -> Any:
    if not oidc.configured():
        abort(404)
    pending = session.pop("oidc", None)
    try:
        who = oidc.finish(request.args.to_dict(), pending, _redirect_uri())
        user = oidc.account_for(who)
    except oidc.SignInFailed as failure:
        return _failed(failure)
    except Exception:  # never a 500 for a sign-in: the page names the step, the log the cause
        log.exception("single sign-on failed unexpectedly")
        return _failed(oidc.SignInFailed("internal", "Something unexpected went wrong while "
                                                     "signing you in; the log has the details."))
    session.clear()  # a fresh session at login: nothing from before survives
    login_user(user)
    audit.record("auth.login", actor=user, subject=user, method="single sign-on")
    db.session.commit()
    return redirect((pending or {}).get("next") or home_for(user))
