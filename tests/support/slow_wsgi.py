"""A bare WSGI app for the gunicorn drain test: /slow answers after two seconds."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == "/slow":
        time.sleep(2)
    body = b"done"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "4")])
    return [body]
