"""Metrics at /metrics, request ids and JSON log lines, against the real app and services."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Any

from flask import Flask
from reciprocal import observability
from reciprocal.candidates import operations as invitations
from reciprocal.extensions import db
from reciprocal.grading import operations as grading

from tests.support import factories
from tests.support.apps import make_app


def _sample(text: str, name: str, labels: str = "") -> float:
    """The value of one sample line of the Prometheus text format."""
    pattern = re.escape(name + (("{" + labels + "}") if labels else "")) + r" ([0-9.e+-]+)$"
    match = re.search(pattern, text, re.MULTILINE)
    assert match, f"{name}{{{labels}}} not in metrics:\n{text}"
    return float(match.group(1))


def _graded_submission(duration: float, status: str) -> None:
    """A submission through the real services, graded with the given result."""
    new = factories.started()
    submission = invitations.submit(new.invitation)
    db.session.commit()
    run = submission.grading_runs[-1]
    job_id = run.rq_job_id
    assert job_id and grading.claim(run.id, job_id) is not None
    grading.record_result(
        run.id, job_id, {"status": status, "passed": 3, "duration_seconds": duration}
    )
    db.session.commit()


def test_metrics_report_queues_gradings_and_request_latency(
    migrated: str, tmp_path: Any, redis_conn: Any, redis_url: str
) -> None:
    app = make_app(migrated, tmp_path / "data", REDIS_URL=redis_url,
                   METRICS_ALLOW_FROM=["127.0.0.1"])  # the test client's address
    client = app.test_client()
    with app.app_context():
        _graded_submission(4.0, "passed")
        # A second candidate's grading stays queued. Both jobs are in Redis (the first was
        # claimed through the service, not by a worker): depth 2.
        new = factories.invitation(email="ada@example.com", name="Ada")
        invitations.accept_terms(new.invitation)
        invitations.start(new.invitation)
        invitations.submit(new.invitation)
        db.session.commit()

    assert client.get("/healthz").status_code == 200
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    text = response.get_data(as_text=True)

    assert _sample(text, "reciprocal_redis_up") == 1
    assert _sample(text, "reciprocal_queue_depth", 'queue="grading"') == 2
    assert _sample(text, "reciprocal_queue_depth", 'queue="mail"') == 0
    assert _sample(text, "reciprocal_grading_runs", 'status="passed"') == 1
    assert _sample(text, "reciprocal_grading_runs", 'status="queued"') == 1
    assert _sample(text, "reciprocal_grading_duration_seconds_bucket", 'le="2.0"') == 0
    assert _sample(text, "reciprocal_grading_duration_seconds_bucket", 'le="5.0"') == 1
    assert _sample(text, "reciprocal_grading_duration_seconds_count") == 1
    assert _sample(text, "reciprocal_grading_duration_seconds_sum") == 4.0
    assert (
        _sample(
            text,
            "reciprocal_http_request_duration_seconds_count",
            'endpoint="health.healthz",method="GET",status="200"',
        )
        >= 1
    )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_metrics_say_when_redis_is_down(app: Flask) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"
    app.config["METRICS_ALLOW_FROM"] = ["127.0.0.1"]
    text = app.test_client().get("/metrics").get_data(as_text=True)
    assert _sample(text, "reciprocal_redis_up") == 0
    assert "reciprocal_grading_runs" in text


def test_request_id_is_honoured_or_generated(client: Any) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123.X_y"})
    assert given.headers["X-Request-ID"] == "abc-123.X_y"
    generated = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["X-Request-ID"])
    # Anything that is not a plain id (header injection, huge values) is replaced.
    hostile = client.get("/healthz", headers={"X-Request-ID": "a b<script>"})
    assert hostile.headers["X-Request-ID"] != "a b<script>"
    assert client.get("/healthz", headers={"X-Request-ID": "x" * 200}).headers[
        "X-Request-ID"
    ] != "x" * 200


def test_json_logs_carry_the_request_id(migrated: str, tmp_path: Any) -> None:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    try:
        app = make_app(migrated, tmp_path / "data", LOG_FORMAT="json")
        handler = next(h for h in root.handlers if getattr(h, "_reciprocal_json_handler", False))
        buffer = io.StringIO()
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)

        @app.get("/_log-something")
        def _log_something() -> str:
            logging.getLogger("reciprocal.test").warning("inside the request")
            return "ok"

        response = app.test_client().get("/_log-something", headers={"X-Request-ID": "req-42"})
        assert response.headers["X-Request-ID"] == "req-42"
        logging.getLogger("reciprocal.test").info("outside any request")

        lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
        inside = next(line for line in lines if line["message"] == "inside the request")
        assert inside["request_id"] == "req-42"
        assert inside["level"] == "warning" and inside["logger"] == "reciprocal.test"
        access = next(line for line in lines if line["logger"] == "reciprocal.access")
        assert access["request_id"] == "req-42"
        assert access["status"] == 200 and access["path"] == "/_log-something"
        assert access["duration_ms"] >= 0
        outside = next(line for line in lines if line["message"] == "outside any request")
        assert outside["request_id"] is None
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)


def test_text_format_leaves_logging_alone() -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    observability.configure_logging("text")
    assert root.handlers == before
