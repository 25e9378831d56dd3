"""The HTTP API: ``GET /customers?city=...&country=...`` and ``GET /healthz``.

Standard library only (``http.server``), which is plenty for an internal read-only service.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from directory.index import CustomerIndex
from directory.models import Customer


class ApiError(Exception):
    """An error that becomes a JSON ``{"error": message}`` response."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class DirectoryHandler(BaseHTTPRequestHandler):
    """Routes requests; the index lives on the server object (``self.server.index``)."""

    server_version = "CustomerDirectory/1.0"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        try:
            if url.path == "/healthz":
                self._send_json(HTTPStatus.OK, {"status": "ok"})
            elif url.path == "/customers":
                # TODO: validate url.query and answer from self.server.index (see README.md).
                raise ApiError(HTTPStatus.NOT_IMPLEMENTED, "not implemented yet")
            else:
                raise ApiError(HTTPStatus.NOT_FOUND, f"no such route: {url.path}")
        except ApiError as error:
            self._send_json(error.status, {"error": error.message})

    # TODO: other methods on a known route deserve a 405 with an Allow header.

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
