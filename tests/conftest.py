"""Fixtures shared by every kind of test (helpers live in tests/support/): the app factory
pattern of Flask's tutorial (`app`, `client`, `runner`) on a migrated database, real services
(Redis, a live HTTP server, the Docker engine) and `auth`, which signs staff in.

Under CI=true a missing service fails the test instead of skipping it.

The PostgreSQL pass of `make test` (`-m postgres`) runs again the tests whose subject depends
on the database: queries, migrations, row locks and races, the API's reads, similarity. A
module or test says so with `pytest.mark.postgres`; it must use the database (`migrated`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from reciprocal import create_app
from sqlalchemy import create_engine, text

from tests.support.apps import LiveServer, dispose, make_app
from tests.support.auth import Auth
from tests.support.auth import auth as the_auth
from tests.support.services import free_port, require


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("RECIPROCAL_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def migrated(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run the real Alembic migrations once per session, from an empty database."""
    if database_url.startswith("postgresql"):
        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(
        {
            "DATA_DIR": str(tmp_path_factory.mktemp("migrate")),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test",
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="heads")
    return database_url


@pytest.fixture
def app(migrated: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(migrated, tmp_path / "data", WTF_CSRF_ENABLED=False)
    yield app
    dispose(app)


@pytest.fixture
def csrf_app(migrated: str, tmp_path: Path) -> Iterator[Flask]:
    """An app with CSRF protection on, as in production."""
    app = make_app(migrated, tmp_path / "data")
    yield app
    dispose(app)


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        yield app


@pytest.fixture
def live_app(migrated: str, tmp_path: Path, redis_url: str) -> Iterator[LiveServer]:
    """The real app on a loopback port (for the git client, workers and the browser)."""
    port = free_port()
    app = make_app(
        migrated,
        tmp_path / "data",
        BASE_URL=f"http://127.0.0.1:{port}",
        REDIS_URL=redis_url,
        WTF_CSRF_ENABLED=True,
    )
    server = LiveServer(app, port).start()
    yield server
    server.stop()
    dispose(app)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real redis-server of our own on a unix socket, flushed between tests that use it."""
    binary = shutil.which("redis-server")
    require(binary is not None, "redis-server")
    folder = Path(tempfile.mkdtemp(prefix="reciprocal-redis-"))
    sock = folder / "redis.sock"
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not sock.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    require(sock.exists(), "redis-server (did not start)")
    yield f"unix://{sock}"
    proc.terminate()
    proc.wait(10)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def redis_conn(redis_url: str) -> Any:
    from redis import Redis

    conn = Redis.from_url(redis_url)
    conn.flushall()
    return conn


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test in the PostgreSQL pass must touch the database, or the pass proves nothing."""
    for item in items:
        if item.get_closest_marker("postgres") and "migrated" not in getattr(
                item, "fixturenames", ()):
            raise pytest.UsageError(f"{item.nodeid} is marked postgres but uses no database")


@pytest.fixture(scope="session")
def docker_client() -> Any:
    """The real Docker engine (DOCKER_HOST or the local socket)."""
    import docker

    try:
        client = docker.from_env(timeout=120)
        client.ping()
    except docker.errors.DockerException as exc:
        require(False, f"the Docker engine ({exc})")
    return client


@pytest.fixture(scope="session")
def runner_images(docker_client: Any) -> dict[str, str]:
    """Runner images, built once (a no-op when `make test` already built them)."""
    from reciprocal.runner import build_images

    return build_images(progress=lambda _line: None, client=docker_client)


@pytest.fixture
def auth() -> Auth:
    """Sign staff in as a role or a user: `auth.client(client, "recruiter")` for the Flask test
    client, `auth.session(served, "reviewer")` for a served platform, `auth.page(page, url,
    email)` for Chromium (tests/support/auth.py)."""
    return the_auth
