"""Steps every adapter may run around the tests: the declared services and the build."""

from __future__ import annotations

import time

from .child import Capture, ChildResult, run_child
from .layout import BASE_ENV, RUNNER_UID, SUBMISSION
from .protocol import Header
from .services import start_all

BUILD_SHARE = 0.5  # at most this share of the run's time for the build


def services_env(header: Header, deadline: float) -> dict[str, str]:
    """Start the declared services; their connection settings (empty without services)."""
    return start_all(header.tests.services, deadline)


def build(header: Header, capture: Capture, deadline: float,
          env: dict[str, str]) -> ChildResult | None:
    """Run the declared build in the submission's folder, as the candidate's uid, its output in
    the run's output. None without a build; raises nothing: the caller reads the result."""
    if not header.tests.build:
        return None
    capture.feed(f"$ {' '.join(header.tests.build)}\n".encode())
    limit = min(deadline, time.monotonic() + header.timeout_seconds * BUILD_SHARE)
    # Only the candidate's processes end with the build: a warm judge waits for the tests.
    return run_child(list(header.tests.build), cwd=SUBMISSION, env=dict(BASE_ENV, **env),
                     capture=capture, deadline=limit, kill_uids=(RUNNER_UID,))


def build_failure(result: ChildResult | None) -> str | None:
    """Why the build failed, for the run's reason; None when it did not (or there was none)."""
    if result is None or (result.exit_code == 0 and not result.timed_out):
        return None
    if result.timed_out:
        return "the build did not finish in its share of the time limit"
    return f"the build exited with status {result.exit_code} (its output is in the run's output)"

