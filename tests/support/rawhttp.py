"""A raw HTTP/1.1 client for body-cap tests: it sends a body (from a generator, never held in
memory) while watching for the server's answer, and stops sending as soon as the answer comes,
as a client uploading a huge file to a server that refuses it early would see it.

requests cannot do this: it sends the whole body before reading, and it sends a generator as
chunked even when a Content-Length is given.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

MIB = 1024 * 1024


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float  # from the first byte sent to the complete answer
    sent_bytes: int  # body bytes (with chunk framing) the socket took before the answer came
    body_finished: bool  # whether the whole body was sent

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def zeros(total: int, chunk: int = 256 * 1024) -> Iterator[bytes]:
    """`total` bytes of zeros, produced a chunk at a time."""
    block = b"\0" * chunk
    left = total
    while left > 0:
        piece = block if left >= chunk else block[:left]
        left -= len(piece)
        yield piece


BOUNDARY = "reciprocal-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart_file(
    size: int, field: str = "archive", filename: str = "work.zip"
) -> Iterator[bytes]:
    """A well-formed multipart form with one file part of `size` zeros, as a browser sends an
    upload: a parser that accepted it would spool the whole file before anything refused it."""
    yield (
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; "
        f'filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'
    ).encode()
    yield from zeros(size)
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def multipart_length(size: int, field: str = "archive", filename: str = "work.zip") -> int:
    return sum(len(piece) for piece in multipart_file(0, field, filename)) + size


def _parse_head(raw: bytes) -> tuple[int, dict[str, str]]:
    lines = raw.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


def send(
    url: str,
    path: str,
    *,
    method: str = "POST",
    headers: dict[str, str] | None = None,
    body: Iterable[bytes] = (),
    content_length: int | None = None,
    timeout: float = 30.0,
) -> RawResponse:
    """Send a request with `body`, chunked unless `content_length` is given; return the answer.

    The body is sent only while the server has not answered; an answer (or a reset) stops it.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    all_headers = {"Host": f"{host}:{port}", "Connection": "close", **(headers or {})}
    chunked = content_length is None
    if chunked:
        all_headers["Transfer-Encoding"] = "chunked"
    else:
        all_headers["Content-Length"] = str(content_length)
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in all_headers.items()
    )
    deadline = time.monotonic() + timeout
    started = time.monotonic()
    sock = socket.create_connection((host, port), timeout=timeout)
    pieces = iter(body)
    pending = b""
    sending = True
    finished = False
    sent = 0
    received = bytearray()
    status: int | None = None
    response_headers: dict[str, str] = {}
    body_start = 0
    try:
        sock.sendall((head + "\r\n").encode("latin-1"))
        sock.setblocking(False)
        while time.monotonic() < deadline:
            if sending and not pending and not finished:
                piece = next(pieces, None)
                if piece is None:
                    finished = True
                    pending = b"0\r\n\r\n" if chunked else b""
                else:
                    pending = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
            if finished and not pending:
                sending = False
            writable = [sock] if sending else []
            ready_r, ready_w, _ = select.select([sock], writable, [], 0.5)
            if ready_r:
                try:
                    data = sock.recv(256 * 1024)
                except BlockingIOError:
                    continue
                except ConnectionResetError:
                    data = b""
                if not data:
                    break
                received += data
                if status is None and b"\r\n\r\n" in received:
                    raw_head = bytes(received).partition(b"\r\n\r\n")[0]
                    status, response_headers = _parse_head(raw_head)
                    body_start = len(raw_head) + 4
                    sending = False  # the server has answered: a real client stops here
                length = response_headers.get("content-length")
                if length is not None and len(received) - body_start >= int(length):
                    break
            elif ready_w and sending:
                try:
                    count = sock.send(pending)
                except BlockingIOError:
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    sending = False
                    continue
                sent += count
                pending = pending[count:]
        seconds = time.monotonic() - started
    finally:
        sock.close()
    if status is None:
        raise AssertionError(
            f"no HTTP answer within {timeout} s after sending {sent} body bytes "
            f"({bytes(received[:200])!r})"
        )
    return RawResponse(
        status=status,
        headers=response_headers,
        body=bytes(received[body_start:]),
        seconds=seconds,
        sent_bytes=sent,
        body_finished=finished and not pending,
    )
