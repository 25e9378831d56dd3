"""SCIM 2.0 provisioning checked from outside by a conformance tester (scim2-tester, from PyPI)
against `reciprocal serve`: discovery, the random-URL check and every User check (create, read,
query with attributes, search, replace, PATCH add/replace/remove, delete) pass.

Not supported, on purpose: creating and deleting Groups (the groups are the three staff roles;
an identity provider maps its own groups onto them), and searching every resource type at once
(POST /.search answers 501, which the tester accepts). The tester's Group checks all start by
creating a Group, so exactly those fail; the fixed groups' members are read, replaced and
patched here instead, through the same served platform."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import check_server
from scim2_tester.utils import Status

from tests.support.served import Served

PASSING = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE, Status.SKIPPED}
# Every Group check creates a Group first (POST /Groups answers 501: the groups are the roles).
GROUP_CHECKS_NEEDING_CREATION = {
    "object_creation", "object_query", "object_query_without_id", "object_query_with_attributes",
    "object_list_with_attributes", "search_with_attributes", "object_replacement",
    "object_deletion", "check_add_attribute", "check_remove_attribute",
    "check_replace_attribute",
}


@pytest.fixture(scope="module")
def scim_token(served: Served) -> str:
    return served.reciprocal("scim", "token").stdout.strip()


@pytest.fixture(scope="module")
def scim(served: Served, scim_token: str) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=served.url + "/scim/v2", timeout=30,
                       headers={"Authorization": f"Bearer {scim_token}"}) as client:
        yield client


def test_the_conformance_tester_passes_everything_but_creating_groups(scim: httpx2.Client
                                                                      ) -> None:
    results = check_server(SyncSCIMClient(scim))
    failed = [(r.resource_type, r.title, r.status.name, r.reason) for r in results
              if r.status not in PASSING]
    user_and_discovery = [f for f in failed if f[0] != "Group"]
    assert not user_and_discovery, user_and_discovery
    group_titles = {f[1] for f in failed if f[0] == "Group"}
    assert group_titles <= GROUP_CHECKS_NEEDING_CREATION, group_titles
    for title in group_titles:
        reasons = [f[3] for f in failed if f[1] == title and f[0] == "Group"]
        assert all("groups are the staff roles" in (r or "") for r in reasons), reasons
    assert sum(1 for r in results if r.resource_type == "User" and r.status == Status.SUCCESS
               ) >= 10


def _user(scim: httpx2.Client, email: str, **extra: Any) -> dict[str, Any]:
    made = scim.post("/Users", json={
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": email,
        "emails": [{"value": email, "type": "work", "primary": True}], "active": True,
        "name": {"givenName": "Ada", "familyName": "Lovelace"}, **extra})
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_groups_are_the_roles_and_their_members_are_patched(scim: httpx2.Client) -> None:
    user = _user(scim, "grace@served.example", externalId="okta-00u1")
    assert user["name"] == {"formatted": "Ada Lovelace"}
    assert [g["value"] for g in user["groups"]] == ["reviewer"]
    found = scim.get("/Users", params={"filter": 'externalId eq "okta-00u1"'}).json()
    assert [r["id"] for r in found["Resources"]] == [user["id"]]
    patched = scim.patch("/Groups/recruiter", json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": user["id"]}]}]})
    assert patched.status_code == 200, patched.text
    assert user["id"] in [m["value"] for m in patched.json()["members"]]
    assert scim.get(f"/Users/{user['id']}").json()["groups"][0]["value"] == "recruiter"
    removed = scim.patch("/Groups/recruiter", json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "remove", "path": f'members[value eq "{user["id"]}"]'}]})
    assert removed.status_code == 200, removed.text
    assert scim.get(f"/Users/{user['id']}").json()["groups"][0]["value"] == "reviewer"
    groups = scim.get("/Groups", params={"filter": 'displayName eq "Admin"'}).json()
    assert [g["id"] for g in groups["Resources"]] == ["admin"]


def test_entra_style_deactivation_ends_the_api_token(served: Served, scim: httpx2.Client
                                                     ) -> None:
    listed = scim.get("/Users", params={"filter": 'userName eq "reviewer@served.example"'})
    (reviewer,) = listed.json()["Resources"]
    token = served.tokens["reviewer"]
    assert served.api("GET", "/api/v1/assignments", token).status_code != 401
    off = scim.patch(f"/Users/{reviewer['id']}", json={
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}]})
    assert off.status_code == 200, off.text
    assert off.json()["active"] is False
    assert served.api("GET", "/api/v1/assignments", token).status_code == 401


def test_refusals_are_scim_errors(served: Served, scim: httpx2.Client) -> None:
    anonymous = served.api("GET", "/scim/v2/Users")
    assert anonymous.status_code == 401
    assert anonymous.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    api_token = served.api("GET", "/scim/v2/Users", served.admin_token)
    assert api_token.status_code == 401
    bad = scim.get("/Users", params={"filter": 'userName co "a"'})
    assert (bad.status_code, bad.json()["scimType"]) == (400, "invalidFilter")
    _user(scim, "twice@served.example")
    again = scim.post("/Users", json={"userName": "twice@served.example",
                                      "emails": [{"value": "twice@served.example"}]})
    assert (again.status_code, again.json()["scimType"]) == (409, "uniqueness")
