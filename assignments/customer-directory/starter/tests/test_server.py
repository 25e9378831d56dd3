import json
import threading
import urllib.request

import pytest

from directory.models import Customer
from directory.server import make_server


@pytest.fixture
def base_url():
    customers = [
        Customer("1", "Ana Silva", None, "Lisbon", "PT"),
        Customer("2", "Bruno Costa", None, "Porto", "PT"),
    ]
    server = make_server(customers, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_healthz(base_url):
    with urllib.request.urlopen(f"{base_url}/healthz") as response:
        assert response.status == 200
        assert json.load(response) == {"status": "ok"}


def test_customers_in_a_city(base_url):
    with urllib.request.urlopen(f"{base_url}/customers?city=Lisbon&country=PT") as response:
        assert response.status == 200
        assert json.load(response) == {"city": "Lisbon", "country": "PT", "names": ["Ana Silva"]}
