"""Per-job latency and throughput of grading: bare `docker run` under runc, bare under runsc
(gVisor), and the platform path under runsc with its pool of pre-started containers.

    .venv/bin/python bench/grading_overhead.py [--runs 10] [--batch 20] [--pool 2]

Bare: the shipped assignment's hidden tests against its solution with `docker run --rm` of the
same pytest command in the same runner image, under each runtime. Platform: submit -> Redis
queue -> a real `reciprocal worker` (RECIPROCAL_RUNNER_RUNTIME=runsc, --pool containers per
image) -> fetch over git -> a pooled runner container -> results stored in the database.
One at a time, each platform job is submitted once the pools are full again (a job arriving at
an idle platform); the batch submits every job at once (the pools refill while it runs). All
three are measured in this run, side by side, and compared with bare runc as ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from grading_harness import bare_runs, machine, median, running_platform, wait_pools


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--pool", type=int, default=2, help="pooled containers per image")
    args = parser.parse_args()
    os.environ["RECIPROCAL_RUNNER_RUNTIME"] = "runsc"
    os.environ["RECIPROCAL_RUNNER_POOL_SIZE"] = str(args.pool)
    from reciprocal.runner import build_images, image_for

    build_images(progress=lambda _line: None)
    image = image_for("python")
    print(f"machine: {machine()}\nimage: {image}")
    single: dict[str, list[float]] = {}
    rate: dict[str, float] = {}
    for runtime in ("runc", "runsc"):
        bare_runs(image, 2, 1, runtime)  # warm caches
        single[f"bare docker run, {runtime}"], _ = bare_runs(image, args.runs, 1, runtime)
        _, wall = bare_runs(image, args.batch, 2, runtime)
        rate[f"bare docker run, {runtime}"] = args.batch / wall * 60

    platform_name = f"platform, runsc + pool of {args.pool}"
    owners = ["bench-0", "bench-1"]
    with running_platform(workers=2) as platform:
        durations = []
        for invitation in platform.submit_many(args.runs):
            if args.pool:
                wait_pools(image, owners, args.pool)
            started = time.perf_counter()
            statuses = platform.wait(platform.submit([invitation]))
            durations.append(time.perf_counter() - started)
            assert all(status == "passed" for status, _ in statuses.values()), statuses
        single[platform_name] = durations
        batch = platform.submit_many(args.batch)
        if args.pool:
            wait_pools(image, owners, args.pool)
        started = time.perf_counter()
        platform.wait(platform.submit(batch))
        rate[platform_name] = args.batch / (time.perf_counter() - started) * 60

    base = "bare docker run, runc"
    print(f"\nper job, one at a time ({args.runs} each; platform: submit -> stored):")
    print(f"  {'':36} {'p50':>7} {'p90':>7} {'vs bare runc p50':>17}")
    for name, values in single.items():
        print(f"  {name:36} {median(values):6.2f}s {p90(values):6.2f}s "
              f"{median(values) / median(single[base]):16.2f}x")
    print("  target: platform p50 within 1.10x of bare runc")
    print(f"\nthroughput, {args.batch} jobs at concurrency 2 (platform: 2 workers):")
    for name, value in rate.items():
        print(f"  {name:36} {value:6.1f} jobs/min {value / rate[base]:6.0%} of bare runc")
    print("  target: platform >= 90% of bare runc")


if __name__ == "__main__":
    main()
