"""A simulated hiring pipeline through `reciprocal serve` (not part of the test suite).

Starts `reciprocal serve` as a process (its own data directory, private Redis, 2 RQ workers
grading in runner containers under gVisor, the public report on) and drives N candidates
(default 200) through it over HTTP and `git` only: invite (API), accept and start (candidate
API), clone the starter, commit and push (a seeded share push the reference solution, the
others the starter with one file of it), submit; grading by the real workers; the role's panel
of reviewers assigns two each, who comment over the API and submit the review form; the
recruiter decides (advance the strong, reject the others with the composer's draft) and sends;
the candidate rates the process on their page.

Reviewer speed: the platform has no clock a test can move, so a seeded half of the panel is
"slow" and acts only after every fast reviewer is done; promises are kept against real time
(the role promises ROLE's response_days business days, so a run of minutes keeps them unless
something is stuck). Each candidate counts as answered (a decision sent before the promised
date) or flagged (listed by `reciprocal sla report`, the platform's lapsed-promise list), or
neither, which is the failure this bench exists to find.

Prints the funnel report's figures, the rejections that name a strength in words and one
concrete reason, and the time of the report pages at this size (20 requests each, p50/p90)
next to /healthz measured in the same run.

    .venv/bin/python bench/pipeline.py [--candidates 200] [--seed 7] [--reviewers 4]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import requests
from pipeline_actors import (
    ROLE,
    Candidate,
    Served,
    call,
    expect,
    invite,
    make_reviewers,
    make_role_with_panel,
    rate_process,
    rejection_in_words,
    review,
    served_platform,
    work_and_submit,
)
from pipeline_actors import assigned_to as panel_of

FINAL = ("passed", "failed", "error", "timed_out")


def stamp(started: float, message: str) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)


def submit_all(served: Served, role_id: int, count: int, rng: random.Random,
               work: Path, started: float) -> list[Candidate]:
    candidates = []
    for n in range(count):
        candidate = invite(served, role_id, n, strong=rng.random() < 0.5)
        work_and_submit(served, candidate, work / f"c{n}")
        candidates.append(candidate)
        if (n + 1) % 10 == 0 or n + 1 == count:
            stamp(started, f"{n + 1}/{count} candidates invited, started, pushed, submitted")
    return candidates


def wait_graded(served: Served, candidates: list[Candidate], started: float) -> dict[str, int]:
    waiting = {c.submission_id for c in candidates}
    statuses: dict[str, int] = {}
    last = time.monotonic()
    while waiting:
        for sid in sorted(waiting):
            got = expect(call(served, "GET", f"/api/v1/submissions/{sid}", served.admin_token),
                         200).json().get("grading") or {}
            if got.get("status") in FINAL:
                waiting.discard(sid)
                statuses[got["status"]] = statuses.get(got["status"], 0) + 1
        if time.monotonic() - last > 30 or not waiting:
            stamp(started, f"graded {len(candidates) - len(waiting)}/{len(candidates)} {statuses}")
            last = time.monotonic()
        time.sleep(2)
    return statuses


def decide_all(served: Served, candidates: list[Candidate], rng: random.Random,
               started: float) -> dict[str, Any]:
    """Decide and send for every candidate; check each rejection's draft; the candidate rates."""
    requirements = ROLE["requirements"]
    tally: dict[str, Any] = {"advance": 0, "reject": 0, "worded": 0, "reason": 0, "held": 0,
                             "answered_at": {}}
    for n, candidate in enumerate(candidates):
        outcome = "advance" if candidate.strong else "reject"
        reason = requirements[0] if candidate.strong else requirements[-1]
        draft = expect(call(served, "POST", f"/api/v1/submissions/{candidate.submission_id}"
                            "/decision", served.tokens["recruiter"],
                            json={"outcome": outcome, "reason": reason}), 200).json()
        tally[outcome] += 1
        if outcome == "reject":
            worded, concrete = rejection_in_words(draft["text"])
            tally["worded"] += worded
            tally["reason"] += concrete
        sent = call(served, "POST", f"/api/v1/submissions/{candidate.submission_id}"
                    "/decision/send", served.tokens["recruiter"], json={})
        if sent.status_code == 409:  # the tone check held it: counted, then sent as a recruiter
            tally["held"] += 1   # would after reading the warnings
            sent = call(served, "POST", f"/api/v1/submissions/{candidate.submission_id}"
                        "/decision/send", served.tokens["recruiter"],
                        json={"override_reason": "Read the warnings; the draft is fair."})
        expect(sent, 200, 202)
        tally["answered_at"][candidate.submission_id] = datetime.now().astimezone()
        rate_process(served, candidate, rng)
        if (n + 1) % 20 == 0 or n + 1 == len(candidates):
            stamp(started, f"decided and sent {n + 1}/{len(candidates)}")
    return tally


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_pages(served: Served, recruiter: requests.Session, runs: int) -> None:
    token = {"Authorization": f"Bearer {served.tokens['recruiter']}"}
    pages = {"baseline: /healthz": ("/healthz", None, {}),
             "funnel page": ("/reports/funnel", recruiter, {}),
             "funnel CSV": ("/reports/funnel.csv", recruiter, {}),
             "funnel API": ("/api/v1/reports/funnel", None, token),
             "public /reciprocity.json": ("/reciprocity.json", None, {})}
    print(f"\nreport pages over HTTP, {runs} requests each (client wall time, ms):")
    for name, (path, session, headers) in pages.items():
        times = []
        for _ in range(runs):
            begun = time.perf_counter()
            answer = (session or requests).get(served.url + path, headers=headers, timeout=60)
            times.append((time.perf_counter() - begun) * 1000)
            expect(answer, 200)
        print(f"  {name:26} p50 {statistics.median(times):7.1f}   "
              f"p90 {percentile(times, 0.9):7.1f}")


def print_report(report: dict[str, Any]) -> None:
    print(f"\nfunnel report ({report['period']}):")
    for stage in report["stages"]:
        print(f"  {stage['stage']:10} {stage['count']:5}  pass-through "
              f"{stage.get('pass_through')}  median days {stage.get('median_days')}")
    promise = report["promise"]
    print(f"  promise: due {promise['due']}, on time {promise['on_time']} "
          f"({promise['on_time_share']}), late {promise['late_count']}")
    print(f"  time vs cap: {report['time_vs_cap'].get('median_share_of_cap')}")
    print(f"  ratings: {report['ratings']}")
    for row in report["agreement"]:
        print(f"  agreement {row['criterion']}: pairs {row['pairs']}, exact {row['exact']}, "
              f"kappa {row['kappa']}")


def promises(served: Served, candidates: list[Candidate], answered: dict[int, datetime],
             answer_by: dict[int, datetime]) -> None:
    done = served.reciprocal("sla", "report", "--json", check=False)
    flagged = {row["submission_id"] for row in json.loads(done.stdout or "[]")}
    on_time = sum(1 for c in candidates if c.submission_id in answered
                  and answered[c.submission_id] <= answer_by[c.submission_id])
    neither = [c.name for c in candidates if c.submission_id not in flagged
               and not (c.submission_id in answered
                        and answered[c.submission_id] <= answer_by[c.submission_id])]
    print(f"\npromises: {on_time}/{len(candidates)} answered before the promised date, "
          f"{len(flagged)} flagged by `reciprocal sla report`, {len(neither)} neither"
          f"{': ' + ', '.join(neither[:10]) if neither else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reviewers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="reciprocal-pipeline-"))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    installation = f"pipeline-bench-{tmp.name}"
    served = served_platform(tmp, RECIPROCAL_PUBLIC_REPORT="true",
                             RECIPROCAL_INSTALLATION_ID=installation)
    started = time.monotonic()
    try:
        reviewers = make_reviewers(served, args.reviewers, rng)
        served.start("--workers", "2", timeout=120)
        stamp(started, f"serving at {served.url} (log: {served.log_path}); reviewers: "
              + ", ".join(f"{r.name} ({'slow' if r.slow else 'fast'})" for r in reviewers))
        role_id, recruiter = make_role_with_panel(served, reviewers)
        candidates = submit_all(served, role_id, args.candidates, rng, tmp / "work", started)
        answer_by = {c.submission_id: c.answer_by for c in candidates if c.answer_by}
        wait_graded(served, candidates, started)
        tasks = [(r, c) for c in candidates for r in panel_of(served, recruiter,
                                                              c.submission_id, reviewers)]
        rng.shuffle(tasks)
        tasks.sort(key=lambda task: task[0].slow)  # the slow ones act after every fast one
        for n, (reviewer, candidate) in enumerate(tasks):
            review(served, reviewer, candidate.submission_id, candidate.strong, rng)
            if (n + 1) % 20 == 0 or n + 1 == len(tasks):
                stamp(started, f"reviews {n + 1}/{len(tasks)}"
                      f" ({'slow' if reviewer.slow else 'fast'} reviewers acting)")
        tally = decide_all(served, candidates, rng, started)
        report = expect(call(served, "GET", "/api/v1/reports/funnel",
                             served.tokens["recruiter"]), 200).json()
        print_report(report)
        promises(served, candidates, tally["answered_at"], answer_by)
        print(f"decisions: {tally['advance']} advanced, {tally['reject']} rejected; "
              f"{tally['worded']}/{tally['reject']} rejections name a strength in words, "
              f"{tally['reason']}/{tally['reject']} one concrete reason; "
              f"{tally['held']} held by the tone check")
        time_pages(served, recruiter, args.runs)
        stamp(started, "done")
    finally:
        served.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        left = leftover_containers(installation)
        print(f"stopped; runner containers of this installation left behind: {left}")


def leftover_containers(installation: str) -> int:
    """Remove (and count) any runner container labelled with this run's installation id: only
    this run's own, never another installation's."""
    found = subprocess.run(["docker", "ps", "-aq", "--filter",
                            f"label=reciprocal.installation={installation}"],
                           capture_output=True, text=True, timeout=60).stdout.split()
    if found:
        subprocess.run(["docker", "rm", "-f", *found], capture_output=True, timeout=120)
    return len(found)


if __name__ == "__main__":
    main()
