"""The partner endpoints Greenhouse calls, under /integrations/greenhouse/ (thin: parse, call
`operations`, answer JSON). Every call carries the organisation's key as the HTTP Basic
username; errors are JSON `{"error": message}` (401 for a missing or wrong key, 404 for an
unknown test or test instance, 400 for a body without the documented shape)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, g, jsonify, request

from ...core.errors import ReciprocalError
from ...extensions import csrf, db, limiter
from . import keys, operations

bp = Blueprint("greenhouse", __name__, url_prefix="/integrations/greenhouse")
csrf.exempt(bp)
# Greenhouse polls test_status for every open test; a busy organisation makes bursts of calls.
LIMIT = "300 per minute"


def greenhouse_key(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        g.greenhouse_key = keys.authenticate(request.headers.get("Authorization"))
        return view(*args, **kwargs)

    return wrapped


@bp.errorhandler(ReciprocalError)
def _refused(exc: ReciprocalError) -> Any:
    db.session.rollback()
    status = 400 if exc.status_code == 422 else exc.status_code
    headers = {"WWW-Authenticate": 'Basic realm="Reciprocal"'} if status == 401 else {}
    return jsonify({"error": exc.message}), status, headers


@bp.get("/list_tests")
@limiter.limit(LIMIT)
@greenhouse_key
def list_tests() -> Any:
    return jsonify(operations.list_tests())


@bp.post("/send_test")
@limiter.limit(LIMIT)
@greenhouse_key
def send_test() -> Any:
    record = operations.send_test(request.get_json(silent=True), g.greenhouse_key)
    answer = {"partner_interview_id": record.partner_interview_id}
    db.session.commit()
    return jsonify(answer)


@bp.get("/test_status")
@limiter.limit(LIMIT)
@greenhouse_key
def test_status() -> Any:
    record = operations.by_interview_id(request.args.get("partner_interview_id"))
    return jsonify(operations.test_status(record))


@bp.post("/response_error")
@limiter.limit(LIMIT)
@greenhouse_key
def response_error() -> Any:
    operations.record_response_error(request.get_json(silent=True), g.greenhouse_key)
    db.session.commit()
    return jsonify({"status": 200})
