"""The fairness report (admins only; every view of it is audited) and the self-identification
questions candidates may answer, which admins configure."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...candidates import roles, self_id
from ...core import audit
from ...core.errors import ReciprocalError
from ...extensions import db
from ...reports import export, fairness
from .blueprint import bp, roles_required


def _viewed(kind: str) -> dict[str, Any]:
    """The report for the request's period, with the audit event of this view added (the
    view commits it once the answer is made, so the page renders from what it was given)."""
    period = export.period_from(request.args.to_dict())
    data = fairness.report(period, current_app.config["FAIRNESS_MIN_COUNT"])
    audit.record("report.fairness_viewed", actor=current_user, format=kind,
                 start=data["period"]["start"], end=data["period"]["end"],
                 role_id=period.role_id)
    return data


@bp.get("/reports/fairness")
@roles_required("admin")
def fairness_report() -> Any:
    page = render_template("reports/fairness.html", report=_viewed("page"),
                           roles=roles.list_roles(), args=request.args)
    db.session.commit()
    return page


@bp.get("/reports/fairness.csv")
@roles_required("admin")
def fairness_csv() -> Any:
    text = fairness.to_csv(_viewed("csv"))
    db.session.commit()
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=fairness.csv"})


@bp.route("/admin/self-identification", methods=["GET", "POST"])
@roles_required("admin")
def self_id_questions() -> Any:
    form = request.form if request.method == "POST" else {}
    if request.method == "POST":
        try:
            self_id.add_question(form.get("key", ""), form.get("prompt", ""),
                                 form.get("options", ""), actor=current_user)
        except ReciprocalError as exc:
            db.session.rollback()
            flash(exc.message[:1].upper() + exc.message[1:] + ".", "error")
            return render_template("admin/self_id.html", questions=self_id.questions(),
                                   prefer_not=self_id.PREFER_NOT, form=form), 422
        db.session.commit()
        flash("Question added: candidates see it on their page from now on.", "info")
        return redirect(url_for("staff.self_id_questions"))
    return render_template("admin/self_id.html", questions=self_id.questions(),
                           prefer_not=self_id.PREFER_NOT, form=form)


@bp.post("/admin/self-identification/<int:question_id>/remove")
@roles_required("admin")
def remove_self_id_question(question_id: int) -> Any:
    self_id.remove_question(question_id, actor=current_user)
    db.session.commit()
    flash("Question removed, with every answer to it.", "info")
    return redirect(url_for("staff.self_id_questions"))
