"""Against `reciprocal serve`, from outside: a candidate's token (their only credential) never
reaches serve's log output, in text or JSON log format; /metrics needs the metrics bearer token
or a scraper address the operator named (loopback alone is not one); /readyz tells anyone its
status and only an admin, the metrics token or a named scraper its checks."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.auth import Auth
from tests.support.served import Served, git, invite, served_platform

METRICS_TOKEN = "served-metrics-" + "q" * 40


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_candidate_tokens_never_reach_the_log(tmp_path: Path, platform_ready: Any,
                                              log_format: str) -> None:
    served = served_platform(tmp_path, RECIPROCAL_LOG_FORMAT=log_format).start()
    try:
        candidate = invite(served)
        token = candidate.token
        portal = f"{served.url}/c/{token}"
        assert served.api("GET", f"/c/{token}").status_code == 200
        assert served.api("GET", f"/c/{token}/status.json").status_code == 200
        assert served.api("GET", f"/c/{token}/no-such-page").status_code == 404
        assert served.api("GET", "/login", headers={"Referer": portal}).status_code == 200
        assert served.api("GET", f"/login?next=%2Fc%2F{token}").status_code == 200
        assert candidate.call("accept-terms").status_code == 200
        assert candidate.call("start").status_code == 200
        client = tmp_path / "client"
        client.mkdir()
        refs = git("ls-remote", candidate.git_url, cwd=client).stdout
        assert "refs/heads/main" in refs
    finally:
        served.stop()

    log = served.log()
    assert token not in log, "a candidate token is in serve's log"
    if log_format == "text":
        assert '"GET /c/[token] HTTP/1.1" 200' in log  # gunicorn's access line, masked
        assert "GET /git/[token]/customer-directory.git/info/refs?service=git-upload-pack" in log
        assert f'"{served.url}/c/[token]"' in log  # the referer
    else:
        lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
        paths = {line["path"] for line in lines if line.get("logger") == "reciprocal.access"}
        assert {"/c/[token]", "/c/[token]/status.json", "/c/[token]/no-such-page",
                "/git/[token]/customer-directory.git/info/refs"} <= paths, paths


def _readyz(served: Served, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    answer = served.api("GET", "/readyz", **kwargs)
    return answer.status_code, answer.json()


def _settled_readyz(served: Served, timeout: float = 60) -> tuple[int, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        status, report = _readyz(served)
        if report.get("status") == "ok" or time.monotonic() > deadline:
            return status, report
        time.sleep(0.5)


def test_metrics_and_readiness_details_need_the_metrics_token(tmp_path: Path,
                                                              platform_ready: Any) -> None:
    served = served_platform(tmp_path, RECIPROCAL_METRICS_TOKEN=METRICS_TOKEN).start()
    try:
        for token in (None, "wrong", METRICS_TOKEN[:-1], served.tokens["admin"]):
            refused = served.api("GET", "/metrics", token)
            assert refused.status_code == 401, token
            assert "reciprocal_" not in refused.text
        scraped = served.api("GET", "/metrics", METRICS_TOKEN)
        assert scraped.status_code == 200
        assert 'reciprocal_queue_depth{queue="grading"}' in scraped.text

        # Right after start the workers may not have reported their engine yet (degraded):
        # wait for a settled platform so that both reads see the same state.
        status, anonymous = _settled_readyz(served)
        assert status == 200 and anonymous == {"status": "ok"}
        status, detailed = _readyz(served, token=METRICS_TOKEN)
        assert status == 200 and detailed["status"] == anonymous["status"]
        assert detailed["checks"]["database"]["ok"] and detailed["checks"]["redis"]["ok"]
        assert "web" in detailed["checks"]["processes"]["children"]
        assert set(_readyz(served, token="wrong")[1]) == {"status"}
    finally:
        served.stop()


def test_a_named_scraper_reads_metrics_without_the_token(tmp_path: Path,
                                                         platform_ready: Any, auth: Auth) -> None:
    """Loopback alone opens nothing (a proxy on this host is loopback for every visitor); the
    operator names the local Prometheus's address."""
    served = served_platform(tmp_path, RECIPROCAL_METRICS_ALLOW_FROM="127.0.0.1").start()
    try:
        scraped = served.api("GET", "/metrics")  # serve listens on 127.0.0.1, named
        assert scraped.status_code == 200 and "reciprocal_redis_up 1.0" in scraped.text
        proxied = served.api("GET", "/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
        assert proxied.status_code == 403 and "reciprocal_" not in proxied.text
        _status, scraper = _readyz(served)
        assert scraper["checks"]["database"]["ok"]
        _status, proxied_ready = _readyz(served, headers={"X-Forwarded-For": "203.0.113.7"})
        assert set(proxied_ready) == {"status"}

        admin = auth.session(served, "admin").get(served.url + "/readyz",
                                          headers={"X-Real-IP": "203.0.113.7"}, timeout=30)
        assert admin.status_code == 200
        checks = admin.json()["checks"]
        assert checks["database"]["ok"] and checks["redis"]["ok"]
        assert set(checks["processes"]["children"]) >= {"web", "redis", "worker-1", "maintenance"}
        recruiter = auth.session(served, "recruiter").get(served.url + "/readyz",
                                                  headers={"X-Real-IP": "203.0.113.7"}, timeout=30)
        assert set(recruiter.json()) == {"status"}
    finally:
        served.stop()


def test_without_a_token_or_a_named_scraper_metrics_answer_nobody(served: Served) -> None:
    refused = served.api("GET", "/metrics")  # from 127.0.0.1, which nobody named
    assert refused.status_code == 403 and "reciprocal_" not in refused.text
    assert set(_readyz(served)[1]) == {"status"}
