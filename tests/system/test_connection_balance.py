"""gunicorn's web workers share a burst of kept-alive connections evenly (connection_balance):
with one shared listening socket, the first worker to wake used to take nearly all of them and
the web tier ran on one core."""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.support.served import served_platform

CONNECTIONS = 40


def _worker_pids(master: int) -> list[int]:
    pids: list[int] = []
    for task in Path(f"/proc/{master}/task").iterdir():
        pids += [int(p) for p in (task / "children").read_text().split()]
    return pids


def _established_inodes(port: int) -> set[str]:
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        if local_port == port and fields[3] == "01":  # ESTABLISHED, the server's side
            inodes.add(fields[9])
    return inodes


def _held_by(pid: int, inodes: set[str]) -> int:
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            held += 1
    return held


def _request(sock: socket.socket, port: int) -> bytes:
    sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    return sock.recv(65536)


def _holders(port: int, workers: list[int]) -> list[int]:
    inodes = _established_inodes(port)
    return [_held_by(pid, inodes) for pid in workers]


def _until_every_worker_serves(port: int, workers: list[int], timeout: float = 60) -> None:
    """A worker still loading the app takes no connection (it does not count yet), so the
    burst waits until each one holds a kept-alive connection: a worker holding two more than
    another that serves stops accepting, so a serving worker gets one of the first three."""
    deadline = time.monotonic() + timeout
    held: list[socket.socket] = []
    try:
        while time.monotonic() < deadline:
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            held.append(sock)
            assert _request(sock, port).startswith(b"HTTP/1.1 200")
            if all(_holders(port, workers)):
                return
            if len(held) >= 3:  # the other one is still booting: start again
                for old in held:
                    old.close()
                held = []
                time.sleep(0.2)
        raise AssertionError(f"not every web worker served within {timeout} s")
    finally:
        for sock in held:
            sock.close()


@pytest.mark.timeout(900)  # a platform of its own, started and stopped: slow on a loaded machine
def test_a_burst_of_kept_alive_connections_is_shared_by_the_workers(
        tmp_path: Path, platform_ready: Any) -> None:
    served = served_platform(tmp_path).start("--web-workers", "2")
    sockets = []
    try:
        workers = _worker_pids(served.children()["web"]["pid"])
        assert len(workers) == 2, workers
        _until_every_worker_serves(served.port, workers)
        # All connections open at once, as a proxy's pool or a load test opens them.
        sockets = [socket.create_connection(("127.0.0.1", served.port), timeout=30)
                   for _ in range(CONNECTIONS)]
        with ThreadPoolExecutor(CONNECTIONS) as pool:
            answers = list(pool.map(lambda s: _request(s, served.port), sockets))
        assert all(a.startswith(b"HTTP/1.1 200") for a in answers), answers[:3]
        held = _holders(served.port, workers)
    finally:
        for sock in sockets:
            sock.close()
        served.stop()
    # Every one answered. Those answered first may already be closed by the keep-alive timeout
    # (5 s) when the burst's last answers come late on a loaded machine, so the share is taken
    # of the connections still open: most of them, and no worker with less than a third of
    # them (one worker taking nearly all, as before the balancer, is far below that).
    assert sum(held) >= CONNECTIONS // 2, held
    assert min(held) * 3 >= sum(held), held
