"""Web tier load: `reciprocal serve` on loopback, started as users start it, driven by wrk.

    .venv/bin/python bench/web_load.py [--seconds 15] [--connections 50]
    .venv/bin/python bench/web_load.py --postgres                  # a fresh PostgreSQL database
    .venv/bin/python bench/web_load.py --database-url postgresql+psycopg://...   # an empty one

The platform runs as a subprocess exactly as a user runs it: `reciprocal db upgrade`, then
`reciprocal serve --port P` with the embedded defaults (SQLite in a RECIPROCAL_DATA_DIR of its
own, a private Redis started by serve, its RQ worker(s) and maintenance). RECIPROCAL_PROXY_FIX=1
is set, as in production behind a proxy, so that each simulated candidate has an address of its
own and the per-address rate limit of the token routes stays on; no other RECIPROCAL_* setting
is passed on. Between the two commands the bench seeds 1,000 invitations through the services
(40 of them started, submitted, graded with a typical ten-test result and assigned to a reviewer)
while a throwaway redis-server takes the jobs that seeding enqueues, so serve's worker has
nothing to run during the load.

wrk then runs at 50 connections against:

- the candidate status page GET /c/<token>, each request for a random one of the 1,000
  candidates from that candidate's own address (X-Forwarded-For),
- the API GET /api/v1/submissions/<id> with an admin's bearer token, and with the token of a
  reviewer assigned to the submission (the access check and blind review),
- the reviewer's submission page GET /submissions/<id> and a file page
  GET /submissions/<id>/code/<path> with a logged-in session,

and, in the same run, a bare WSGI "hello" app under gunicorn with the platform's own gunicorn
settings (reciprocal.gunicorn_conf, as many workers as serve's web workers) as the
baseline. Prints requests/s, p50/p99 latency and errors per endpoint side by side with the ratio
to the bare baseline and the server's CPU time per request (its whole process tree, from /proc:
steadier than requests/s on a busy machine); exits non-zero if any request failed. Needs wrk and
redis-server (and PostgreSQL for --postgres: scripts/ensure-postgres.sh).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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

# wrk's LuaJIT has no `//` operator; a script that fails to load makes wrk print the error and
# load the bare URL instead, so wrk's standard error is checked after every run.
CANDIDATE_LUA = """
local tokens = {%s}
math.randomseed(os.time())
request = function()
  local i = math.random(#tokens)
  local ip = string.format("10.%%d.%%d.%%d", math.floor(i / 65536) %% 256,
                           math.floor(i / 256) %% 256, i %% 256)
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
    cpu_ms: float  # CPU time of the server's whole process tree per request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_postgres_database() -> str:
    """A new, empty bench database on the local PostgreSQL (dropped again at the end)."""
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


def drop_postgres_database() -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", "dropdb", "--if-exists", BENCH_DB],
                   check=False)


def reciprocal_command() -> str:
    """The console script of the interpreter running the bench (the venv's)."""
    beside = Path(sys.executable).parent / "reciprocal"
    found = str(beside) if beside.exists() else shutil.which("reciprocal")
    if found is None:
        raise SystemExit("the `reciprocal` command is missing: pip install -e . in the venv")
    return found


def platform_env(data_dir: Path, base_url: str, database_url: str | None) -> dict[str, str]:
    """The environment a user would start serve with: theirs minus every RECIPROCAL_* setting,
    plus the data directory, the public URL, the proxy setting and (optionally) the database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECIPROCAL_")}
    env.update(
        RECIPROCAL_DATA_DIR=str(data_dir),
        RECIPROCAL_BASE_URL=base_url,
        RECIPROCAL_PROXY_FIX="1",
    )
    if database_url:
        env["RECIPROCAL_DATABASE_URL"] = database_url
    return env


def start_redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    wait_until(lambda: _port_open(port), 10, "redis-server")
    return proc, f"redis://127.0.0.1:{port}/0"


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(predicate: Callable[[], bool], timeout: float, what: str,
               proc: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log is not None else ""
            raise SystemExit(f"{what} exited with {proc.returncode}\n{tail}")
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not come up")
        time.sleep(0.2)


def seed(env: dict[str, str], redis_url: str) -> dict[str, Any]:
    """Seed through the services, as the platform itself would, into the migrated database.

    The jobs this enqueues (gradings) go to the throwaway Redis at `redis_url`: the runs are
    claimed and finished here with a worker's typical result."""
    os.environ.update(env, RECIPROCAL_REDIS_URL=redis_url)
    from reciprocal import create_app
    from reciprocal.accounts import api_tokens
    from reciprocal.accounts import operations as users
    from reciprocal.assignments import operations as assignments
    from reciprocal.candidates import operations as invitations
    from reciprocal.candidates import roles
    from reciprocal.extensions import db
    from reciprocal.grading import operations as grading
    from reciprocal.review import operations as review

    app = create_app()
    with app.app_context():
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
                review.assign_reviewer(submission, reviewer, actor=admin)
                submitted.append(submission.id)
            if index % 100 == 99:
                db.session.commit()
        db.session.commit()
        _token, api_token = api_tokens.create(admin, "bench")
        _token, reviewer_token = api_tokens.create(reviewer, "bench")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    for key in [k for k in os.environ if k.startswith("RECIPROCAL_")]:
        del os.environ[key]
    return {"tokens": tokens, "submissions": submitted, "api_token": api_token,
            "reviewer_token": reviewer_token}


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


def start_serve(port: int, env: dict[str, str], log: Path, web_workers: int,
                rq_workers: int) -> subprocess.Popen[bytes]:
    """`reciprocal serve` in a session of its own, so that its whole tree can be stopped."""
    command = [reciprocal_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
               "--web-workers", str(web_workers), "--workers", str(rq_workers)]
    proc = subprocess.Popen(command, env=env, cwd=log.parent, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    wait_until(lambda: _http_ok(f"http://127.0.0.1:{port}/healthz"), 90, "reciprocal serve",
               proc, log)
    return proc


def start_hello(folder: Path, port: int, web_workers: int, log: Path) -> subprocess.Popen[bytes]:
    """The bare baseline under the platform's gunicorn settings."""
    folder.mkdir()
    (folder / "hello_app.py").write_text(HELLO_APP)
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(folder), "--config",
               "python:reciprocal.gunicorn_conf", "hello_app:app"]
    env = dict(os.environ, WEB_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(web_workers),
               PYTHONPATH=str(ROOT / "platform"))
    proc = subprocess.Popen(command, env=env, cwd=folder, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    wait_until(lambda: _http_ok(f"http://127.0.0.1:{port}/"), 60, "gunicorn (hello)", proc, log)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process (serve stops its own children), then its group if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(45)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # anything of its session left behind
    except ProcessLookupError:
        pass


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and all its live descendants, from /proc."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / tick
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(times.get(pid, 0.0) for pid in tree)


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


def wrk(name: str, url: str, server: subprocess.Popen[bytes], seconds: int, connections: int, *,
        headers: dict[str, str] | None = None, script: Path | None = None,
        warmup: int = 0) -> Result:
    command = ["wrk", "-t2", f"-c{connections}", "--latency", "--timeout", "5s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    if warmup:
        _run_wrk([*command, f"-d{warmup}s", url])
    cpu_before = tree_cpu_seconds(server.pid)
    output = _run_wrk([*command, f"-d{seconds}s", url])
    cpu = tree_cpu_seconds(server.pid) - cpu_before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return Result(name, rps, _percentile(output, "50%"), _percentile(output, "99%"), total, errors,
                  cpu * 1000 / max(total, 1))


def _run_wrk(command: list[str]) -> str:
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    if done.stderr.strip():
        raise SystemExit(f"wrk complained (its figures would not be for this endpoint):\n"
                         f"{done.stderr.strip()}")
    return done.stdout


def _percentile(output: str, label: str) -> float:
    match = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def check(url: str, headers: dict[str, str] | None = None) -> None:
    """The endpoint answers 200 itself (wrk counts a redirect as a success, so none is
    followed here)."""
    response = requests.get(url, headers=headers or {}, timeout=10, allow_redirects=False)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code} before the load")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per endpoint")
    parser.add_argument("--warmup", type=int, default=2,
                        help="seconds of unmeasured load before each endpoint's run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=2, help="serve --web-workers")
    parser.add_argument("--workers", type=int, default=1, help="serve --workers (RQ workers)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the bench's folder (logs, data directory) afterwards")
    database = parser.add_mutually_exclusive_group()
    database.add_argument("--database-url",
                          help="an empty database to migrate, seed and serve from "
                               "(default: serve's embedded SQLite in the bench's data dir)")
    database.add_argument("--postgres", action="store_true",
                          help=f"a fresh database {BENCH_DB!r} on the local PostgreSQL "
                               "(scripts/ensure-postgres.sh), dropped at the end")
    args = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install {tool}")

    print(f"machine: {os.cpu_count()} cores (nproc), {platform.platform()}, "
          f"Python {platform.python_version()}")
    work = Path(tempfile.mkdtemp(prefix="reciprocal-bench-"))
    procs: list[subprocess.Popen[bytes]] = []
    results: list[Result] = []
    try:
        database_url = fresh_postgres_database() if args.postgres else args.database_url
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = platform_env(work / "data", base, database_url)
        subprocess.run([reciprocal_command(), "db", "upgrade"], env=env, cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        seed_redis, seed_redis_url = start_redis(work)
        started = time.monotonic()
        try:
            seeded = seed(env, seed_redis_url)
        finally:
            stop(seed_redis)
        print(f"seeded {INVITATIONS} invitations ({SUBMITTED} submitted and graded) "
              f"in {time.monotonic() - started:.1f} s")

        serve = start_serve(port, env, work / "serve.log", args.web_workers, args.workers)
        procs.append(serve)
        hello_port = free_port()
        hello = start_hello(work / "hello", hello_port, args.web_workers, work / "hello.log")
        procs.append(hello)

        cookie = login(base, "reviewer@bench.example")
        submission_id = seeded["submissions"][0]
        file_page = reviewer_file_path(base, cookie, submission_id)
        api_url = f"{base}/api/v1/submissions/{submission_id}"
        admin_bearer = {"Authorization": f"Bearer {seeded['api_token']}"}
        reviewer_bearer = {"Authorization": f"Bearer {seeded['reviewer_token']}"}
        staff = {"Cookie": cookie}
        check(f"{base}/c/{seeded['tokens'][0]}")
        check(api_url, admin_bearer)
        check(api_url, reviewer_bearer)
        check(f"{base}/submissions/{submission_id}", staff)
        lua = work / "candidates.lua"
        lua.write_text(CANDIDATE_LUA % ", ".join(f'"{t}"' for t in seeded["tokens"]))

        load: dict[str, Any] = {"seconds": args.seconds, "connections": args.connections,
                                "warmup": args.warmup}
        results = [
            wrk("bare WSGI hello (baseline)", f"http://127.0.0.1:{hello_port}/", hello, **load),
            wrk("candidate page GET /c/<token>", base, serve, script=lua, **load),
            wrk("API GET /api/v1/submissions/<id> (admin)", api_url, serve,
                headers=admin_bearer, **load),
            wrk("API GET /api/v1/submissions/<id> (reviewer)", api_url, serve,
                headers=reviewer_bearer, **load),
            wrk("reviewer GET /submissions/<id>", f"{base}/submissions/{submission_id}", serve,
                headers=staff, **load),
        ]
        if file_page is not None:
            check(base + file_page, staff)
            results.append(wrk("reviewer file GET /submissions/<id>/code/<path>",
                               base + file_page, serve, headers=staff, **load))
        else:
            print("(no reviewer file page found: web/review.py code view not available)")
    except BaseException:
        serve_log = work / "serve.log"
        if serve_log.exists():
            tail = serve_log.read_text(errors="replace")[-4000:]
            print(f"--- the end of serve's log ---\n{tail}", file=sys.stderr)
        raise
    finally:
        for proc in reversed(procs):
            stop(proc)
        if args.keep:
            print(f"kept {work} (serve.log, hello.log, the data directory)")
        else:
            shutil.rmtree(work, ignore_errors=True)
        if args.postgres:
            drop_postgres_database()

    baseline = results[0].rps
    where = ("PostgreSQL" if database_url else "SQLite (embedded default)")
    print(f"\nreciprocal serve --web-workers {args.web_workers} --workers {args.workers}, "
          f"{where}; wrk: {args.connections} connections, 2 threads, {args.seconds} s per "
          f"endpoint after {args.warmup} s of warm-up\n")
    print(f"{'endpoint':<50} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
          f"{'vs bare':>8} {'CPU ms/req':>11}")
    for r in results:
        print(f"{r.name:<50} {r.rps:>8.0f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} {r.errors:>7} "
              f"{r.rps / baseline:>8.1%} {r.cpu_ms:>11.2f}")
    print("\nCPU ms/req: user + system CPU of the server's whole process tree (serve and its "
          "children, or the bare gunicorn) during the run, per request served; wrk's own CPU is "
          "not in it.")
    failed = sum(r.errors for r in results)
    if failed:
        raise SystemExit(f"{failed} requests failed")


if __name__ == "__main__":
    main()
