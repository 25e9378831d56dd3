"""The web layer: one package per surface, each one blueprint that sets its authentication,
CSRF exemption, error answers and rate limits once.

- portal/     the candidate, under /c/<token> (the private link is the credential)
- staff/      reviewers', recruiters' and admins' pages (a signed-in account)
- api/        API v1 under /api/v1 (a bearer token: staff, candidate or worker)
- git.py      git smart HTTP under /git (the token in the URL)
- authoring_git.py   the hosted assignment repositories under /git/library (a staff API token)
- greenhouse.py   Greenhouse's partner API under /integrations/greenhouse (the organisation key)
- scim/        SCIM 2.0 provisioning under /scim/v2 (the identity provider's token)
- health.py   /healthz and /readyz (anyone; details for operators)
- reciprocity.py   the public reciprocity report (anyone, once the operator switched it on)

Around them, what every request goes through: body caps (body_limits), the session and its user
(sessions), security headers (security), rate-limit checks (rate_limits), error answers
(errors), and rendering/ (highlighting, diffs, charts, filters: no database).
"""

from __future__ import annotations

from flask import Flask

from . import (
    api,
    authoring_git,
    body_limits,
    errors,
    git,
    greenhouse,
    health,
    portal,
    reciprocity,
    rendering,
    scim,
    security,
    sessions,
    staff,
)


def register_web(app: Flask) -> None:
    body_limits.init_app(app)
    sessions.init_app(app)
    security.init_app(app)
    rendering.init_app(app)
    errors.init_app(app, {"/api/": api.answer, "/integrations/": greenhouse.answer,
                          "/git/library/": authoring_git.answer, "/git/": git.answer,
                          "/scim/": scim.answer})
    for surface in (health, reciprocity, staff, portal, api, authoring_git, git,
                    greenhouse, scim):
        app.register_blueprint(surface.bp)
