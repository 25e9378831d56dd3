"""Per-job latency and throughput of grading, per language and environment: bare `docker run`
under runc, bare under runsc (gVisor), and the platform under runsc with its pool of
pre-started containers whose judge is already warm; and the floor.

    .venv/bin/python bench/grading_overhead.py [--cases python,node,go,pandas]
                                               [--runs 10] [--batch 20] [--pool 2]

Bare: the case's hidden tests against its solution with `docker run --rm` of the same test
command in the same image (no harness, no integrity checks), under each runtime, with every
core of the machine; and once more under runc capped to the CPUs the platform gives one run
(`--cpus`, the assignment's limit, 1 by default), which is the same work under the same limit:
a compiler or a test runner that uses two cores is slower with one. Platform: `reciprocal serve
--workers 2` as a process of its own (RECIPROCAL_RUNNER_RUNTIME=runsc, --pool containers per
image per worker); each candidate is invited, starts and uploads the solution over HTTP, and the
time runs from the submit request (-> Redis queue -> a worker -> fetch over git -> a pooled
runner container -> results stored) until the API reports the run finished. One at a time, each
platform job is submitted once the pools are full again and their containers' warm-up is over
(their CPU idle: a job arriving at an idle platform); the batch submits every job at once (the
pools refill while it runs). Floor: the hidden tests alone inside a running container with the
test tool loaded (bench/grading_cases.py), under each runtime: under runsc it bounds what any
platform using gVisor can reach. Then the single platform jobs' seconds per phase, from the
workers' log lines in serve's log (the worker's phases and the container's own steps). All
measured in this run, side by side, compared with bare runc as ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from grading_cases import CASES, Case, timed
from grading_harness import machine, median, running_platform, wait_pools

WORKERS = 2


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def bare(case: Case, image: str, runs: int, batch: int) -> tuple[dict[str, list[float]],
                                                                 dict[str, float]]:
    single: dict[str, list[float]] = {}
    rate: dict[str, float] = {}
    with case.mounted() as mounts:
        capped = f"bare docker run, runc, --cpus {case.cpus():g} (as the platform)"
        for name, command in ((f"bare docker run, {runtime}", case.bare(image, runtime, mounts))
                              for runtime in ("runc", "runsc")):
            timed(command)  # warm the engine's and the page cache's caches
            single[name] = [timed(command) for _ in range(runs)]
            started = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda _i, c=command: timed(c), range(batch)))
            rate[name] = batch / (time.perf_counter() - started) * 60
        command = case.bare(image, "runc", mounts, case.cpus())
        single[capped] = [timed(command) for _ in range(runs)]
        for runtime in ("runc", "runsc"):
            first = case.floor(image, mounts, runtime)
            if first is None:
                break  # a command runner's test tools have no such split
            single[f"floor (tests alone, warm, {runtime})"] = [
                first, *(case.floor(image, mounts, runtime) or first for _ in range(2))]
    return single, rate


def platform(case: Case, image: str, runs: int, batch: int,
             pool: int) -> tuple[list[float], float, dict[str, list[float]]]:
    """Per-job seconds, throughput (jobs a minute) and the single jobs' seconds per phase."""
    with running_platform(workers=WORKERS) as served:
        # An untimed job per worker first: each worker's pool learns an environment's image
        # (and limits) from the first job of its own that asks for it, and every cache is then
        # as a running platform has it.
        served.wait(served.submit(served.submit_many(WORKERS, case.slug)))
        durations, run_ids = [], []
        for candidate in served.submit_many(runs, case.slug):
            if pool:
                wait_pools(image, pool * WORKERS)
            started = time.perf_counter()
            statuses = served.wait(served.submit([candidate]))
            durations.append(time.perf_counter() - started)
            assert all(status == "passed" for status, _ in statuses.values()), statuses
            run_ids += statuses
        candidates = served.submit_many(batch, case.slug)
        if pool:
            wait_pools(image, pool * WORKERS)
        started = time.perf_counter()
        served.wait(served.submit(candidates))
        rate = batch / (time.perf_counter() - started) * 60
        return durations, rate, served.phases(run_ids)


def report(case: Case, single: dict[str, list[float]], rate: dict[str, float],
           phases: dict[str, list[float]]) -> None:
    base = "bare docker run, runc"
    print(f"\n== {case.name}: {case.slug}")
    print("  per job, one at a time (platform: submit -> stored):")
    print(f"  {'':40} {'p50':>7} {'p90':>7} {'vs bare runc':>13} {'vs bare runsc':>14}")
    if base not in single:
        print("  no bare baseline: these hidden tests are written against the judge's boundary "
              "(they import reciprocal_judge), so a bare `docker run` cannot run them")

    def ratio(value: float, name: str) -> str:
        return f"{value / median(single[name]):.2f}x" if name in single else "-"

    for name, values in single.items():
        print(f"  {name:40} {median(values):6.2f}s {p90(values):6.2f}s "
              f"{ratio(median(values), base):>13} "
              f"{ratio(median(values), 'bare docker run, runsc'):>14}")
    print("  throughput at concurrency 2 (platform: 2 workers):")
    for name, value in rate.items():
        share = f"{value / rate[base]:6.0%} of bare runc" if base in rate else ""
        print(f"  {name:40} {value:6.1f} jobs/min {share}")
    print("  where a platform job's time goes, one at a time (the worker's log), p50:")
    for name, values in phases.items():
        print(f"  {name:40} {median(values):6.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="python,node,go,pandas",
                        help="comma-separated, of: " + ", ".join(CASES))
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--pool", type=int, default=2, help="pooled containers per image")
    args = parser.parse_args()
    os.environ["RECIPROCAL_RUNNER_RUNTIME"] = "runsc"
    os.environ["RECIPROCAL_RUNNER_POOL_SIZE"] = str(args.pool)
    from reciprocal.runner import build_images

    build_images(progress=lambda _line: None)
    print(f"machine: {machine()}")
    for key in args.cases.split(","):
        case = CASES[key]
        image = case.image()
        single, rate = ({}, {}) if case.judged_only else bare(case, image, args.runs,
                                                              args.batch)
        name = f"platform, runsc + pool of {args.pool}"
        single[name], rate[name], phases = platform(case, image, args.runs, args.batch,
                                                    args.pool)
        report(case, single, rate, phases)
    print("\ntargets: Python and Node platform p50 <= bare runc (1.00x) and throughput >= bare "
          "runc's; an environment whose start-up dominates: platform p50 <= 0.5x bare runsc")


if __name__ == "__main__":
    main()
