"""API v1: one blueprint under /api/v1 (blueprint.py checks the bearer, exempts CSRF, answers
errors as JSON and limits the candidate routes once), a route module per domain."""

from __future__ import annotations

from . import (
    assignments,
    candidate_twins,
    candidates,
    grading,
    outcomes,
    reports,
    review,
    similarity,
    worker,
)
from .blueprint import answer, bp

__all__ = ["answer", "assignments", "bp", "candidate_twins", "candidates", "grading",
           "outcomes", "reports", "review", "similarity", "worker"]
