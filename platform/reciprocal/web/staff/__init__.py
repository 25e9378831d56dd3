"""The staff surface: one blueprint (blueprint.py requires a signed-in staff account once, sets
the error pages), its routes by topic; pages.py fetches what several pages show alike."""

from __future__ import annotations

from . import (
    admin,
    authoring,
    comments,
    fairness,
    library,
    login,
    messages,
    outcomes,
    panels,
    queue,
    recruiting,
    reports,
    scorecard,
    sign_in_settings,
    similarity,
    snippets,
    sso,
    submissions,
    two_factor,
    workspace,
)
from .blueprint import bp

__all__ = ["admin", "authoring", "bp", "comments", "fairness", "library", "login", "messages",
           "outcomes", "panels", "queue", "recruiting", "reports", "scorecard", "sign_in_settings",
           "similarity", "snippets", "sso", "submissions", "two_factor", "workspace"]
