"""The Flask app as the integration tests build it: on the migrated test database, emptied
first, and optionally served on a loopback port by a real HTTP server in a thread."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from flask import Flask
from reciprocal import create_app
from reciprocal.extensions import db
from sqlalchemy import text
from werkzeug.serving import make_server


def truncate_all() -> None:
    """Empty every table (and reset the ids) of the app in context."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("PRAGMA foreign_keys=OFF"))
        for table in tables:
            db.session.execute(table.delete())
        db.session.execute(text("DELETE FROM sqlite_sequence")) if db.session.execute(
            text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
        ).first() else None
    db.session.commit()


def make_app(migrated: str, data_dir: Path, **overrides: Any) -> Flask:
    """An app on the migrated database `migrated` (emptied), its files in `data_dir`."""
    config = {
        "DATA_DIR": str(data_dir),
        "SQLALCHEMY_DATABASE_URI": migrated,
        "SECRET_KEY": "test-secret",
        "TESTING": True,
        "BASE_URL": "http://127.0.0.1:9",
        "RATELIMIT_ENABLED": True,
        "WORKER_TOKEN": "test-worker-token-" + "x" * 20,
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        truncate_all()
    return app


def dispose(app: Flask) -> None:
    """Close the app's database connections (a test that made its own app ends with this)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class LiveServer:
    """`app` answering real HTTP on 127.0.0.1:`port`, from a thread of this process."""

    def __init__(self, app: Flask, port: int) -> None:
        self.app = app
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(10)
