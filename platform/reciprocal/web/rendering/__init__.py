"""Rendering helpers of the web layer: they turn what a view fetched into HTML and never read
the database. Highlighting (Pygments, with the review pages' own style), diffs as reviewers
read them, the process-health charts, and the Jinja filters for dates, durations, prose and
Markdown documents."""

from __future__ import annotations

from flask import Flask

from ...review.operations import KIND_LABELS
from .diff_rows import diff_rows
from .formatting import duration, prose, waited
from .markdown import document


def init_app(app: Flask) -> None:
    """The filters and the one global templates use: each a function of its arguments only."""
    app.jinja_env.filters["waited"] = waited
    app.jinja_env.filters["prose"] = prose
    app.jinja_env.filters["markdown"] = document
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.filters["comment_kind"] = comment_kind
    app.jinja_env.globals["diff_rows"] = diff_rows


def comment_kind(kind: str) -> str:
    """A review comment's kind as reviewers read it ("Follow-up question")."""
    return KIND_LABELS.get(kind, kind)
