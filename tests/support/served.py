"""The served platform as a user starts it: `reciprocal serve` as a process of its own, with its own
data directory and port, driven only from outside over HTTP and the `git` binary.

Each instance gets a migrated SQLite database, the shipped assignment library, an admin, a
recruiter and a reviewer with API tokens, and then `reciprocal serve` with the embedded defaults
(a private Redis, one RQ worker, the maintenance process). The system tests' fixtures
(tests/system/conftest.py) share one instance across a module's tests; what a test makes on it
(roles, invitations, users) is its own.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.support.auth import PASSWORD, auth, csrf
from tests.support.paths import ROOT
from tests.support.services import free_port

# What `prepare` makes depends only on these settings: an instance with neither of them set is
# copied from one prepared template (eight `reciprocal` commands, about 25 s, saved per test).
PREPARE_SETTINGS = ("RECIPROCAL_ASSIGNMENTS_DIR", "RECIPROCAL_DATABASE_URL")
_template: Served | None = None

TOKEN_RE = re.compile(r"rcp_[A-Za-z0-9_\-]+")


@dataclass
class Served:
    data_dir: Path
    port: int
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def admin_token(self) -> str:
        return self.tokens["admin"]

    # the command line --------------------------------------------------------------------

    def reciprocal(self, *args: str, input: str | None = None,
                   check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "reciprocal.cli", *args], env=self.env,
                              input=input, capture_output=True, text=True, timeout=120,
                              cwd=ROOT)
        if check and done.returncode != 0:
            raise AssertionError(f"reciprocal {' '.join(args)} exited {done.returncode}:\n"
                                 f"{done.stdout}\n{done.stderr}")
        return done

    def prepare(self) -> Served:
        self.reciprocal("db", "upgrade")
        self.reciprocal("assignments", "sync")
        for role in ("admin", "recruiter", "reviewer"):
            email = f"{role}@served.example"
            self.reciprocal("users", "create", "--email", email, "--role", role,
                            "--name", f"{role.title()} Person", input=f"{PASSWORD}\n")
            out = self.reciprocal("tokens", "create", "--email", email).stdout
            self.tokens[role] = TOKEN_RE.findall(out)[-1]
        return self

    # the process -------------------------------------------------------------------------

    def start(self, *args: str, timeout: float = 60) -> Served:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reciprocal.cli", "serve", "--port", str(self.port), *args],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited {self.proc.returncode}:\n{self.log()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"serve did not answer /healthz within {timeout} s:\n"
                             f"{self.log()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 90) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            raise AssertionError(
                f"serve did not stop within {timeout} s:\n{self.log()[-3000:]}") from None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def children(self) -> dict[str, Any]:
        state = json.loads((self.data_dir / "run" / "serve.json").read_text())
        return dict(state["children"])

    def wait_for_child(self, name: str, *, restarts: int, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            child = self.children().get(name, {})
            if child.get("restarts", 0) >= restarts and child.get("state") == "running":
                return child
            time.sleep(0.1)
        raise AssertionError(f"{name} was not restarted: {self.children()}\n{self.log()[-3000:]}")

    # HTTP --------------------------------------------------------------------------------

    def api(self, method: str, path: str, token: str | None = None, **kwargs: Any
            ) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.url + path, headers=headers,
                                timeout=kwargs.pop("timeout", 30), **kwargs)


def served_platform(tmp_path: Path, **env: str) -> Served:
    """A prepared (not yet started) platform in its own folder, on its own port."""
    data_dir = tmp_path / "data"
    port = free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith("RECIPROCAL_")}
    base.pop("FLASK_DEBUG", None)
    base.update({
        "RECIPROCAL_DATA_DIR": str(data_dir),
        "RECIPROCAL_BASE_URL": f"http://127.0.0.1:{port}",
        "RECIPROCAL_SECRET_KEY": "served-secret-" + tmp_path.name,
        "RECIPROCAL_SCRATCH_DIR": str(tmp_path / "scratch"),
        "PYTHONPATH": str(ROOT / "platform"),
    })
    base.update(env)
    served = Served(data_dir, port, base, tmp_path / "serve.log")
    if any(name in env for name in PREPARE_SETTINGS):
        return served.prepare()
    template = _prepared_template()
    shutil.copytree(template.data_dir, data_dir)
    served.tokens = dict(template.tokens)
    return served


def _prepared_template() -> Served:
    """The migrated database, synced library, users and tokens every plain instance starts
    from, prepared once per test process with the same commands a user runs."""
    global _template
    if _template is None:
        root = Path(tempfile.mkdtemp(prefix="reciprocal-served-template-"))
        atexit.register(shutil.rmtree, root, True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECIPROCAL_")}
        env.pop("FLASK_DEBUG", None)
        env.update({"RECIPROCAL_DATA_DIR": str(root / "data"),
                    "RECIPROCAL_SECRET_KEY": "served-template-secret",
                    "PYTHONPATH": str(ROOT / "platform")})
        _template = Served(root / "data", 0, env, root / "prepare.log").prepare()
    return _template


def start_served(tmp_path: Path, *args: str, **env: str) -> Served:
    return served_platform(tmp_path, **env).start(*args)


# The candidate's side ----------------------------------------------------------------------

ROLE = {
    "title": "Backend Engineer", "team": "Platform", "salary_min": 70000, "salary_max": 90000,
    "currency": "EUR", "mission": "Keep the customer directory fast and correct.",
    "requirements": ["Correct behaviour under the documented rules", "Readable code"],
    "stages": ["Take-home", "Follow-up interview", "Decision"], "response_days": 5,
}


@dataclass
class Candidate:
    served: Served
    invitation_id: int
    token: str
    git_url: str

    def call(self, action: str, **kwargs: Any) -> requests.Response:
        return self.served.api("POST", f"/api/v1/candidate/{action}", self.token, **kwargs)

    def upload(self, archive: Path, headers: dict[str, str] | None = None) -> requests.Response:
        """Upload a .zip or a git bundle on the portal, as its form does (with the CSRF token
        of the page it came from); ``headers`` go with both requests."""
        portal = requests.Session()
        portal.headers.update(headers or {})
        landing = portal.get(f"{self.served.url}/c/{self.token}", timeout=30)
        with archive.open("rb") as content:
            return portal.post(f"{self.served.url}/c/{self.token}/upload", timeout=120,
                               data={"csrf_token": csrf(landing.text)},
                               files={"archive": (archive.name, content)})


def invite(served: Served, assignment: str = "customer-directory", name: str = "Sam Candidate",
           email: str = "sam@example.com") -> Candidate:
    role = served.api("POST", "/api/v1/roles", served.tokens["recruiter"], json=ROLE)
    assert role.status_code == 201, role.text
    made = served.api("POST", "/api/v1/invitations", served.tokens["recruiter"], json={
        "assignment": assignment, "role": role.json()["id"],
        "candidate": {"name": name, "email": email}})
    assert made.status_code == 201, made.text
    data = made.json()
    return Candidate(served, data["id"], data["portal_url"].rsplit("/", 1)[-1], data["git_url"])


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    home = cwd.parent / ".git-home"
    home.mkdir(exist_ok=True)
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "Sam Candidate",
           "GIT_AUTHOR_EMAIL": "sam@example.com", "GIT_COMMITTER_NAME": "Sam Candidate",
           "GIT_COMMITTER_EMAIL": "sam@example.com"}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}:\n{done.stdout}\n{done.stderr}")
    return done


def clone_and_push_solution(candidate: Candidate, workdir: Path,
                            assignment: str = "customer-directory",
                            assignments: Path = ROOT / "assignments") -> Path:
    """Clone the starter, replace it with the assignment's reference solution (from the
    shipped library, or the `assignments` folder the platform was given), push."""
    workdir.mkdir(parents=True, exist_ok=True)
    git("clone", "-q", candidate.git_url, "work", cwd=workdir)
    tree = workdir / "work"
    solution = assignments / assignment / "solution"
    for path in solution.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            target = tree / path.relative_to(solution)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    git("add", "-A", cwd=tree)
    git("commit", "-q", "-m", "My solution", cwd=tree)
    git("push", "-q", "origin", "HEAD:main", cwd=tree)
    return tree


def started_candidate(served: Served, assignment: str = "customer-directory",
                      name: str = "Sam Candidate") -> Candidate:
    candidate = invite(served, assignment, name=name,
                       email=re.sub(r"[^a-z]", "", name.lower()) + "@example.com")
    assert candidate.call("accept-terms").status_code == 200
    assert candidate.call("start").status_code == 200
    return candidate


def wait_graded(served: Served, submission_id: int, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    grading: dict[str, Any] = {}
    while time.monotonic() < deadline:
        answer = served.api("GET", f"/api/v1/submissions/{submission_id}", served.admin_token)
        assert answer.status_code == 200, answer.text
        grading = answer.json().get("grading") or {}
        if grading.get("status") not in (None, "queued", "running"):
            return answer.json()
        time.sleep(0.5)
    raise AssertionError(f"submission {submission_id} not graded within {timeout} s: {grading}\n"
                         f"{served.log()[-4000:]}")


# The staff's side --------------------------------------------------------------------------


def assign_reviewer(served: Served, submission_id: int, name: str = "Reviewer Person", *,
                    recruiter: requests.Session | None = None,
                    unless_assigned: bool = False) -> requests.Session:
    """A recruiter assigns the named reviewer from the submission page, as in the browser, and
    the recruiter's session is returned. With `unless_assigned`, a reviewer the role's panel
    already assigned (so no longer offered) is not an error."""
    recruiter = recruiter or auth.session(served, "recruiter")
    page = recruiter.get(f"{served.url}/submissions/{submission_id}", timeout=30)
    offered = re.search(rf'<option value="(\d+)">{re.escape(name)}', page.text)
    if offered is None and unless_assigned:
        return recruiter
    assert offered, f"{name} is not offered on the submission page:\n{page.text[:2000]}"
    assigned = recruiter.post(f"{served.url}/submissions/{submission_id}/reviewers", timeout=30,
                              data={"csrf_token": csrf(page.text),
                                    "reviewer_id": offered.group(1)})
    assert assigned.status_code == 200 and "will review this submission" in assigned.text, \
        assigned.text[:500]
    return recruiter
