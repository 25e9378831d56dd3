"""/scim/v2/Groups: one group per staff role (admin, recruiter, reviewer); their members can be
read, replaced and patched. Groups themselves are fixed: creating or deleting one is refused."""

from __future__ import annotations

from typing import Any

from flask import Response, request

from ...accounts import provisioning
from ...accounts.scim_protocol import GROUP_SCHEMA, ScimError, apply_patch, page, parse_filter
from ...extensions import db
from ...models import StaffRole
from .blueprint import body, bp, list_response, location, scim_json

FILTERABLE = ("displayName", "id")


def resource(group: StaffRole) -> dict[str, Any]:
    return {
        "schemas": [GROUP_SCHEMA],
        "id": group.value,
        "displayName": group.value.capitalize(),
        "members": [{"value": str(u.id), "display": u.display_name,
                     "$ref": location("scim.user", user_id=u.id)}
                    for u in provisioning.members(group)],
        "meta": {"resourceType": "Group", "location": location("scim.group", group_id=group.value)},
    }


def _member_ids(data: Any) -> list[str]:
    members = data.get(next((k for k in data if k.lower() == "members"), "members")) or []
    if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
        raise ScimError(400, "members is a list of objects", "invalidValue")
    return [str(m.get("value", "")) for m in members]


@bp.get("/Groups")
def group_list() -> Response:
    where = parse_filter(request.args.get("filter"), FILTERABLE)
    offset, limit = page(request.args.get("startIndex"), request.args.get("count"))
    groups = [g for g in StaffRole if where is None
              or where.value.lower() == g.value]
    return list_response([resource(g) for g in groups[offset:offset + limit]], len(groups), offset)


@bp.get("/Groups/<group_id>")
def group(group_id: str) -> Response:
    return scim_json(resource(provisioning.role(group_id)))


def _set(group: StaffRole, data: Any) -> Response:
    provisioning.set_members(group, _member_ids(data))
    db.session.commit()
    return scim_json(resource(group))


@bp.put("/Groups/<group_id>")
def group_replace(group_id: str) -> Response:
    return _set(provisioning.role(group_id), body())


@bp.patch("/Groups/<group_id>")
def group_patch(group_id: str) -> Response:
    group = provisioning.role(group_id)
    return _set(group, apply_patch(resource(group), body()))


@bp.post("/Groups")
def group_create() -> Response:
    raise ScimError(501, "groups are the staff roles (admin, recruiter, reviewer) and are fixed; "
                         "map your groups to them")


@bp.delete("/Groups/<group_id>")
def group_delete(group_id: str) -> Response:
    provisioning.role(group_id)
    raise ScimError(501, "the staff roles' groups cannot be deleted")
