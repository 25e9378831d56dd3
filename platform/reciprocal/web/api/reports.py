"""The funnel report over the API: the same figures as the staff page, as JSON."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from ...reports import export
from .blueprint import DECIDERS, bp, roles_required


@bp.get("/reports/funnel")
@roles_required(*DECIDERS)
def funnel_report() -> Any:
    return jsonify(export.report(export.period_from(request.args.to_dict())))
