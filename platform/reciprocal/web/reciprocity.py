"""The public reciprocity report at /reciprocity (a page) and /reciprocity.json: anyone may
read it once the operator switched it on (RECIPROCAL_PUBLIC_REPORT); otherwise both are 404.
Aggregates only, cached (reports/public.py), and cacheable by browsers and proxies."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, render_template

from ..extensions import csrf
from ..reports import public

bp = Blueprint("reciprocity", __name__)
csrf.exempt(bp)


def _report() -> dict[str, Any]:
    if not current_app.config["PUBLIC_REPORT"]:
        abort(404)
    return public.cached(current_app.config["PUBLIC_REPORT_MIN_COUNT"],
                         current_app.config["PUBLIC_REPORT_CACHE_SECONDS"])


def _cacheable(response: Any) -> Any:
    response.headers["Cache-Control"] = (
        f"public, max-age={current_app.config['PUBLIC_REPORT_CACHE_SECONDS']}")
    response.headers["Access-Control-Allow-Origin"] = "*"  # a careers page may fetch it
    return response


@bp.get("/reciprocity")
def page() -> Any:
    report = _report()
    return _cacheable(current_app.make_response(render_template(
        "reports/reciprocity.html", report=report,
        company=current_app.config.get("PUBLIC_REPORT_COMPANY") or "")))


@bp.get("/reciprocity.json")
def as_json() -> Any:
    return _cacheable(jsonify(_report()))
