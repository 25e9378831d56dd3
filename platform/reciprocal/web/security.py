"""Security headers on every response: a nonce-based Content-Security-Policy and friends."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def init_app(app: Flask) -> None:
    if app.config.get("PROXY_FIX"):
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.after_request
    def _headers(response: Response) -> Response:
        if request.path.startswith("/git/"):
            return response
        nonce = csp_nonce()
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic'; "
            "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cache-Control", "no-store")
        return response
