"""The worker credential against `reciprocal serve`: a grading whose fetch fails until the retries
are used up (the submission's repository is gone from under the platform while the worker runs)
leaves the worker credential nowhere: not in any process's arguments while it retries, not in any
page or API answer a reviewer, recruiter, admin or the candidate gets, not in the served process
tree's log, and not in any Redis key or value (RQ's stored exception included)."""

from __future__ import annotations

import base64
import binascii
import time
import zlib
from pathlib import Path

from redis import Redis

from tests.support.auth import Auth
from tests.support.served import (
    Served,
    assign_reviewer,
    clone_and_push_solution,
    served_platform,
    started_candidate,
)

GENERIC = ("The grading infrastructure failed and retries were used up: the submission could "
           "not be fetched from the platform. A reviewer can re-run it.")


def _process_arguments() -> str:
    """Every process's arguments on this host, as `ps` shows them to any user."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            found.append(cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:  # the process ended meanwhile, or is not ours to read
            continue
    return "\n".join(found)


def _redis_everything(served: Served) -> list[str]:
    """Every key of the platform's Redis and its value, compressed values decompressed as well
    (RQ compresses a job's data, and keeps each result's exception compressed and base64-encoded
    in a stream)."""
    connection = Redis(unix_socket_path=str(served.data_dir / "redis" / "redis.sock"))
    texts = []
    for key in connection.scan_iter(count=500):
        kind = connection.type(key).decode()
        values: list[bytes] = []
        if kind == "string":
            values = [connection.get(key) or b""]
        elif kind == "hash":
            values = [b for pair in connection.hgetall(key).items() for b in pair]
        elif kind == "list":
            values = connection.lrange(key, 0, -1)
        elif kind == "set":
            values = list(connection.smembers(key))
        elif kind == "zset":
            values = connection.zrange(key, 0, -1)
        elif kind == "stream":
            values = [b for _id, fields in connection.xrange(key)
                      for pair in fields.items() for b in pair]
        for value in [key, *values]:
            texts.append(value.decode(errors="replace"))
            for packed in (value, _base64(value)):
                try:
                    texts.append(zlib.decompress(packed).decode(errors="replace"))
                except zlib.error:
                    pass
    return texts


def _base64(value: bytes) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        return b""


def test_a_fetch_that_keeps_failing_leaks_the_worker_credential_nowhere(
        tmp_path: Path, platform_ready: object, auth: Auth) -> None:
    served = served_platform(tmp_path, RECIPROCAL_GRADING_RETRY_SECONDS="1,1")
    token = ""
    try:
        served.start("--workers", "0")  # the grading waits in the queue
        token = (served.data_dir / "worker_token").read_text().strip()
        assert len(token) >= 40
        candidate = started_candidate(served)
        clone_and_push_solution(candidate, tmp_path / "candidate")
        submitted = candidate.call("submit")
        assert submitted.status_code == 201, submitted.text
        submission_id = submitted.json()["submission_id"]
        assign_reviewer(served, submission_id, unless_assigned=True)
        assert served.stop() == 0

        repo = served.data_dir / "repos" / f"{candidate.invitation_id:08d}.git"
        aside = repo.with_name(repo.name + ".aside")
        repo.rename(aside)  # storage lost under the platform: every fetch of it fails
        served.start()  # one worker: it claims, fails to fetch, retries twice, gives up
        arguments_seen = []
        deadline = time.monotonic() + 240
        grading: dict = {}
        while time.monotonic() < deadline:
            arguments_seen.append(_process_arguments())
            answer = served.api("GET", f"/api/v1/submissions/{submission_id}",
                                served.admin_token)
            grading = answer.json().get("grading") or {}
            if grading.get("status") not in (None, "queued", "running"):
                break
            time.sleep(0.2)
        else:
            raise AssertionError(f"the run did not end: {grading}\n{served.log()[-4000:]}")
        aside.rename(repo)
        assert grading["status"] == "error" and grading["reason"] == GENERIC, grading
        assert grading["attempts"] == 3  # the first try and both retries

        texts = {"process arguments": "\n".join(arguments_seen)}
        reviewer = auth.session(served, "reviewer")
        recruiter = auth.session(served, "recruiter")
        admin = auth.session(served, "admin")
        pages = ["", "/code", "/changes", "/history", "/review", "/kit", "/grading.json",
                 "/similarity"]
        for who, session in (("reviewer", reviewer), ("recruiter", recruiter),
                             ("admin", admin)):
            for page in pages:
                answer = session.get(f"{served.url}/submissions/{submission_id}{page}",
                                     timeout=30)
                assert answer.status_code == 200, (who, page, answer.status_code)
                texts[f"{who} page {page or '/'}"] = answer.text
        for page in ("/dashboard", "/queue", "/admin/audit", "/outcomes/outbox"):
            texts[f"admin page {page}"] = admin.get(served.url + page, timeout=30).text
        for who in ("reviewer", "recruiter", "admin"):
            for path in ("", "/review", "/interview-kit", "/files"):
                answer = served.api("GET", f"/api/v1/submissions/{submission_id}{path}",
                                    served.tokens[who])
                assert answer.status_code == 200, (who, path, answer.text)
                texts[f"{who} API {path or '/'}"] = answer.text
        texts["readyz"] = admin.get(served.url + "/readyz", timeout=30).text
        portal = served.api("GET", f"/c/{candidate.token}")
        texts["candidate page"] = portal.text
        texts["candidate status"] = served.api("GET", f"/c/{candidate.token}/status.json").text
        texts["serve log"] = served.log()
        redis_texts = _redis_everything(served)
        texts.update({f"redis {i}": text for i, text in enumerate(redis_texts)})
        # RQ kept the last attempt's exception, and it says what failed.
        assert any("could not fetch the submission" in text for text in redis_texts)

        leaked = [where for where, text in texts.items()
                  if token in text or token[:16] in text]
        assert not leaked, f"the worker credential is in: {leaked}"
        assert not any("extraHeader" in text for text in texts.values())
    finally:
        served.stop()
