"""The comment library's page, opened from a submission (see review/snippets.py): the library
of the submission's assignment, with forms to add, edit and remove snippets. The submission is
resolved for the viewer first, so a reviewer reaches only the libraries of assignments they
review, and anything else is the submission's own 404."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.errors import ReciprocalError
from ...extensions import db
from ...review import operations as review
from ...review import snippets
from .blueprint import bp, visible_submission
from .pages import page_submission, review_tab


@bp.get("/submissions/<int:submission_id>/snippets")
def snippet_library(submission_id: int) -> Any:
    sub = page_submission(submission_id)
    return render_template(
        "review/snippets.html", kinds=review.KINDS,
        snippets=snippets.library(snippets.assignment_of(sub), current_user),
        **review_tab(sub, "snippets"))


@bp.post("/submissions/<int:submission_id>/snippets")
def add_snippet(submission_id: int) -> Any:
    return _change(submission_id, lambda sub: snippets.create(
        snippets.assignment_of(sub), current_user, title=request.form.get("title"),
        body=request.form.get("body"), kind=request.form.get("kind"), via=sub),
        "Snippet added to the library.")


@bp.post("/submissions/<int:submission_id>/snippets/<int:snippet_id>")
def edit_snippet(submission_id: int, snippet_id: int) -> Any:
    return _change(submission_id, lambda sub: snippets.update(
        snippets.get(snippets.assignment_of(sub), snippet_id, current_user), current_user,
        title=request.form.get("title"), body=request.form.get("body"),
        kind=request.form.get("kind", ""), via=sub), "Snippet saved.")


@bp.post("/submissions/<int:submission_id>/snippets/<int:snippet_id>/delete")
def remove_snippet(submission_id: int, snippet_id: int) -> Any:
    return _change(submission_id, lambda sub: snippets.delete(
        snippets.get(snippets.assignment_of(sub), snippet_id, current_user), current_user),
        "Snippet removed from the library.")


def _change(submission_id: int, change: Any, done: str) -> Any:
    """Run one change to the library, commit, and go back to the page with what happened."""
    sub = visible_submission(submission_id)
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
    return redirect(url_for("staff.snippet_library", submission_id=submission_id))
