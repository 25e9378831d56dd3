"""A grading burst: 200 submissions at once, graded by 2 workers, against 200 bare runs.

    .venv/bin/python bench/burst.py [--count 200]

Submits all at once (one transaction, so all jobs land in Redis together), then reports the time
until every run is stored, next to 200 bare `docker run` of the same tests at concurrency 2.
"""

from __future__ import annotations

import argparse
import time

from grading_harness import bare_runs, machine, median, running_platform


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    from reciprocal.runner import build_images, image_for

    build_images(["python"], progress=lambda _line: None)
    image = image_for("python")
    print(f"machine: {machine()}\nimage: {image}")
    _, bare_wall = bare_runs(image, args.count, 2)
    with running_platform(workers=2) as platform:
        invitations = platform.submit_many(args.count)
        started = time.perf_counter()
        results = platform.wait(platform.submit(invitations))
        wall = time.perf_counter() - started
    statuses = [status for status, _ in results.values()]
    latencies = [seconds for _, seconds in results.values()]
    print(f"\n{args.count} submissions, 2 workers: all graded in {wall:.1f} s "
          f"({statuses.count('passed')} passed, {len(statuses) - statuses.count('passed')} other)")
    print(f"  queue-to-result latency: median {median(latencies):.1f} s, "
          f"max {max(latencies):.1f} s")
    print(f"{args.count} bare docker run at concurrency 2: {bare_wall:.1f} s")
    print(f"ratio platform / bare: {wall / bare_wall:.2f}x")


if __name__ == "__main__":
    main()
