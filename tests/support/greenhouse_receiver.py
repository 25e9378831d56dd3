"""Greenhouse's side of the completion callback: a real HTTP server on loopback that records
each PATCH (path, headers, raw body) and answers 200."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any


class Callbacks(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], bytes]] = []

    def do_PATCH(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.received.append((self.path, dict(self.headers), self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@contextmanager
def greenhouse_receiver() -> Iterator[HTTPServer]:
    """A fresh receiver on 127.0.0.1 (a free port), shut down afterwards."""
    Callbacks.received = []
    server = HTTPServer(("127.0.0.1", 0), Callbacks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
