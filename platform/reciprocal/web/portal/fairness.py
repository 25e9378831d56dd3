"""Time and notes from the candidate's page: an accommodation before the start, a request for
more time while the clock runs, notes on their result, and the voluntary self-identification
form. A refusal is shown on the page and nothing the candidate wrote is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, request

from ...candidates import result_notes, self_id, time_adjustments
from ...core.errors import ReciprocalError
from ...extensions import db
from .blueprint import bp, current_invitation
from .journey import back


def _form(anchor: str, done: str, act: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`act(invitation, *args, **kwargs)`, then back to the page with `done` or the refusal."""
    try:
        act(current_invitation(), *args, **kwargs)
    except ReciprocalError as exc:
        db.session.rollback()
        flash(exc.message[:1].upper() + exc.message[1:] + ".", "error")
    else:
        db.session.commit()
        flash(done, "info")
    return back(anchor)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@bp.post("/accommodation")
def accommodation() -> Any:
    form = request.form
    return _form("#your-time", "Your accommodation applies: your time cap is updated below. "
                 "Reviewers never see it.", time_adjustments.request_accommodation,
                 _int(form.get("extra_time_percent")), form.get("note", ""),
                 share_note=form.get("share_note") == "yes")


@bp.post("/extension-request")
def extension_request() -> Any:
    form = request.form
    return _form("#your-time", "Your request is sent. The team answers it by email and on "
                 "this page.", time_adjustments.request_extension, _int(form.get("minutes")),
                 form.get("reason", ""))


@bp.post("/result-notes")
def result_note() -> Any:
    kind, _, target = (request.form.get("target") or "").partition(":")
    return _form("#result-notes", "Your note is saved; reviewers will read it beside the "
                 "result.", result_notes.add, kind, target, request.form.get("body", ""))


@bp.post("/self-identification")
def self_identification() -> Any:
    return _form("#self-id", "Your answers are saved. Reviewers never see them.", self_id.save,
                 request.form.to_dict())
