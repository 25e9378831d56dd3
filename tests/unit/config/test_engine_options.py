"""Database engine options: a pool as large as a web process's thread count, and the pre-use
check (pre-ping) only for servers that can drop a connection, not for a SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from reciprocal.config import SettingError, engine_options, load_config, setting

WEB_THREADS_DEFAULT = 8


def test_sqlite_file_has_a_pool_per_thread_and_no_pre_ping(tmp_path: Path) -> None:
    assert engine_options(f"sqlite:///{tmp_path / 'x.db'}") == {"pool_size": WEB_THREADS_DEFAULT}


def test_servers_keep_the_pre_ping() -> None:
    options = engine_options("postgresql+psycopg://u:p@db/reciprocal")
    assert options == {"pool_size": WEB_THREADS_DEFAULT, "pool_pre_ping": True}


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_sqlite_in_memory_keeps_its_single_static_connection(url: str) -> None:
    assert engine_options(url) == {}


def test_the_pool_follows_web_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_THREADS", "3")
    assert setting("WEB_THREADS") == 3
    assert engine_options("postgresql://db/x")["pool_size"] == 3
    monkeypatch.setenv("WEB_THREADS", "zero")
    with pytest.raises(SettingError, match="WEB_THREADS must be a whole number of at least 1"):
        engine_options("postgresql://db/x")


def test_options_follow_the_database_actually_used(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECIPROCAL_DATABASE_URL", raising=False)
    overridden = load_config({"DATA_DIR": str(tmp_path), "SECRET_KEY": "k",
                              "SQLALCHEMY_DATABASE_URI": "postgresql://db/x"})
    assert overridden["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    explicit = load_config({"DATA_DIR": str(tmp_path), "SECRET_KEY": "k",
                            "SQLALCHEMY_ENGINE_OPTIONS": {"echo": False}})
    assert explicit["SQLALCHEMY_ENGINE_OPTIONS"] == {"echo": False}
