"""The worker's log line of where one grading job's time went (grading/worker.py PhaseTimes):
bench/grading_harness.py reads these lines back, so their shape is a contract."""

from __future__ import annotations

import re

from reciprocal.grading.worker import PhaseTimes

from bench.grading_harness import PHASE_LINE


def test_phases_add_up_per_name_and_the_line_names_each() -> None:
    times = PhaseTimes(started=0.0)
    times.seconds.update({"claim": 0.02, "fetch": 0.31})
    with times.phase("container"):
        pass
    with times.phase("container"):
        pass
    line = times.line(7, "passed", {"receive": 0.04, "run": 1.2})
    assert line.startswith("run 7 passed in ")
    assert "(claim 0.02 s, fetch 0.31 s, container 0.00 s)" in line
    assert line.endswith("; in the container: receive 0.04 s, run 1.20 s")
    assert list(times.seconds) == ["claim", "fetch", "container"]


def test_the_bench_reads_the_line_back() -> None:
    line = PhaseTimes(started=0.0).line(12, "failed", {"run": 0.5})
    match = PHASE_LINE.search("2026-12-06 17:00:00 INFO reciprocal.grading.worker " + line)
    assert match is not None and match["run"] == "12"
    assert re.findall(r"([a-z ]+) ([\d.]+) s", match["inside"]) == [("run", "0.50")]


def test_a_run_without_container_steps_has_no_container_part() -> None:
    times = PhaseTimes(started=0.0)
    with times.phase("claim"):
        pass
    assert "in the container" not in times.line(3, "error")
