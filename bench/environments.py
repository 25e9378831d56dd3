"""Assignment environments: image build time cold and cached, image size, and the reference
solution's grading time bare and through the platform, side by side.

    .venv/bin/python bench/environments.py [--runs 3] [--only NAME ...] [--scaffolds]
                                           [--no-cold] [--no-warmup] [--pool 2]

Environments: the built-in python runner (graded on customer-directory), room-bookings and
delivery-slots; with --scaffolds also `assignments new --stack` fastapi-postgres, react-browser
and command, scaffolded into a temporary folder.

Builds. "cold" builds the same context under a tag of this benchmark's own with no cache at
all (apt, PyPI, npm fetched again), then removes that tag only: never the environment's own
image, the runner images or anyone else's. "layer cache" is the same build with Docker's cache
(every step found). "tag found" is what `runners build`, `validate` and a worker do for an
unchanged environment: hash the context and find the tag. Size is the image's, and what it adds
to the runner image it is built FROM.

Grading, the reference solution against the hidden tests, one run at a time. Bare: one `docker
run -i --rm` of the same image under the same runtime and lock-down as a grading container, the
harness reading the solution and the hidden tests on its stdin (the assignment's services,
build and screenshots included): the test command as the platform's container runs it, with
nothing around it. "tests" is the part of it the test command itself took inside the container,
as the harness measured. Platform: submit -> Redis queue -> a real `reciprocal worker` -> git
fetch, hidden tests over HTTP -> a pooled container of the environment -> results stored, timed
from the submit to the stored result, each job submitted once the pool holds containers of the
image again (a job arriving at an idle platform). The pool learns an environment's image from
its first job, which starts its container cold: with --warmup (the default) one untimed run of
each kind goes first.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docker.errors import APIError, ImageNotFound
from grading_harness import ROOT, machine, median, running_platform, wait_pools
from reciprocal.assignments.scaffold import scaffold
from reciprocal.assignments.spec import AssignmentSpec, load_spec
from reciprocal.config import setting
from reciprocal.runner import Limits, build_images, docker_client, image_for, images
from reciprocal.runner import environments as env_images
from reciprocal.runner.engine import container_options, last_document
from reciprocal.runner.payload import build_payload
from reciprocal.runner.results import RunResult
from reciprocal.runner.runtime import configured_runtime
from reciprocal.runner.verdict import Outcome, interpret

SHIPPED = {"python": "customer-directory", "room-bookings": "room-bookings",
           "delivery-slots": "delivery-slots"}
SCAFFOLDS = ("fastapi-postgres", "react-browser", "command")
BENCH_LABEL = {"app": "reciprocal-bench"}  # never "reciprocal": no sweeper of ours touches it


@dataclass
class Environment:
    name: str  # the row's name
    slug: str  # the assignment graded
    folder: Path  # the assignment's folder
    runner: str
    image: str = ""
    base: str = ""  # the image it is built FROM (the runner's, or Debian's for a runner)
    figures: dict[str, float] = field(default_factory=dict)
    bare: list[float] = field(default_factory=list)
    inside: list[float] = field(default_factory=list)
    platform: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# --------------------------------------------------------------------------------- builds


def context(env: Environment) -> tuple[dict[str, Path], dict[str, bytes], dict[str, str]]:
    """The build context's files, the generated ones and the build arguments, as the platform
    builds this image (runner.images for a runner, runner.environments for an environment)."""
    if env.name == "python":
        return (images.context_files("python"), {},
                {"BASE_IMAGE": images.DEFAULT_BASE_IMAGE})
    return (env_images.context_files(env.folder / "environment"),
            {env_images.CA_NAME: env_images.ca_bundle()},
            {"RUNNER_BASE": images.image_for(env.runner)})


def docker_build(client, env: Environment, tag: str, *, nocache: bool) -> None:
    files, generated, buildargs = context(env)
    with tempfile.TemporaryDirectory(prefix="reciprocal-bench-build-") as tmp:
        for name, source in files.items():
            (Path(tmp) / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, Path(tmp) / name)
        for name, data in generated.items():
            (Path(tmp) / name).write_bytes(data)
        network = setting("RECIPROCAL_BUILD_NETWORK") if env.name != "python" else ""
        for chunk in client.api.build(path=tmp, tag=tag, nocache=nocache, rm=True, forcerm=True,
                                      pull=False, decode=True, buildargs=buildargs,
                                      labels=BENCH_LABEL, network_mode=network or None):
            if "error" in chunk:
                raise RuntimeError(f"{env.name}: build failed: {chunk['error']}")


def ensure(env: Environment) -> None:
    """The image the platform grades with, built first if this engine lacks it."""
    if env.name == "python":
        env.image = build_images(["python"], progress=lambda _l: None)["python"]
        env.base = images.DEFAULT_BASE_IMAGE
        return
    env.base = image_for(env.runner)
    env.image = env_images.ensure_environment(env.slug, env.folder / "environment",
                                              env.runner, progress=lambda _l: None)


def expected_tag(env: Environment) -> str:
    if env.name == "python":
        return image_for("python")
    return env_images.environment_tag(env.slug, env.folder / "environment", env.runner)


def measure_builds(client, env: Environment, cold: bool) -> None:
    try:
        client.images.get(expected_tag(env))
    except ImageNotFound:
        env.notes.append(f"its image was missing: built first in {timed(lambda: ensure(env)):.1f} "
                         "s (with whatever layers the engine had)")
    env.figures["tag found"] = timed(lambda: ensure(env))
    size = client.images.get(env.image).attrs["Size"]
    env.figures["size MB"] = size / 1e6
    env.figures["added MB"] = (size - client.images.get(env.base).attrs["Size"]) / 1e6
    kinds = [("layer cache", False)] + ([("cold", True)] if cold else [])
    for kind, nocache in kinds:
        tag = f"reciprocal-bench-build-{env.slug}:{os.getpid()}-{kind.replace(' ', '-')}"
        try:
            env.figures[kind] = timed(lambda t=tag, n=nocache: docker_build(client, env, t,
                                                                            nocache=n))
        finally:
            remove_tag(client, tag)


def remove_tag(client, tag: str) -> None:
    """This benchmark's own tag only; an image that other tags name keeps them."""
    try:
        client.images.remove(tag)
    except ImageNotFound:
        pass
    except APIError as exc:
        print(f"  (could not remove {tag}: {exc})")


# --------------------------------------------------------------------------------- bare runs


def docker_run_args(options: dict) -> list[str]:
    """`docker run` flags for the engine's container options (runner.engine): the same
    runtime, lock-down and limits as a grading container; no labels, so no sweeper sees it."""
    args = ["docker", "run", "--rm", "-i", "--runtime", options["runtime"],
            "--network", options["network_mode"], "--user", options["user"],
            "--read-only", "--init", "-w", options["working_dir"],
            "--hostname", options["hostname"], "--memory", options["mem_limit"],
            "--memory-swap", options["memswap_limit"],
            "--cpus", str(options["nano_cpus"] / 1e9),
            "--pids-limit", str(options["pids_limit"])]
    for cap in options["cap_drop"]:
        args += ["--cap-drop", cap]
    for cap in options["cap_add"]:
        args += ["--cap-add", cap]
    for opt in options["security_opt"]:
        args += ["--security-opt", opt]
    for path, mount in options["tmpfs"].items():
        args += ["--tmpfs", f"{path}:{mount}"]
    for limit in options["ulimits"]:
        args += ["--ulimit", f"{limit['Name']}={limit['Soft']}:{limit['Hard']}"]
    return [*args, options["image"]]


def bare_run(env: Environment, spec: AssignmentSpec) -> tuple[float, float, str]:
    """Seconds of one bare run, the seconds its tests took inside, and its verdict."""
    limits = Limits.from_mapping(spec.limits)
    nonce = secrets.token_hex(16)
    tests = spec.plan.harness_config() or None
    with build_payload(env.folder / "solution", env.folder / "tests", limits, nonce,
                       tests=tests) as payload:
        data = payload.read()
    command = docker_run_args(container_options(env.runner, env.image, limits, {}))
    started = time.perf_counter()
    done = subprocess.run(command, input=data, capture_output=True,
                          timeout=limits.timeout_seconds + 120)
    seconds = time.perf_counter() - started
    document = last_document(done.stdout, nonce)
    result = interpret(Outcome(document, done.returncode, False, False, seconds), limits=limits,
                       base=RunResult(status="error", reason=""), nonce=nonce,
                       language=env.runner)
    verdict = f"{result.status} {result.passed}/{result.passed + result.failed + result.errors}"
    return seconds, float((document or {}).get("test_seconds") or 0), verdict


# --------------------------------------------------------------------------------- the table


def row(env: Environment) -> list[str]:
    f = env.figures

    def seconds(values: list[float]) -> str:
        return f"{median(values):.1f}s" if values else "-"

    bare, platform = median(env.bare), median(env.platform)
    return [env.name, f"{f.get('size MB', 0):.0f} MB", f"{f.get('added MB', 0):.0f} MB",
            seconds([f["cold"]] if "cold" in f else []),
            seconds([f["layer cache"]] if "layer cache" in f else []),
            f"{f['tag found'] * 1000:.0f} ms" if "tag found" in f else "-",
            seconds(env.bare), seconds(env.inside), seconds(env.platform),
            f"{platform / bare:.2f}x" if env.bare and env.platform else "-"]


HEADER = ["environment", "image", "added", "cold build", "layer cache", "tag found",
          "bare run", "(tests)", "platform", "vs bare"]


def print_table(envs: list[Environment], runs: int) -> None:
    rows = [HEADER] + [row(env) for env in envs]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    print(f"\nper environment (grading: the reference solution, p50 of {runs}; platform: "
          "submit -> stored):")
    for r in rows:
        print("  " + "  ".join(c.rjust(w) if i else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    for env in envs:
        for note in env.notes:
            print(f"  {env.name}: {note}")


# --------------------------------------------------------------------------------- main


def environments(args: argparse.Namespace, tmp: Path) -> list[Environment]:
    """Copies of the assignments graded (and scaffolds), in one folder the platform syncs."""
    folder = tmp / "assignments"
    folder.mkdir()
    found = []
    only = set(args.only or ())
    for name, slug in SHIPPED.items():
        if not only or {name, slug} & only:
            shutil.copytree(ROOT / "assignments" / slug, folder / slug,
                            ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
            found.append(Environment(name, slug, folder / slug, load_spec(folder / slug).runner))
    for stack in SCAFFOLDS:
        slug = f"bench-{stack}"
        if (args.scaffolds and not only) or {stack, slug} & only:
            made = scaffold(folder, slug, stack)
            found.append(Environment(f"scaffold {stack}", slug, made, load_spec(made).runner))
    if not found:
        raise SystemExit(f"nothing matches --only {', '.join(sorted(only))}")
    return found


def grade(envs: list[Environment], args: argparse.Namespace, assignments: Path) -> None:
    for env in envs:
        spec = load_spec(env.folder)
        for index in range(args.runs + (1 if args.warmup else 0)):
            seconds, inside, verdict = bare_run(env, spec)
            if verdict.split()[0] != "passed":
                env.notes.append(f"bare run {index}: {verdict}")
            if index or not args.warmup:
                env.bare.append(seconds)
                env.inside.append(inside)
        print(f"{env.name}: bare {[round(s, 1) for s in env.bare]} s")
    with running_platform(workers=1, assignments_dir=assignments) as platform:
        for env in envs:
            candidates = platform.submit_many(args.runs + (1 if args.warmup else 0), env.slug)
            for index, candidate in enumerate(candidates):
                if args.pool and index:  # the pool has learnt the image from the first job
                    wait_pools(env.image, args.pool, timeout=600)
                started = time.perf_counter()
                statuses = platform.wait(platform.submit([candidate]), timeout=1800)
                seconds = time.perf_counter() - started
                status = next(iter(statuses.values()))[0]
                if status != "passed":
                    env.notes.append(f"platform run {index}: {status}")
                if index or not args.warmup:
                    env.platform.append(seconds)
            print(f"{env.name}: platform {[round(s, 1) for s in env.platform]} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="graded runs per environment")
    parser.add_argument("--only", action="append", default=None, metavar="NAME",
                        help="only this environment (repeatable): python, room-bookings, "
                             "delivery-slots, or a scaffold's stack (fastapi-postgres, "
                             "react-browser, command)")
    parser.add_argument("--scaffolds", action="store_true",
                        help="also the fastapi-postgres, react-browser and command scaffolds")
    parser.add_argument("--cold", action=argparse.BooleanOptionalAction, default=True,
                        help="build each image cold (no cache: apt, PyPI and npm again)")
    parser.add_argument("--warmup", action=argparse.BooleanOptionalAction, default=True,
                        help="one untimed run of each kind first (the pool learns the image)")
    parser.add_argument("--pool", type=int, default=2, help="pooled containers per image")
    args = parser.parse_args()
    os.environ.setdefault("RECIPROCAL_RUNNER_RUNTIME", "runsc")
    os.environ["RECIPROCAL_RUNNER_POOL_SIZE"] = str(args.pool)
    client = docker_client()
    build_images(progress=lambda _line: None)
    print(f"machine: {machine()}\nruntime: {configured_runtime()}, pool {args.pool}")
    with tempfile.TemporaryDirectory(prefix="reciprocal-bench-env-") as tmp:
        envs = environments(args, Path(tmp))
        for env in envs:
            measure_builds(client, env, args.cold)
            print(f"{env.name}: {env.image}, builds "
                  + ", ".join(f"{k} {v:.1f}" for k, v in env.figures.items()))
        grade(envs, args, Path(tmp) / "assignments")
    print_table(envs, args.runs)
    print("  bare: `docker run -i` of the same image, lock-down and runtime, the harness reading "
          "the solution\n  and hidden tests on stdin; (tests): the test command's own time "
          "inside; platform: submit -> stored")


if __name__ == "__main__":
    main()
