"""The admin's sign-in page: what single sign-on and two-factor settings are in force (read-only:
they are settings of the installation), the last single sign-on failures, and each account's
second factor, with a reset for a lost authenticator."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ...accounts import oidc, two_factor
from ...accounts import operations as users
from ...extensions import db
from .blueprint import bp, roles_required


def _configuration() -> list[tuple[str, str]]:
    config = current_app.config
    groups = config.get("OIDC_GROUPS_CLAIM") or ""
    return [
        ("Single sign-on", "configured" if oidc.configured() else "not configured"),
        ("Discovery URL", config.get("OIDC_DISCOVERY_URL") or "—"),
        ("Client id", config.get("OIDC_CLIENT_ID") or "—"),
        ("Client secret", "set" if config.get("OIDC_CLIENT_SECRET") else "not set"),
        ("Redirect URI", config["BASE_URL"] + url_for("staff.sso_callback")),
        ("Accounts at first sign-in for",
         ", ".join(config.get("OIDC_ALLOWED_DOMAINS") or []) or "nobody (invitation only)"),
        ("Default role of those accounts", config.get("OIDC_DEFAULT_ROLE") or "—"),
        ("Group claim", groups or "— (roles are not taken from groups)"),
        ("Group to role", ", ".join(config.get("OIDC_GROUP_ROLES") or []) or "—"),
        ("Single sign-on required for staff", "yes" if config.get("REQUIRE_SSO") else "no"),
        ("Break-glass admin", config.get("BREAK_GLASS_EMAIL") or "—"),
        ("Two-factor required for password accounts",
         "yes" if config.get("REQUIRE_TWO_FACTOR") else "no"),
    ]


@bp.get("/admin/sign-in")
@roles_required("admin")
def sign_in_settings() -> Any:
    return render_template("admin/sign_in.html", configuration=_configuration(),
                           failures=oidc.recent_failures(), accounts=users.list_users())


@bp.post("/admin/users/<int:user_id>/two-factor/reset")
@roles_required("admin")
def reset_two_factor(user_id: int) -> Any:
    user = users.get(user_id)
    two_factor.reset(user, actor=current_user)
    db.session.commit()
    flash(f"Two-factor sign-in reset for {user.email}: they set it up again at next sign-in.",
          "info")
    return redirect(url_for("staff.sign_in_settings"))
