"""Spreading kept-alive connections evenly over gunicorn's workers.

Every gthread worker accepts from the one listening socket the master shares. When many
connections open at once (a proxy's upstream pool, a load test, a burst of candidates), the
worker that wakes first accepts most of them and keeps them for as long as they stay alive:
measured here, one worker at 93% of a core and the other at 6%, so the web tier ran on one of
the machine's cores. Each worker's Python is bound to a core by the GIL; only an even share of
connections uses them all.

``BalancedThreadWorker`` accepts only while it holds no more than one connection more than the
least loaded live worker. The counts live in a small shared array (``multiprocessing`` shared
memory, an mmap: no thread, no connection) that the master creates before it forks; the master
gives each worker a slot before forking it and clears the slot when the worker exits. A worker
counts only while it serves: from the start of its event loop until it begins to stop. The
least loaded serving worker may always accept, so no connection waits for a full worker while
another has room; ``worker_connections`` still caps every worker.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

SLOTS = 64  # a worker beyond the 64th gets no slot: it accepts up to its cap, uncounted
SLACK = 1  # connections a worker may hold beyond the least loaded one before it pauses

_pids = multiprocessing.RawArray("i", SLOTS)
_counts = multiprocessing.RawArray("i", SLOTS)


def assign_slot(server: Any, worker: Any) -> None:
    """gunicorn ``pre_fork`` (in the master): a slot no live worker holds."""
    taken = {getattr(w, "balance_slot", None) for w in server.WORKERS.values()}
    worker.balance_slot = next((i for i in range(SLOTS) if i not in taken), None)
    if worker.balance_slot is not None:
        _counts[worker.balance_slot] = 0
        _pids[worker.balance_slot] = 0


def release_slot(server: Any, worker: Any) -> None:
    """gunicorn ``child_exit`` (in the master): the exited worker's connections are gone."""
    slot = getattr(worker, "balance_slot", None)
    if slot is not None:
        _pids[slot] = 0
        _counts[slot] = 0


def fair_limit(mine: int, slot: int | None, cap: int) -> int:
    """How many connections this worker may hold now: one more than the least loaded other
    live worker holds plus SLACK, never above ``cap``. Publishes ``mine`` first."""
    if slot is None:
        return cap
    _counts[slot] = mine
    others = [_counts[i] for i in range(SLOTS) if i != slot and _pids[i]]
    if not others:
        return cap
    return min(cap, min(others) + SLACK + 1)


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's gthread worker, pausing its accepts while it holds more than its share.

    gthread reads ``worker_connections`` once per turn of its event loop to decide whether to
    listen; here that read is the fair limit of the moment."""

    balance_slot: int | None = None

    def run(self) -> None:
        """Counted among the workers only from here: once the app is loaded and it accepts. A
        worker still booting would otherwise hold the others back at its zero connections."""
        if self.balance_slot is not None:
            _pids[self.balance_slot] = self.pid
        super().run()

    @property
    def alive(self) -> bool:
        return self._alive

    @alive.setter
    def alive(self, value: bool) -> None:
        """A stopping worker (SIGTERM, SIGQUIT, max_requests) accepts nothing more: it leaves
        the count at once, so that the others do not wait for it while it drains."""
        self._alive = value
        if not value and self.balance_slot is not None:
            _pids[self.balance_slot] = 0

    @property
    def worker_connections(self) -> int:
        return fair_limit(self.nr_conns, self.balance_slot, self._connection_cap)

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._connection_cap = value
