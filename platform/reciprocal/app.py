"""The application factory: one Flask app with its extensions, blueprints and wiring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import configure_mappers

from . import models  # noqa: F401  (register the tables with the metadata)
from .config import load_config
from .core.queues import install_session_hooks
from .extensions import csrf, db, limiter, migrate
from .git.hooks import install_hooks
from .observability import init_observability
from .web import register_web
from .web.rate_limits import (
    check_request_wide_limits_only_when_set,
    rate_limit_headers_only_where_read,
)
from .wiring import connect_signals


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory: settings from the environment, overridden by `config`."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config(config))
    data_dir = Path(app.config["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    # Configure every mapper now, in the process that serves (gunicorn builds the app in each
    # worker after the fork), rather than on the first request while other threads race it.
    configure_mappers()
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_connection)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    check_request_wide_limits_only_when_set(app, limiter)
    rate_limit_headers_only_where_read(app, limiter)
    install_hooks(data_dir / "hooks")
    register_web(app)
    init_observability(app)
    install_session_hooks()
    connect_signals()
    return app


def _sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    """SQLite for concurrent requests: readers never wait for the writer (WAL), and a writer
    waits its turn for up to 30 s instead of failing with "database is locked"."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
