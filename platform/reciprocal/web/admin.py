"""Admin pages: staff accounts and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..accounts import operations as users
from ..assignments import operations as assignments
from ..core import audit
from ..core.errors import ReciprocalError
from ..extensions import db
from .auth import roles_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
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
        return redirect(url_for("admin.user_list"))
    return render_template("admin/users.html", users=users.list_users(), form={})


@bp.post("/users/<int:user_id>/active")
@roles_required("admin")
def set_active(user_id: int) -> Any:
    user = users.get(user_id)
    users.set_active(user, request.form.get("active") == "yes", actor=current_user)
    db.session.commit()
    return redirect(url_for("admin.user_list"))


@bp.get("/audit")
@roles_required("admin")
def audit_log() -> Any:
    return render_template("admin/audit.html", events=audit.recent())


@bp.route("/assignments", methods=["GET", "POST"])
@roles_required("admin")
def assignment_list() -> Any:
    report = None
    if request.method == "POST":
        report = assignments.sync_all(actor=current_user)
        db.session.commit()
    return render_template(
        "admin/assignments.html", assignments=assignments.list_assignments(), report=report
    )
