"""The reviewer workspace: code, changes, history, inline comments, scorecard, interview kit.

Every page works with plain HTML forms: a line's link opens the comment form under that line
(server-rendered); static/review.js opens it in place without a reload, folds and unfolds
unchanged regions, marks files viewed and adds keyboard navigation.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..core.errors import ReciprocalError
from ..extensions import db
from ..git.browse import FileDiff
from ..models import ReviewComment, Submission
from ..review import calibration as review_calibration
from ..review import code as code_browser
from ..review import interview_kit, snippets, threads
from ..review import operations as review
from ..review import queries as review_queries
from .auth import roles_required
from .rendering import code_style, diffview
from .rendering.highlight import highlighted

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


def _comment_box(sub: Submission) -> dict[str, Any]:
    """What the comment form offers: the kinds and the assignment's comment library."""
    return {"kinds": review.KINDS,
            "snippets": snippets.library(snippets.assignment_of(sub), current_user)}


@bp.get("/submissions/<int:submission_id>/code")
@roles_required(*STAFF)
def code_tree(submission_id: int) -> Any:
    sub = _submission(submission_id)
    counts = Counter(c.path for c in review_queries.visible_comments(sub, current_user))
    listing = code_browser.tree(sub)
    return render_template(
        "review/tree.html",
        entries=listing.entries,
        notice=listing.notice,
        counts=counts,
        **_common(sub, "code"),
    )


@bp.get("/review/code.css")
def code_css() -> Any:
    """The code style's CSS, generated from the Pygments style (no login: it is only colours)."""
    response = Response(code_style.stylesheet(), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/submissions/<int:submission_id>/code/<path:path>")
@roles_required(*STAFF)
def code_file(submission_id: int, path: str) -> Any:
    sub = _submission(submission_id)
    view = code_browser.read_file(sub, path)
    comments = review_queries.visible_comments(sub, current_user)
    line = request.args.get("line", type=int)
    end = request.args.get("end", type=int)
    return render_template(
        "review/file.html",
        view=view,
        lines=highlighted(view.blob_sha, view.path, view.text) if view.kind == "text" else (),
        threads=threads.by_line(comments, view.path.strip("/")),
        form_line=line,
        form_end=end or line,
        **_comment_box(sub),
        **_common(sub, "code"),
    )


def _whole_file(diff: FileDiff, blob: str, kind: str) -> tuple[Markup, ...]:
    return highlighted(blob, diff.path, "".join(f"{line.text}\n" for line in diff.lines
                                                if line.kind == kind))


def _diff_view(sub: Submission, diff: FileDiff) -> diffview.DiffView:
    """A modified file's diff with the new file's lines (to unfold the unchanged regions
    between hunks) and their highlighting, cached per blob and shared with the file page. An
    added or deleted file's diff is the whole file: it is highlighted (and cached) as a blob."""
    if diff.change == "added" and diff.lines and diff.blob:
        return diffview.view(diff, new_html=_whole_file(diff, diff.blob, "add"))
    if diff.change == "deleted" and diff.lines and diff.old_blob:
        return diffview.view(diff, old_html=_whole_file(diff, diff.old_blob, "del"))
    if diff.change not in ("modified", "renamed") or not diff.lines:
        return diffview.view(diff)
    view = code_browser.read_file(sub, diff.path)
    if view.kind != "text":
        return diffview.view(diff)
    return diffview.view(diff, view.text.splitlines(),
                         highlighted(view.blob_sha, view.path, view.text))


@bp.get("/submissions/<int:submission_id>/changes")
@roles_required(*STAFF)
def changes(submission_id: int) -> Any:
    sub = _submission(submission_id)
    only = request.args.get("file") or None
    layout = "split" if request.args.get("view") == "split" else "unified"
    change_set = code_browser.changes(sub, only)
    diffs = change_set.files
    comments = review_queries.visible_comments(sub, current_user)
    return render_template(
        "review/changes.html",
        diffs=diffs,
        notice=change_set.notice,
        views={d.path: _diff_view(sub, d) for d in diffs if not d.collapsed},
        threads={d.path: threads.by_line(comments, d.path) for d in diffs},
        only=only,
        layout=layout,
        **_comment_box(sub),
        **_common(sub, "changes"),
    )


@bp.get("/submissions/<int:submission_id>/history")
@roles_required(*STAFF)
def history(submission_id: int) -> Any:
    sub = _submission(submission_id)
    return render_template(
        "review/history.html",
        commits=code_browser.history(sub, current_user),
        time=review_queries.time_for(current_user, sub.invitation),
        clock_times=review_queries.privileged(current_user),
        **_common(sub, "history"),
    )


def _back_to(sub: Submission, comment: ReviewComment | None, path: str) -> Any:
    """Back to the page the form was sent from (a page of this submission: the file or the
    Changes view), else to the file."""
    anchor = f"comment-{comment.id}" if comment else None
    back = request.form.get("back", "")
    if back.startswith(f"/submissions/{sub.id}/") and not any(c in back for c in "\\\r\n#") \
            and "//" not in back:
        return redirect(back + (f"#{anchor}" if anchor else ""))
    if not path:
        return redirect(url_for("review.code_tree", submission_id=sub.id))
    return redirect(url_for("review.code_file", submission_id=sub.id, path=path, _anchor=anchor))


@bp.post("/submissions/<int:submission_id>/comments")
@roles_required(*STAFF)
def add_comment(submission_id: int) -> Any:
    sub = _submission(submission_id)
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
@roles_required(*STAFF)
def edit_comment(submission_id: int, comment_id: int) -> Any:
    sub = _submission(submission_id)
    comment = review.edit_comment(
        sub, current_user, comment_id, body=request.form.get("body"), kind=request.form.get("kind")
    )
    db.session.commit()
    return _back_to(sub, comment, comment.path)


@bp.post("/submissions/<int:submission_id>/comments/<int:comment_id>/resolve")
@roles_required(*STAFF)
def resolve_comment(submission_id: int, comment_id: int) -> Any:
    sub = _submission(submission_id)
    root = threads.set_resolved(sub, current_user, comment_id, request.form.get("resolved") == "1")
    db.session.commit()
    return _back_to(sub, root, root.path)


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
