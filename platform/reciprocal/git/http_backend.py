"""Serving smart HTTP through `git http-backend` (CGI) for one repository chosen by the caller.

The caller resolves the repository from a token through the database; this module never looks at
the URL's repository name. The request body is spooled to a capped temporary file first, so a
large push cannot deadlock the CGI pipes and an oversize one is refused before git sees it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .command import clean_env
from .locks import LOCK_FD_ENV, open_lock_file

SERVICES = {"git-upload-pack", "git-receive-pack"}
CHUNK = 64 * 1024


class BodyTooLarge(Exception):
    pass


@dataclass
class CgiResponse:
    status: int
    headers: list[tuple[str, str]]
    body: Iterator[bytes]


def spool_body(stream: IO[bytes], limit: int) -> tempfile.SpooledTemporaryFile:
    """The request body in memory up to 4 MB, beyond in an unnamed temporary file, at most
    `limit` bytes. Whatever stops the reading (the cap here, the web layer's own cap raising
    from `stream`, a client gone), the spool is closed, so nothing of the body is kept."""
    spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)
    try:
        total = 0
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > limit:
                raise BodyTooLarge
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def run(
    repo_path: Path,
    path_info: str,
    *,
    method: str,
    query_string: str,
    content_type: str,
    content_encoding: str,
    body: IO[bytes],
    body_length: int,
    remote_user: str,
    remote_addr: str,
    hook_env: Mapping[str, str],
) -> CgiResponse:
    """Run git http-backend for `repo_path` + `path_info` (/info/refs...); stream its answer.

    A push (POST /git-receive-pack) gets an unlocked descriptor on the repository's lock file,
    which the pre-receive hook locks and receive-pack keeps until its ref updates are written
    (see git/locks.py); the web process closes its own copy once git is started.
    """
    env = clean_env(
        {
            "GIT_PROJECT_ROOT": str(repo_path.parent),
            "PATH_INFO": f"/{repo_path.name}{path_info}",
            "GIT_HTTP_EXPORT_ALL": "1",
            "REQUEST_METHOD": method,
            "QUERY_STRING": query_string,
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(body_length),
            "REMOTE_USER": remote_user,
            "REMOTE_ADDR": remote_addr,
            "GATEWAY_INTERFACE": "CGI/1.1",
            "RECIPROCAL_HOOK_PYTHON": sys.executable,
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
            **dict(hook_env),
        }
    )
    if content_encoding:
        env["HTTP_CONTENT_ENCODING"] = content_encoding
    lock_fds: tuple[int, ...] = ()
    if method == "POST" and path_info == "/git-receive-pack":
        lock_fds = (open_lock_file(repo_path),)
        env[LOCK_FD_ENV] = str(lock_fds[0])
    try:
        proc = subprocess.Popen(
            ["git", "http-backend"],
            stdin=body,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            pass_fds=lock_fds,
        )
    finally:
        for fd in lock_fds:
            os.close(fd)
    assert proc.stdout is not None
    status, headers, leftover = _read_headers(proc.stdout)

    def stream() -> Iterator[bytes]:
        try:
            if leftover:
                yield leftover
            while chunk := proc.stdout.read1(CHUNK):  # type: ignore[union-attr]
                yield chunk
        finally:
            proc.stdout.close()  # type: ignore[union-attr]
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    return CgiResponse(status=status, headers=headers, body=stream())


def _read_headers(out: IO[bytes]) -> tuple[int, list[tuple[str, str]], bytes]:
    buffer = b""
    while b"\r\n\r\n" not in buffer and b"\n\n" not in buffer:
        chunk = out.read1(CHUNK)  # type: ignore[attr-defined]
        if not chunk:
            break
        buffer += chunk
        if len(buffer) > 64 * 1024:
            break
    sep = b"\r\n\r\n" if b"\r\n\r\n" in buffer else b"\n\n"
    head, _, rest = buffer.partition(sep)
    status = 200
    headers: list[tuple[str, str]] = []
    for line in head.decode("latin-1").splitlines():
        if ":" not in line:
            continue
        name, value = (part.strip() for part in line.split(":", 1))
        if name.lower() == "status":
            status = int(value.split()[0])
        else:
            headers.append((name, value))
    return status, headers, rest
