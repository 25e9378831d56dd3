"""gunicorn settings for the platform image: `gunicorn -c python:reciprocal.gunicorn_conf`.

Environment (read by the image's default command, not by the application):
  WEB_BIND          address to listen on (default 0.0.0.0:8000)
  WEB_CONCURRENCY   worker processes (default 2; gunicorn's own convention)
  WEB_THREADS       threads per worker (default 8)

gthread workers: requests mostly wait on PostgreSQL, Redis and git, so threads give concurrency
cheaply. On SIGTERM gunicorn stops accepting connections and gives in-flight requests
graceful_timeout seconds to finish (the drain); the container's stop timeout must be longer.

Logs: candidate tokens are masked (`/c/[token]`, `/git/[token]/...`) in gunicorn's access and
error logs by `TokenRedactingLogger`. An `access_log_format` cannot do it: its atoms are the
request line, path and headers as received. Each access line is formatted once and masked once
as a whole: masking every atom first (gunicorn's atoms include every request and response
header and every environ key) cost more than the rest of a small request.
"""

from __future__ import annotations

import gc
import logging
import re
import traceback
from datetime import timedelta
from functools import cache
from typing import Any

from gunicorn.glogging import Logger

from reciprocal.config import setting
from reciprocal.connection_balance import assign_slot, release_slot
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

    def access(self, resp: Any, req: Any, environ: dict[str, Any],
               request_time: timedelta) -> None:
        """gunicorn's access line, masked once after formatting. Every atom is in the line as
        it is (a `"` escaped), separated from the next by the format's own text, so a token in
        any atom is still behind its `/c/` or `/git/` there, and masked.

        Header and environ atoms (`%({name}i)s`, `{name}o`, `{name}e`) are built only when the
        format names one: gunicorn otherwise makes, escapes and discards an atom for every
        header and environ key of every request."""
        if not self.access_log_enabled or not self.access_log.isEnabledFor(logging.INFO):
            return
        try:
            fmt = self.cfg.access_log_format
            kinds = _header_atom_kinds(fmt)
            atoms = super().atoms(
                resp if "o" in kinds else _WithoutHeaders(resp),
                req if "i" in kinds else _WithoutHeaders(req),
                environ if "e" in kinds else _WithoutItems(environ),
                request_time,
            )
            line = redact_tokens(fmt % self.atoms_wrapper_class(atoms))
            self.access_log.info(line)  # no arguments: the line is not formatted again
        except Exception:  # noqa: BLE001 - as gunicorn's own access(): a bad format is logged
            self.error(traceback.format_exc())


@cache
def _header_atom_kinds(access_log_format: str) -> frozenset[str]:
    """Which of request headers (i), response headers (o) and environ (e) the format names."""
    return frozenset(re.findall(r"%\(\{[^}]*\}([ioe])\)", access_log_format))


class _WithoutHeaders:
    """A request or response as gunicorn's atoms() reads it, with no headers to turn into
    atoms; everything else (status, bytes sent) is the message's own."""

    headers = ()

    def __init__(self, message: Any) -> None:
        self._message = message

    def __getattr__(self, name: str) -> Any:
        return getattr(self._message, name)


class _WithoutItems:
    """The environ for gunicorn's atoms(): every key it looks up, none to turn into atoms."""

    def __init__(self, environ: dict[str, Any]) -> None:
        self._environ = environ

    def __getitem__(self, key: str) -> Any:
        return self._environ[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._environ.get(key, default)

    def items(self) -> tuple[()]:
        return ()


def post_worker_init(worker: Any) -> None:
    """Once the worker has loaded the app, move everything alive (modules, the app, the
    configured mappers) out of the cyclic collector's reach. Otherwise every full collection
    walks all of it again: on a big Changes page (thousands of rows) collections were a third
    of the request's time."""
    gc.collect()
    gc.freeze()


bind = [setting("WEB_BIND")]
workers = setting("WEB_CONCURRENCY")
threads = setting("WEB_THREADS")  # the database pool is sized to it (reciprocal.config)
# gthread, accepting only its share of the connections (see connection_balance.py).
worker_class = "reciprocal.connection_balance.BalancedThreadWorker"
pre_fork = assign_slot
child_exit = release_slot
timeout = 120
graceful_timeout = 30
keepalive = 5
# With JSON logs the application writes its own access lines (with the request id).
accesslog = None if setting("RECIPROCAL_LOG_FORMAT") == "json" else "-"
errorlog = "-"
logger_class = TokenRedactingLogger
loglevel = "info"
# gunicorn's control socket is one fixed path per user (two installations would share it) and is
# served by a thread of the master, which forks the workers: keep the master thread-free.
control_socket_disable = True
