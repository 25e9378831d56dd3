"""Rate limits: the request-wide check runs only while a request-wide limit exists, and the
rate-limit headers are written only where someone reads them.

Every limit of the platform is per route, counted in Redis (one count across every web
process). A surface whose routes take a token declares its routes' limits once, in a table its
blueprint's hook checks before the token is looked up (portal/blueprint.py, api/blueprint.py,
greenhouse.py): the hook calls a function decorated with `@limiter.limit(...)`, which
Flask-Limiter counts against the request's endpoint, as it would a limit on the route itself.
Other routes carry `@limiter.limit(...)` (sign-in, git). Flask-Limiter also checks every
request in a before_request hook, for the limits that apply beyond one route: application-wide,
default, blueprint and meta limits. The platform sets none (a limit on a blueprint would switch
that hook on for every request, whatever its surface), so on each request that hook resolved an
empty list of limits, a tenth of the time of a small request. The hook is kept, behind a guard
that runs it as soon as any such limit exists (set with RATELIMIT_DEFAULT, RATELIMIT_APPLICATION
or RATELIMIT_META, or on a blueprint), and skips it while none does. Where a Flask-Limiter
release keeps these limits elsewhere the guard cannot tell, and always runs the hook.

Headers: Flask-Limiter writes X-RateLimit-Limit, -Remaining, -Reset and Retry-After on every
response of a limited route, which costs two more Redis round trips per request (the window's
count and expiry) on every candidate page. Browsers do nothing with them on a
page that answered; API clients and anyone refused with 429 do. So the headers are written on
the API (/api/) and on every 429, and left out of the other answers. A route whose limit
deducts conditionally (deduct_when) always runs the hook: it does the deduction.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask, Response, request
from flask_limiter import Limiter

_UNKNOWN = object()


def request_wide_limits_exist(limiter: Limiter) -> bool:
    """True when the limiter has application, default, blueprint or meta limits (or keeps
    them where this function does not look)."""
    manager = getattr(limiter, "limit_manager", _UNKNOWN)
    held = (
        getattr(manager, "_application_limits", _UNKNOWN),
        getattr(manager, "_default_limits", _UNKNOWN),
        getattr(manager, "_blueprint_limits", _UNKNOWN),
        getattr(limiter, "_meta_limits", _UNKNOWN),
    )
    return any(value is _UNKNOWN or bool(value) for value in held)


def check_request_wide_limits_only_when_set(app: Flask, limiter: Limiter) -> None:
    """Put the guard in front of the limiter's before_request hook on `app` (after
    limiter.init_app(app)); routes' own limits are not affected."""
    hooks: list[Callable[[], Any]] = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit
    for index, hook in enumerate(hooks):
        if hook == check:  # the same bound method
            hooks[index] = _guarded(limiter, hook)
            return


def _guarded(limiter: Limiter, check: Callable[[], Any]) -> Callable[[], Any]:
    def check_request_wide_limits() -> Any:
        if request_wide_limits_exist(limiter):
            return check()
        return None

    return check_request_wide_limits


HEADER_PATHS = ("/api/",)


def rate_limit_headers_only_where_read(app: Flask, limiter: Limiter) -> None:
    """Put a guard in front of the limiter's after_request hook (which writes the headers)."""
    inject = getattr(Limiter, "_Limiter__inject_headers", None)
    hooks: list[Callable[[Response], Response]] = app.after_request_funcs.setdefault(None, [])
    for index, hook in enumerate(hooks):
        if isinstance(hook, partial) and hook.func is inject:
            hooks[index] = _headers_guard(limiter, hook)
            return


def _headers_guard(limiter: Limiter, inject: Callable[[Response], Response]
                   ) -> Callable[[Response], Response]:
    def rate_limit_headers(response: Response) -> Response:
        if (response.status_code == 429 or request.path.startswith(HEADER_PATHS)
                or limiter.context.conditional_deductions):
            return inject(response)
        return response

    return rate_limit_headers
