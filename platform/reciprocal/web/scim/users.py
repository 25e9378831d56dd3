"""/scim/v2/Users: list (filter, pagination), create, read, replace, patch, delete."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, request

from ...accounts import provisioning
from ...accounts.scim_protocol import (
    USER_SCHEMA,
    ScimError,
    apply_patch,
    page,
    parse_filter,
    project,
    user_fields,
)
from ...extensions import db
from ...models import User
from .blueprint import body, bp, list_response, location, scim_json

FILTERABLE = ("userName", "externalId", "id", "emails", "emails.value")


def resource(user: User) -> dict[str, Any]:
    """The User as SCIM shows it; the password is never shown."""
    data: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "id": str(user.id),
        "userName": provisioning.scim_user_name(user),
        "name": {"formatted": user.name} if user.name else {},
        "displayName": user.display_name,
        "emails": [{"value": user.email}],
        "active": user.active,
        "groups": [{"value": user.role, "display": user.role.capitalize(),
                    "$ref": location("scim.group", group_id=user.role)}],
        "meta": {"resourceType": "User", "created": user.created_at.isoformat(),
                 "location": location("scim.user", user_id=user.id)},
    }
    if user.external_id:
        data["externalId"] = user.external_id
    if not data["name"]:
        del data["name"]
    return data


def _one(user: User, status: int = 200) -> Response:
    shown = resource(user)
    return scim_json(shown, status, {"Location": shown["meta"]["location"]})


def _listed(query: Mapping[str, Any]) -> Response:
    where = parse_filter(query.get("filter"), FILTERABLE)
    offset, limit = page(query.get("startIndex"), query.get("count"))
    total, found = provisioning.find(where, offset, limit)
    return list_response([project(resource(u), query) for u in found], total, offset)


@bp.get("/Users")
def user_list() -> Response:
    return _listed(request.args)


@bp.post("/Users/.search")
def user_search() -> Response:
    query = body()
    if not isinstance(query, dict):
        raise ScimError(400, "a search is a SearchRequest object", "invalidSyntax")
    return _listed({k: str(v) if isinstance(v, int) else v for k, v in query.items()})


@bp.post("/Users")
def user_create() -> Response:
    user = provisioning.create(user_fields(body()))
    db.session.commit()
    return _one(user, 201)


@bp.get("/Users/<user_id>")
def user(user_id: str) -> Response:
    user = provisioning.get(user_id)
    return scim_json(project(resource(user), request.args))


@bp.put("/Users/<user_id>")
def user_replace(user_id: str) -> Response:
    user = provisioning.replace(provisioning.get(user_id), user_fields(body()))
    db.session.commit()
    return _one(user)


@bp.patch("/Users/<user_id>")
def user_patch(user_id: str) -> Response:
    user = provisioning.get(user_id)
    current = resource(user)
    del current["displayName"]  # shown, not stored: name.formatted is what a patch changes
    patched = apply_patch(current, body())
    provisioning.replace(user, user_fields(patched))
    db.session.commit()
    return _one(user)


@bp.delete("/Users/<user_id>")
def user_delete(user_id: str) -> Response:
    provisioning.delete(provisioning.get(user_id))
    db.session.commit()
    return Response(status=204)
