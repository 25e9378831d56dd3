"""A role's review panel (recruiters and admins): who sits on it, their open reviews, who is
away, and how many reviewers each submission gets."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...accounts import operations as users
from ...candidates import roles
from ...extensions import db
from ...review import panels
from .blueprint import DECIDERS, bp, roles_required


@bp.route("/roles/<int:role_id>/panel", methods=["GET", "POST"])
@roles_required(*DECIDERS)
def panel(role_id: int) -> Any:
    role = roles.find_role(role_id)
    if request.method == "POST":
        reviewer = users.get(request.form.get("reviewer_id", type=int) or 0)
        if request.form.get("action") == "remove":
            panels.remove_member(role, reviewer, actor=current_user)
            flash(f"{reviewer.display_name} left the panel.", "info")
        else:
            panels.add_member(role, reviewer, actor=current_user)
            flash(f"{reviewer.display_name} joined the panel.", "info")
        db.session.commit()
        return redirect(url_for("staff.panel", role_id=role.id))
    members = panels.members(role)
    return render_template(
        "review/panel.html",
        role=role,
        members=members,
        load=panels.open_reviews(),
        away={m.id for m in members if panels.is_away(m)},
        others=[u for u in users.list_users()
                if u.role in ("reviewer", "admin") and u.active and u not in members],
        per_submission=panels.per_submission(),
    )
