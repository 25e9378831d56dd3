"""Jinja filters for dates and durations as people read them."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from ..models import utcnow


def waited(since: datetime, now: datetime | None = None) -> str:
    """"3 days 4 h", "5 h 10 min" or "12 min": how long something has been waiting."""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["waited"] = waited
