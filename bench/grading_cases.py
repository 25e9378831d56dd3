"""What the grading benchmarks measure per language or environment: a shipped assignment, the
bare `docker run` of its hidden tests against its solution (no harness, no checks: the baseline
a platform is compared with), and the floor (the hidden tests alone, timed inside a container
that is already running and has already loaded its test tool)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tempfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grading_harness import ROOT

NODE_PATH = "/usr/share/nodejs:/usr/lib/nodejs"
PYTEST = ["python3", "-I", "-B", "-m", "pytest", "-q", "-p", "no:cacheprovider",
          "-c", "/opt/reciprocal/reciprocal_harness/pytest.ini", "--rootdir", "/work/hidden",
          "-o", "pythonpath=/work/submission", "/work/hidden"]
# The floor of a Python run: pytest imported first, then only the run itself is timed.
PYTHON_FLOOR = (
    "import sys, time, pytest\n"
    "started = time.perf_counter()\n"
    "pytest.main(sys.argv[1:])\n"
    "print(f'FLOOR {time.perf_counter() - started:.4f}', file=sys.stderr)\n"
)
# The floor of a Node run, as the warm runner runs it: node:test and jsdom loaded first, then
# only the hidden files, imported in one process, are timed until the process ends.
NODE_FLOOR = (
    "import { createRequire } from 'node:module';\n"
    "import { pathToFileURL } from 'node:url';\n"
    "const require = createRequire('/work/submission/');\n"
    "require('node:test'); require('jsdom');\n"
    "const started = performance.now();\n"
    "process.on('exit', () => console.error("
    "`FLOOR ${((performance.now() - started) / 1000).toFixed(4)}`));\n"
    "for (const file of process.argv.slice(1)) await import(pathToFileURL(file).href);\n"
)


@dataclass(frozen=True)
class Case:
    """One benchmarked assignment: its slug, its runner language and whether its image is an
    environment of its own (built from its environment/ folder)."""

    name: str
    slug: str
    language: str
    environment: bool = False

    @property
    def folder(self) -> Path:
        return ROOT / "assignments" / self.slug

    def image(self) -> str:
        from reciprocal.runner import image_for

        if not self.environment:
            return image_for(self.language)
        from reciprocal.runner.environments import ensure_environment

        return ensure_environment(self.slug, self.folder / "environment", self.language,
                                  progress=lambda _line: None)

    def spec_table(self, name: str) -> dict[str, Any]:
        """A table of the assignment's assignment.toml ([tests], [limits]), empty if absent."""
        data = tomllib.loads((self.folder / "assignment.toml").read_text(encoding="utf-8"))
        return dict(data.get(name) or {})

    def tests(self) -> dict[str, Any]:
        """The assignment's [tests] (a command runner's test command, build and hidden_path)."""
        return self.spec_table("tests")

    @contextmanager
    def mounted(self) -> Iterator[list[str]]:
        """`docker run` arguments that put the solution at /work/submission and the hidden
        tests at /work/hidden, read-only (for Go, the hidden tests laid over the solution, as
        the harness does; for a command runner, the solution with the hidden tests at their
        hidden_path, read-only at /src, for the run to copy into a writable folder: its test
        tools write their reports and builds into the tree)."""
        if self.language == "command":
            merged = Path(tempfile.mkdtemp(prefix="bench-command-"))
            try:
                shutil.copytree(self.folder / "solution", merged / "src")
                hidden = merged / "src" / str(self.tests()["hidden_path"])
                shutil.rmtree(hidden, ignore_errors=True)
                shutil.copytree(self.folder / "tests", hidden)
                merged.chmod(0o755)
                yield ["-v", f"{merged / 'src'}:/src:ro"]
            finally:
                shutil.rmtree(merged, ignore_errors=True)
            return
        if self.language != "go":
            yield ["-v", f"{self.folder / 'solution'}:/work/submission:ro",
                   "-v", f"{self.folder / 'tests'}:/work/hidden:ro"]
            return
        merged = Path(tempfile.mkdtemp(prefix="bench-go-"))
        try:
            shutil.copytree(self.folder / "solution", merged / "src")
            for path in (merged / "src").rglob("*_test.go"):
                path.unlink()
            shutil.copytree(self.folder / "tests", merged / "src", dirs_exist_ok=True)
            merged.chmod(0o755)
            yield ["-v", f"{merged / 'src'}:/work/submission:ro"]
        finally:
            shutil.rmtree(merged, ignore_errors=True)

    def command(self) -> list[str]:
        """The test command a bare run executes, as the candidate's uid would."""
        if self.language == "python":
            return PYTEST
        if self.language == "node":
            files = sorted(p.name for p in (self.folder / "tests").glob("*.test.js"))
            return ["node", "--test", *(f"/work/hidden/{name}" for name in files)]
        if self.language == "go":
            return ["sh", "-c", "mkdir -p /tmp/gotmp && GOTMPDIR=/tmp/gotmp go test ./..."]
        if self.language == "command":
            tests = self.tests()
            steps = [shlex.join(map(str, step)) for step in (tests.get("build"), tests["command"])
                     if step]
            return ["sh", "-c", " && ".join(["cp -r /src /tmp/tree", "cd /tmp/tree", *steps])]
        raise ValueError(f"no bare command for {self.language}")

    def env(self) -> list[str]:
        common = ["-e", "HOME=/tmp", "-e", "SUBMISSION_DIR=/work/submission"]
        if self.language == "node":
            return [*common, "-e", f"NODE_PATH={NODE_PATH}", "-e", "NO_COLOR=1"]
        if self.language == "go":
            vendored = (self.folder / "solution" / "vendor" / "modules.txt").is_file()
            mod = "-mod=vendor" if vendored else "-mod=mod"
            return [*common, "-e", "GOCACHE=/tmp/gocache", "-e", f"GOFLAGS={mod}",
                    "-e", "GOPROXY=off", "-e", "CGO_ENABLED=0", "-e", "GOTOOLCHAIN=local"]
        return common

    @property
    def judged_only(self) -> bool:
        """Whether the hidden tests use the judge's boundary (reciprocal_judge): they then run
        only in the platform's runner, and there is no bare baseline to compare with."""
        return any("reciprocal_judge" in path.read_text(encoding="utf-8", errors="replace")
                   for path in (self.folder / "tests").rglob("*.py"))

    def cpus(self) -> float:
        """The CPUs the platform gives one run of this assignment (its [limits], else the
        default of runner/limits.py)."""
        from reciprocal.runner import Limits

        return float(self.spec_table("limits").get("cpus", Limits().cpus))

    def bare(self, image: str, runtime: str, mounts: list[str],
             cpus: float | None = None) -> list[str]:
        """The bare `docker run`; with ``cpus``, capped as the platform caps a run."""
        command = self.command()
        capped = ["--cpus", str(cpus)] if cpus else []
        return ["docker", "run", "--rm", "--runtime", runtime, "--network", "none", *capped,
                "--user", "10001:10001", *mounts, *self.env(), "-w", "/work/submission",
                "--entrypoint", command[0], image, *command[1:]]

    def floor(self, image: str, mounts: list[str], runtime: str = "runsc") -> float | None:
        """Seconds of the hidden tests alone, in a container that already runs and has its
        test tool loaded (Python: pytest imported; Node: node:test and jsdom loaded, the files
        in that one process, as the warm runner runs them; Go: the packages built by a first
        run). None for a command runner: its test tools have no such split."""
        if self.language == "command":
            return None
        if self.language == "python":
            script = ["python3", "-I", "-B", "-c", PYTHON_FLOOR, *PYTEST[5:]]
            out = self._inside(image, runtime, mounts, script)
            return float(re.findall(r"FLOOR ([0-9.]+)", out)[-1])
        if self.language == "node":
            files = self.command()[2:]  # after "node --test"
            out = self._inside(image, runtime, mounts,
                               ["node", "--input-type=module", "-e", NODE_FLOOR, *files])
            return float(re.findall(r"FLOOR ([0-9.]+)", out)[-1])
        twice = "mkdir -p /tmp/gotmp; export GOTMPDIR=/tmp/gotmp; go test ./... >/dev/null; " \
                "go test -count=1 ./..."
        out = self._inside(image, runtime, mounts, ["sh", "-c", twice])
        return sum(float(s) for s in re.findall(r"^ok\s+\S+\s+([0-9.]+)s", out, re.M))

    def _inside(self, image: str, runtime: str, mounts: list[str], command: list[str]) -> str:
        done = subprocess.run(
            ["docker", "run", "--rm", "--runtime", runtime, "--network", "none",
             "--user", "10001:10001", *mounts, *self.env(), "-w", "/work/submission",
             "--entrypoint", command[0], image, *command[1:]],
            capture_output=True, text=True, check=False)
        return done.stdout + done.stderr


CASES = {
    "python": Case("python (standard library)", "customer-directory", "python"),
    "node": Case("node (node:test, jsdom)", "pricing-table", "node"),
    "go": Case("go (go test)", "log-digest", "go"),
    "go-vendored": Case("go + vendored chi, uuid, yaml.v3 (environment)",
                        "webhook-verify-dedupe", "go", True),
    "java": Case("Java + Maven, JUnit 5 (environment)", "shift-pay-bugfix", "command", True),
    "typescript": Case("TypeScript + tsc, Jest (environment)", "shipping-labels-idempotency",
                       "command", True),
    "ruby": Case("Ruby + RSpec (environment)", "seat-billing-proration", "command", True),
    "pandas": Case("python + pandas (environment)", "parcel-invoice-audit", "python", True),
    "browser": Case("React in Chromium (environment)", "delivery-slots", "python", True),
    "fastapi": Case("FastAPI + PostgreSQL in the sandbox (environment)", "room-bookings",
                    "python", True),
    "sql": Case("SQL on PostgreSQL in the sandbox (environment)", "saas-metrics-sql", "python",
                True),
}


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started
