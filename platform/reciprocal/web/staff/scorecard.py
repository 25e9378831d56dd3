"""The scorecard (rubric levels with evidence, beside each criterion's hidden-test evidence),
the interview kit with the interviewers' notes, and reviewer calibration (admins)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ...core.errors import ReciprocalError
from ...extensions import db
from ...review import calibration as review_calibration
from ...review import criterion_evidence, interview_kit
from ...review import operations as review
from ...review import queries as review_queries
from .blueprint import bp, roles_required, visible_submission
from .pages import page_submission, review_tab


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
def scorecard(submission_id: int) -> Any:
    sub = page_submission(submission_id)
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
            return redirect(url_for("staff.scorecard", submission_id=sub.id))
    own = review_queries.own_scorecard(sub, current_user)
    return render_template(
        "review/scorecard.html",
        criteria=criteria,
        evidence=criterion_evidence.for_submission(sub),
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
        **review_tab(sub, "review"),
    ), status


@bp.get("/submissions/<int:submission_id>/kit")
def kit(submission_id: int) -> Any:
    sub = page_submission(submission_id)
    return render_template(
        "review/kit.html", kit=interview_kit.build(sub, current_user), **review_tab(sub, "kit")
    )


@bp.post("/submissions/<int:submission_id>/kit/notes")
def kit_note(submission_id: int) -> Any:
    sub = visible_submission(submission_id)
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
    return redirect(url_for("staff.kit", submission_id=sub.id, _anchor=f"note-{section}"))


@bp.get("/review/calibration")
@roles_required("admin")
def calibration() -> Any:
    return render_template("review/calibration.html", pairs=review_calibration.calibration())
