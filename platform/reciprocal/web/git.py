"""Smart HTTP git endpoints: a surface of its own, for the git client. The token in the URL picks
the repository through the database; the repository name after it is decoration for `git
clone`'s folder name and is ignored. CSRF does not apply (the token is the credential); errors
are plain text that git prints to the candidate."""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from flask import Blueprint, Response, current_app, request, stream_with_context
from werkzeug.exceptions import RequestEntityTooLarge

from ..candidates import git_access
from ..core.errors import NotFound, Unauthorized
from ..core.workers import JOB_HEADER
from ..extensions import csrf, limiter
from ..git import http_backend
from . import body_limits
from .errors import handle_errors

bp = Blueprint("git", __name__, url_prefix="/git")
csrf.exempt(bp)


def answer(status: int, message: str, _title: str) -> Any:
    """git answers a 401 with a password prompt; the token is the only credential here."""
    status = 403 if status == 401 else status
    return message + "\n", status, {"Content-Type": "text/plain; charset=utf-8"}


handle_errors(bp, answer)

# Only the paths smart HTTP needs; dumb-HTTP object paths are never served.
ALLOWED_PATH = re.compile(r"^/(info/refs|git-upload-pack|git-receive-pack)$")
NAME_RE = re.compile(r"^[A-Za-z0-9._-]{1,100}\.git$")


class ServedRepository(Protocol):
    """What serving a repository needs to know: candidates' and authors' access both say it."""

    repo_path: Path
    remote_user: str

    def check_push(self) -> None: ...

    def hook_env(self) -> dict[str, str]: ...


def serve_repository(access: ServedRepository, rest: str, *,
                     on_push: Callable[[], None] | None = None,
                     after_push: Callable[[], None] | None = None) -> Any:
    """Smart HTTP for one repository. `on_push` runs when a push's request arrives;
    `after_push` once git has finished it (its refs are updated), still in the request's
    context."""
    path_info = "/" + rest
    if not ALLOWED_PATH.match(path_info):
        raise NotFound("not a git smart HTTP path")
    service = request.args.get("service") if path_info == "/info/refs" else path_info[1:]
    if service not in http_backend.SERVICES:
        raise NotFound("only smart HTTP is served here")
    if service == "git-receive-pack":
        access.check_push()
    limit = body_limits.upload_limit(current_app.config)
    try:
        body = http_backend.spool_body(request.stream, limit)
    except http_backend.BodyTooLarge:
        raise RequestEntityTooLarge() from None
    size = body.seek(0, 2)
    body.seek(0)
    try:
        result = http_backend.run(
            access.repo_path,
            path_info,
            method=request.method,
            query_string=request.query_string.decode("latin-1"),
            content_type=request.headers.get("Content-Type", ""),
            content_encoding=request.headers.get("Content-Encoding", ""),
            body=body,  # type: ignore[arg-type]
            body_length=size,
            remote_user=access.remote_user,
            remote_addr=request.remote_addr or "",
            hook_env=access.hook_env(),
        )
    except BaseException:
        body.close()
        raise

    pushed = service == "git-receive-pack" and request.method == "POST"
    if pushed and on_push is not None:
        on_push()

    def stream() -> Any:
        try:
            yield from result.body
        finally:
            body.close()
        if pushed and after_push is not None:
            after_push()

    chunks = stream_with_context(stream()) if after_push is not None else stream()
    return Response(chunks, status=result.status, headers=result.headers,
                    direct_passthrough=True)


@bp.route("/<token>/<name>/<path:rest>", methods=["GET", "POST"])
@limiter.limit("300 per minute")
def candidate_repo(token: str, name: str, rest: str) -> Any:
    if not NAME_RE.match(name):
        raise NotFound("no such repository")
    access = git_access.for_candidate(token)
    return serve_repository(access, rest, on_push=lambda: git_access.record_push(access))


@bp.route("/worker/<int:submission_id>.git/<path:rest>", methods=["GET", "POST"])
def worker_repo(submission_id: int, rest: str) -> Any:
    expected = current_app.config.get("WORKER_TOKEN") or ""
    header = request.headers.get("Authorization", "")
    given = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthorized("the worker credential is not valid")
    if rest.endswith("git-receive-pack") or request.args.get("service") == "git-receive-pack":
        raise NotFound("workers can only fetch")
    job_id = request.headers.get(JOB_HEADER, "").strip()
    return serve_repository(git_access.for_worker(submission_id, job_id), rest)
