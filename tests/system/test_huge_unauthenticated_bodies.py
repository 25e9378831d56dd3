"""`reciprocal serve` refuses a huge unauthenticated body at once and keeps nothing of it.

A 200 MB body, produced by a generator and sent while the server answers, goes to `/login` and
to `/c/<any token>/upload`, once with a Content-Length and once chunked. Each is answered 413
within a second; afterwards no file has appeared in the data directory or in the server's
temporary directory, and no process of the served tree holds one open there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.support import rawhttp
from tests.support.served import Served, start_served

MIB = 1024 * 1024
SIZE = 200 * MIB
BOGUS_TOKEN = "A" * 43


def _files(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def _served_tree(served: Served) -> list[int]:
    """The pids of serve's process tree (serve starts it in a session of its own)."""
    assert served.proc is not None
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == served.proc.pid:
                    pids.append(int(entry))
            except ProcessLookupError:
                continue
    return pids


def _open_under(pids: list[int], folder: Path) -> list[str]:
    found = []
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith(str(folder)):
                found.append(f"{pid}: {target}")
    return found


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory, platform_ready: Any) -> Any:
    """One platform for both cases, with a temporary directory of its own to look into."""
    root = tmp_path_factory.mktemp("capped")
    temp_dir = root / "server-tmp"
    temp_dir.mkdir()
    served = start_served(root, TMPDIR=str(temp_dir))
    yield served, temp_dir
    served.stop()


CASES = [
    ("/login", "application/x-www-form-urlencoded", "request"),
    (f"/c/{BOGUS_TOKEN}/upload", rawhttp.MULTIPART, "upload or push"),
]
# Without a length, the upload route checks the link before it reads the form: 401 at once.
CHUNKED_UPLOAD_ANSWER = (401, "this link is not valid")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_200_mb_unauthenticated_body_is_refused_at_once(capped: Any, chunked: bool) -> None:
    served, temp_dir = capped
    data_before = _files(served.data_dir)
    for path, content_type, what in CASES:
        if content_type == rawhttp.MULTIPART:
            body, length = rawhttp.multipart_file(SIZE), rawhttp.multipart_length(SIZE)
        else:
            body, length = rawhttp.zeros(SIZE), SIZE
        response = rawhttp.send(
            served.url,
            path,
            headers={"Content-Type": content_type},
            content_length=None if chunked else length,
            body=body,
            timeout=30,
        )
        print(
            f"{path} ({'chunked' if chunked else 'Content-Length'}): {response.status} in "
            f"{response.seconds * 1000:.0f} ms after {response.sent_bytes / MIB:.1f} MB sent"
        )
        if chunked and content_type == rawhttp.MULTIPART:
            status, message = CHUNKED_UPLOAD_ANSWER
        else:
            status, message = 413, f"This {what} is larger than"
        assert response.status == status, response.text[:500]
        assert message in response.text
        assert response.seconds < 1, response.seconds
        assert not response.body_finished
        assert response.sent_bytes < 60 * MIB, response.sent_bytes  # cut off, not read through

    # The grading pool's socket folder lives there too; a spooled body never would be one.
    assert [p for p in temp_dir.iterdir() if not p.name.startswith("reciprocal-pool-")] == []
    assert _open_under(_served_tree(served), temp_dir) == []
    new_files = _files(served.data_dir) - data_before
    # SQLite's write-ahead log appears at the first database read (the link lookup), not because
    # of any body; the supervisor's state and the logs are written as the server runs.
    ours = [name for name in new_files if not name.startswith(("run/", "logs/"))
            and name not in ("reciprocal.db-wal", "reciprocal.db-shm")]
    assert not ours, new_files
