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
from ..models import Submission
from ..review import operations as review
from ..review import queries as review_queries
from ..review import snippets
from .api import api_user, body, staff
from .auth import roles_required

bp = Blueprint("snippets", __name__)
api_bp = Blueprint("snippets_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)
STAFF = ("admin", "recruiter", "reviewer")


def _submission(viewer: Any, submission_id: int) -> Submission:
    """The submission the library is opened from (404 when it is not the viewer's to see)."""
    return review_queries.visible_to(viewer, submission_id)


@bp.get("/submissions/<int:submission_id>/snippets")
@roles_required(*STAFF)
def page(submission_id: int) -> Any:
    sub = _submission(current_user, submission_id)
    return render_template(
        "review/snippets.html", submission=sub, kinds=review.KINDS,
        candidate=review_queries.candidate_label(sub, current_user), tab="snippets",
        snippets=snippets.library(snippets.assignment_of(sub), current_user))


@bp.post("/submissions/<int:submission_id>/snippets")
@roles_required(*STAFF)
def add(submission_id: int) -> Any:
    return _change(submission_id, lambda sub: snippets.create(
        snippets.assignment_of(sub), current_user, title=request.form.get("title"),
        body=request.form.get("body"), kind=request.form.get("kind"), via=sub),
        "Snippet added to the library.")


@bp.post("/submissions/<int:submission_id>/snippets/<int:snippet_id>")
@roles_required(*STAFF)
def edit(submission_id: int, snippet_id: int) -> Any:
    return _change(submission_id, lambda sub: snippets.update(
        snippets.get(snippets.assignment_of(sub), snippet_id, current_user), current_user,
        title=request.form.get("title"), body=request.form.get("body"),
        kind=request.form.get("kind", ""), via=sub), "Snippet saved.")


@bp.post("/submissions/<int:submission_id>/snippets/<int:snippet_id>/delete")
@roles_required(*STAFF)
def remove(submission_id: int, snippet_id: int) -> Any:
    return _change(submission_id, lambda sub: snippets.delete(
        snippets.get(snippets.assignment_of(sub), snippet_id, current_user), current_user),
        "Snippet removed from the library.")


def _change(submission_id: int, change: Any, done: str) -> Any:
    """Run one change to the library, commit, and go back to the page with what happened."""
    sub = _submission(current_user, submission_id)
    try:
        change(sub)
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
    sub = _submission(api_user(), submission_id)
    return jsonify({"snippets": [snippets.serialise(s) for s in
                                 snippets.library(snippets.assignment_of(sub), api_user())]})


@api_bp.post("/submissions/<int:submission_id>/snippets")
@staff()
def api_add(submission_id: int) -> Any:
    sub, data = _submission(api_user(), submission_id), body()
    snippet = snippets.create(snippets.assignment_of(sub), api_user(), title=data.get("title"),
                              body=data.get("body"), kind=data.get("kind"), via=sub)
    answer = snippets.serialise(snippets.view_of(snippet, api_user()))
    db.session.commit()
    return jsonify(answer), 201


@api_bp.patch("/submissions/<int:submission_id>/snippets/<int:snippet_id>")
@staff()
def api_edit(submission_id: int, snippet_id: int) -> Any:
    sub, data = _submission(api_user(), submission_id), body()
    snippet = snippets.update(snippets.get(snippets.assignment_of(sub), snippet_id, api_user()),
                              api_user(), title=data.get("title"), body=data.get("body"),
                              kind=data.get("kind", ""), via=sub)
    answer = snippets.serialise(snippets.view_of(snippet, api_user()))
    db.session.commit()
    return jsonify(answer)


@api_bp.delete("/submissions/<int:submission_id>/snippets/<int:snippet_id>")
@staff()
def api_remove(submission_id: int, snippet_id: int) -> Any:
    sub = _submission(api_user(), submission_id)
    snippets.delete(snippets.get(snippets.assignment_of(sub), snippet_id, api_user()),
                    api_user())
    db.session.commit()
    return "", 204
