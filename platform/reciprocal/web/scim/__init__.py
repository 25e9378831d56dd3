"""SCIM 2.0 provisioning under /scim/v2, for the identity provider (its own bearer token)."""

from . import discovery, groups, users  # noqa: F401  (register the routes)
from .blueprint import answer, bp

__all__ = ["answer", "bp"]
