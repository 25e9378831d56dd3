"""The similarity tab: this submission's matches, the matched regions side by side, and "ask
the candidate to explain" (recruiters and admins), and marking the submission as known to be
public (any staff who may see it). Reads come from similarity.queries, changes from
similarity.explain and similarity.public."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ...extensions import db
from ...models import Submission
from ...review import queries as review_queries
from ...similarity import explain, public, queries
from ...similarity.queries import MatchView
from ...similarity.scoring import MAX_REGIONS
from ...similarity.sources import SourceText, other_text, submission_text
from ..rendering.highlight import highlighted
from .blueprint import DECIDERS, bp, roles_required, visible_submission
from .pages import page_submission, review_tab

CONTEXT_LINES = 3
MAX_EXCERPT_LINES = 80
SHOWN_REGIONS = 12


def _excerpt(source: SourceText, lines: list[int]) -> dict[str, Any]:
    """Highlighted lines around one region, the region's own lines marked."""
    if source.text is None:
        return {"path": source.path, "note": source.note, "rows": []}
    html: tuple[Markup, ...] = highlighted(source.key, source.path, source.text)
    first, last = max(1, lines[0] - CONTEXT_LINES), min(len(html), lines[1] + CONTEXT_LINES)
    last = min(last, first + MAX_EXCERPT_LINES - 1)
    rows = [(n, html[n - 1], lines[0] <= n <= lines[1]) for n in range(first, last + 1)]
    return {"path": source.path, "note": "", "rows": rows}


def _side_by_side(submission: Submission, match: MatchView, *,
                  other_code: bool) -> list[dict[str, Any]]:
    """Each region with this submission's lines and, when the viewer may read the other code,
    the other side's (`right` is None otherwise: nothing of it is read)."""
    own: dict[str, SourceText] = {}
    theirs: dict[str, SourceText] = {}
    shown = []
    for region in match.regions[:SHOWN_REGIONS]:
        path, other_path = region["path"], region["other_path"]
        if path not in own:
            own[path] = submission_text(submission, path)
        right = None
        if other_code:
            if other_path not in theirs:
                theirs[other_path] = other_text(match, other_path)
            right = _excerpt(theirs[other_path], region["other_lines"])
        first, last = region["other_lines"]
        shown.append({"lines": region["lines"], "other_lines": region["other_lines"],
                      "other_line_count": last - first + 1,
                      "left": _excerpt(own[path], region["lines"]), "right": right})
    return shown


@bp.get("/submissions/<int:submission_id>/similarity")
def similarity(submission_id: int) -> Any:
    sub = page_submission(submission_id)
    matches = queries.matches_for(sub)
    chosen = request.args.get("match", type=int)
    selected = next((m for m in matches if m.id == chosen), matches[0] if matches else None)
    other_code = selected is not None and queries.shows_other_code(selected, current_user)
    return render_template(
        "review/similarity.html",
        check=queries.check_for(sub),
        matches=matches,
        selected=selected,
        regions=_side_by_side(sub, selected, other_code=other_code) if selected else [],
        other_code=other_code,
        region_total=len(selected.regions) if selected else 0,
        max_regions=MAX_REGIONS,
        labels={m.id: queries.label(m) for m in matches},
        requests=explain.requests_for(sub),
        default_question=explain.DEFAULT_QUESTION,
        may_ask=review_queries.privileged(current_user),
        indexed=public.document(sub) is not None,
        known_public=public.is_public(sub),
        **review_tab(sub, "similarity"),
    )


@bp.post("/submissions/<int:submission_id>/similarity/explain")
@roles_required(*DECIDERS)
def ask_to_explain(submission_id: int) -> Any:
    sub = visible_submission(submission_id)
    explain.ask(sub, request.form.get("body", ""), actor=current_user)
    db.session.commit()
    flash("Sent. The candidate answers from their page; their answer will appear here.", "info")
    return redirect(url_for("staff.similarity", submission_id=sub.id) + "#explain")


@bp.post("/submissions/<int:submission_id>/similarity/public")
def mark_public(submission_id: int) -> Any:
    sub = visible_submission(submission_id)
    public.mark(sub, request.form.get("note", ""), actor=current_user)
    db.session.commit()
    flash("Marked as known to be public: later submissions are compared with it as a known "
          "solution.", "info")
    return redirect(url_for("staff.similarity", submission_id=sub.id) + "#public")


@bp.post("/submissions/<int:submission_id>/similarity/public/undo")
def unmark_public(submission_id: int) -> Any:
    sub = visible_submission(submission_id)
    public.unmark(sub, actor=current_user)
    db.session.commit()
    flash("No longer marked as known to be public.", "info")
    return redirect(url_for("staff.similarity", submission_id=sub.id) + "#public")
