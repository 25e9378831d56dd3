"""Request ids, structured (JSON lines) logs and Prometheus metrics at /metrics.

Request ids: an incoming `X-Request-ID` header is kept when it looks like an id (at most 128
characters of letters, digits, `.`, `_`, `-`), otherwise one is generated; it is echoed in the
response and put on every log record written while the request runs.

Logs: with RECIPROCAL_LOG_FORMAT=json the root logger writes one JSON object per line to
standard error (time, level, logger, message, request_id, and for each request an access line
with method, path, endpoint, status and duration). The default `text` leaves logging alone.

Metrics and gunicorn's several processes: the figures that describe the whole platform (queue
depth per RQ queue, grading runs by outcome, grading duration) are computed when /metrics is
scraped, from Redis and from the database rows, so every process answers the same thing and
nothing has to be shared between processes. Request latency is recorded in the process that
served the request. By default each process keeps its own histogram (a scrape sees the process
that answered it; with the default two gunicorn workers that is a sample, which suffices for
latency percentiles); set PROMETHEUS_MULTIPROC_DIR to an empty directory writable by gunicorn and
prometheus_client's multiprocess mode aggregates the histogram over every process.

Who reads the operational endpoints: `Authorization: Bearer <RECIPROCAL_METRICS_TOKEN>`, or a
request straight from an address RECIPROCAL_METRICS_ALLOW_FROM names (no proxy); else 401 with a
token set, 403 without. Loopback is no credential (a proxy on the host makes every visitor one).
The same rule, or an admin's session, unlocks the details of /readyz (web/health.py).

Candidate tokens (`/c/<token>`, `/git/<token>/...`) and bearer credentials never reach a log
line: `redact_tokens` masks them, for the JSON access line, `TokenRedactionFilter` (on every
handler and logger a record of this process reaches, the RQ worker's included) and gunicorn's
logger class (gunicorn_conf.py).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from .config import setting
from .core.redaction import redact_credentials

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
# Grading takes seconds to minutes: container start (~0.3 s) up to the wall-clock limit.
GRADING_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0)
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# Module level on purpose: prometheus_client metrics are process-wide, and several apps in one
# process (the test suite) must not register the same name twice.
REQUEST_LATENCY = Histogram(
    "reciprocal_http_request_duration_seconds",
    "Time to serve an HTTP request, by Flask endpoint, method and status code.",
    ["endpoint", "method", "status"],
    buckets=REQUEST_BUCKETS,
)

_JSON_HANDLER_MARK = "_reciprocal_json_handler"

REDACTED = "[token]"
# `/c/` or `/git/`, with slashes plain or percent-encoded (a raw request line, a `next=` value),
# then the segment after it. A token is 43 characters (secrets.token_urlsafe(32)); 16 is the
# floor so that the platform's own words (`/git/worker/`) and file names in tracebacks
# (`site-packages/git/cmd.py`) are left alone, while any prefix long enough to matter is masked.
_SLASH = r"(?:/|%2f)"
_TOKEN_IN_URL = re.compile(rf"({_SLASH}(?:c|git){_SLASH})[A-Za-z0-9_%-]{{16,}}", re.IGNORECASE)
# Loggers that write request lines themselves, with their own handlers: gunicorn's (which do not
# propagate) and werkzeug's development server.
_REQUEST_LINE_LOGGERS = ("gunicorn.access", "gunicorn.error", "werkzeug")
_PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")
_EXCEPTION_FORMATTER = logging.Formatter()


def redact_tokens(text: str) -> str:
    """`text` with every candidate token in a `/c/<token>` or `/git/<token>/` URL or path
    replaced by `[token]`, and every bearer or Authorization value (the worker credential,
    staff API tokens) masked by `core.redaction`."""
    return redact_credentials(_TOKEN_IN_URL.sub(rf"\g<1>{REDACTED}", text))


def redact_record(record: logging.LogRecord) -> None:
    """Mask candidate tokens in a record before it is formatted: its message with the arguments
    put in, its exception and stack text, and the `fields` of a JSON line."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError, KeyError):
        # Arguments that do not fit the message: the handler prints both when it reports that.
        message = f"{record.msg} {record.args!r}"
    clean = redact_tokens(message)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and not record.exc_text:
        record.exc_text = _EXCEPTION_FORMATTER.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact_tokens(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_tokens(record.stack_info)
    fields = getattr(record, "fields", None)
    if isinstance(fields, dict):
        record.fields = {
            key: redact_tokens(value) if isinstance(value, str) else value
            for key, value in fields.items()
        }


class TokenRedactionFilter(logging.Filter):
    """Masks candidate tokens in every record it sees; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


TOKEN_REDACTION = TokenRedactionFilter()


def install_token_redaction() -> None:
    """Put the redaction filter wherever a record of this process can reach an output
    (idempotent). A logger's own filter sees only the records made on that logger, not those
    propagated from its children, so the filter goes on handlers: the root logger's (the JSON
    handler, or whatever the process configured), Flask's default handler (the app logger's in
    text mode), and logging's last resort (what prints a warning when no handler is configured,
    the text-mode case under gunicorn). The loggers that write request lines get it on the
    logger itself, which also covers handlers they are given later."""
    targets: list[logging.Filterer] = [*logging.getLogger().handlers, default_handler]
    if logging.lastResort is not None:
        targets.append(logging.lastResort)
    targets.extend(logging.getLogger(name) for name in _REQUEST_LINE_LOGGERS)
    for target in targets:
        target.addFilter(TOKEN_REDACTION)


def current_request_id() -> str | None:
    if has_request_context():
        return g.get("request_id")
    return None


class RequestIdFilter(logging.Filter):
    """Put the current request's id (or None outside a request) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields given with `extra={"fields": {...}}` are merged."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    """Install the JSON lines handler on the root logger once per process (idempotent)."""
    if log_format != "json":
        return
    root = logging.getLogger()
    if any(getattr(h, _JSON_HANDLER_MARK, False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    setattr(handler, _JSON_HANDLER_MARK, True)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(TOKEN_REDACTION)
    # JSON mode owns the root logger: plain-text handlers would interleave unparseable lines.
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)


class PlatformCollector(Collector):
    """Platform-wide figures, computed at scrape time from Redis and the database."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        with self.app.app_context():
            yield from self._queues()
            yield from self._grading()

    def _queues(self) -> Iterator[Metric]:
        from redis.exceptions import RedisError  # scrape time: gunicorn's master imports us

        from .core import queues  # scrape time: gunicorn's master imports this module

        depth = GaugeMetricFamily(
            "reciprocal_queue_depth", "Jobs waiting in each RQ queue.", labels=["queue"]
        )
        running = GaugeMetricFamily(
            "reciprocal_queue_running", "Jobs being run now, per RQ queue.", labels=["queue"]
        )
        up = GaugeMetricFamily("reciprocal_redis_up", "1 when Redis answered this scrape.")
        try:
            connection = queues.redis_connection()
            for name in queues.QUEUE_NAMES:
                queue = queues.queue(name, connection)
                depth.add_metric([name], queue.count)
                running.add_metric([name], queue.started_job_registry.count)
            up.add_metric([], 1)
        except (RedisError, RuntimeError):
            up.add_metric([], 0)
            yield up
            return
        yield depth
        yield running
        yield up

    def _grading(self) -> Iterator[Metric]:
        from sqlalchemy import case, func, select  # scrape time, as above

        from .extensions import db  # scrape time, as above
        from .models import GradingRun  # scrape time, as above

        runs = GaugeMetricFamily(
            "reciprocal_grading_runs",
            "Grading runs in the database, by status (queued, running, passed, failed, error, "
            "timed_out).",
            labels=["status"],
        )
        for status, count in db.session.execute(
            select(GradingRun.status, func.count()).group_by(GradingRun.status)
        ):
            runs.add_metric([status], count)
        yield runs

        duration = GradingRun.duration_seconds
        columns = [func.sum(case((duration <= le, 1), else_=0)) for le in GRADING_BUCKETS]
        row = db.session.execute(
            select(func.count(duration), func.coalesce(func.sum(duration), 0.0), *columns)
        ).one()
        db.session.rollback()  # end the read transaction; this runs outside any request
        count, total, *cumulative = row
        buckets = [
            (str(le), int(c or 0)) for le, c in zip(GRADING_BUCKETS, cumulative, strict=True)
        ]
        buckets.append(("+Inf", int(count or 0)))
        histogram = HistogramMetricFamily(
            "reciprocal_grading_duration_seconds",
            "Wall-clock duration of finished grading runs (container run), from the database.",
            buckets=buckets,
            sum_value=float(total or 0.0),
        )
        yield histogram


def _request_id() -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if _REQUEST_ID_RE.match(incoming):
        return incoming
    return uuid.uuid4().hex


def _registry(app: Flask) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=True)
    if setting("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessRequestLatency())
    registry.register(PlatformCollector(app))
    return registry


class _ProcessRequestLatency(Collector):
    """This process's request latency histogram, exposed through the per-scrape registry."""

    def collect(self) -> Iterator[Metric]:
        yield from REQUEST_LATENCY.collect()


def metrics_token_given() -> bool:
    """True when RECIPROCAL_METRICS_TOKEN is set and this request carries it as its bearer."""
    expected = str(current_app.config.get("METRICS_TOKEN") or "")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), expected.encode())
    )


def from_named_scraper() -> bool:
    """The request comes straight from an address RECIPROCAL_METRICS_ALLOW_FROM names.

    Being on loopback is no credential: a proxy on this host connects from 127.0.0.1 whoever
    its client is, with or without a forwarding header. So only addresses the operator names
    count, and even from those a request that names a forwarded client (a proxy's) does not."""
    allowed = current_app.config.get("METRICS_ALLOW_FROM") or []
    if not allowed or any(name in request.headers for name in _PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:  # a unix socket: a proxy's, as likely as not
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in ipaddress.ip_network(item, strict=False) for item in allowed)


def may_read_operations() -> bool:
    """The metrics bearer token, or a scraper address the operator named."""
    return metrics_token_given() or from_named_scraper()


def metrics_refusal() -> Response | None:
    """None when this request may read /metrics, else the 401 or 403 to answer it with."""
    if may_read_operations():
        return None
    if current_app.config.get("METRICS_TOKEN"):
        return Response(
            "/metrics needs the metrics bearer token.\n",
            status=401,
            mimetype="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    return Response(
        "/metrics needs a credential: set RECIPROCAL_METRICS_TOKEN and scrape with it as the "
        "bearer, or name the scraper's address in RECIPROCAL_METRICS_ALLOW_FROM.\n",
        status=403,
        mimetype="text/plain",
    )


def init_observability(app: Flask) -> None:
    """Request ids, JSON logs (when configured), token redaction in logs and /metrics."""
    configure_logging(str(app.config.get("LOG_FORMAT", "text")))
    install_token_redaction()
    access_log = logging.getLogger("reciprocal.access")
    json_logs = app.config.get("LOG_FORMAT") == "json"

    @app.before_request
    def _start() -> None:
        g.request_id = _request_id()
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        request_id = g.get("request_id") or _request_id()
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        if started is None:
            return response
        elapsed = time.perf_counter() - started
        endpoint = request.endpoint or "unmatched"
        REQUEST_LATENCY.labels(endpoint, request.method, str(response.status_code)).observe(
            elapsed
        )
        if json_logs:
            path = redact_tokens(request.path)
            access_log.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "fields": {
                        "method": request.method,
                        "path": path,
                        "endpoint": endpoint,
                        "status": response.status_code,
                        "duration_ms": round(elapsed * 1000, 2),
                    }
                },
            )
        return response

    def metrics() -> Response:
        refusal = metrics_refusal()
        if refusal is not None:
            return refusal
        return Response(generate_latest(_registry(app)), content_type=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])
