"""Per-job overhead of the platform's grading path over a bare `docker run`, and throughput.

    .venv/bin/python bench/grading_overhead.py [--runs 10] [--batch 20]

Bare: the shipped assignment's hidden tests against its solution with `docker run --rm` of the
same pytest command in the same runner image. Platform: submit -> Redis queue -> a real
`reciprocal worker` -> fetch over git -> runner container -> results stored in the database.
Prints the median per-job latency of each (one at a time) and their difference, then jobs per
minute with 2 workers against bare `docker run` at concurrency 2, measured side by side.
"""

from __future__ import annotations

import argparse
import time

from grading_harness import bare_runs, machine, median, running_platform


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args()
    from reciprocal.runner import build_images, image_for

    build_images(["python"], progress=lambda _line: None)
    image = image_for("python")
    print(f"machine: {machine()}\nimage: {image}")
    bare_runs(image, 2, 1)  # warm caches
    bare_single, _ = bare_runs(image, args.runs, 1)
    _, bare_wall = bare_runs(image, args.batch, 2)

    with running_platform(workers=2) as platform:
        single = []
        for invitation in platform.submit_many(args.runs):
            started = time.perf_counter()
            run_ids = platform.submit([invitation])
            statuses = platform.wait(run_ids)
            single.append(time.perf_counter() - started)
            assert all(status == "passed" for status, _ in statuses.values()), statuses
        batch = platform.submit_many(args.batch)
        started = time.perf_counter()
        platform.wait(platform.submit(batch))
        platform_wall = time.perf_counter() - started

    print(f"\nper job, one at a time (median of {args.runs}):")
    print(f"  bare docker run        {median(bare_single):6.2f} s")
    print(f"  platform (submit->stored) {median(single):6.2f} s")
    print(f"  overhead               {median(single) - median(bare_single):+6.2f} s per job "
          "(target < 0.5 s)")
    bare_rate = args.batch / bare_wall * 60
    platform_rate = args.batch / platform_wall * 60
    print(f"\nthroughput, {args.batch} jobs:")
    print(f"  bare docker run, concurrency 2   {bare_rate:6.1f} jobs/min")
    print(f"  platform, 2 workers              {platform_rate:6.1f} jobs/min")
    print(f"  ratio                            {platform_rate / bare_rate:6.0%} (target >= 80%)")


if __name__ == "__main__":
    main()
