"""Rate limits: the request-wide check runs only while a request-wide limit exists.

Every limit of the platform is declared on its route (`@limiter.limit(...)`) and checked by the
wrapper that decorator puts around the view, against the count in Redis (one count across every
web process). Flask-Limiter also checks every request in a before_request hook, for the limits
that apply beyond one route: application-wide, default, blueprint and meta limits. The platform
sets none, so on each request that hook resolved an empty list of limits, a tenth of the time of
a small request. The hook is kept, behind a guard that runs it as soon as any such limit exists
(set with RATELIMIT_DEFAULT, RATELIMIT_APPLICATION or RATELIMIT_META, or on a blueprint), and
skips it while none does. Where a Flask-Limiter release keeps these limits elsewhere the guard
cannot tell, and always runs the hook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
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
