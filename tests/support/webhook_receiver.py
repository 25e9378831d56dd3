"""A real webhook receiver on loopback, and the receiver-side check exactly as docs/api.md
documents it (the code block is read from the documentation, so the two cannot drift)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from tests.support.paths import ROOT

Verify = Callable[..., dict[str, Any]]


def documented_verify() -> Verify:
    """The `verify` function of the "Webhooks" section of docs/api.md."""
    text = (ROOT / "docs" / "api.md").read_text()
    section = text.split("## Webhooks", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```python\n(.*?)```", section, re.S)
    assert block, "docs/api.md's Webhooks section has no python block"
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), "docs/api.md", "exec"), namespace)  # noqa: S102 - our own docs
    return namespace["verify"]


class Receiver(BaseHTTPRequestHandler):
    """Records (headers, raw body) of each POST and answers the next queued code (else 200)."""

    received: list[tuple[dict[str, str], bytes]] = []
    codes: list[int] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(self.codes.pop(0) if self.codes else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


@contextmanager
def receiver() -> Iterator[HTTPServer]:
    """A fresh receiver on 127.0.0.1 (a free port), shut down afterwards."""
    Receiver.received, Receiver.codes = [], []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
