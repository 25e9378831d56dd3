"""Credentials out of text that people or logs will read: one function, used wherever an error
message becomes a run's reason, a log line or an exception RQ keeps.

The worker credential travels as `Authorization: Bearer <token>`; nothing should ever put that
header into a message, but a message made from a failed command or a library's error can carry
whatever it was given, so the places that turn messages into text for others mask it anyway.
Pure string work: no Flask, no database (the worker side imports it).
"""

from __future__ import annotations

import re

MASK = "[credential]"
# `Bearer <value>` (any case; a value of 8 characters or more, so that "the bearer of" stays),
# `Authorization: <scheme> <value>` and `Authorization=<value>` (a header given as
# configuration), and `user:password@` in a URL.
_BEARER = re.compile(r"(\bbearer\s+)[^\s\"',;]{8,}", re.IGNORECASE)
_AUTHORIZATION = re.compile(
    r"(\bauthorization\s*[:=]\s*)(?!bearer\b)(?:[A-Za-z-]+\s+)?[^\s\"',;]+", re.IGNORECASE)
_URL_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^/\s@]+@", re.IGNORECASE)


def redact_credentials(text: str, *secrets: str) -> str:
    """`text` with every bearer value, Authorization value and URL password masked, and every
    one of `secrets` (known values, such as the worker's own token) wherever it appears."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    text = _BEARER.sub(rf"\g<1>{MASK}", text)
    text = _AUTHORIZATION.sub(rf"\g<1>{MASK}", text)
    return _URL_USERINFO.sub(rf"\g<1>{MASK}@", text)
