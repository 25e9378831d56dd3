"""The comment library's page and API, opened from a submission (see review/snippets.py).

`/submissions/<id>/snippets` lists the library of the submission's assignment with forms to
add, edit and remove snippets; `/api/v1/submissions/<id>/snippets` is the same for tokens.
Both resolve the submission for the viewer first, so a reviewer reaches only the libraries of
assignments they review, and anything else is the submission's own 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..core.errors import ReciprocalError
from ..extensions import csrf, db
from ..review import operations as review
from ..review import queries as review_queries
from ..review import snippets
from .api import api_user, body, staff
from .auth import roles_required

bp = Blueprint("snippets", __name__)
api_bp = Blueprint("snippets_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)
STAFF = ("admin", "recruiter", "reviewer")


def _library(viewer: Any, submission_id: int) -> int:
    """The id of the assignment whose library the viewer reaches through this submission (404
    when the submission is not theirs to see)."""
    return snippets.assignment_of(review_queries.visible_to(viewer, submission_id))


@bp.get("/submissions/<int:submission_id>/snippets")
@roles_required(*STAFF)
def page(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    return render_template(
        "review/snippets.html", submission=sub, kinds=review.KINDS,
        candidate=review_queries.candidate_label(sub, current_user), tab="snippets",
        snippets=snippets.library(snippets.assignment_of(sub)))


@bp.post("/submissions/<int:submission_id>/snippets")
@roles_required(*STAFF)
def add(submission_id: int) -> Any:
    return _change(submission_id, lambda library: snippets.create(
        library, current_user, title=request.form.get("title"), body=request.form.get("body"),
        kind=request.form.get("kind")), "Snippet added to the library.")


@bp.post("/submissions/<int:submission_id>/snippets/<int:snippet_id>")
@roles_required(*STAFF)
def edit(submission_id: int, snippet_id: int) -> Any:
    return _change(submission_id, lambda library: snippets.update(
        snippets.get(library, snippet_id), current_user, title=request.form.get("title"),
        body=request.form.get("body"), kind=request.form.get("kind", "")), "Snippet saved.")


@bp.post("/submissions/<int:submission_id>/snippets/<int:snippet_id>/delete")
@roles_required(*STAFF)
def remove(submission_id: int, snippet_id: int) -> Any:
    return _change(submission_id, lambda library: snippets.delete(
        snippets.get(library, snippet_id), current_user), "Snippet removed from the library.")


def _change(submission_id: int, change: Any, done: str) -> Any:
    """Run one change to the library, commit, and go back to the page with what happened."""
    library = _library(current_user, submission_id)
    try:
        change(library)
    except ReciprocalError as exc:
        if exc.status_code == 404:
            raise
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(done, "info")
    return redirect(url_for("snippets.page", submission_id=submission_id))


@api_bp.get("/submissions/<int:submission_id>/snippets")
@staff()
def api_list(submission_id: int) -> Any:
    library = _library(api_user(), submission_id)
    return jsonify({"snippets": [snippets.serialise(s) for s in snippets.library(library)]})


@api_bp.post("/submissions/<int:submission_id>/snippets")
@staff()
def api_add(submission_id: int) -> Any:
    library, data = _library(api_user(), submission_id), body()
    snippet = snippets.create(library, api_user(), title=data.get("title"),
                              body=data.get("body"), kind=data.get("kind"))
    db.session.commit()
    return jsonify(snippets.serialise(snippet)), 201


@api_bp.patch("/submissions/<int:submission_id>/snippets/<int:snippet_id>")
@staff()
def api_edit(submission_id: int, snippet_id: int) -> Any:
    library, data = _library(api_user(), submission_id), body()
    snippet = snippets.update(snippets.get(library, snippet_id), api_user(),
                              title=data.get("title"), body=data.get("body"),
                              kind=data.get("kind", ""))
    db.session.commit()
    return jsonify(snippets.serialise(snippet))


@api_bp.delete("/submissions/<int:submission_id>/snippets/<int:snippet_id>")
@staff()
def api_remove(submission_id: int, snippet_id: int) -> Any:
    snippets.delete(snippets.get(_library(api_user(), submission_id), snippet_id), api_user())
    db.session.commit()
    return "", 204
