"""The funnel and fairness reports over the API: the same figures as the staff pages, as JSON
(the fairness report for admin tokens only, every call audited)."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request

from ...core import audit
from ...extensions import db
from ...reports import export, fairness
from .blueprint import DECIDERS, api_user, bp, roles_required


@bp.get("/reports/funnel")
@roles_required(*DECIDERS)
def funnel_report() -> Any:
    return jsonify(export.report(export.period_from(request.args.to_dict())))


@bp.get("/reports/fairness")
@roles_required("admin")
def fairness_report() -> Any:
    period = export.period_from(request.args.to_dict())
    data = fairness.report(period, current_app.config["FAIRNESS_MIN_COUNT"])
    audit.record("report.fairness_viewed", actor=api_user(), actor_kind="api", format="api",
                 start=data["period"]["start"], end=data["period"]["end"],
                 role_id=period.role_id)
    db.session.commit()
    return jsonify(data)
