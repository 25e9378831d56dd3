"""The hiring team's funnel report: the page with its charts and tables, and its CSV."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request

from ...candidates import roles
from ...reports import export
from ..rendering import charts
from .blueprint import DECIDERS, bp, roles_required


@bp.get("/reports/funnel")
@roles_required(*DECIDERS)
def funnel_report() -> Any:
    period = export.period_from(request.args.to_dict())
    data = export.report(period)
    return render_template(
        "reports/funnel.html", report=data, charts=charts.funnel(data),
        roles=roles.list_roles(), args=request.args,
    )


@bp.get("/reports/funnel.csv")
@roles_required(*DECIDERS)
def funnel_csv() -> Any:
    data = export.report(export.period_from(request.args.to_dict()))
    return Response(export.to_csv(data), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=funnel.csv"})
