"""`criterion_evidence(submission)` for the scorecard page: the hidden-test evidence of each
rubric criterion (review/criterion_evidence.py), by criterion name.

A template helper rather than an argument of the scorecard view, as the other read-only page
helpers (web/fairness.py, web/panels.py) are: the page asks for it where it shows it. The view
has already checked that the viewer may see the submission.
"""

from __future__ import annotations

from flask import Flask

from ..review import criterion_evidence


def init_app(app: Flask) -> None:
    app.jinja_env.globals["criterion_evidence"] = criterion_evidence.for_submission
