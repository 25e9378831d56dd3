"""Shared fixtures for the hidden suite: a running server on a free loopback port."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest
from directory.models import Customer

CUSTOMERS = [
    Customer("1", "Ana Silva", "ana@example.com", "Lisbon", "PT"),
    Customer("2", "Bruno Costa", None, "Lisbon", "PT"),
    Customer("3", "Álvaro Núñez", None, "Lisbon", "ES"),
    Customer("4", "carla Mendes", None, "lisbon", "PT"),
    Customer("5", "Marie Dubois", None, "Paris", "FR"),
    Customer("6", "Dwayne Carter", None, "Paris", "US"),
    Customer("7", "Ana Silva", None, "Lisbon", "PT"),
    Customer("8", "João Pereira", None, "São Paulo", "BR"),
    Customer("9", "Lena Fischer", None, "Berlin", None),
    Customer("10", "Zoë Baker", None, None, "GB"),
    Customer("11", "Sam Lee", None, "New York", "US"),
]


class Client:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], Any]:
        """Return (status, headers, decoded JSON body or raw text) without raising on 4xx."""
        request = urllib.request.Request(self.base_url + path, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, dict(error.headers), error.read()
        text = raw.decode("utf-8")
        try:
            body: Any = json.loads(text)
        except ValueError:
            body = text
        return status, {k.lower(): v for k, v in headers.items()}, body


@pytest.fixture(scope="module")
def client():
    from directory.server import make_server  # imported here so parser tests run regardless

    server = make_server(CUSTOMERS, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Client(f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)
