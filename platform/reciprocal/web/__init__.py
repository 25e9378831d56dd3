"""Blueprints and the per-surface plumbing (security headers, error handlers, login)."""

from __future__ import annotations

from flask import Flask

from . import (
    admin,
    api,
    auth,
    body_limits,
    candidate_extras,
    errors,
    fairness,
    fairness_api,
    git,
    health,
    outcomes,
    panels,
    portal,
    recruiter,
    rendering,
    rescore_api,
    review,
    rubric_evidence,
    security,
    sessions,
    similarity,
    snippets,
)


def register_web(app: Flask) -> None:

    body_limits.init_app(app)
    sessions.init_app(app)
    security.init_app(app)
    rendering.init_app(app)
    rubric_evidence.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(portal.bp)
    app.register_blueprint(recruiter.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(git.bp)
    app.register_blueprint(candidate_extras.bp)
    app.register_blueprint(outcomes.bp)
    app.register_blueprint(panels.bp)
    app.register_blueprint(similarity.bp)
    app.register_blueprint(fairness.bp)
    app.register_blueprint(fairness_api.bp)
    app.register_blueprint(rescore_api.bp)
    app.register_blueprint(snippets.bp)
    app.register_blueprint(snippets.api_bp)
