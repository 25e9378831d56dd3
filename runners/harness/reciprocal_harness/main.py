"""The harness's main: read the header, extract, prepare, run the language, emit."""

from __future__ import annotations

import os
import sys
import tarfile
import time
from pathlib import Path

from .child import Capture, hand_over, is_root, make_undumpable
from .extract import extract
from .languages import adapter
from .layout import SUBMISSION, WORK
from .protocol import MAX_MESSAGE, PROTOCOL, HarnessError, clean, emit, read_header


def oom_kills() -> int:
    """OOM kills seen by this container's memory cgroup (v2 or v1), 0 if unknown."""
    for path, key in (
        ("/sys/fs/cgroup/memory.events", "oom_kill"),
        ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
    ):
        try:
            for line in Path(path).read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
        except (OSError, ValueError):
            continue
    return 0


def main(argv: list[str]) -> int:
    make_undumpable()
    language = argv[1] if len(argv) > 1 else ""
    warming = adapter(language)
    if warming is not None and hasattr(warming, "warm_up") and is_root():
        warming.warm_up()  # while a pooled container waits for its job
    stdin = sys.stdin.buffer
    header = read_header(stdin)
    # The run's time counts from its job: a pooled container may have waited for minutes.
    started = time.monotonic()
    document: dict[str, object] = {"reciprocal": PROTOCOL, "nonce": header.nonce}
    capture = Capture(header.output_bytes)
    # Seconds per step, from the job's arrival: the files received and extracted, placed and
    # handed over, the language's run (services, build and tests).
    steps: dict[str, float] = {}
    try:
        module = adapter(language)
        if module is None:
            raise HarnessError(f"unknown language {language!r}")
        if not is_root():
            raise HarnessError(
                "the runner must start as root with only CAP_SETUID, CAP_SETGID and CAP_CHOWN"
                " (see container_options) so the tests run as another uid than the harness"
            )
        extract(stdin, WORK)
        steps["receive"] = time.monotonic() - started
        module.prepare(header)
        hand_over(SUBMISSION)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        steps["prepare"] = time.monotonic() - started - steps["receive"]
        run = module.run(header, capture, started + header.timeout_seconds)
        steps["run"] = time.monotonic() - started - steps["receive"] - steps["prepare"]
    except (HarnessError, tarfile.TarError, OSError, ValueError) as exc:
        document.update(harness_error=clean(str(exc))[:MAX_MESSAGE])
    else:
        document.update(
            exit_code=run.child.exit_code,
            timed_out=run.child.timed_out,
            test_seconds=round(run.child.duration, 3),
            junit=run.junit,
            report_error=run.report_error,
            build_failed=run.build_failed,
            build_error=run.build_error,
            integrity=run.integrity,
            screenshots=run.screenshots,
        )
    document.update(
        output=capture.text(),
        output_truncated=capture.truncated,
        output_bytes_total=capture.total,
        oom_kills=oom_kills(),
        steps={name: round(seconds, 3) for name, seconds in steps.items()},
    )
    emit(document)
    return 0
