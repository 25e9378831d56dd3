"""Caps on request bodies, enforced before anything reads them.

A body whose Content-Length is over the cap is refused before a byte of it is read: the hook
runs first of all `before_request` functions, ahead of CSRFProtect (which parses the form) and
before werkzeug could spool a multipart upload to a temporary file. A body without a length
(chunked) is cut off while it is read, through Flask 3.1's per-request
`request.max_content_length`; the RequestEntityTooLarge that werkzeug raises then is answered
with the same message (`too_large_message`, by the surface's error handler).

Most routes take small forms and JSON (RECIPROCAL_MAX_BODY_KB). The upload and git routes take
RECIPROCAL_MAX_PUSH_MB plus a margin for multipart and pack framing; the worker's result post,
with the worker credential only, takes test output and reports.
"""

from __future__ import annotations

import hmac
import io
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

UPLOAD_MARGIN_BYTES = 1024 * 1024
CHUNK = 64 * 1024
UPLOAD_ENDPOINTS = frozenset({"portal.upload", "git.candidate_repo", "git.worker_repo"})
WORKER_RESULT_ENDPOINT = "api.worker_result"
# A run's JSON result: up to 20 MB of output (runner.limits' ceiling) and a 4 MB report, both
# possibly escaped several times over by JSON. Granted only to the worker credential.
WORKER_RESULT_BYTES = 160 * 1024 * 1024


def upload_limit(config: Mapping[str, Any]) -> int:
    """The body cap of the upload and git routes: the largest push plus framing."""
    return int(config["MAX_PUSH_BYTES"]) + UPLOAD_MARGIN_BYTES


def _is_worker() -> bool:
    expected = str(current_app.config.get("WORKER_TOKEN") or "")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def limit_for_request() -> int:
    """The body cap of the current request, chosen by its endpoint."""
    config = current_app.config
    if request.endpoint in UPLOAD_ENDPOINTS:
        return upload_limit(config)
    if request.endpoint == WORKER_RESULT_ENDPOINT and _is_worker():
        return WORKER_RESULT_BYTES
    return int(config["MAX_BODY_BYTES"])


def describe(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{max(1, size // 1024)} KB"


def too_large_message() -> str:
    """What a 413 says (each surface's error handler answers it in its own format)."""
    limit = request.max_content_length or limit_for_request()
    what = "upload or push" if request.endpoint in UPLOAD_ENDPOINTS else "request"
    return f"This {what} is larger than the {describe(limit)} accepted here, so it was refused."


def _buffer_unsized(limit: int) -> None:
    """Read a body sent without a Content-Length (chunked) here, to at most `limit` bytes, and
    hand it on with its length.

    werkzeug enforces `request.max_content_length` on such a body only against readers that
    read in pieces (the multipart parser, the git route's spool). A reader of the whole body
    (the url-encoded form parser, get_json) would get it silently cut at the cap: a 400 instead
    of a 413, or worse a truncated form taken at face value. Only the small-body routes come
    here, so the buffer is at most MAX_BODY_KB.
    """
    source = request.input_stream
    body = bytearray()
    try:
        while chunk := source.read(CHUNK):
            body += chunk
            if len(body) > limit:
                raise RequestEntityTooLarge()
    except (OSError, ValueError):
        raise ClientDisconnected() from None
    request.environ["wsgi.input"] = io.BytesIO(bytes(body))
    request.environ["CONTENT_LENGTH"] = str(len(body))


def _cap_body() -> None:
    limit = limit_for_request()
    request.max_content_length = limit
    length = request.content_length
    if length is not None and length > limit:
        raise RequestEntityTooLarge()
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    if length is None and chunked and limit <= int(current_app.config["MAX_BODY_BYTES"]):
        _buffer_unsized(limit)


def init_app(app: Flask) -> None:
    # First of all before_request functions: CSRFProtect registered its own (which reads the
    # form) when csrf.init_app ran, before the blueprints.
    app.before_request_funcs.setdefault(None, []).insert(0, _cap_body)
