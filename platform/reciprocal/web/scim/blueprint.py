"""The SCIM surface: one blueprint for /scim/v2. Set once here for every route: CSRF does not
apply (no cookie is read), the identity provider's bearer token (`reciprocal scim token`) is
checked before any view runs, and every refusal is SCIM's error JSON with its status and, where
RFC 7644 names one, its scimType. Every change commits with its audit events."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, json, request, url_for

from ...accounts import scim_tokens
from ...accounts.scim_protocol import ERROR_SCHEMA, ScimError
from ...core.errors import Unauthorized
from ...extensions import csrf, db, limiter
from ..errors import handle_errors

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")
csrf.exempt(bp)
MEDIA_TYPE = "application/scim+json"
LIMIT = "600 per minute"


def scim_json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE, headers=headers)


def answer(status: int, message: str, _title: str) -> Response:
    status = 400 if status == 422 else status
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": message}
    headers = {"WWW-Authenticate": 'Bearer realm="Reciprocal SCIM"'} if status == 401 else {}
    return scim_json(body, status, headers)


handle_errors(bp, answer)


@bp.errorhandler(ScimError)
def _scim_error(exc: ScimError) -> Response:
    db.session.rollback()
    response = answer(exc.status_code, exc.message, "")
    if exc.scim_type:
        body = json.loads(response.get_data())
        response.set_data(json.dumps({**body, "scimType": exc.scim_type}))
    return response


@limiter.limit(LIMIT)
def _count_request() -> None:
    """Counted against the route, before the token is looked up."""


@bp.before_request
def _authenticate() -> None:
    _count_request()
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("send an Authorization: Bearer <SCIM token> header")
    scim_tokens.check(value.strip())
    if db.session.dirty:
        db.session.commit()


def body() -> Any:
    data = request.get_json(silent=True, force=True)
    if data is None:
        raise ScimError(400, "the body is not JSON", "invalidSyntax")
    return data


def location(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def list_response(resources: list[dict[str, Any]], total: int, offset: int) -> Response:
    return scim_json({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": total, "startIndex": offset + 1, "itemsPerPage": len(resources),
        "Resources": resources,
    })
