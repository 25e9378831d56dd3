"""Every setting, declared once: the environment variable, its default, how it is read, what it
means. The Flask configuration is built from this table (`load_config`), docs/production.md's
reference is generated from it (`scripts/settings_reference.py`, kept in step by a test), and
processes that build no app (the grading worker, its container pool, gunicorn's configuration,
`serve`) read one setting with `setting(name)`.

Read by (the docs' column): "platform" is every process that builds the app (web,
maintenance, the CLI); "worker" is `reciprocal worker`; "gunicorn" is the web server's own
configuration (the image's default command and `serve`).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .private import generated_secret_key
from .values import (
    Getter,
    Setting,
    SettingError,
    choice,
    flag,
    integer,
    integers,
    names,
    networks,
    path,
    resolved_path,
    scaled,
    text,
    url,
)

ROOT = Path(__file__).resolve().parents[3]  # the checkout (or /app in the image)
KIB, MIB = 1024, 1024 * 1024
_RUNSC_VARIANT = re.compile(r"runsc-[a-z0-9][a-z0-9_.-]{0,30}")


def runtime(raw: str) -> str:
    """An OCI runtime for the runner containers: gVisor's runsc (or a variant the operator
    registered with other flags, ``runsc-kvm``), or runc."""
    value = raw.strip().lower()
    if value in ("runsc", "runc") or _RUNSC_VARIANT.fullmatch(value):
        return value
    raise ValueError("runsc, runsc-<variant> or runc")


def _rate_limit_storage(get: Getter) -> str:
    """The platform's Redis, in the `limits` library's spelling of a unix socket URL, else
    process memory (one process only: the tests)."""
    redis_url = str(get("RECIPROCAL_REDIS_URL") or "")
    if not redis_url:
        return "memory://"
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url[len("unix://"):]
    return redis_url


def _installation_id(get: Getter) -> str:
    """Derived from the worker credential, which every worker of an installation shares and no
    other installation has."""
    token = get("RECIPROCAL_WORKER_TOKEN") or ""
    return hashlib.sha256(b"reciprocal-installation:" + token.encode()).hexdigest()[:16]


SETTINGS: tuple[Setting, ...] = (
    Setting("RECIPROCAL_ASSIGNMENTS_DIR", None, path,
            "The assignment library folder.", key="ASSIGNMENTS_DIR",
            derive=lambda get: ROOT / "assignments",
            shown="`assignments/` beside the code (`/app/assignments` in the image)"),
    Setting("RECIPROCAL_BUILD_CA_FILE", "/etc/ssl/certs/ca-certificates.crt", path,
            "CA bundle copied into an assignment environment's build context, so its Dockerfile "
            "reaches PyPI and npm through the same proxy or mirror as this host.",
            read_by="platform, worker"),
    Setting("RECIPROCAL_BUILD_NETWORK", "", text,
            "Docker network of an environment's build steps (empty: the engine's default "
            "bridge; `host` for an engine started without one). Only builds, written by staff, "
            "reach the network: grading containers never do.", read_by="platform, worker"),
    Setting("RECIPROCAL_DATA_DIR", "./instance", resolved_path,
            "Where repositories, assignment versions and SQLite live.", key="DATA_DIR",
            read_by="platform, `serve`"),
    Setting("RECIPROCAL_DATABASE_URL", None, text,
            "SQLAlchemy database URL.", key="SQLALCHEMY_DATABASE_URI",
            derive=lambda get: f"sqlite:///{get('RECIPROCAL_DATA_DIR') / 'reciprocal.db'}",
            shown="`sqlite:///<DATA_DIR>/reciprocal.db`"),
    Setting("RECIPROCAL_REDIS_URL", None, text,
            "Redis for RQ queues; unset: `serve` starts a private one.", key="REDIS_URL",
            read_by="platform, worker, `serve`"),
    Setting("RECIPROCAL_SECRET_KEY", None, text,
            "Signs sessions and CSRF.", key="SECRET_KEY",
            derive=lambda get: generated_secret_key(get("RECIPROCAL_DATA_DIR")),
            shown="(generated into DATA_DIR/secret_key)"),
    Setting("RECIPROCAL_BASE_URL", "http://127.0.0.1:8000", url,
            "Public URL used in links and git URLs; a worker's own is the platform as it "
            "reaches it.", key="BASE_URL", read_by="platform, worker, `serve`"),
    Setting("RECIPROCAL_SECURE_COOKIES", None, flag,
            "Secure flag on cookies.", key="SECURE_COOKIES",
            derive=lambda get: get("RECIPROCAL_BASE_URL").startswith("https://"),
            shown="true when BASE_URL is https"),
    Setting("RECIPROCAL_SMTP_HOST", None, text,
            "SMTP server; unset: messages wait in the admin outbox.", key="SMTP_HOST"),
    Setting("RECIPROCAL_SMTP_PORT", "25", integer(1, 65535), "SMTP port.", key="SMTP_PORT"),
    Setting("RECIPROCAL_SMTP_USER", None, text, "SMTP user name.", key="SMTP_USER"),
    Setting("RECIPROCAL_SMTP_PASSWORD", None, text, "SMTP password.", key="SMTP_PASSWORD"),
    Setting("RECIPROCAL_SMTP_STARTTLS", "false", flag, "Use STARTTLS.", key="SMTP_STARTTLS"),
    Setting("RECIPROCAL_MAIL_FROM", "Reciprocal <no-reply@localhost>", text,
            "Sender of candidate messages.", key="MAIL_FROM"),
    Setting("RECIPROCAL_PUBLIC_REPORT", "false", flag,
            "Publish the reciprocity report at /reciprocity and /reciprocity.json (aggregates "
            "only, for a careers page).", key="PUBLIC_REPORT"),
    Setting("RECIPROCAL_PUBLIC_REPORT_COMPANY", None, text,
            "The company's name on the public reciprocity report.",
            key="PUBLIC_REPORT_COMPANY"),
    Setting("RECIPROCAL_PUBLIC_REPORT_MIN_COUNT", "10", integer(1),
            "Fewest candidates a public figure rests on; below it the figure is hidden.",
            key="PUBLIC_REPORT_MIN_COUNT"),
    Setting("RECIPROCAL_FAIRNESS_MIN_COUNT", "5", integer(1),
            "Fewest candidates of a group entering a stage (or scores given to a group on a "
            "criterion) for the fairness report to compare it; below it: too few to compare.",
            key="FAIRNESS_MIN_COUNT"),
    Setting("RECIPROCAL_PUBLIC_REPORT_CACHE_SECONDS", "3600", integer(0),
            "How long the public report is kept before it is counted again.",
            key="PUBLIC_REPORT_CACHE_SECONDS"),
    Setting("RECIPROCAL_INVITATION_DAYS", "14", integer(0),
            "Days a candidate has to start after being invited.", key="INVITATION_DAYS"),
    Setting("RECIPROCAL_PUSH_GRACE_MINUTES", "10", integer(0),
            "Pushes accepted this long after the deadline.", key="PUSH_GRACE_MINUTES"),
    Setting("RECIPROCAL_MAX_PUSH_MB", "50", scaled(MIB),
            "Largest push or upload accepted.", key="MAX_PUSH_BYTES"),
    Setting("RECIPROCAL_MAX_BLOB_MB", "10", scaled(MIB),
            "Largest single file accepted in a push.", key="MAX_BLOB_BYTES"),
    Setting("RECIPROCAL_MAX_PUSH_OBJECTS", "20000", integer(0),
            "Most objects accepted in one push.", key="MAX_PUSH_OBJECTS"),
    Setting("RECIPROCAL_MAX_PUSH_INFLATED_MB", "200", scaled(MIB),
            "Largest total of new objects, unpacked, per push; and of a commit's files.",
            key="MAX_PUSH_INFLATED_BYTES"),
    Setting("RECIPROCAL_MAX_FILES", "20000", integer(0),
            "Most files and folders in a pushed or uploaded commit, counted through its tree.",
            key="MAX_FILES"),
    Setting("RECIPROCAL_MAX_BODY_KB", "1024", scaled(KIB),
            "Largest request body outside the upload and git routes.", key="MAX_BODY_BYTES"),
    Setting("RECIPROCAL_AI_TRANSCRIPT_KB", "256", scaled(KIB),
            "Largest AI-assistant transcript a candidate may attach at submit (text or "
            "Markdown; kept below RECIPROCAL_MAX_BODY_KB).", key="AI_TRANSCRIPT_BYTES"),
    Setting("RECIPROCAL_GRADING_RETRY_SECONDS", "5,20,60", integers,
            "Backoff between retries of a grading job.", key="GRADING_RETRY_SECONDS"),
    Setting("RECIPROCAL_RETENTION_DAYS", "90", integer(0),
            "Days code of decided candidates is kept; then their link opens nothing.",
            key="RETENTION_DAYS"),
    Setting("RECIPROCAL_API_TOKEN_DAYS", "90", integer(0),
            "Default lifetime of a new API token (0: no expiry).", key="API_TOKEN_DAYS"),
    Setting("RECIPROCAL_WORKER_TOKEN", None, text,
            "Credential workers use to claim runs and fetch submissions; `serve` generates "
            "one into DATA_DIR/worker_token when unset.", key="WORKER_TOKEN",
            read_by="platform, worker, `serve`"),
    Setting("RECIPROCAL_PROXY_FIX", "0", integer(0),
            "Number of trusted proxies in front (ProxyFix x_for/x_proto).", key="PROXY_FIX"),
    Setting("RECIPROCAL_LOG_FORMAT", "text", choice("text", "json"),
            "text or json (JSON lines with request id).", key="LOG_FORMAT",
            read_by="platform, gunicorn"),
    Setting("RECIPROCAL_METRICS_TOKEN", None, text,
            "Bearer token that `/metrics` and the details of `/readyz` require (see "
            "Observability).", key="METRICS_TOKEN"),
    Setting("RECIPROCAL_METRICS_ALLOW_FROM", "", networks,
            "Comma-separated IP addresses or networks (`10.0.5.7`, `10.0.5.0/24`, "
            "`127.0.0.1`) of scrapers that read `/metrics` and the details of `/readyz` "
            "without the token, when they connect directly (never through a proxy). An entry "
            "that is not an address stops the start.", key="METRICS_ALLOW_FROM"),
    Setting("RECIPROCAL_RATELIMIT_STORAGE_URL", None, text,
            "Rate-limit counters: in Redis, one count across every web process.",
            key="RATELIMIT_STORAGE_URI", derive=_rate_limit_storage,
            shown="REDIS_URL (memory:// when unset)"),
    Setting("RECIPROCAL_INSTALLATION_ID", None, lambda raw: raw.strip()[:63],
            "Labels this installation's grading containers; workers sweep only their own.",
            read_by="worker", derive=_installation_id, shown="derived from WORKER_TOKEN"),
    Setting("RECIPROCAL_RUNNER_RUNTIME", "runsc", runtime,
            "OCI runtime of grading containers: `runsc` (gVisor) or `runc`. A grading worker "
            "whose Docker engine lacks it refuses to start; `scripts/ensure-docker.sh` "
            "installs and registers runsc.", read_by="worker, platform (`/readyz`)"),
    Setting("RECIPROCAL_RUNNER_POOL_SIZE", "2", integer(0, 16),
            "Pre-started grading containers each worker keeps per runner image (0: none, "
            "every job starts its container).", read_by="worker"),
    Setting("RECIPROCAL_RUNNER_POOL_IDLE_SECONDS", "600", integer(10, 86_400),
            "How long a pre-started container waits for a job before the pool replaces it; "
            "the sweeper removes one past this plus its run's time limit.", read_by="worker"),
    Setting("RECIPROCAL_SCRATCH_DIR", None, path,
            "Where a worker unpacks a submission for one job.", read_by="worker",
            derive=lambda get: Path(tempfile.gettempdir()),
            shown="the system's temporary directory (`/tmp/reciprocal-scratch` in the image)"),
    Setting("RECIPROCAL_WEBHOOK_ALLOW_HOSTS", "", names,
            "Comma-separated host names or IPs that webhooks may reach although they are "
            "private (see Webhook targets).", key="WEBHOOK_ALLOW_HOSTS"),
    Setting("RECIPROCAL_REVIEWERS_PER_SUBMISSION", "2", integer(0),
            "Reviewers the role's panel assigns to each submission when it arrives.",
            key="REVIEWERS_PER_SUBMISSION"),
    Setting("RECIPROCAL_RUNNERS_DIR", None, path,
            "The runner Dockerfiles.", read_by="`runners build`",
            derive=lambda get: ROOT / "runners", shown="`runners/` beside the code"),
    Setting("RECIPROCAL_DEBIAN_MIRROR", "http://deb.debian.org/debian", url,
            "The Debian mirror the base image is made from.",
            read_by="`runners build` (runners/base/build-base.sh)"),
    Setting("RECIPROCAL_DEBIAN_SECURITY_MIRROR", "http://deb.debian.org/debian-security", url,
            "The mirror of Debian's security updates in the base image's apt sources.",
            read_by="`runners build` (runners/base/build-base.sh)"),
    Setting("RECIPROCAL_OIDC_DISCOVERY_URL", None, url,
            "OpenID Connect provider's discovery document (`.../.well-known/openid-"
            "configuration`); set, staff may sign in with single sign-on (see Single sign-on).",
            key="OIDC_DISCOVERY_URL"),
    Setting("RECIPROCAL_OIDC_CLIENT_ID", None, text, "The platform's client id at the provider.",
            key="OIDC_CLIENT_ID"),
    Setting("RECIPROCAL_OIDC_CLIENT_SECRET", None, text,
            "The platform's client secret at the provider.", key="OIDC_CLIENT_SECRET"),
    Setting("RECIPROCAL_OIDC_ALLOWED_DOMAINS", "", names,
            "Comma-separated email domains whose verified users get an account at first "
            "sign-in; empty: invitation-only (an admin creates the account first).",
            key="OIDC_ALLOWED_DOMAINS"),
    Setting("RECIPROCAL_OIDC_DEFAULT_ROLE", "reviewer", choice("reviewer", "recruiter", "admin"),
            "Role of an account made at first sign-in when no group maps to one.",
            key="OIDC_DEFAULT_ROLE"),
    Setting("RECIPROCAL_OIDC_GROUPS_CLAIM", "", text,
            "ID token claim listing the user's groups (e.g. `groups`); empty: roles are not "
            "taken from groups.", key="OIDC_GROUPS_CLAIM"),
    Setting("RECIPROCAL_OIDC_GROUP_ROLES", "", names,
            "Comma-separated `group=role` pairs; at each sign-in the highest mapped role is "
            "the account's role.", key="OIDC_GROUP_ROLES"),
    Setting("RECIPROCAL_REQUIRE_SSO", "false", flag,
            "Staff must sign in with single sign-on: passwords are refused, except for the "
            "break-glass admin.", key="REQUIRE_SSO"),
    Setting("RECIPROCAL_BREAK_GLASS_EMAIL", "", text,
            "The one admin account that may still sign in with a password (and its second "
            "factor) when single sign-on is required.", key="BREAK_GLASS_EMAIL"),
    Setting("RECIPROCAL_REQUIRE_TWO_FACTOR", "false", flag,
            "Every password sign-in needs an authenticator code; accounts without one enrol "
            "right after their password.", key="REQUIRE_TWO_FACTOR"),
    Setting("WEB_BIND", "0.0.0.0:8000", text,
            "Address gunicorn listens on (`serve` sets it from `--host` and `--port`).",
            read_by="gunicorn"),
    Setting("WEB_CONCURRENCY", "2", integer(1),
            "gunicorn worker processes (`serve --web-workers`).", read_by="gunicorn"),
    Setting("WEB_THREADS", "8", integer(1),
            "Threads per gunicorn process; each process's database pool holds as many "
            "connections.", read_by="gunicorn, platform"),
    Setting("PROMETHEUS_MULTIPROC_DIR", None, path,
            "prometheus_client's multiprocess mode: exact totals across web processes (see "
            "Observability).", read_by="platform (prometheus_client)"),
    Setting("DOCKER_HOST", None, text,
            "Docker's own variable: the engine that runs the runner containers.",
            read_by="worker, `runners build` (the docker SDK)", shown="(the local socket)"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class UnknownSetting(LookupError):
    """A name that is not in SETTINGS: a typo in the code, never a user's mistake."""


def declared(name: str) -> Setting:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownSetting(f"{name} is not a declared setting "
                             "(reciprocal.config.settings.SETTINGS)") from None


def setting(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """The value of the declared setting `name` (its environment variable, e.g.
    ``"RECIPROCAL_RUNNER_POOL_SIZE"``), read from the environment now: its parsed value, else
    its default. A bad value raises SettingError naming the variable."""
    return value_of(declared(name), os.environ if environ is None else environ, {})


def value_of(item: Setting, environ: Mapping[str, str], given: Mapping[str, Any]) -> Any:
    """`item`'s value: `given` (by variable name) first, then the environment, then the
    default; a derived default reads the other settings the same way."""
    if item.name in given:
        return given[item.name]
    raw = environ.get(item.name, "").strip()
    if not raw:
        if item.derive is not None:
            return item.derive(lambda other: value_of(declared(other), environ, given))
        if item.default is None:
            return None
        raw = item.default
    try:
        return item.parse(raw)
    except ValueError as exc:
        raise SettingError(f"{item.name} must be {exc}, got {raw!r}") from None


REFERENCE_BEGIN = ("<!-- settings: generated from reciprocal.config.settings by "
                   "scripts/settings_reference.py -->")
REFERENCE_END = "<!-- end of settings -->"


def reference_table() -> str:
    """docs/production.md's configuration reference, as Markdown."""
    rows = ["| Variable | Default | Read by | Meaning |", "| --- | --- | --- | --- |"]
    rows += [f"| `{s.name}` | {s.documented_default} | {s.read_by} | {s.help} |"
             for s in SETTINGS]
    return "\n".join(rows) + "\n"


def with_reference(document: str) -> str:
    """`document` with the table between its reference markers made anew."""
    head, begin, rest = document.partition(REFERENCE_BEGIN)
    _old, end, tail = rest.partition(REFERENCE_END)
    if not begin or not end:
        raise ValueError(f"the document lacks the markers {REFERENCE_BEGIN} ... {REFERENCE_END}")
    return f"{head}{begin}\n{reference_table()}{end}{tail}"
