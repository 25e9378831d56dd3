"""SCIM's pure parts: the filters answered, pagination, PATCH operations as Okta and Entra ID
send them, and the account fields read from a User body."""

from __future__ import annotations

import pytest
from reciprocal.accounts.scim_protocol import (
    Filter,
    ScimError,
    apply_patch,
    page,
    parse_filter,
    project,
    user_fields,
)

USERS = ("userName", "externalId", "id")


def ops(*operations: dict[str, object]) -> dict[str, object]:
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": list(operations)}


def test_equality_filters_are_parsed_case_insensitively() -> None:
    assert parse_filter('userName eq "ada@example.com"', USERS) == Filter(
        "userName", "ada@example.com")
    assert parse_filter('EXTERNALID Eq "00u\\"1"', USERS) == Filter("externalId", '00u"1')
    assert parse_filter(
        'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "a"', USERS
    ) == Filter("userName", "a")
    assert parse_filter(None, USERS) is None and parse_filter("  ", USERS) is None


@pytest.mark.parametrize("text", ['userName co "a"', 'userName eq "a" or id eq "1"',
                                  "userName eq a", 'password eq "x"', 'name.formatted eq "x"'])
def test_other_filters_are_refused_as_invalid_filter(text: str) -> None:
    with pytest.raises(ScimError) as refused:
        parse_filter(text, USERS)
    assert (refused.value.status_code, refused.value.scim_type) == (400, "invalidFilter")


def test_pagination_is_one_based_and_clamped() -> None:
    assert page(None, None) == (0, 200)
    assert page("3", "10") == (2, 10)
    assert page("0", "-5") == (0, 0)
    assert page("1", "100000") == (0, 200)
    with pytest.raises(ScimError):
        page("x", "1")


USER = {"userName": "ada@example.com", "active": True, "name": {"formatted": "Ada"},
        "emails": [{"value": "ada@example.com"}]}


def test_entra_replace_active_false_as_a_string() -> None:
    patched = apply_patch(USER, ops({"op": "Replace", "path": "active", "value": "False"}))
    assert user_fields(patched).active is False
    assert USER["active"] is True  # the original is not changed


def test_okta_replace_without_a_path() -> None:
    patched = apply_patch(USER, ops({"op": "replace", "value": {"active": False,
                                                                "name": {"formatted": "A L"}}}))
    fields = user_fields(patched)
    assert (fields.active, fields.name) == (False, "A L")


def test_filtered_paths_and_sub_attributes() -> None:
    patched = apply_patch(USER, ops(
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "new@example.com"},
        {"op": "add", "path": "name.givenName", "value": "Ada"},
    ))
    assert {"type": "work", "value": "new@example.com"} in patched["emails"]
    assert user_fields(patched).email == "new@example.com"
    assert patched["name"]["givenName"] == "Ada"
    removed = apply_patch(patched, ops({"op": "remove", "path": 'emails[type eq "work"]'}))
    assert removed["emails"] == [{"value": "ada@example.com"}]


def test_members_are_added_once_and_removed_by_filter_or_value() -> None:
    group = {"displayName": "Admin", "members": [{"value": "1"}]}
    added = apply_patch(group, ops({"op": "add", "path": "members",
                                    "value": [{"value": "1"}, {"value": "2"}]}))
    assert added["members"] == [{"value": "1"}, {"value": "2"}]
    by_filter = apply_patch(added, ops({"op": "remove", "path": 'members[value eq "1"]'}))
    assert by_filter["members"] == [{"value": "2"}]
    by_value = apply_patch(added, ops({"op": "remove", "path": "members",
                                       "value": [{"value": "2"}]}))
    assert by_value["members"] == [{"value": "1"}]


@pytest.mark.parametrize("body, scim_type", [
    ({"Operations": [{"op": "move", "path": "active"}]}, "invalidSyntax"),
    ({"Operations": [{"op": "remove"}]}, "noTarget"),
    ({"Operations": "replace"}, "invalidSyntax"),
    ({"Operations": [{"op": "replace", "path": "a[b", "value": 1}]}, "invalidPath"),
])
def test_malformed_patches_are_refused(body: dict[str, object], scim_type: str) -> None:
    with pytest.raises(ScimError) as refused:
        apply_patch(USER, body)
    assert refused.value.scim_type == scim_type


def test_user_fields_prefer_the_primary_email_and_compose_the_name() -> None:
    fields = user_fields({"userName": "ada", "externalId": "x1", "emails": [
        {"value": "other@example.com"}, {"value": "ada@example.com", "primary": True}],
        "name": {"givenName": "Ada", "familyName": "Lovelace"}})
    assert (fields.user_name, fields.email, fields.name, fields.external_id, fields.active) == (
        "ada", "ada@example.com", "Ada Lovelace", "x1", None)
    assert user_fields({"userName": "ada@example.com"}).email == "ada@example.com"
    with pytest.raises(ScimError):
        user_fields({"emails": [{"value": "a@example.com"}]})
    with pytest.raises(ScimError):
        user_fields({"userName": "a", "active": "maybe"})


def test_projection_keeps_id_and_schemas() -> None:
    shown = {"schemas": ["s"], "id": "1", "userName": "a", "name": {"formatted": "A"},
             "active": True}
    assert project(shown, {"attributes": "userName"}) == {"schemas": ["s"], "id": "1",
                                                          "userName": "a"}
    assert project(shown, {"excludedAttributes": "name.formatted,id"}) == {
        "schemas": ["s"], "id": "1", "userName": "a", "active": True}
