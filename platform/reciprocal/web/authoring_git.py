"""Smart HTTP for the hosted assignment repositories, under /git/library/<slug>.git: a surface
of its own, for authors' git clients. The credential is a staff API token given as the HTTP
Basic password (any user name), so `git clone` prompts for it and credential helpers keep it;
only admins and staff an admin allows get in. Pushes to main are refused (publishing moves it);
every other pushed branch is validated on a worker as soon as git has taken the push."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, request

from ..accounts import api_tokens
from ..assignments import authoring, hosting
from ..core.errors import NotFound, Unauthorized
from ..extensions import csrf, db, limiter
from ..git.hooks import PROTECTED_REASON_ENV, PROTECTED_REF_ENV, PUSH_NOTE_ENV, ObjectLimits
from ..models import User
from .errors import handle_errors
from .git import NAME_RE, serve_repository

bp = Blueprint("authoring_git", __name__, url_prefix="/git/library")
csrf.exempt(bp)
REALM = 'Basic realm="Reciprocal assignment repositories", charset="UTF-8"'


def answer(status: int, message: str, _title: str) -> Any:
    """Plain text git prints; a 401 asks the client for the token (as its password)."""
    headers = {"Content-Type": "text/plain; charset=utf-8"}
    if status == 401:
        headers["WWW-Authenticate"] = REALM
        message = (f"{message}\nUse a staff API token as the password (`reciprocal tokens "
                   "create`, or the API tokens page); any user name.")
    return message + "\n", status, headers


handle_errors(bp, answer)


@dataclass
class AuthorAccess:
    repo_path: Path
    remote_user: str
    slug: str
    user: User
    extra_env: dict[str, str] = field(default_factory=dict)

    def check_push(self) -> None:
        """Authors may push any branch; the hook refuses main."""

    def hook_env(self) -> dict[str, str]:
        return {
            PROTECTED_REF_ENV: hosting.MAIN,
            PROTECTED_REASON_ENV: authoring.MAIN_IS_LIVE,
            PUSH_NOTE_ENV: "Validation starts now for each branch you pushed; follow it on "
                           f"{current_app.config['BASE_URL']}/library/{self.slug}/repository",
            **ObjectLimits.from_config(current_app.config).as_env(),
        }


def _user() -> User:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        raise Unauthorized("This repository needs a staff API token.")
    try:
        _name, _, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        raise Unauthorized("The credentials could not be read.") from None
    user = api_tokens.user_for(password.strip())
    if db.session.dirty:
        db.session.commit()  # the token's last-use stamp, as the API does
    return authoring.require_author(user)


@bp.route("/<name>/<path:rest>", methods=["GET", "POST"])
@limiter.limit("300 per minute")
def assignment_repo(name: str, rest: str) -> Any:
    if not NAME_RE.match(name):
        raise NotFound("no such assignment repository")
    user = _user()
    slug = name.removesuffix(".git")
    authoring.repository(slug)
    access = AuthorAccess(hosting.repo_path(slug), f"author-{user.id}", slug, user)

    def validate_pushed_branches() -> None:
        authoring.push_received(slug, db.session.merge(user))
        db.session.commit()

    return serve_repository(access, rest, after_push=validate_pushed_branches)
