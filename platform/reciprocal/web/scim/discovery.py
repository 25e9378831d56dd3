"""ServiceProviderConfig, Schemas and ResourceTypes: what this server supports, published only
as far as it is true (the attributes listed are exactly those stored and shown)."""

from __future__ import annotations

from typing import Any

from flask import Response

from ...accounts.scim_protocol import GROUP_SCHEMA, MAX_RESULTS, USER_SCHEMA, ScimError
from .blueprint import bp, list_response, location, scim_json

SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"


def _attr(name: str, kind: str = "string", *, mutability: str = "readWrite",
          required: bool = False, multi: bool = False, uniqueness: str = "none",
          returned: str = "default", sub: list[dict[str, Any]] | None = None,
          refs: list[str] | None = None) -> dict[str, Any]:
    attr: dict[str, Any] = {
        "name": name, "type": kind, "multiValued": multi, "description": name,
        "required": required, "caseExact": False, "mutability": mutability,
        "returned": returned, "uniqueness": uniqueness,
    }
    if sub is not None:
        attr["subAttributes"] = sub
    if refs is not None:
        attr["referenceTypes"] = refs
    return attr


USER_ATTRIBUTES = [
    _attr("userName", required=True, uniqueness="server"),
    _attr("name", "complex", sub=[_attr("formatted")]),
    _attr("displayName", mutability="readOnly"),
    _attr("emails", "complex", multi=True, required=True, sub=[_attr("value", required=True)]),
    _attr("active", "boolean", required=True),
    _attr("password", mutability="writeOnly", returned="never"),
    _attr("groups", "complex", multi=True, mutability="readOnly", sub=[
        _attr("value", mutability="readOnly"), _attr("display", mutability="readOnly"),
        _attr("$ref", "reference", mutability="readOnly", refs=["Group"])]),
]
GROUP_ATTRIBUTES = [
    _attr("displayName", required=True, mutability="readOnly"),
    _attr("members", "complex", multi=True, sub=[
        _attr("value", mutability="immutable"), _attr("display", mutability="readOnly"),
        _attr("$ref", "reference", mutability="immutable", refs=["User"])]),
]
SCHEMAS = {
    USER_SCHEMA: ("User", "A staff account", USER_ATTRIBUTES),
    GROUP_SCHEMA: ("Group", "A staff role: admin, recruiter or reviewer", GROUP_ATTRIBUTES),
}


def _schema(urn: str) -> dict[str, Any]:
    name, description, attributes = SCHEMAS[urn]
    return {"schemas": [SCHEMA_SCHEMA], "id": urn, "name": name, "description": description,
            "attributes": attributes,
            "meta": {"resourceType": "Schema", "location": location("scim.schema", urn=urn)}}


def _resource_type(name: str) -> dict[str, Any]:
    urn = USER_SCHEMA if name == "User" else GROUP_SCHEMA
    return {"schemas": [RESOURCE_TYPE_SCHEMA], "id": name, "name": name,
            "endpoint": f"/{name}s", "description": SCHEMAS[urn][1], "schema": urn,
            "meta": {"resourceType": "ResourceType",
                     "location": location("scim.resource_type", name=name)}}


@bp.get("/ServiceProviderConfig")
def service_provider_config() -> Response:
    return scim_json({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://github.com/reciprocal/reciprocal/blob/main/docs/production.md",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": True},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [{
            "type": "oauthbearertoken", "name": "Bearer token", "primary": True,
            "description": "The token `reciprocal scim token` prints (one live at a time).",
        }],
        "meta": {"resourceType": "ServiceProviderConfig",
                 "location": location("scim.service_provider_config")},
    })


@bp.get("/Schemas")
def schema_list() -> Response:
    found = [_schema(urn) for urn in SCHEMAS]
    return list_response(found, len(found), 0)


@bp.get("/Schemas/<path:urn>")
def schema(urn: str) -> Response:
    if urn not in SCHEMAS:
        raise ScimError(404, f"no schema {urn}")
    return scim_json(_schema(urn))


@bp.get("/ResourceTypes")
def resource_type_list() -> Response:
    found = [_resource_type(name) for name in ("User", "Group")]
    return list_response(found, len(found), 0)


@bp.get("/ResourceTypes/<name>")
def resource_type(name: str) -> Response:
    if name not in {"User", "Group"}:
        raise ScimError(404, f"no resource type {name}")
    return scim_json(_resource_type(name))


@bp.post("/.search")
def search_everything() -> Response:
    raise ScimError(501, "search one resource type at a time: POST /Users/.search")
