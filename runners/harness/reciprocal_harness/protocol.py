"""The harness's side of the protocol with the worker: the header in, one document out."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from typing import BinaryIO

PROTOCOL = 1
HEADER_MAX = 1 << 20  # the header may carry the collected ids of a large suite
MAX_MESSAGE = 4_000
ISOLATIONS = ("process", "in-process")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class HarnessError(Exception):
    """The harness could not do its job; reported in the JSON document."""


@dataclass
class Header:
    nonce: str
    timeout_seconds: float
    output_bytes: int
    report_bytes: int
    # The hidden tests' ids (without sentinels) collected for an earlier run of the same tests
    # in the same image, from the worker's cache: the collection step is then skipped.
    collected: list[str] | None = None
    # "process": the hidden tests reach the submission over a process boundary (Python);
    # "in-process": they import it, and the verdict is checked instead.
    isolation: str = "process"


def clean(text: str) -> str:
    """Drop control characters so the output is safe to show and compact to encode."""
    return _CONTROL.sub("\ufffd", text)


def read_header(stream: BinaryIO) -> Header:
    line = stream.readline(HEADER_MAX)
    if not line.endswith(b"\n"):
        raise HarnessError("missing or oversized header line on stdin")
    data = json.loads(line)
    if data.get("reciprocal") != PROTOCOL:
        raise HarnessError("unsupported protocol version")
    known = data.get("collected")
    isolation = str(data.get("isolation") or "process")
    if isolation not in ISOLATIONS:
        raise HarnessError(f"unknown isolation {isolation!r}")
    return Header(
        nonce=str(data["nonce"]),
        timeout_seconds=float(data["timeout_seconds"]),
        output_bytes=int(data["output_bytes"]),
        report_bytes=int(data["report_bytes"]),
        collected=[str(i) for i in known] if isinstance(known, list) else None,
        isolation=isolation,
    )


def emit(document: dict[str, object]) -> None:
    out = sys.stdout.buffer
    out.write(b"\n" + json.dumps(document, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()
