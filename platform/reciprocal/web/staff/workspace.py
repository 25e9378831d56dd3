"""The reviewer's workspace, read side: the file tree, a file, the changes against the starter
and the commit history, each a review tab.

Every page works with plain HTML: a line's link opens the comment form under that line
(server-rendered); static/review.js opens it in place without a reload, folds and unfolds
unchanged regions, marks files viewed and adds keyboard navigation.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Response, render_template, request, send_file
from flask_login import current_user
from markupsafe import Markup

from ...core.errors import NotFound
from ...git.browse import FileDiff
from ...grading import screenshots
from ...models import Submission
from ...review import attribution, snippets, threads
from ...review import code as code_browser
from ...review import operations as review
from ...review import queries as review_queries
from ..rendering import code_style, diffview
from ..rendering.highlight import highlighted
from .blueprint import bp, public
from .pages import page_submission, review_tab


def comment_box(sub: Submission) -> dict[str, Any]:
    """What the comment form offers: the kinds and the assignment's comment library."""
    return {"kinds": review.KINDS,
            "snippets": snippets.library(snippets.assignment_of(sub), current_user)}


@bp.get("/submissions/<int:submission_id>/code")
def code_tree(submission_id: int) -> Any:
    sub = page_submission(submission_id)
    counts = Counter(c.path for c in review_queries.visible_comments(sub, current_user))
    listing = code_browser.tree(sub)
    return render_template(
        "review/tree.html",
        entries=listing.entries,
        notice=listing.notice,
        counts=counts,
        **review_tab(sub, "code"),
    )


@bp.get("/review/code.css")
@public
def code_css() -> Any:
    """The code style's CSS, generated from the Pygments style (no login: it is only colours)."""
    response = Response(code_style.stylesheet(), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


@bp.get("/submissions/<int:submission_id>/code/<path:path>")
def code_file(submission_id: int, path: str) -> Any:
    sub = page_submission(submission_id)
    view = code_browser.read_file(sub, path)
    comments = review_queries.visible_comments(sub, current_user)
    line = request.args.get("line", type=int)
    end = request.args.get("end", type=int)
    return render_template(
        "review/file.html",
        view=view,
        lines=highlighted(view.blob_sha, view.path, view.text) if view.kind == "text" else (),
        threads=threads.by_line(comments, view.path.strip("/")),
        ai=attribution.for_file(sub, view),
        form_line=line,
        form_end=end or line,
        **comment_box(sub),
        **review_tab(sub, "code"),
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
def changes(submission_id: int) -> Any:
    sub = page_submission(submission_id)
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
        **comment_box(sub),
        **review_tab(sub, "changes"),
    )


@bp.get("/submissions/<int:submission_id>/history")
def history(submission_id: int) -> Any:
    sub = page_submission(submission_id)
    return render_template(
        "review/history.html",
        commits=code_browser.history(sub, current_user),
        time=review_queries.time_for(current_user, sub.invitation),
        clock_times=review_queries.privileged(current_user),
        **review_tab(sub, "history"),
    )


@bp.get("/submissions/<int:submission_id>/runs/<int:run_id>/screenshots/<name>.png")
def screenshot(submission_id: int, run_id: int, name: str) -> Any:
    """One photograph of the candidate's pages, for those who may see the submission."""
    sub = page_submission(submission_id)
    run = next((r for r in sub.grading_runs if r.id == run_id), None)
    if run is None or not screenshots.shown(run):
        raise NotFound("no such screenshot")
    response = send_file(screenshots.path_of(run, name), mimetype="image/png", max_age=3600)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
