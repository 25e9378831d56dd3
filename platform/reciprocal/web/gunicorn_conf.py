"""gunicorn settings for the platform image: `gunicorn -c python:reciprocal.web.gunicorn_conf`.

Environment (read by the image's default command, not by the application):
  WEB_BIND          address to listen on (default 0.0.0.0:8000)
  WEB_CONCURRENCY   worker processes (default 2; gunicorn's own convention)
  WEB_THREADS       threads per worker (default 8)

gthread workers: requests mostly wait on PostgreSQL, Redis and git, so threads give concurrency
cheaply. On SIGTERM gunicorn stops accepting connections and gives in-flight requests
graceful_timeout seconds to finish (the drain); the container's stop timeout must be longer.

Logs: candidate tokens are masked (`/c/[token]`, `/git/[token]/...`) in gunicorn's access and
error logs by `TokenRedactingLogger`. An `access_log_format` cannot do it: its atoms are the
request line, path and headers as received.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger

from reciprocal.observability import TOKEN_REDACTION, redact_tokens


class TokenRedactingLogger(Logger):
    """gunicorn's logger with candidate tokens masked in every access log atom (request line,
    path, query, referer, headers) and in the error log, which names the URI of a request that
    failed or could not be parsed."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(TOKEN_REDACTION)  # idempotent: setup runs again on reload

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any],
              request_time: timedelta) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact_tokens(value) if isinstance(value, str) else value
                for key, value in atoms.items()}


bind = [os.environ.get("WEB_BIND", "0.0.0.0:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "8"))
worker_class = "gthread"
timeout = 120
graceful_timeout = 30
keepalive = 5
# With JSON logs the application writes its own access lines (with the request id).
accesslog = None if os.environ.get("RECIPROCAL_LOG_FORMAT") == "json" else "-"
errorlog = "-"
logger_class = TokenRedactingLogger
loglevel = "info"
# gunicorn's control socket is one fixed path per user (two installations would share it) and is
# served by a thread of the master, which forks the workers: keep the master thread-free.
control_socket_disable = True
