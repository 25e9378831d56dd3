"""Admin pages: staff accounts, API tokens, the assignment library (sync, re-scores on fixed
hidden tests) and the audit log."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...accounts import api_tokens, provisioning, scim_tokens
from ...accounts import operations as users
from ...assignments import ai_policy
from ...assignments import operations as assignments
from ...core import audit, health
from ...core.errors import ReciprocalError
from ...extensions import db
from ...grading import rescore
from ...models import utcnow
from .blueprint import bp, roles_required


@bp.route("/admin/users", methods=["GET", "POST"])
@roles_required("admin")
def user_list() -> Any:
    if request.method == "POST":
        form = request.form
        try:
            user = users.create_user(
                form.get("email", ""),
                form.get("role", ""),
                form.get("password", ""),
                name=form.get("name", ""),
                actor=current_user,
            )
        except ReciprocalError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return render_template("admin/users.html", users=users.list_users(), form=form), 422
        db.session.commit()
        flash(f"Account created for {user.email}.", "info")
        return redirect(url_for("staff.user_list"))
    return render_template("admin/users.html", users=users.list_users(), form={})


@bp.post("/admin/users/<int:user_id>/active")
@roles_required("admin")
def set_active(user_id: int) -> Any:
    user = users.get(user_id)
    provisioning.set_active(user, request.form.get("active") == "yes", actor=current_user)
    db.session.commit()
    return redirect(url_for("staff.user_list"))


@bp.post("/admin/users/<int:user_id>/author")
@roles_required("admin")
def set_author(user_id: int) -> Any:
    user = users.get(user_id)
    users.set_assignment_author(user, request.form.get("allowed") == "yes", actor=current_user)
    db.session.commit()
    flash(f"{user.email} {'may now' if user.can_author_assignments else 'may no longer'} "
          "author assignments.", "info")
    return redirect(url_for("staff.user_list"))


def _tokens_page(new_token: str | None = None, form: Any = None, status: int = 200,
                 new_scim_token: str | None = None) -> Any:
    page = render_template("admin/tokens.html", tokens=api_tokens.all_tokens(), now=utcnow(),
                           users=[u for u in users.list_users() if u.active], new_token=new_token,
                           form=form or {}, default_days=current_app.config["API_TOKEN_DAYS"],
                           scim_token=scim_tokens.live(), new_scim_token=new_scim_token)
    return page, status


@bp.route("/admin/tokens", methods=["GET", "POST"])
@roles_required("admin")
def token_list() -> Any:
    """The plain value of a new token is shown on this one response only."""
    if request.method == "GET":
        return _tokens_page()
    form = request.form
    try:
        days = int(form.get("days", "").strip() or current_app.config["API_TOKEN_DAYS"])
        _token, plain = api_tokens.create(users.get(int(form.get("user_id", "0") or 0)),
                                          form.get("name", ""), days=days, actor=current_user)
    except ValueError:
        flash("The lifetime must be a whole number of days.", "error")
        return _tokens_page(form=form, status=422)
    except ReciprocalError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _tokens_page(form=form, status=422)
    db.session.commit()
    return _tokens_page(new_token=plain)


@bp.post("/admin/tokens/<int:token_id>/revoke")
@roles_required("admin")
def revoke_token(token_id: int) -> Any:
    token = api_tokens.get(token_id)
    if api_tokens.revoke(token, actor=current_user):
        flash(f"Token {token.id} ({token.name or token.user.email}) is revoked.", "info")
    db.session.commit()
    return redirect(url_for("staff.token_list"))


@bp.post("/admin/scim-token")
@roles_required("admin")
def scim_token() -> Any:
    """A new SCIM token, shown on this one response only; the previous one stops working."""
    if request.form.get("revoke") == "yes":
        scim_tokens.revoke_all(actor=current_user)
        db.session.commit()
        flash("SCIM provisioning is off: the token is revoked.", "info")
        return redirect(url_for("staff.token_list"))
    plain = scim_tokens.rotate(actor=current_user)
    db.session.commit()
    return _tokens_page(new_scim_token=plain)


@bp.get("/admin/audit")
@roles_required("admin")
def audit_log() -> Any:
    return render_template("admin/audit.html", events=audit.recent())


@bp.route("/admin/assignments", methods=["GET", "POST"])
@roles_required("admin")
def assignment_list() -> Any:
    report = None
    if request.method == "POST":
        report = assignments.sync_all(actor=current_user)
        db.session.commit()
    listed = assignments.list_assignments()
    return render_template(
        "admin/assignments.html", assignments=listed, report=report,
        policies={a.id: ai_policy.make(a.ai_use, a.ai_policy_text) for a in listed},
        runtime=health.grading_runtime(), offers=rescore.offers(),
        builds=health.environment_builds(),
    )


@bp.post("/admin/assignments/<slug>/rescore")
@roles_required("admin")
def rescore_start(slug: str) -> Any:
    batch = rescore.start_preview(assignments.get_by_slug(slug), actor=current_user)
    db.session.commit()
    return redirect(url_for("staff.rescore_show", rescore_id=batch.id))


@bp.get("/admin/rescores/<int:rescore_id>")
@roles_required("admin")
def rescore_show(rescore_id: int) -> Any:
    return render_template("admin/rescore.html",
                           batch=rescore.serialise(rescore.get(rescore_id)))


@bp.post("/admin/rescores/<int:rescore_id>/confirm")
@roles_required("admin")
def rescore_confirm(rescore_id: int) -> Any:
    rescore.confirm(rescore.get(rescore_id), actor=current_user)
    db.session.commit()
    flash("The re-scored results are current; reviewers and candidates were told.", "info")
    return redirect(url_for("staff.rescore_show", rescore_id=rescore_id))
