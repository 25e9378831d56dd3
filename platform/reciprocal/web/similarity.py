"""Similarity surfaces (issue 15): the API read, the staff page with matched regions side by
side, "ask the candidate to explain", the candidate's answer from the portal, and the badge the
queue and the submission page show. Views are thin: reads come from similarity.queries, changes
from similarity.explain."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..candidates import operations as invitations
from ..extensions import db, limiter
from ..models import Invitation, Submission
from ..review import queries as review_queries
from ..similarity import explain, queries, serialize
from ..similarity.queries import MatchView
from ..similarity.scoring import MAX_REGIONS
from ..similarity.sources import SourceText, other_text, submission_text
from .api import api_user, staff
from .auth import roles_required
from .rendering.highlight import highlighted

bp = Blueprint("similarity", __name__)
STAFF = ("admin", "recruiter", "reviewer")
CONTEXT_LINES = 3
MAX_EXCERPT_LINES = 80
SHOWN_REGIONS = 12


@bp.app_context_processor
def _similarity_helpers() -> dict[str, Any]:
    return {
        "similarity_flags": lambda subs: queries.flagged(s.id for s in subs),
        "similarity_check": queries.check_for,
        "explanation_requests": explain.for_invitation,
    }


@bp.get("/api/v1/submissions/<int:submission_id>/similarity")
@staff()
def api_similarity(submission_id: int) -> Any:
    submission = review_queries.visible_to(api_user(), submission_id)
    return jsonify(serialize.serialise(submission, api_user()))


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
@roles_required(*STAFF)
def page(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    matches = queries.matches_for(sub)
    chosen = request.args.get("match", type=int)
    selected = next((m for m in matches if m.id == chosen), matches[0] if matches else None)
    other_code = selected is not None and queries.shows_other_code(selected, current_user)
    return render_template(
        "review/similarity.html",
        submission=sub,
        candidate=review_queries.candidate_label(sub, current_user),
        tab="similarity",
        check=queries.check_for(sub),
        matches=matches,
        selected=selected,
        regions=_side_by_side(sub, selected, other_code=other_code) if selected else [],
        other_code=other_code,
        region_total=len(selected.regions) if selected else 0,
        max_regions=MAX_REGIONS,
        label=queries.label,
        requests=explain.requests_for(sub),
        default_question=explain.DEFAULT_QUESTION,
        may_ask=review_queries.privileged(current_user),
    )


@bp.post("/submissions/<int:submission_id>/similarity/explain")
@roles_required("admin", "recruiter")
def ask_to_explain(submission_id: int) -> Any:
    sub = review_queries.visible_to(current_user, submission_id)
    explain.ask(sub, request.form.get("body", ""), actor=current_user)
    db.session.commit()
    flash("Sent. The candidate answers from their page; their answer will appear here.", "info")
    return redirect(url_for("similarity.page", submission_id=sub.id) + "#explain")


@bp.post("/c/<token>/explanations/<int:request_id>")
@limiter.limit("30 per minute")
def candidate_answer(token: str, request_id: int) -> Any:
    invitation: Invitation = invitations.by_token(token)
    explain.answer(invitation, request_id, request.form.get("answer", ""))
    db.session.commit()
    flash("Thank you. Your answer is with the team, and nothing is decided before they read it.",
          "info")
    return redirect(url_for("portal.landing", token=token) + "#explain")
