"""The HTTP API: ``GET /customers?city=...&country=...`` and ``GET /healthz``.

Standard library only (``http.server``), which is plenty for an internal read-only service.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from directory.countries import normalize_country
from directory.index import CustomerIndex
from directory.models import Customer

ALLOWED_PARAMETERS = {"city", "country"}


class ApiError(Exception):
    """An error that becomes a JSON ``{"error": message}`` response."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def customers_query(index: CustomerIndex, query: str) -> dict[str, Any]:
    """Validate the query string of ``/customers`` and return the response body."""
    params = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(params) - ALLOWED_PARAMETERS)
    if unknown:
        raise ApiError(HTTPStatus.BAD_REQUEST, f"unknown parameter(s): {', '.join(unknown)}")
    for name, values in params.items():
        if len(values) > 1:
            raise ApiError(HTTPStatus.BAD_REQUEST, f"parameter '{name}' given more than once")

    city = " ".join(params.get("city", [""])[0].split())
    if not city:
        raise ApiError(HTTPStatus.BAD_REQUEST, "the 'city' parameter is required")

    country = None
    if "country" in params:
        raw_country = params["country"][0]
        if not raw_country.strip():
            raise ApiError(HTTPStatus.BAD_REQUEST, "the 'country' parameter must not be empty")
        country = normalize_country(raw_country)
        if country is None:
            raise ApiError(HTTPStatus.BAD_REQUEST, f"unknown country: {raw_country.strip()!r}")

    return {"city": city, "country": country, "names": index.names_in(city, country)}


class DirectoryHandler(BaseHTTPRequestHandler):
    """Routes requests; the index lives on the server object (``self.server.index``)."""

    server_version = "CustomerDirectory/1.0"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        try:
            if url.path == "/healthz":
                self._send_json(HTTPStatus.OK, {"status": "ok"})
            elif url.path == "/customers":
                self._send_json(HTTPStatus.OK, customers_query(self.server.index, url.query))
            else:
                raise ApiError(HTTPStatus.NOT_FOUND, f"no such route: {url.path}")
        except ApiError as error:
            self._send_json(error.status, {"error": error.message})

    def _method_not_allowed(self) -> None:
        url = urlsplit(self.path)
        if url.path in ("/customers", "/healthz"):
            self._send_json(
                HTTPStatus.METHOD_NOT_ALLOWED,
                {"error": f"method {self.command} not allowed"},
                headers={"Allow": "GET"},
            )
        else:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": f"no such route: {url.path}"})

    do_POST = do_PUT = do_PATCH = do_DELETE = _method_not_allowed

    def _send_json(
        self, status: HTTPStatus, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet; a real deployment would log to stderr here."""


def make_server(
    customers: Iterable[Customer], host: str = "127.0.0.1", port: int = 0
) -> ThreadingHTTPServer:
    """Build (but do not start) the HTTP server. ``port=0`` picks a free port.

    Call ``serve_forever()`` on the result; ``server.server_address`` tells you the port.
    """
    server = ThreadingHTTPServer((host, port), DirectoryHandler)
    server.daemon_threads = True
    server.index = CustomerIndex(customers)
    return server
