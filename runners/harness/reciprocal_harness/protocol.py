"""The harness's side of the protocol with the worker: the header in, one document out."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import BinaryIO

PROTOCOL = 1
HEADER_MAX = 1 << 20
MAX_MESSAGE = 4_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class HarnessError(Exception):
    """The harness could not do its job; reported in the JSON document."""


@dataclass
class TestsConfig:
    """How an assignment's tests run, beyond its language's defaults (``[tests]``,
    ``[[services]]`` and ``[screenshots]`` of assignment.toml, checked by the platform)."""

    # the command that runs the hidden tests (the `command` runner), as the candidate's uid
    command: list[str] = field(default_factory=list)
    # where its JUnit XML reports appear, globs relative to the submission
    junit: list[str] = field(default_factory=list)
    # where the hidden tests are placed in the candidate's tree (the `command` runner)
    hidden_path: str = ""
    # run as the candidate's uid before the tests (a build: `npm run build`)
    build: list[str] = field(default_factory=list)
    services: list[str] = field(default_factory=list)
    # pages of the candidate's site to photograph, at these widths: {"site", "pages", "widths"}
    screenshots: dict[str, object] = field(default_factory=dict)

    @classmethod
    def from_header(cls, data: object) -> TestsConfig:
        if not isinstance(data, dict):
            return cls()

        def strings(key: str) -> list[str]:
            value = data.get(key) or []
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise HarnessError(f"tests.{key} must be a list of strings")
            return list(value)

        hidden = data.get("hidden_path") or ""
        if not isinstance(hidden, str) or hidden.startswith("/") or ".." in hidden.split("/"):
            raise HarnessError("tests.hidden_path must be a path inside the submission")
        shots = data.get("screenshots") or {}
        return cls(command=strings("command"), junit=strings("junit"), hidden_path=hidden,
                   build=strings("build"), services=strings("services"),
                   screenshots=dict(shots) if isinstance(shots, dict) else {})


@dataclass
class Header:
    nonce: str
    timeout_seconds: float
    output_bytes: int
    report_bytes: int
    tests: TestsConfig = field(default_factory=TestsConfig)
    # what a language's prepare step (as root) found, for its run step's evidence
    prepared: dict[str, object] = field(default_factory=dict)


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
    return Header(
        nonce=str(data["nonce"]),
        timeout_seconds=float(data["timeout_seconds"]),
        output_bytes=int(data["output_bytes"]),
        report_bytes=int(data["report_bytes"]),
        tests=TestsConfig.from_header(data.get("tests")),
    )


def emit(document: dict[str, object]) -> None:
    out = sys.stdout.buffer
    out.write(b"\n" + json.dumps(document, ensure_ascii=False).encode("utf-8") + b"\n")
    out.flush()
