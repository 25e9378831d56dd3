"""Reciprocal: the take-home assessment platform built on the reciprocal interview."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__version__ = "0.1.0"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory (reciprocal.app): settings from the environment, overridden by
    `config`."""
    from .app import create_app as make  # lazy: the supervisor imports this package, not the app

    return make(config)
