"""Hidden tests: the HTTP API, against a server started on a free loopback port."""

from __future__ import annotations

import pytest
from directory.index import CustomerIndex
from directory.models import Customer


def test_customers_by_city_and_country(client):
    status, headers, body = client.request("/customers?city=Lisbon&country=PT")
    assert status == 200, f"expected 200, got {status}: {body}"
    assert body == {
        "city": "Lisbon",
        "country": "PT",
        "names": ["Ana Silva", "Ana Silva", "Bruno Costa", "carla Mendes"],
    }, "names of every matching customer (one per customer), sorted ignoring case"
    assert headers.get("content-type", "").startswith("application/json"), (
        f"responses should be served as application/json, got {headers.get('content-type')!r}"
    )


def test_city_match_is_case_insensitive(client):
    _, _, body = client.request("/customers?city=LISBON&country=pt")
    assert body["names"] == ["Ana Silva", "Ana Silva", "Bruno Costa", "carla Mendes"], (
        "city and country in the query should match regardless of case"
    )


def test_country_accepts_any_known_spelling(client):
    _, _, body = client.request("/customers?city=Paris&country=United%20States")
    assert body == {"city": "Paris", "country": "US", "names": ["Dwayne Carter"]}, (
        "the country parameter accepts names too, and the response echoes the ISO code"
    )


def test_without_country_all_countries_match(client):
    status, _, body = client.request("/customers?city=Paris")
    assert status == 200
    assert body == {"city": "Paris", "country": None, "names": ["Dwayne Carter", "Marie Dubois"]}, (
        "without a country, customers of every country with that city name are returned"
    )


def test_names_sort_ignoring_accents(client):
    _, _, body = client.request("/customers?city=Lisbon")
    expected = ["Álvaro Núñez", "Ana Silva", "Ana Silva", "Bruno Costa", "carla Mendes"]
    assert body["names"] == expected, (
        "sorting ignores accents and case: 'Álvaro' sorts with the A's, 'carla' before 'D'"
    )


def test_url_encoded_city(client):
    _, _, body = client.request("/customers?city=S%C3%A3o%20Paulo&country=BR")
    assert body["names"] == ["João Pereira"], "percent-encoded UTF-8 must be decoded"
    _, _, body = client.request("/customers?city=New+York&country=US")
    assert body["names"] == ["Sam Lee"], "'+' in a query string is a space"


def test_city_surrounding_whitespace_is_ignored(client):
    _, _, body = client.request("/customers?city=%20%20Paris%20&country=FR")
    assert body["names"] == ["Marie Dubois"]
    assert body["city"] == "Paris", "the echoed city is trimmed"


def test_unknown_city_is_an_empty_list_not_an_error(client):
    status, _, body = client.request("/customers?city=Reykjavik")
    assert status == 200, "a city with no customers is a valid question with an empty answer"
    assert body["names"] == []


def test_customer_without_country_is_found_when_no_country_given(client):
    _, _, body = client.request("/customers?city=Berlin")
    assert body["names"] == ["Lena Fischer"]
    _, _, body = client.request("/customers?city=Berlin&country=DE")
    assert body["names"] == [], "a customer with unknown country never matches a country filter"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?country=PT",
        "?city=",
        "?city=%20%20",
        "?city",
        "?city=Lisbon&country=Atlantis",
        "?city=Lisbon&country=",
        "?city=Lisbon&cty=Porto",
        "?city=Lisbon&city=Porto",
    ],
    ids=[
        "no-params",
        "no-city",
        "empty-city",
        "blank-city",
        "city-without-value",
        "unknown-country",
        "empty-country",
        "unknown-parameter",
        "repeated-city",
    ],
)
def test_bad_queries_are_400_with_json_error(client, query):
    status, _, body = client.request("/customers" + query)
    assert status == 400, f"GET /customers{query} should be 400 Bad Request, got {status}"
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], (
        f'a 400 should explain itself as JSON {{"error": "..."}}, got {body!r}'
    )


@pytest.mark.parametrize("path", ["/", "/customer", "/customers/extra", "/nope?city=Lisbon"])
def test_unknown_route_is_404_json(client, path):
    status, _, body = client.request(path)
    assert status == 404, f"GET {path} should be 404, got {status}"
    assert isinstance(body, dict) and "error" in body, (
        f"a 404 body should be JSON with an 'error' key, got {body!r}"
    )


def test_post_is_405_with_allow_header(client):
    status, headers, _ = client.request("/customers?city=Lisbon", method="POST")
    assert status == 405, f"POST /customers should be 405 Method Not Allowed, got {status}"
    assert headers.get("allow", "").replace(" ", "") in {"GET", "GET,HEAD", "HEAD,GET"}, (
        f"a 405 must say which methods are allowed (Allow: GET), got {headers.get('allow')!r}"
    )


def test_healthz(client):
    status, _, body = client.request("/healthz")
    assert (status, body) == (200, {"status": "ok"})


def test_index_names_in_directly():
    index = CustomerIndex(
        [
            Customer("1", "bob", None, "Lisbon", "PT"),
            Customer("2", "Alice", None, "LISBON", "PT"),
            Customer("3", "Ève", None, "Lisbon", "FR"),
            Customer("4", "Zed", None, None, "PT"),
        ]
    )
    assert index.names_in("lisbon") == ["Alice", "bob", "Ève"]
    assert index.names_in("Lisbon", "PT") == ["Alice", "bob"]
    assert index.names_in("Porto") == []
