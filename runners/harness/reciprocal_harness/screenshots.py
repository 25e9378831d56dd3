"""Photographs of the candidate's pages that the judge took (reciprocal_judge.browser), read by
the harness and sent on in its document: PNG files only, capped in number and size."""

from __future__ import annotations

import base64
import os
import re
import stat

from .layout import SCREENSHOTS

MAX_SHOTS = 12
MAX_BYTES = 3 << 20  # one photograph
MAX_TOTAL = 12 << 20
PNG = b"\x89PNG\r\n\x1a\n"
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}\.png$")
WIDTH = re.compile(r"-(\d{3,4})\.png$")


def collect_screenshots() -> list[dict[str, object]]:
    """Each photograph as {"name", "width", "png"} (base64), in name order."""
    try:
        names = sorted(os.listdir(SCREENSHOTS))
    except OSError:
        return []
    shots: list[dict[str, object]] = []
    total = 0
    for name in names:
        if len(shots) >= MAX_SHOTS or not NAME.match(name):
            continue
        try:
            fd = os.open(SCREENSHOTS / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES or not data.startswith(PNG) or total + len(data) > MAX_TOTAL:
            continue
        total += len(data)
        width = WIDTH.search(name)
        shots.append({"name": name[:-4], "width": int(width.group(1)) if width else None,
                      "png": base64.b64encode(data).decode("ascii")})
    return shots
