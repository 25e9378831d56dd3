"""Greenhouse's Assessment Partner API, under /integrations/greenhouse/: a surface of its own,
for one caller with its own protocol. The integration (protocol, keys, operations, the callback)
lives in integrations/greenhouse/; this blueprint only parses, calls `operations` and answers.

Set once here for every route: each call is counted against the route's rate limit, then
carries the organisation's key as the HTTP Basic username (checked before any view runs); CSRF
does not apply; errors are JSON `{"error": message}` (401 for a missing or wrong key, with the
Basic challenge; 404 for an unknown test or test instance; 400 for a body without the
documented shape).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, jsonify, request

from ..extensions import csrf, db, limiter
from ..integrations.greenhouse import keys, operations
from .errors import handle_errors

bp = Blueprint("greenhouse", __name__, url_prefix="/integrations/greenhouse")
csrf.exempt(bp)
# Greenhouse polls test_status for every open test; a busy organisation makes bursts of calls.
LIMIT = "300 per minute"


def answer(status: int, message: str, _title: str) -> Any:
    status = 400 if status == 422 else status
    headers = {"WWW-Authenticate": 'Basic realm="Reciprocal"'} if status == 401 else {}
    return jsonify({"error": message}), status, headers


handle_errors(bp, answer)


@limiter.limit(LIMIT)
def _count_request() -> None:
    """Counted against the request's endpoint, before the key is checked."""


@bp.before_request
def _organisation_key() -> None:
    _count_request()
    g.greenhouse_key = keys.authenticate(request.headers.get("Authorization"))


@bp.get("/list_tests")
def list_tests() -> Any:
    return jsonify(operations.list_tests())


@bp.post("/send_test")
def send_test() -> Any:
    record = operations.send_test(request.get_json(silent=True), g.greenhouse_key)
    sent = {"partner_interview_id": record.partner_interview_id}
    db.session.commit()
    return jsonify(sent)


@bp.get("/test_status")
def test_status() -> Any:
    record = operations.by_interview_id(request.args.get("partner_interview_id"))
    return jsonify(operations.test_status(record))


@bp.post("/response_error")
def response_error() -> Any:
    operations.record_response_error(request.get_json(silent=True), g.greenhouse_key)
    db.session.commit()
    return jsonify({"status": 200})
