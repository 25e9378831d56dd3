"""What the platform sends, for admins: the outbox (with a retry), the message templates and the
webhooks with their recent deliveries."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.errors import ReciprocalError
from ...extensions import db
from ...notify import mail, webhooks
from ...outcomes import composer
from ...outcomes import operations as outcomes
from .blueprint import bp, roles_required
from .outcomes import refused


@bp.get("/outcomes/outbox")
@roles_required("admin")
def outbox() -> Any:
    return render_template(
        "outcomes/outbox.html", messages=mail.listing(), smtp=mail.smtp_configured()
    )


@bp.post("/outcomes/messages/<int:message_id>/retry")
@roles_required("admin")
def retry_message(message_id: int) -> Any:
    try:
        mail.retry(mail.get(message_id), actor=current_user)
    except ReciprocalError as exc:
        return refused(exc, url_for("staff.outbox"))
    db.session.commit()
    flash("The message will be sent again in a moment.", "info")
    return redirect(url_for("staff.outbox"))


@bp.get("/outcomes/templates")
@roles_required("admin")
def template_list() -> Any:
    return render_template(
        "outcomes/templates.html",
        templates=outcomes.templates(),
        defaults=composer.DEFAULT_TEMPLATES,
    )


@bp.post("/outcomes/templates/<name>")
@roles_required("admin")
def template_save(name: str) -> Any:
    form = request.form
    here = url_for("staff.template_list") + f"#t-{name}"
    try:
        if form.get("action") == "reset":
            outcomes.reset_template(name, actor=current_user)
        else:
            outcomes.save_template(
                name,
                form.get("subject", ""),
                form.get("text", ""),
                form.get("html", ""),
                actor=current_user,
            )
    except ReciprocalError as exc:
        return refused(exc, here)
    db.session.commit()
    flash(f"Template {name} saved.", "info")
    return redirect(here)


@bp.route("/outcomes/webhooks", methods=["GET", "POST"])
@roles_required("admin")
def webhook_list() -> Any:
    secret = None
    if request.method == "POST":
        try:
            _hook, secret = webhooks.create(
                request.form.get("url", ""), request.form.getlist("events"), actor=current_user
            )
        except ReciprocalError as exc:
            return refused(exc, url_for("staff.webhook_list"))
        db.session.commit()
    return render_template(
        "outcomes/webhooks.html",
        hooks=webhooks.listing(),
        deliveries=webhooks.recent_deliveries(),
        events=webhooks.EVENTS,
        secret=secret,
    )


@bp.post("/outcomes/webhooks/<int:webhook_id>/active")
@roles_required("admin")
def webhook_toggle(webhook_id: int) -> Any:
    webhooks.set_active(
        webhooks.get(webhook_id), request.form.get("active") == "yes", actor=current_user
    )
    db.session.commit()
    return redirect(url_for("staff.webhook_list"))
