"""The share of connections a gunicorn worker may hold (reciprocal.connection_balance)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from reciprocal import connection_balance as balance


@pytest.fixture(autouse=True)
def empty_slots() -> None:
    for i in range(balance.SLOTS):
        balance._pids[i] = balance._counts[i] = 0


def test_a_lone_worker_has_the_whole_cap() -> None:
    balance._pids[0] = 100
    assert balance.fair_limit(40, 0, 1000) == 1000
    assert balance.fair_limit(40, None, 1000) == 1000


def test_a_worker_pauses_one_connection_above_the_least_loaded() -> None:
    balance._pids[0], balance._pids[1] = 100, 101
    balance._counts[1] = 3
    limit = balance.fair_limit(4, 0, 1000)
    assert limit == 5 and 4 < limit  # 4 held: it may take the 5th
    assert balance.fair_limit(5, 0, 1000) == 5  # 5 held: it waits for the other
    # The least loaded worker may always accept, whatever the others hold.
    balance._counts[0] = 9
    assert balance.fair_limit(3, 1, 1000) > 3
    assert balance.fair_limit(3, 1, 2) == 2  # worker_connections still caps


def test_the_master_assigns_and_frees_slots() -> None:
    first, second, third = (SimpleNamespace() for _ in range(3))
    server = SimpleNamespace(WORKERS={})
    balance.assign_slot(server, first)
    server.WORKERS[1] = first
    balance.assign_slot(server, second)
    server.WORKERS[2] = second
    assert (first.balance_slot, second.balance_slot) == (0, 1)
    balance._pids[0], balance._counts[0] = 100, 7
    balance.release_slot(server, first)
    del server.WORKERS[1]
    assert (balance._pids[0], balance._counts[0]) == (0, 0)
    balance.assign_slot(server, third)
    assert third.balance_slot == 0  # a dead worker's slot is given again
    # A dead worker's count no longer holds the others back.
    balance._pids[1] = 101
    assert balance.fair_limit(50, 1, 1000) == 1000
