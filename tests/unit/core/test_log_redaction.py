"""Candidate tokens never reach a log line: the one redaction function, the logging filter built
on it, the JSON formatter and gunicorn's logger class."""

from __future__ import annotations

import io
import json
import logging
import secrets
from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from reciprocal.gunicorn_conf import TokenRedactingLogger
from reciprocal.observability import (
    REDACTED,
    JsonFormatter,
    TokenRedactionFilter,
    redact_tokens,
)

URL_SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def new_token() -> str:
    """What a candidate is given (the tokens module: secrets.token_urlsafe(32))."""
    return secrets.token_urlsafe(32)


@pytest.fixture
def token() -> str:
    return new_token()


def test_portal_and_git_paths_lose_their_token(token: str) -> None:
    assert redact_tokens(f"/c/{token}") == "/c/[token]"
    assert redact_tokens(f"/c/{token}/status.json") == "/c/[token]/status.json"
    assert redact_tokens(f"GET /c/{token}/start HTTP/1.1") == "GET /c/[token]/start HTTP/1.1"
    git_url = f"http://127.0.0.1:8000/git/{token}/customer-directory.git/info/refs"
    assert redact_tokens(git_url + "?service=git-upload-pack") == (
        "http://127.0.0.1:8000/git/[token]/customer-directory.git/info/refs"
        "?service=git-upload-pack"
    )


def test_every_occurrence_and_every_spelling_is_masked(token: str) -> None:
    other = new_token()
    line = f'"GET /c/{token} HTTP/1.1" 200 "http://host/git/{other}/x.git"'
    assert redact_tokens(line) == '"GET /c/[token] HTTP/1.1" 200 "http://host/git/[token]/x.git"'
    # Percent-encoded, as in a raw request line or a `next=` parameter.
    assert redact_tokens(f"/login?next=%2Fc%2F{token}") == "/login?next=%2Fc%2F[token]"
    assert redact_tokens(f"/login?next=%2fgit%2f{token}%2Fx.git") == (
        "/login?next=%2fgit%2f[token].git"  # `%2Fx` is taken for part of the token
    )
    encoded = token[:10] + "%2D" + token[10:]
    assert redact_tokens(f"/c/{encoded}") == "/c/[token]"
    assert redact_tokens(f"/C/{token}") == "/C/[token]"


def test_anything_shaped_like_a_token_is_masked_whole() -> None:
    # The shortest and longest values the tokens module's looks_like_token accepts (40 and 120
    # URL-safe characters), and random tokens.
    for value in ["a" * 40, "-_" * 60, *(new_token() for _ in range(500))]:
        assert set(value) <= URL_SAFE
        for text in (f"/c/{value}", f"/git/{value}/repo.git", f"x /c/{value}/start y"):
            masked = redact_tokens(text)
            assert value not in masked and REDACTED in masked
            assert not any(value[i:i + 16] in masked for i in range(len(value) - 15))


def test_what_is_not_a_candidate_token_is_left_alone() -> None:
    for text in (
        "/git/worker/12.git/info/refs?service=git-upload-pack",
        "/healthz",
        "/c/",
        "/c/short",
        '  File "/app/.venv/lib/python3.11/site-packages/git/cmd.py", line 1, in execute',
        "/submissions/12/code/src/app.py",
        "rcp_" + secrets.token_urlsafe(32),  # a staff API token is not in a URL path
    ):
        assert redact_tokens(text) == text


def _logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(TokenRedactionFilter())
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, buffer


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    logger, buffer = _logger("tests.redaction")
    yield logger, buffer
    logger.handlers.clear()


def test_the_filter_masks_messages_arguments_and_exceptions(
    logged: tuple[logging.Logger, io.StringIO], token: str
) -> None:
    logger, buffer = logged
    logger.warning("unhandled error on %s %s", "GET", f"/c/{token}/submit")
    logger.info("%(r)s %(s)s", {"r": f"GET /git/{token}/x.git/info/refs HTTP/1.1", "s": 200})
    logger.info(f"fetched http://127.0.0.1/c/{token}")
    try:
        raise RuntimeError(f"could not reach http://127.0.0.1/c/{token}")
    except RuntimeError:
        logger.exception("request failed")
    logger.info("arguments that do not fit %s %s", f"/c/{token}")  # the handler's error path
    logger.info("plain %s", "line")
    text = buffer.getvalue()
    assert token not in text
    assert "unhandled error on GET /c/[token]/submit" in text
    assert "GET /git/[token]/x.git/info/refs HTTP/1.1 200" in text
    assert "RuntimeError: could not reach http://127.0.0.1/c/[token]" in text
    assert "plain line" in text


def test_json_lines_are_masked_in_message_fields_and_exception(token: str) -> None:
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(TokenRedactionFilter())
    logger = logging.getLogger("tests.redaction.json")
    logger.handlers[:] = [handler]
    logger.propagate = False
    try:
        try:
            raise ValueError(f"/git/{token}/x.git")
        except ValueError:
            logger.exception("GET %s", f"/c/{token}", extra={"fields": {"path": f"/c/{token}"}})
    finally:
        logger.handlers.clear()
    assert token not in buffer.getvalue()
    entry = json.loads(buffer.getvalue())
    assert entry["message"] == "GET /c/[token]" and entry["path"] == "/c/[token]"
    assert "ValueError: /git/[token]/x.git" in entry["exception"]


def test_gunicorns_access_and_error_logs_are_masked(token: str) -> None:
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("logger_class", TokenRedactingLogger)
    glog = cfg.logger_class(cfg)
    assert isinstance(glog, TokenRedactingLogger)
    access, errors = io.StringIO(), io.StringIO()
    for handler in glog.access_log.handlers:
        handler.setStream(access)  # type: ignore[attr-defined]
    for handler in glog.error_log.handlers:
        handler.setStream(errors)  # type: ignore[attr-defined]
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"/c/{token}/status.json",
        "PATH_INFO": f"/c/{token}/status.json", "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"http://127.0.0.1:8000/c/{token}", "HTTP_USER_AGENT": "test",
    }
    # gunicorn's own request and response objects need a socket; access() reads only these.
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="200 OK", headers=[], sent=12)
    glog.access(response, request, environ, timedelta(milliseconds=3))
    glog.exception("Error handling request %s", f"/git/{token}/x.git/info/refs")
    assert token not in access.getvalue() + errors.getvalue()
    assert '"GET /c/[token]/status.json HTTP/1.1" 200 12 "http://127.0.0.1:8000/c/[token]"' in (
        access.getvalue()
    )
    assert "Error handling request /git/[token]/x.git/info/refs" in errors.getvalue()
    atoms = glog.atoms(response, request, environ, timedelta(milliseconds=3))
    assert atoms["U"] == "/c/[token]/status.json" and atoms["{referer}i"].endswith("/c/[token]")


@pytest.mark.parametrize("access_format", [
    None,  # gunicorn's default
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(m)s %(U)s %(q)s %(H)s %(B)s',
    '%(r)s ref=%({referer}i)s out=%({X-Out}o)s env=%({path_info}e)s none=%({nope}i)s',
])
def test_the_access_line_is_gunicorns_own_with_every_token_masked(
        token: str, access_format: str | None) -> None:
    """The line is formatted once and masked once; it equals gunicorn's own line made from
    atoms masked one by one, whichever atoms the format names (header and environ ones
    included)."""
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("logger_class", TokenRedactingLogger)
    if access_format:
        cfg.set("access_log_format", access_format)
    glog = cfg.logger_class(cfg)
    written = io.StringIO()
    for handler in glog.access_log.handlers:
        if getattr(handler.formatter, "_fmt", None) == "%(message)s":  # gunicorn's, not pytest's
            handler.setStream(written)  # type: ignore[attr-defined]
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"/c/{token}?next=%2Fc%2F{token}",
        "PATH_INFO": f"/c/{token}", "QUERY_STRING": f"next=%2Fc%2F{token}",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f'http://h/git/{token}/x.git "quoted"', "HTTP_USER_AGENT": "test",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="302 FOUND", headers=[("X-Out", f"/c/{token}")], sent=7)
    glog.access(response, request, environ, timedelta(milliseconds=3))
    line = written.getvalue().rstrip("\n")
    atoms = glog.atoms_wrapper_class(
        glog.atoms(response, request, environ, timedelta(milliseconds=3)))
    expected = cfg.access_log_format % atoms
    assert token not in line
    # The time atom may tick between the two; everything else is the same.
    assert line.split("[", 1)[0] == expected.split("[", 1)[0]
    assert line.split("]", 1)[-1] == expected.split("]", 1)[-1]
