"""Web tier load: the platform under gunicorn on loopback with PostgreSQL, driven by wrk.

    .venv/bin/python bench/web_load.py [--seconds 15] [--connections 50]

Seeds 1,000 invitations through the services (some started, submitted and graded) in a database
of its own, serves the platform with the image's gunicorn settings (reciprocal.web.
gunicorn_conf: 2 gthread workers x 8 threads), and runs wrk at 50 connections against:

- the candidate status page GET /c/<token>, each request for a random one of the 1,000
  candidates from that candidate's own address (X-Forwarded-For behind RECIPROCAL_PROXY_FIX=1, as
  in production behind a proxy; the per-address rate limit of the token routes stays on),
- the API GET /api/v1/submissions/<id> with a staff bearer token,
- a reviewer's file page GET /submissions/<id>/code/<path> with a logged-in session
  (the submission page GET /submissions/<id> as well),

and, in the same run and with the same gunicorn settings, a bare WSGI "hello" app as the
baseline. Prints requests/s, p50/p99 latency and errors per endpoint, and the ratio to the bare
baseline. Needs wrk, redis-server and PostgreSQL (scripts/ensure-postgres.sh).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

BENCH_DB = "reciprocal_bench"
INVITATIONS = 1000
SUBMITTED = 40
PASSWORD = "bench-password-123"

HELLO_APP = '''
def app(environ, start_response):
    body = b"hello"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [body]
'''

CANDIDATE_LUA = """
local tokens = {%s}
math.randomseed(os.time())
request = function()
  local i = math.random(#tokens)
  local ip = string.format("10.%%d.%%d.%%d", (i // 65536) %% 256, (i // 256) %% 256, i %% 256)
  return wrk.format("GET", "/c/" .. tokens[i], {["X-Forwarded-For"] = ip})
end
"""


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    url = subprocess.run(
        ["bash", str(ROOT / "scripts/ensure-postgres.sh")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    drop = ["dropdb", "--if-exists", BENCH_DB]
    for command in (drop, ["createdb", "-O", "reciprocal", BENCH_DB]):
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True)
    return url.rsplit("/", 1)[0] + "/" + BENCH_DB


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    wait_until(lambda: _redis_up(port), 10, "redis-server")
    return proc, url


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not come up")
        time.sleep(0.2)


def seed(env: dict[str, str]) -> dict[str, Any]:
    """Migrate and seed through the services, as the platform itself would."""
    os.environ.update(env)
    from flask_migrate import upgrade
    from reciprocal import create_app
    from reciprocal.extensions import db
    from reciprocal.services import assignments, grading, invitations, roles, submissions, users

    app = create_app()
    with app.app_context():
        upgrade(revision="heads")
        assignments.sync_all()
        admin = users.create_user("admin@bench.example", "admin", PASSWORD, name="Admin")
        reviewer = users.create_user("reviewer@bench.example", "reviewer", PASSWORD, name="Rev")
        role = roles.create_role(
            {
                "title": "Backend Engineer",
                "team": "Payments",
                "salary_min": 60000,
                "salary_max": 80000,
                "currency": "EUR",
                "mission": "Own the customer data services.",
                "requirements": ["Python HTTP APIs"],
                "stages": ["Take-home", "Review", "Follow-up interview", "Decision"],
                "response_days": 5,
            }
        )
        db.session.commit()
        tokens: list[str] = []
        submitted: list[int] = []
        for index in range(INVITATIONS):
            new = invitations.invite(
                "customer-directory",
                role.id,
                f"Candidate {index}",
                f"candidate{index}@bench.example",
                actor=admin,
            )
            tokens.append(new.token)
            if index < SUBMITTED:
                invitations.accept_terms(new.invitation)
                invitations.start(new.invitation)
                db.session.commit()
                submission = invitations.submit(new.invitation)
                db.session.commit()
                run = submission.grading_runs[-1]
                assert run.rq_job_id is not None
                grading.claim(run.id, run.rq_job_id)
                grading.record_result(run.id, run.rq_job_id, _fake_result())
                submissions.assign_reviewer(submission, reviewer, actor=admin)
                submitted.append(submission.id)
            if index % 100 == 99:
                db.session.commit()
        db.session.commit()
        _token, api_token = users.create_api_token(admin, "bench")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return {"tokens": tokens, "submissions": submitted, "api_token": api_token}


def _fake_result() -> dict[str, Any]:
    """A typical finished run: ten tests, one failing (recorded as a worker would post it)."""
    tests = [
        {"name": f"test_case_{n}", "classname": "tests.test_api", "outcome": "passed",
         "duration": 0.01}
        for n in range(9)
    ]
    tests.append({"name": "test_edge", "classname": "tests.test_api", "outcome": "failed",
                  "duration": 0.02, "message": "AssertionError: expected 404"})
    return {"status": "failed", "passed": 9, "failed": 1, "tests": tests,
            "duration_seconds": 1.4, "output": "9 passed, 1 failed"}


def start_gunicorn(app_spec: str, port: int, env: dict[str, str], log: Path,
                   chdir: Path | None = None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "--config",
               "python:reciprocal.web.gunicorn_conf", app_spec]
    if chdir is not None:
        command[3:3] = ["--chdir", str(chdir)]
    proc_env = dict(os.environ, **env, WEB_BIND=f"127.0.0.1:{port}",
                    PYTHONPATH=str(ROOT / "platform"))
    proc = subprocess.Popen(command, env=proc_env, cwd=ROOT, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT)
    wait_until(lambda: _http_ok(f"http://127.0.0.1:{port}/healthz"), 60, "gunicorn")
    return proc


def _http_ok(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def login(base: str, email: str) -> str:
    session = requests.Session()
    page = session.get(f"{base}/login", timeout=10).text
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if match is None:
        raise SystemExit("no CSRF token on the login page")
    response = session.post(
        f"{base}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": match.group(1)},
        timeout=10,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise SystemExit(f"login failed: {response.status_code}")
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def reviewer_file_path(base: str, cookie: str, submission_id: int) -> str | None:
    """A Python file of the submission, from the code tree page (when that page exists)."""
    response = requests.get(f"{base}/submissions/{submission_id}/code",
                            headers={"Cookie": cookie}, timeout=10)
    if response.status_code != 200:
        return None
    paths = re.findall(rf'href="/submissions/{submission_id}/code/([^"]+\.py)"', response.text)
    return f"/submissions/{submission_id}/code/{paths[0]}" if paths else None


def wrk(name: str, url: str, seconds: int, connections: int, *, headers: dict[str, str] | None
        = None, script: Path | None = None) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(name, rps, _percentile(output, "50%"), _percentile(output, "99%"), total, errors)


def _percentile(output: str, label: str) -> float:
    match = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def check(url: str, headers: dict[str, str] | None = None) -> None:
    response = requests.get(url, headers=headers or {}, timeout=10)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code} before the load")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    print(f"machine: {os.cpu_count()} cores (nproc), {platform.platform()}, "
          f"Python {platform.python_version()}")
    work = Path(tempfile.mkdtemp(prefix="reciprocal-bench-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        redis_proc, redis_url = start_redis(work)
        procs.append(redis_proc)
        port = free_port()
        env = {
            "RECIPROCAL_DATABASE_URL": database_url(),
            "RECIPROCAL_DATA_DIR": str(work / "data"),
            "RECIPROCAL_REDIS_URL": redis_url,
            "RECIPROCAL_SECRET_KEY": secrets.token_hex(32),
            "RECIPROCAL_BASE_URL": f"http://127.0.0.1:{port}",
            "RECIPROCAL_PROXY_FIX": "1",
        }
        started = time.monotonic()
        seeded = seed(env)
        print(f"seeded {INVITATIONS} invitations ({SUBMITTED} submitted and graded) "
              f"in {time.monotonic() - started:.1f} s")

        procs.append(start_gunicorn("reciprocal:create_app()", port, env, work / "web.log"))
        base = f"http://127.0.0.1:{port}"
        hello_port = free_port()
        (work / "hello").mkdir()
        (work / "hello" / "hello_app.py").write_text(HELLO_APP)
        procs.append(start_gunicorn("hello_app:app", hello_port, {}, work / "hello.log",
                                    chdir=work / "hello"))

        cookie = login(base, "reviewer@bench.example")
        submission_id = seeded["submissions"][0]
        file_page = reviewer_file_path(base, cookie, submission_id)
        bearer = {"Authorization": f"Bearer {seeded['api_token']}"}
        staff = {"Cookie": cookie}
        check(f"{base}/c/{seeded['tokens'][0]}")
        check(f"{base}/api/v1/submissions/{submission_id}", bearer)
        check(f"{base}/submissions/{submission_id}", staff)
        lua = work / "candidates.lua"
        lua.write_text(CANDIDATE_LUA % ", ".join(f'"{t}"' for t in seeded["tokens"]))

        seconds, conns = args.seconds, args.connections
        results = [
            wrk("bare WSGI hello (baseline)", f"http://127.0.0.1:{hello_port}/", seconds, conns),
            wrk("candidate status GET /c/<token>", base, seconds, conns, script=lua),
            wrk("API GET /api/v1/submissions/<id>", f"{base}/api/v1/submissions/{submission_id}",
                seconds, conns, headers=bearer),
            wrk("reviewer GET /submissions/<id>", f"{base}/submissions/{submission_id}",
                seconds, conns, headers=staff),
        ]
        if file_page is not None:
            check(base + file_page, staff)
            results.append(wrk("reviewer file GET /submissions/<id>/code/<path>",
                               base + file_page, seconds, conns, headers=staff))
        else:
            print("(no reviewer file page found: web/review.py code view not available)")
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(40)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run(["runuser", "-u", "postgres", "--", "dropdb", "--if-exists", BENCH_DB],
                       check=False)

    baseline = results[0].rps
    print(f"\nwrk: {args.connections} connections, {args.seconds} s per endpoint, 2 wrk threads; "
          "gunicorn 2 gthread workers x 8 threads\n")
    print(f"{'endpoint':<50} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
          f"{'vs bare':>8}")
    for r in results:
        print(f"{r.name:<50} {r.rps:>8.0f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {r.errors:>7} "
              f"{r.rps / baseline:>8.1%}")


if __name__ == "__main__":
    main()
