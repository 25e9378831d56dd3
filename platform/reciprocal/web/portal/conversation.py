"""What the candidate tells the team from their page: questions about the assignment, how the
process went, and answers to the team's questions about a similarity match."""

from __future__ import annotations

from typing import Any

from flask import flash, request

from ...candidates import questions
from ...extensions import db
from ...outcomes import feedback
from ...similarity import explain
from .blueprint import bp, current_invitation
from .journey import back


@bp.post("/questions")
def ask_question() -> Any:
    questions.ask(current_invitation(), request.form.get("body", ""))
    db.session.commit()
    flash("Question sent. We answer within a working day, by email and on this page.", "info")
    return back("#questions")


@bp.post("/feedback/<stage>")
def give_feedback(stage: str) -> Any:
    feedback.give_candidate(current_invitation(), stage, request.form.to_dict())
    db.session.commit()
    flash("Thank you for telling us how it went.", "info")
    return back("#feedback")


@bp.post("/explanations/<int:request_id>")
def answer_explanation(request_id: int) -> Any:
    explain.answer(current_invitation(), request_id, request.form.get("answer", ""))
    db.session.commit()
    flash("Thank you. Your answer is with the team, and nothing is decided before they read it.",
          "info")
    return back("#explain")
