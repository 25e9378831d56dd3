"""The decision over the API: the composer's draft (with its tone check), and sending it."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from ...extensions import db
from ...outcomes import operations as outcomes
from ...review import queries as review_queries
from .blueprint import DECIDERS, api_user, body, bp, roles_required


@bp.post("/submissions/<int:submission_id>/decision")
@roles_required(*DECIDERS)
def decision_draft(submission_id: int) -> Any:
    data = body()
    submission = review_queries.visible_to(api_user(), submission_id)
    flag_reason = data.get("flag_reason")
    decision = outcomes.decide(
        submission, str(data.get("outcome", "")), str(data.get("reason", "")), actor=api_user(),
        cites=data.get("cites"), flag_reason=flag_reason if isinstance(flag_reason, str) else None,
    )
    db.session.commit()
    return jsonify(outcomes.serialise_draft(decision))


@bp.post("/submissions/<int:submission_id>/decision/send")
@roles_required(*DECIDERS)
def decision_send(submission_id: int) -> Any:
    data = request.get_json(silent=True) or {}
    text = data.get("text")
    override = data.get("override_reason")
    submission = review_queries.visible_to(api_user(), submission_id)
    decision = outcomes.send(
        submission,
        actor=api_user(),
        text=text if isinstance(text, str) else None,
        override_reason=override if isinstance(override, str) else None,
    )
    db.session.commit()
    result = outcomes.serialise_draft(decision)
    result["message_status"] = outcomes.message_status(decision)
    return jsonify(result), 202
