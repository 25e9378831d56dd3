"""Settings, read from RECIPROCAL_* environment variables with embedded defaults.

Every setting has a default so that `reciprocal serve` works on a fresh machine: SQLite in the
data directory, a private redis-server started by `serve`, and messages kept in the outbox when
no SMTP server is configured.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "RECIPROCAL_"
WEB_THREADS_DEFAULT = 8  # gunicorn threads per web process (WEB_THREADS, web/gunicorn_conf.py)


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{ENV_PREFIX}{name} must be an integer, got {raw!r}") from exc


def _env_int_list(name: str, default: list[int]) -> list[int]:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        message = f"{ENV_PREFIX}{name} must be comma-separated seconds, got {raw!r}"
        raise ValueError(message) from exc


def _env_list(name: str) -> list[str]:
    """A comma-separated setting as its non-empty, stripped items (empty when unset)."""
    return [part.strip() for part in (_env(name) or "").split(",") if part.strip()]


def _env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (CIDR), each checked at start."""
    items = _env_list(name)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            message = f"{ENV_PREFIX}{name} takes IP addresses or networks, got {item!r}"
            raise ValueError(message) from exc
    return items


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Setting:
    """One documented setting: used to build the configuration and the README reference."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("ASSIGNMENTS_DIR", "./assignments", "The assignment library folder."),
    Setting("DATA_DIR", "./instance", "Where repositories, assignment versions and SQLite live."),
    Setting("DATABASE_URL", "sqlite:///<DATA_DIR>/reciprocal.db", "SQLAlchemy database URL."),
    Setting("REDIS_URL", "(unset)", "Redis for RQ queues; unset: `serve` starts a private one."),
    Setting("SECRET_KEY", "(generated into DATA_DIR/secret_key)", "Signs sessions and CSRF."),
    Setting("BASE_URL", "http://127.0.0.1:8000", "Public URL used in links and git URLs."),
    Setting("SECURE_COOKIES", "true when BASE_URL is https", "Secure flag on cookies."),
    Setting("SMTP_HOST", "(unset)", "SMTP server; unset: messages wait in the admin outbox."),
    Setting("SMTP_PORT", "25", "SMTP port."),
    Setting("SMTP_USER", "(unset)", "SMTP user name."),
    Setting("SMTP_PASSWORD", "(unset)", "SMTP password."),
    Setting("SMTP_STARTTLS", "false", "Use STARTTLS."),
    Setting("MAIL_FROM", "Reciprocal <no-reply@localhost>", "Sender of candidate messages."),
    Setting("INVITATION_DAYS", "14", "Days a candidate has to start after being invited."),
    Setting("PUSH_GRACE_MINUTES", "10", "Pushes accepted this long after the deadline."),
    Setting("MAX_PUSH_MB", "50", "Largest push or upload accepted."),
    Setting("MAX_BLOB_MB", "10", "Largest single file accepted in a push."),
    Setting("MAX_PUSH_OBJECTS", "20000", "Most objects accepted in one push."),
    Setting("MAX_PUSH_INFLATED_MB", "200",
            "Largest total of new objects, unpacked, per push; and of a commit's files."),
    Setting("MAX_FILES", "20000",
            "Most files and folders in a pushed or uploaded commit, counted through its tree."),
    Setting("MAX_BODY_KB", "1024", "Largest request body outside the upload and git routes."),
    Setting("GRADING_RETRY_SECONDS", "5,20,60", "Backoff between retries of a grading job."),
    Setting("RETENTION_DAYS", "90",
            "Days code of decided candidates is kept; then their link opens nothing."),
    Setting("API_TOKEN_DAYS", "90", "Default lifetime of a new API token (0: no expiry)."),
    Setting("WORKER_TOKEN", "(unset)", "Credential workers use to fetch submissions over git."),
    Setting("PROXY_FIX", "0", "Number of trusted proxies in front (ProxyFix x_for/x_proto)."),
    Setting("LOG_FORMAT", "text", "text or json (JSON lines with request id)."),
    Setting("METRICS_TOKEN", "(unset)",
            "Bearer token that /metrics and the details of /readyz require."),
    Setting("METRICS_ALLOW_FROM", "(empty)",
            "Comma-separated scraper addresses or networks that read /metrics without the token."),
    Setting("RATELIMIT_STORAGE_URL", "REDIS_URL (memory:// when unset)",
            "Rate-limit counters: in Redis, one count across every web process."),
    Setting("INSTALLATION_ID", "derived from WORKER_TOKEN",
            "Labels this installation's grading containers; workers sweep only their own."),
    Setting("RUNNER_RUNTIME", "runsc",
            "OCI runtime of grading containers: runsc (gVisor) or runc; workers check it."),
    Setting("RUNNER_POOL_SIZE", "2",
            "Pre-started grading containers each worker keeps per runner image (0: none)."),
    Setting("RUNNER_POOL_IDLE_SECONDS", "600",
            "How long a pre-started container waits for a job before it is replaced."),
    Setting("WEBHOOK_ALLOW_HOSTS", "(empty)",
            "Comma-separated host names or IPs that webhooks may reach on private addresses."),
    Setting("REVIEWERS_PER_SUBMISSION", "2",
            "Reviewers the role's panel assigns to each submission when it arrives."),
)


def _secret_key(data_dir: Path) -> str:
    """Use RECIPROCAL_SECRET_KEY, else a key generated once and kept in the data directory."""
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    return private_file(data_dir / "secret_key", lambda: secrets.token_hex(32))


def private_file(path: Path, make: Callable[[], str]) -> str:
    """The secret kept in `path`, made by `make()` the first time.

    It is written whole into a temporary file that is private from its creation (mkstemp:
    0600, whatever the umask), then given its name by a hard link, which fails when the name
    exists: the first process to link wins, and every process (the losers included) reads the
    winner's value. Nobody can open the name before it is private and complete."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path.read_text().strip()


def default_assignments_dir() -> Path:
    """RECIPROCAL_ASSIGNMENTS_DIR, else the `assignments/` folder shipped beside the package."""
    return Path(_env("ASSIGNMENTS_DIR") or Path(__file__).resolve().parents[2] / "assignments")


def ratelimit_storage_uri() -> str:
    """RECIPROCAL_RATELIMIT_STORAGE_URL, else the platform's Redis (in the `limits` library's
    spelling of a unix socket URL), else process memory (one process only: the tests)."""
    configured = _env("RATELIMIT_STORAGE_URL")
    if configured:
        return configured
    redis_url = _env("REDIS_URL")
    if not redis_url:
        return "memory://"
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url[len("unix://"):]
    return redis_url


def web_threads() -> int:
    """Threads per web process: gunicorn's WEB_THREADS (web/gunicorn_conf.py), default 8."""
    raw = os.environ.get("WEB_THREADS", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else WEB_THREADS_DEFAULT


def engine_options(database_url: str) -> dict[str, Any]:
    """SQLAlchemy engine options for this database.

    The pool keeps a connection for each of a web process's threads: with fewer (SQLAlchemy's
    default is 5), each request past the fifth at once opened a connection and closed it again.
    Connections are checked before use (pre-ping) where a server can drop them; a SQLite file
    cannot, and the check was one more statement on every request."""
    from sqlalchemy.engine import make_url  # here: the supervisor imports this module

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):  # one static connection (Flask-SQLAlchemy)
            return {}
        return {"pool_size": web_threads()}
    return {"pool_size": web_threads(), "pool_pre_ping": True}


def env_data_dir() -> Path:
    """RECIPROCAL_DATA_DIR (default ./instance), resolved: for processes that build no app."""
    return Path(_env("DATA_DIR", "./instance") or "./instance").resolve()


def env_base_url() -> str:
    return (_env("BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask configuration mapping from the environment plus explicit overrides."""
    overrides = dict(overrides or {})
    data_dir = Path(overrides.pop("DATA_DIR", None) or env_data_dir()).resolve()
    base_url = overrides.get("BASE_URL") or _env("BASE_URL", "http://127.0.0.1:8000") or ""
    # Secure cookies whenever the platform is served over https (the production case).
    secure = _env_bool("SECURE_COOKIES", base_url.startswith("https://"))
    cfg: dict[str, Any] = {
        "DATA_DIR": data_dir,
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL", f"sqlite:///{data_dir / 'reciprocal.db'}"),
        "REDIS_URL": _env("REDIS_URL"),
        "BASE_URL": env_base_url(),
        "SMTP_HOST": _env("SMTP_HOST"),
        "SMTP_PORT": _env_int("SMTP_PORT", 25),
        "SMTP_USER": _env("SMTP_USER"),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD"),
        "SMTP_STARTTLS": _env_bool("SMTP_STARTTLS", False),
        "MAIL_FROM": _env("MAIL_FROM", "Reciprocal <no-reply@localhost>"),
        "INVITATION_DAYS": _env_int("INVITATION_DAYS", 14),
        "PUSH_GRACE_MINUTES": _env_int("PUSH_GRACE_MINUTES", 10),
        "MAX_PUSH_BYTES": _env_int("MAX_PUSH_MB", 50) * 1024 * 1024,
        "MAX_BLOB_BYTES": _env_int("MAX_BLOB_MB", 10) * 1024 * 1024,
        "MAX_PUSH_OBJECTS": _env_int("MAX_PUSH_OBJECTS", 20000),
        "MAX_PUSH_INFLATED_BYTES": _env_int("MAX_PUSH_INFLATED_MB", 200) * 1024 * 1024,
        "MAX_FILES": _env_int("MAX_FILES", 20000),
        "MAX_BODY_BYTES": _env_int("MAX_BODY_KB", 1024) * 1024,
        "RETENTION_DAYS": _env_int("RETENTION_DAYS", 90),
        "REVIEWERS_PER_SUBMISSION": _env_int("REVIEWERS_PER_SUBMISSION", 2),
        "API_TOKEN_DAYS": _env_int("API_TOKEN_DAYS", 90),
        "GRADING_RETRY_SECONDS": _env_int_list("GRADING_RETRY_SECONDS", [5, 20, 60]),
        "WORKER_TOKEN": _env("WORKER_TOKEN"),
        "PROXY_FIX": _env_int("PROXY_FIX", 0),
        "LOG_FORMAT": _env("LOG_FORMAT", "text"),
        "METRICS_TOKEN": _env("METRICS_TOKEN"),
        "METRICS_ALLOW_FROM": _env_networks("METRICS_ALLOW_FROM"),
        "WEBHOOK_ALLOW_HOSTS": _env_list("WEBHOOK_ALLOW_HOSTS"),
        "RATELIMIT_STORAGE_URI": ratelimit_storage_uri(),
        # A Redis outage must not turn every rate-limited route into a 500: fail open.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # The default cap; web/body_limits sets each request's own before anything reads it.
        "MAX_CONTENT_LENGTH": _env_int("MAX_BODY_KB", 1024) * 1024,
        "ASSIGNMENTS_DIR": default_assignments_dir(),
        "TESTING": False,
    }
    cfg.update(overrides)
    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(str(cfg["SQLALCHEMY_DATABASE_URI"])))
    cfg["DATA_DIR"] = data_dir
    cfg["SECRET_KEY"] = overrides.get("SECRET_KEY") or _secret_key(data_dir)
    return cfg
