"""Secrets the platform generates into the data directory (the secret key when
RECIPROCAL_SECRET_KEY is unset, serve's worker token): created once with mode 0600 from the
first byte, and the same value for every process that starts at the same moment."""

from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from reciprocal.config.private import generated_secret_key
from reciprocal.serve import worker_token

PROCESSES = 12
ROUNDS = 5


def _start(data_dir: str, barrier: Any, keys: Any) -> None:
    barrier.wait()
    keys.put(generated_secret_key(Path(data_dir)))


def _watch(data_dir: str, barrier: Any, first_sight: Any) -> None:
    """Spin until the key file exists; report its mode and content at first sight."""
    key_file = Path(data_dir) / "secret_key"
    barrier.wait()
    while True:
        try:
            fd = os.open(key_file, os.O_RDONLY)
        except FileNotFoundError:
            continue
        with os.fdopen(fd) as handle:
            first_sight.put((stat.S_IMODE(os.fstat(fd).st_mode), handle.read()))
        return


def test_workers_starting_together_all_read_the_one_key(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECIPROCAL_SECRET_KEY", raising=False)
    context = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        data_dir = tmp_path / f"data-{round_}"
        barrier = context.Barrier(PROCESSES + 1)
        keys, first_sight = context.Queue(), context.Queue()
        workers = [context.Process(target=_start, args=(str(data_dir), barrier, keys))
                   for _ in range(PROCESSES)]
        workers.append(context.Process(target=_watch, args=(str(data_dir), barrier, first_sight)))
        for worker in workers:
            worker.start()
        seen = [keys.get(timeout=60) for _ in range(PROCESSES)]
        mode, content = first_sight.get(timeout=60)
        for worker in workers:
            worker.join(60)
            assert worker.exitcode == 0
        kept = (data_dir / "secret_key").read_text().strip()
        assert set(seen) == {kept} and len(kept) == 64
        # Whoever opens the file sees it private and whole, never while it is being written.
        assert mode == 0o600 and content == kept
        assert stat.S_IMODE((data_dir / "secret_key").stat().st_mode) == 0o600
        assert sorted(p.name for p in data_dir.iterdir()) == ["secret_key"]  # no temp file left


def test_the_key_file_is_private_whatever_the_umask(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECIPROCAL_SECRET_KEY", raising=False)
    old = os.umask(0)
    try:
        key = generated_secret_key(tmp_path / "data")
    finally:
        os.umask(old)
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text() == key
    assert generated_secret_key(tmp_path / "data") == key  # read back, never replaced


def test_serves_worker_token_is_made_the_same_way(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        token = worker_token(tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "worker_token").stat().st_mode) == 0o600
    assert worker_token(tmp_path) == token and len(token) >= 43
