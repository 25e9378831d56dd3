"""The worker API: a grading worker claims a run with its RQ job id, fetches the hidden tests
while it holds the run, and posts the result or the failure. The worker credential alone reads
no hidden tests; workers never see the database."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from ...assignments import authoring
from ...core.errors import BadRequest
from ...core.workers import JOB_HEADER
from ...extensions import db
from ...grading import operations as grading
from .blueprint import body, bp


@bp.post("/worker/runs/<int:run_id>/claim")
def worker_claim(run_id: int) -> Any:
    spec = grading.claim(run_id, str(body().get("job_id", "")))
    db.session.commit()
    if spec is None:
        return jsonify({"error": "this run is not available to this job"}), 409
    return jsonify(spec)


@bp.get("/worker/runs/<int:run_id>/hidden-tests")
def worker_hidden_tests(run_id: int) -> Any:
    """Only for the job that claimed the run, while it runs (its id in the X-Reciprocal-Job
    header)."""
    job_id = request.headers.get(JOB_HEADER, "").strip()
    return Response(grading.hidden_tests_tar(run_id, job_id), mimetype="application/gzip")


@bp.get("/worker/runs/<int:run_id>/environment")
def worker_environment(run_id: int) -> Any:
    """The build context of the run's environment, for the job that holds the run, when its
    worker's Docker engine lacks the image."""
    job_id = request.headers.get(JOB_HEADER, "").strip()
    return Response(grading.environment_tar(run_id, job_id), mimetype="application/gzip")


@bp.post("/worker/runs/<int:run_id>/result")
def worker_result(run_id: int) -> Any:
    data = body()
    result = data.get("result")
    if not isinstance(result, dict):
        raise BadRequest("result must be an object")
    run = grading.record_result(run_id, str(data.get("job_id", "")), result)
    db.session.commit()
    return jsonify({"id": run.id, "status": run.status})


@bp.post("/worker/runs/<int:run_id>/failed")
def worker_failed(run_id: int) -> Any:
    data = body()
    grading.mark_infrastructure_failure(
        run_id, str(data.get("job_id", "")), str(data.get("kind", "other")),
        str(data.get("detail") or data.get("reason") or ""),
    )
    db.session.commit()
    return jsonify({"ok": True})


@bp.post("/worker/assignment-validations/<int:validation_id>/claim")
def worker_validation_claim(validation_id: int) -> Any:
    spec = authoring.claim(validation_id, str(body().get("job_id", "")))
    db.session.commit()
    if spec is None:
        return jsonify({"error": "this validation is not available to this job"}), 409
    return jsonify(spec)


@bp.get("/worker/assignment-validations/<int:validation_id>/content")
def worker_validation_content(validation_id: int) -> Any:
    """The commit's files (hidden tests and solutions included), for the job that holds it."""
    job_id = request.headers.get(JOB_HEADER, "").strip()
    return Response(authoring.content_tar(validation_id, job_id), mimetype="application/gzip")


@bp.post("/worker/assignment-validations/<int:validation_id>/log")
def worker_validation_log(validation_id: int) -> Any:
    data = body()
    authoring.append_log(validation_id, str(data.get("job_id", "")), str(data.get("text", "")))
    db.session.commit()
    return jsonify({"ok": True})


@bp.post("/worker/assignment-validations/<int:validation_id>/result")
def worker_validation_result(validation_id: int) -> Any:
    data = body()
    result = data.get("result")
    if not isinstance(result, dict):
        raise BadRequest("result must be an object")
    validation = authoring.record_result(validation_id, str(data.get("job_id", "")), result)
    db.session.commit()
    return jsonify({"id": validation.id, "status": validation.status})


@bp.post("/worker/assignment-validations/<int:validation_id>/failed")
def worker_validation_failed(validation_id: int) -> Any:
    data = body()
    authoring.mark_error(validation_id, str(data.get("job_id", "")), str(data.get("detail", "")))
    db.session.commit()
    return jsonify({"ok": True})
