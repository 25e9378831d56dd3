"""API v1: JSON for applicant tracking systems, scripts, candidates' tools and workers.

Three kinds of bearer token: a staff API token (`reciprocal tokens create`), a candidate's
invitation token (only the /candidate/ twins), and the worker credential (only /worker/).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

from ..accounts import api_tokens
from ..assignments import operations as assignments
from ..candidates import operations as invitations
from ..candidates import roles
from ..candidates import serialize as invitation_serialize
from ..core.errors import BadRequest, Forbidden, Unauthorized
from ..core.workers import JOB_HEADER
from ..extensions import csrf, db, limiter
from ..grading import operations as grading
from ..grading import serialize as grading_serialize
from ..models import Invitation, User
from ..outcomes import operations as outcomes
from ..outcomes import promises
from ..review import calibration, criterion_evidence, interview_kit, snippets
from ..review import code as code_browser
from ..review import operations as review
from ..review import queries as review_queries
from ..review import serialize as review_serialize

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("send an Authorization: Bearer <token> header")
    return value.strip()


def staff(*allowed: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = api_tokens.user_for(_bearer())
            if db.session.dirty:
                # The token's last-use stamp: committed at once, so no request holds its row
                # lock (GET handlers never commit, and concurrent calls would queue on it).
                db.session.commit()
            if allowed and not user.has_role(*allowed):
                raise Forbidden(f"this needs one of these roles: {', '.join(allowed)}")
            g.api_user = user
            return view(*args, **kwargs)

        return wrapped

    return decorator


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("send a JSON object with Content-Type: application/json")
    return data


def api_user() -> User:
    return g.api_user  # type: ignore[no-any-return]


@bp.get("/assignments")
@staff()
def list_assignments() -> Any:
    return jsonify([assignments.serialise(a) for a in assignments.list_assignments()])


@bp.get("/roles")
@staff()
def list_roles() -> Any:
    return jsonify([roles.serialise(r) for r in roles.list_roles()])


@bp.post("/roles")
@staff("admin", "recruiter")
def create_role() -> Any:
    role = roles.create_role(body(), actor=api_user())
    db.session.commit()
    return jsonify(roles.serialise(role)), 201


@bp.post("/invitations")
@staff("admin", "recruiter")
def create_invitation() -> Any:
    data = body()
    candidate = data.get("candidate")
    if not isinstance(candidate, dict):
        raise BadRequest('candidate must be an object: {"name": ..., "email": ...}')
    new = invitations.invite(
        data.get("assignment", ""),
        data.get("role", ""),
        candidate.get("name", ""),
        candidate.get("email", ""),
        actor=api_user(),
    )
    db.session.commit()
    return jsonify(invitation_serialize.serialise(new.invitation, new)), 201


@bp.get("/invitations/<int:invitation_id>")
@staff("admin", "recruiter")
def get_invitation(invitation_id: int) -> Any:
    return jsonify(invitation_serialize.serialise(invitations.get(invitation_id)))


@bp.get("/submissions/<int:submission_id>")
@staff()
def get_submission(submission_id: int) -> Any:
    return jsonify(review_serialize.serialise_for(api_user(), submission_id))


@bp.post("/submissions/<int:submission_id>/regrade")
@staff()
def regrade(submission_id: int) -> Any:
    submission = review_queries.visible_to(api_user(), submission_id)
    run = grading.request_run(submission, requested_by=api_user())
    db.session.commit()
    return jsonify(grading_serialize.serialise_run(run)), 202


# Candidate twins: the invitation token is the bearer.


def candidate_invitation() -> Invitation:
    return invitations.by_token(_bearer())


@bp.post("/candidate/accept-terms")
@limiter.limit("60 per minute")
def candidate_accept() -> Any:
    data = request.get_json(silent=True) or {}
    invitation = invitations.accept_terms(candidate_invitation(), data.get("terms_version"))
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.post("/candidate/start")
@limiter.limit("60 per minute")
def candidate_start() -> Any:
    invitation = invitations.start(candidate_invitation())
    db.session.commit()
    return jsonify(invitation_serialize.serialise(invitation))


@bp.post("/candidate/submit")
@limiter.limit("60 per minute")
def candidate_submit() -> Any:
    invitation = candidate_invitation()
    submission = invitations.submit(invitation, via="api")
    db.session.commit()
    return jsonify(
        {
            "submission_id": submission.id,
            "commit_sha": submission.commit_sha,
            "late": submission.late,
            "time_used_seconds": submission.time_used_seconds,
            "answer_by": promises.expected_answer_by(submission).isoformat(),
        }
    ), 201


# Worker API: the worker credential is the bearer; workers never see the database.


def _require_worker() -> None:
    expected = current_app.config.get("WORKER_TOKEN")
    if not expected:
        raise Forbidden("no worker credential is configured on this platform")
    if not hmac.compare_digest(_bearer().encode(), expected.encode()):
        raise Unauthorized("the worker credential is not valid")


@bp.post("/worker/runs/<int:run_id>/claim")
def worker_claim(run_id: int) -> Any:
    _require_worker()
    spec = grading.claim(run_id, str(body().get("job_id", "")))
    db.session.commit()
    if spec is None:
        return jsonify({"error": "this run is not available to this job"}), 409
    return jsonify(spec)


@bp.get("/worker/runs/<int:run_id>/hidden-tests")
def worker_hidden_tests(run_id: int) -> Any:
    """Only for the job that claimed the run, while it runs (its id in the X-Reciprocal-Job
    header): the worker credential alone reads no hidden tests."""
    _require_worker()
    job_id = request.headers.get(JOB_HEADER, "").strip()
    return Response(grading.hidden_tests_tar(run_id, job_id), mimetype="application/gzip")


@bp.post("/worker/runs/<int:run_id>/result")
def worker_result(run_id: int) -> Any:
    _require_worker()
    data = body()
    result = data.get("result")
    if not isinstance(result, dict):
        raise BadRequest("result must be an object")
    run = grading.record_result(run_id, str(data.get("job_id", "")), result)
    db.session.commit()
    return jsonify({"id": run.id, "status": run.status})


@bp.post("/worker/runs/<int:run_id>/failed")
def worker_failed(run_id: int) -> Any:
    _require_worker()
    data = body()
    grading.mark_infrastructure_failure(
        run_id, str(data.get("job_id", "")), str(data.get("kind", "other")),
        str(data.get("detail") or data.get("reason") or ""),
    )
    db.session.commit()
    return jsonify({"ok": True})


# Outcomes: the composer's draft and sending it.


@bp.post("/submissions/<int:submission_id>/decision")
@staff("admin", "recruiter")
def decision_draft(submission_id: int) -> Any:

    data = body()
    submission = review_queries.visible_to(api_user(), submission_id)
    decision = outcomes.decide(
        submission, str(data.get("outcome", "")), str(data.get("reason", "")), actor=api_user()
    )
    db.session.commit()
    return jsonify(outcomes.serialise_draft(decision))


@bp.post("/submissions/<int:submission_id>/decision/send")
@staff("admin", "recruiter")
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


# Review workspace: code, comments, scorecards and the interview kit.


@bp.get("/submissions/<int:submission_id>/files")
@staff()
def submission_files(submission_id: int) -> Any:

    submission = review_queries.visible_to(api_user(), submission_id)
    listing = code_browser.tree(submission)
    data: dict[str, Any] = {
        "commit_sha": submission.commit_sha,
        "files": [{"path": e.path, "type": e.kind, "size": e.size} for e in listing.entries],
        "truncated": not listing.complete,
    }
    if listing.notice:
        data["notice"] = listing.notice
    return jsonify(data)


@bp.get("/submissions/<int:submission_id>/files/<path:path>")
@staff()
def submission_file(submission_id: int, path: str) -> Any:

    submission = review_queries.visible_to(api_user(), submission_id)
    view = code_browser.read_file(submission, path)
    data: dict[str, Any] = {
        "path": view.path,
        "type": view.kind,
        "size": view.size,
        "commit_sha": view.commit_sha,
        "binary": view.kind == "binary",
    }
    if view.kind == "text":
        data["text"] = view.text
    elif view.kind in ("symlink", "submodule"):
        data["target"] = view.target
    return jsonify(data)


@bp.post("/submissions/<int:submission_id>/comments")
@staff()
def submission_comment(submission_id: int) -> Any:

    submission = review_queries.visible_to(api_user(), submission_id)
    data = body()
    library = snippets.assignment_of(submission)
    comment = review.add_comment(
        submission,
        api_user(),
        path=data.get("path"),
        line_start=data.get("line_start"),
        line_end=data.get("line_end"),
        kind=data.get("kind"),
        body=data.get("body") or snippets.text_of(library, data.get("snippet_id"), api_user()),
        parent_id=data.get("parent_id"),
    )
    save_as = data.get("save_as_snippet")
    snippets.record_comment(library, api_user(), comment, snippet_id=data.get("snippet_id"),
                            save_as=None if save_as in (None, False)
                            else "" if save_as is True else str(save_as))
    db.session.commit()
    return jsonify(review_serialize.serialise_comment(comment)), 201


@bp.get("/submissions/<int:submission_id>/review")
@staff()
def submission_review(submission_id: int) -> Any:

    user = api_user()
    submission = review_queries.visible_to(user, submission_id)
    return jsonify(
        {
            "submission_id": submission.id,
            "candidate": review_queries.candidate_label(submission, user),
            "comments": [
                review_serialize.serialise_comment(c)
                for c in review_queries.visible_comments(submission, user)
            ],
            "scorecards": [
                review_serialize.serialise_scorecard(c)
                for c in review_queries.visible_scorecards(submission, user)
            ],
            "aggregate": review_serialize.serialise_aggregate(
                calibration.aggregate(submission, user)
            ),
            "criteria": criterion_evidence.serialise_criteria(submission),
        }
    )


@bp.get("/submissions/<int:submission_id>/interview-kit")
@staff()
def submission_interview_kit(submission_id: int) -> Any:

    submission = review_queries.visible_to(api_user(), submission_id)
    return jsonify(interview_kit.serialise(interview_kit.build(submission, api_user())))
