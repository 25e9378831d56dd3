"""Inline comments on a submission's code: add (a reply, or text from the comment library),
edit, resolve or reopen a thread, delete. Each goes back to the page the form was sent from."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_login import current_user

from ...core.errors import ReciprocalError
from ...extensions import db
from ...models import ReviewComment, Submission
from ...review import operations as review
from ...review import queries as review_queries
from ...review import snippets, threads
from .blueprint import bp, visible_submission


def _back_to(sub: Submission, comment: ReviewComment | None, path: str) -> Any:
    """Back to the page the form was sent from (a page of this submission: the file or the
    Changes view), else to the file."""
    anchor = f"comment-{comment.id}" if comment else None
    back = request.form.get("back", "")
    if back.startswith(f"/submissions/{sub.id}/") and not any(c in back for c in "\\\r\n#") \
            and "//" not in back:
        return redirect(back + (f"#{anchor}" if anchor else ""))
    if not path:
        return redirect(url_for("staff.code_tree", submission_id=sub.id))
    return redirect(url_for("staff.code_file", submission_id=sub.id, path=path, _anchor=anchor))


@bp.post("/submissions/<int:submission_id>/comments")
def add_comment(submission_id: int) -> Any:
    sub = visible_submission(submission_id)
    form = request.form
    library = snippets.assignment_of(sub)
    try:
        comment = review.add_comment(
            sub,
            current_user,
            path=form.get("path", ""),
            line_start=form.get("line_start"),
            line_end=form.get("line_end"),
            kind=form.get("kind"),
            body=form.get("body", "").strip()
            or snippets.text_of(library, form.get("snippet_id"), current_user),
            parent_id=form.get("parent_id"),
        )
        snippets.record_comment(library, current_user, comment, snippet_id=form.get("snippet_id"),
                                save_as=form.get("snippet_title", "") if form.get("save_snippet")
                                else None)
    except ReciprocalError as exc:
        if exc.status_code == 404:
            raise
        db.session.rollback()
        flash(exc.message, "error")
        return _back_to(sub, None, form.get("path", ""))
    db.session.commit()
    return _back_to(sub, comment, comment.path)


@bp.post("/submissions/<int:submission_id>/comments/<int:comment_id>/edit")
def edit_comment(submission_id: int, comment_id: int) -> Any:
    sub = visible_submission(submission_id)
    comment = review.edit_comment(
        sub, current_user, comment_id, body=request.form.get("body"), kind=request.form.get("kind")
    )
    db.session.commit()
    return _back_to(sub, comment, comment.path)


@bp.post("/submissions/<int:submission_id>/comments/<int:comment_id>/resolve")
def resolve_comment(submission_id: int, comment_id: int) -> Any:
    sub = visible_submission(submission_id)
    root = threads.set_resolved(sub, current_user, comment_id, request.form.get("resolved") == "1")
    db.session.commit()
    return _back_to(sub, root, root.path)


@bp.post("/submissions/<int:submission_id>/comments/<int:comment_id>/delete")
def delete_comment(submission_id: int, comment_id: int) -> Any:
    sub = visible_submission(submission_id)
    path = review_queries.comment_for(sub, current_user, comment_id).path
    review.delete_comment(sub, current_user, comment_id)
    db.session.commit()
    flash("Comment deleted.", "info")
    return _back_to(sub, None, path)
