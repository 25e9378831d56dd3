"""Settings from environment variables, each declared once in `settings.SETTINGS`.

Every setting has a default so that `reciprocal serve` works on a fresh machine: SQLite in the
data directory, a private redis-server started by `serve`, and messages kept in the outbox when
no SMTP server is configured. `load_config` builds the Flask configuration from the table;
`setting(name)` reads one setting where there is no app.

Imports nothing of the platform and nothing heavy: the supervisor of `serve` and the grading
worker read their settings here too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .private import private_file
from .settings import SETTINGS, UnknownSetting, reference_table, setting, value_of
from .values import Setting, SettingError

__all__ = ["SETTINGS", "Setting", "SettingError", "UnknownSetting", "engine_options",
           "load_config", "private_file", "reference_table", "setting"]

# Flask and extension settings that are not the operator's to change.
FIXED: dict[str, Any] = {
    # A Redis outage must not turn every rate-limited route into a 500: fail open.
    "RATELIMIT_SWALLOW_ERRORS": True,
    "RATELIMIT_HEADERS_ENABLED": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "WTF_CSRF_TIME_LIMIT": None,
    "TESTING": False,
}


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Flask configuration: every setting that has a configuration key, read from the
    environment, with `overrides` (by configuration key) taking precedence, derived defaults
    (the SQLite file in DATA_DIR, secure cookies for an https BASE_URL) included."""
    overrides = dict(overrides or {})
    for key in ("DATA_DIR", "SECRET_KEY"):  # an empty override means "the usual one"
        if not overrides.get(key):
            overrides.pop(key, None)
    if "DATA_DIR" in overrides:
        overrides["DATA_DIR"] = Path(overrides["DATA_DIR"]).resolve()
    keyed = [s for s in SETTINGS if s.key]
    given = {s.name: overrides[s.key] for s in keyed if s.key in overrides}
    cfg: dict[str, Any] = {str(s.key): value_of(s, os.environ, given) for s in keyed}
    cfg.update(FIXED)
    cfg["SESSION_COOKIE_SECURE"] = cfg["REMEMBER_COOKIE_SECURE"] = cfg["SECURE_COOKIES"]
    # The default cap; web/body_limits sets each request's own before anything reads it.
    cfg["MAX_CONTENT_LENGTH"] = cfg["MAX_BODY_BYTES"]
    cfg.update(overrides)
    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(str(cfg["SQLALCHEMY_DATABASE_URI"])))
    return cfg


def engine_options(database_url: str) -> dict[str, Any]:
    """SQLAlchemy engine options for this database.

    The pool keeps a connection for each of a web process's threads (WEB_THREADS): with fewer
    (SQLAlchemy's default is 5), each request past the fifth at once opened a connection and
    closed it again. Connections are checked before use (pre-ping) where a server can drop
    them; a SQLite file cannot, and the check was one more statement on every request."""
    from sqlalchemy.engine import make_url  # here: the supervisor imports this module

    url = make_url(database_url)
    threads = setting("WEB_THREADS")
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):  # one static connection (Flask-SQLAlchemy)
            return {}
        return {"pool_size": threads}
    return {"pool_size": threads, "pool_pre_ping": True}
