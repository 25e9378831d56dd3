"""SCIM 2.0 (RFC 7643/7644) as pure data: the refusals, the filters we answer, PATCH operations
applied to a resource's JSON, and the fields of a User read from a request body. No database.

Attribute names are case-insensitive in SCIM, and identity providers differ in what they send
(Entra ID writes `"op": "Replace"` and `"value": "False"`), so both are normalised here.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

from ..core.errors import ReciprocalError

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
MAX_RESULTS = 200


class ScimError(ReciprocalError):
    """A refusal with SCIM's `scimType` (RFC 7644 §3.12)."""

    def __init__(self, status: int, message: str, scim_type: str = "") -> None:
        super().__init__(message)
        self.status_code = status
        self.scim_type = scim_type


@dataclass(frozen=True)
class Filter:
    """`attribute eq "value"`: the one comparison provisioning clients use to look an account
    up before creating it."""

    attribute: str
    value: str


_FILTER_RE = re.compile(r'^\s*([A-Za-z][\w.:$-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


def parse_filter(text: str | None, allowed: tuple[str, ...]) -> Filter | None:
    """The filter, its attribute one of `allowed` (compared case-insensitively), or None for no
    filter; anything else is refused as `invalidFilter`."""
    if text is None or not text.strip():
        return None
    match = _FILTER_RE.match(text)
    if match is None:
        raise ScimError(400, f'only `attribute eq "value"` filters are supported; got {text!r}',
                        "invalidFilter")
    attribute = match.group(1).split(":")[-1] if ":" in match.group(1) else match.group(1)
    by_lower = {name.lower(): name for name in allowed}
    if attribute.lower() not in by_lower:
        raise ScimError(400, f"filtering on {attribute!r} is not supported; use one of "
                             f"{', '.join(allowed)}", "invalidFilter")
    value = re.sub(r"\\(.)", r"\1", match.group(2))
    return Filter(by_lower[attribute.lower()], value)


def page(start_index: str | None, count: str | None) -> tuple[int, int]:
    """(offset, limit) from 1-based startIndex and count; out-of-range values are clamped as
    RFC 7644 §3.4.2.4 says (startIndex < 1 is 1, a negative count is 0)."""
    try:
        start = int(start_index) if start_index else 1
        wanted = int(count) if count else MAX_RESULTS
    except ValueError:
        raise ScimError(400, "startIndex and count must be integers", "invalidValue") from None
    return max(start, 1) - 1, min(max(wanted, 0), MAX_RESULTS)


ALWAYS_RETURNED = {"schemas", "id"}


def _names(value: Any) -> set[str]:
    """Top-level attribute names from `attributes` / `excludedAttributes` (a comma-separated
    string, or a list in a SearchRequest); `name.formatted` counts as `name`."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    names = set()
    for item in items:
        bare = str(item).strip()
        for schema in (USER_SCHEMA, GROUP_SCHEMA):
            if bare.lower().startswith(schema.lower() + ":"):
                bare = bare[len(schema) + 1:]
        if bare:
            names.add(bare.split(".", 1)[0].lower())
    return names


def project(resource: dict[str, Any], query: Any) -> dict[str, Any]:
    """The resource with only the asked attributes (RFC 7644 §3.9): `attributes` keeps those
    (and id and schemas), `excludedAttributes` drops those (never id or schemas)."""
    wanted = _names(query.get("attributes"))
    unwanted = _names(query.get("excludedAttributes")) - ALWAYS_RETURNED
    return {k: v for k, v in resource.items()
            if (not wanted or k.lower() in wanted or k in ALWAYS_RETURNED)
            and k.lower() not in unwanted}


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise ScimError(400, f"expected a boolean, got {value!r}", "invalidValue")


def _key(resource: dict[str, Any], name: str) -> str:
    """The resource's own spelling of an attribute name (SCIM names are case-insensitive)."""
    return next((k for k in resource if k.lower() == name.lower()), name)


_PATH_RE = re.compile(r'^([A-Za-z$][\w$]*)(?:\[\s*(\w+)\s+eq\s+"([^"]*)"\s*\])?(?:\.(\w+))?$',
                      re.IGNORECASE)


def _split_path(path: str) -> tuple[str, tuple[str, str] | None, str | None]:
    bare = path
    for schema in (USER_SCHEMA, GROUP_SCHEMA):
        if path.lower().startswith(schema.lower() + ":"):
            bare = path[len(schema) + 1:]
    match = _PATH_RE.match(bare.strip())
    if match is None:
        raise ScimError(400, f"the path {path!r} is not supported", "invalidPath")
    attr, filter_attr, filter_value, sub = match.groups()
    return attr, (filter_attr, filter_value) if filter_attr else None, sub


def _matches(item: Any, where: tuple[str, str] | None) -> bool:
    if where is None:
        return True
    return isinstance(item, dict) and str(item.get(_key(item, where[0]))) == where[1]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _apply_one(resource: dict[str, Any], op: str, path: str | None, value: Any) -> None:
    if path is None:
        if not isinstance(value, dict):
            raise ScimError(400, "an operation without a path needs an object value",
                            "invalidValue")
        for name, item in value.items():
            _apply_one(resource, op, name, item)
        return
    attr, where, sub = _split_path(path)
    key = _key(resource, attr)
    current = resource.get(key)
    if op == "remove":
        if where is None and sub is None:
            if value is not None and isinstance(current, list):
                drop = [v.get("value") for v in _as_list(value) if isinstance(v, dict)]
                resource[key] = [i for i in current if i.get("value") not in drop]
            else:
                resource.pop(key, None)
        elif isinstance(current, list):
            kept = [i for i in current if not _matches(i, where)] if sub is None else current
            if sub is not None:
                for item in current:
                    if _matches(item, where):
                        item.pop(_key(item, sub), None)
            resource[key] = kept
        elif isinstance(current, dict) and sub is not None:
            current.pop(_key(current, sub), None)
        return
    if sub is None and where is None:
        if op == "add" and isinstance(current, list):
            known = [i.get("value") if isinstance(i, dict) else i for i in current]
            resource[key] = current + [v for v in _as_list(value) if
                                       (v.get("value") if isinstance(v, dict) else v) not in known]
        elif op == "add" and isinstance(current, dict) and isinstance(value, dict):
            current.update(value)
        else:
            resource[key] = value
        return
    if isinstance(current, list):
        targets = [i for i in current if _matches(i, where)]
        if not targets and where is not None:
            # Entra ID replaces `emails[type eq "work"].value` on accounts that have no such
            # item yet: the item is made, as an add would.
            current.append({where[0]: where[1]})
            targets = current[-1:]
        if not targets:
            targets = [{}]
            resource[key] = targets
        for item in targets:
            if sub is None:
                item.update(value if isinstance(value, dict) else {"value": value})
            else:
                item[_key(item, sub)] = value
    else:
        container = current if isinstance(current, dict) else {}
        if sub is None:
            raise ScimError(400, f"{attr!r} is not multi-valued", "invalidPath")
        container[_key(container, sub)] = value
        resource[key] = container


def apply_patch(resource: dict[str, Any], body: Any) -> dict[str, Any]:
    """The resource after the PatchOp's operations (RFC 7644 §3.5.2), on a copy; what may be
    changed is decided by whoever stores the result."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        raise ScimError(400, "a PATCH body is a PatchOp with a list of Operations", "invalidSyntax")
    result = copy.deepcopy(resource)
    for operation in body["Operations"]:
        if not isinstance(operation, dict):
            raise ScimError(400, "each operation is an object", "invalidSyntax")
        op = str(operation.get(_key(operation, "op"), "")).lower()
        if op not in {"add", "replace", "remove"}:
            raise ScimError(400, f"unknown operation {op!r}", "invalidSyntax")
        path = operation.get(_key(operation, "path"))
        if op == "remove" and not path:
            raise ScimError(400, "remove needs a path", "noTarget")
        _apply_one(result, op, path, operation.get(_key(operation, "value")))
    return result


@dataclass(frozen=True)
class UserFields:
    """What a User body sets on an account."""

    user_name: str
    email: str
    name: str
    external_id: str | None
    active: bool | None  # None: not sent (a new account is active, an existing one unchanged)
    password: str | None


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ScimError(400, f"{what} must be a string", "invalidValue")
    return value.strip()


def user_fields(body: Any) -> UserFields:
    """The account fields of a User resource. userName is required; the email is the primary
    of `emails`, else the work one, else the first, else the userName itself."""
    if not isinstance(body, dict):
        raise ScimError(400, "the body is a JSON object", "invalidSyntax")
    user_name = _text(body.get(_key(body, "userName")), "userName")
    if not user_name:
        raise ScimError(400, "userName is required", "invalidValue")
    emails = body.get(_key(body, "emails")) or []
    if not isinstance(emails, list) or not all(isinstance(e, dict) for e in emails):
        raise ScimError(400, "emails is a list of objects", "invalidValue")
    chosen = next((e for e in emails if e.get(_key(e, "primary")) in (True, "true", "True")),
                  next((e for e in emails if str(e.get(_key(e, "type"), "")).lower() == "work"),
                       emails[0] if emails else {}))
    email = _text(chosen.get(_key(chosen, "value")), "emails.value") or user_name
    name = body.get(_key(body, "name")) or {}
    if not isinstance(name, dict):
        raise ScimError(400, "name is an object", "invalidValue")
    full = _text(name.get(_key(name, "formatted")), "name.formatted") or " ".join(
        part for part in (_text(name.get(_key(name, "givenName")), "name.givenName"),
                          _text(name.get(_key(name, "familyName")), "name.familyName")) if part
    ) or _text(body.get(_key(body, "displayName")), "displayName")
    active = body.get(_key(body, "active"))
    password = body.get(_key(body, "password"))
    return UserFields(
        user_name=user_name, email=email, name=full[:200],
        external_id=_text(body.get(_key(body, "externalId")), "externalId") or None,
        active=None if active is None else as_bool(active),
        password=_text(password, "password") or None,
    )
