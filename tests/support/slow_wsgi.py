"""A bare WSGI app for the gunicorn drain test: /slow answers after two seconds. When
SLOW_WSGI_MARKER names a file, /slow creates it as the request arrives, so that the test knows
the request is in flight without waiting a fixed time."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") == "/slow":
        marker = os.environ.get("SLOW_WSGI_MARKER")
        if marker:
            Path(marker).touch()
        time.sleep(2)
    body = b"done"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "4")])
    return [body]
