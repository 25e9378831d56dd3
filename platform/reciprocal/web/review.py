"""The reviewer workspace: code, changes, history, inline comments, scorecard, interview kit.

Every page works with plain HTML forms; static/review.js only adds a shortcut (click a line
number to open the comment form in place).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..core.errors import ReciprocalError
from ..extensions import db
from ..models import ReviewComment, Submission
from ..review import calibration as review_calibration
from ..review import code as code_browser
from ..review import interview_kit
from ..review import operations as review
from ..review import queries as review_queries
from .auth import roles_required
from .highlight import highlighted

bp = Blueprint("review", __name__)
STAFF = ("admin", "recruiter", "reviewer")


def _submission(submission_id: int) -> Submission:
    return review_queries.visible_to(current_user, submission_id)


def _common(sub: Submission, tab: str) -> dict[str, Any]:
    return {
        "submission": sub,
        "candidate": review_queries.candidate_label(sub, current_user),
        "tab": tab,
    }


@bp.get("/submissions/<int:submission_id>/code")
@roles_required(*STAFF)
def code_tree(submission_id: int) -> Any:
    sub = _submission(submission_id)
    counts = Counter(c.path for c in review_queries.visible_comments(sub, current_user))
    return render_template(
        "review/tree.html",
        entries=code_browser.tree(sub),
        counts=counts,
        **_common(sub, "code"),
    )


@bp.get("/submissions/<int:submission_id>/code/<path:path>")
@roles_required(*STAFF)
def code_file(submission_id: int, path: str) -> Any:
    sub = _submission(submission_id)
    view = code_browser.read_file(sub, path)
    threads: dict[int, list[ReviewComment]] = defaultdict(list)
    replies: dict[int, list[ReviewComment]] = defaultdict(list)
    for comment in review_queries.visible_comments(sub, current_user):
        if comment.path != view.path.strip("/"):
            continue
        if comment.parent_id is None:
            threads[comment.line_end].append(comment)
        else:
            replies[comment.parent_id].append(comment)
    line = request.args.get("line", type=int)
    end = request.args.get("end", type=int)
    return render_template(
        "review/file.html",
        view=view,
        lines=highlighted(view.blob_sha, view.path, view.text) if view.kind == "text" else (),
        threads=threads,
        replies=replies,
        form_line=line,
        form_end=end or line,
        kinds=review.KINDS,
        **_common(sub, "code"),
    )


@bp.get("/submissions/<int:submission_id>/changes")
@roles_required(*STAFF)
def changes(submission_id: int) -> Any:
    sub = _submission(submission_id)
    only = request.args.get("file") or None
    return render_template(
        "review/changes.html",
        diffs=code_browser.changes(sub, only),
        only=only,
        **_common(sub, "changes"),
    )


@bp.get("/submissions/<int:submission_id>/history")
@roles_required(*STAFF)
def history(submission_id: int) -> Any:
    sub = _submission(submission_id)
    return render_template(
        "review/history.html",
        commits=code_browser.history(sub, current_user),
        **_common(sub, "history"),
    )


def _back_to(sub: Submission, comment: ReviewComment | None, path: str) -> Any:
    anchor = f"comment-{comment.id}" if comment else None
    if not path:
        return redirect(url_for("review.code_tree", submission_id=sub.id))
    return redirect(url_for("review.code_file", submission_id=sub.id, path=path, _anchor=anchor))


@bp.post("/submissions/<int:submission_id>/comments")
@roles_required(*STAFF)
def add_comment(submission_id: int) -> Any:
    sub = _submission(submission_id)
    form = request.form
    try:
        comment = review.add_comment(
            sub,
            current_user,
            path=form.get("path", ""),
            line_start=form.get("line_start"),
            line_end=form.get("line_end"),
            kind=form.get("kind"),
            body=form.get("body"),
            parent_id=form.get("parent_id"),
        )
    except ReciprocalError as exc:
        if exc.status_code == 404:
            raise
        db.session.rollback()
        flash(exc.message, "error")
        return _back_to(sub, None, form.get("path", ""))
    db.session.commit()
    return _back_to(sub, comment, comment.path)


@bp.post("/submissions/<int:submission_id>/comments/<int:comment_id>/edit")
@roles_required(*STAFF)
def edit_comment(submission_id: int, comment_id: int) -> Any:
    sub = _submission(submission_id)
    comment = review.edit_comment(
        sub, current_user, comment_id, body=request.form.get("body"), kind=request.form.get("kind")
    )
    db.session.commit()
    return _back_to(sub, comment, comment.path)


@bp.post("/submissions/<int:submission_id>/comments/<int:comment_id>/delete")
@roles_required(*STAFF)
def delete_comment(submission_id: int, comment_id: int) -> Any:
    sub = _submission(submission_id)
    path = review_queries.comment_for(sub, current_user, comment_id).path
    review.delete_comment(sub, current_user, comment_id)
    db.session.commit()
    flash("Comment deleted.", "info")
    return _back_to(sub, None, path)


def _score_inputs(criteria: list[dict[str, Any]]) -> dict[str, review.ScoreInput]:
    form = request.form
    scores = {}
    for index, criterion in enumerate(criteria):
        scores[criterion["name"]] = review.ScoreInput(
            level=form.get(f"level-{index}", ""),
            evidence=form.get(f"evidence-{index}", ""),
            comment_id=form.get(f"comment-{index}", type=int) or None,
        )
    return scores


@bp.route("/submissions/<int:submission_id>/review", methods=["GET", "POST"])
@roles_required(*STAFF)
def scorecard(submission_id: int) -> Any:
    sub = _submission(submission_id)
    criteria = review_queries.rubric(sub)
    status = 200
    if request.method == "POST":
        submit = request.form.get("action") == "submit"
        try:
            review.save_scorecard(
                sub,
                current_user,
                _score_inputs(criteria),
                recommendation=request.form.get("recommendation"),
                summary=request.form.get("summary", ""),
                submit=submit,
            )
        except ReciprocalError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = exc.status_code
        else:
            db.session.commit()
            flash("Scorecard submitted." if submit else "Draft saved.", "info")
            return redirect(url_for("review.scorecard", submission_id=sub.id))
    own = review_queries.own_scorecard(sub, current_user)
    return render_template(
        "review/scorecard.html",
        criteria=criteria,
        levels=review.LEVELS,
        recommendations=review.RECOMMENDATIONS,
        own=own,
        own_scores={s.criterion: s for s in own.scores} if own else {},
        form=request.form if request.method == "POST" else None,
        assigned=review_queries.is_assigned(current_user, sub),
        my_comments=[
            c
            for c in review_queries.visible_comments(sub, current_user)
            if c.author_id == current_user.id and c.parent_id is None
        ],
        cards=[c for c in review_queries.visible_scorecards(sub, current_user) if c is not own],
        aggregate=review_calibration.aggregate(sub, current_user),
        **_common(sub, "review"),
    ), status


@bp.get("/submissions/<int:submission_id>/kit")
@roles_required(*STAFF)
def kit(submission_id: int) -> Any:
    sub = _submission(submission_id)
    return render_template(
        "review/kit.html", kit=interview_kit.build(sub, current_user), **_common(sub, "kit")
    )


@bp.post("/submissions/<int:submission_id>/kit/notes")
@roles_required(*STAFF)
def kit_note(submission_id: int) -> Any:
    sub = _submission(submission_id)
    section = request.form.get("section", "")
    interview_kit.save_note(
        sub,
        current_user,
        section,
        answer=request.form.get("answer", ""),
        notes=request.form.get("notes", ""),
    )
    db.session.commit()
    flash("Notes saved.", "info")
    return redirect(url_for("review.kit", submission_id=sub.id, _anchor=f"note-{section}"))


@bp.get("/review/calibration")
@roles_required("admin")
def calibration() -> Any:
    return render_template("review/calibration.html", pairs=review_calibration.calibration())
