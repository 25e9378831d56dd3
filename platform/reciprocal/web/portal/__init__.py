"""The candidate portal: one blueprint under /c/<token> (blueprint.py sets the link, the rate
limits and the error pages once), its routes by topic."""

from __future__ import annotations

from . import conversation, fairness, journey, landing, rights
from .blueprint import bp

__all__ = ["bp", "conversation", "fairness", "journey", "landing", "rights"]
