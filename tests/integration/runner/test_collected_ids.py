"""The hidden tests' collected ids, kept in a real Redis between runs in the real runner
containers: the first run of a pair (image, hidden tests) stores them, later runs skip the
collection, and a forged report is still caught with ids from the cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from reciprocal.runner import Limits, run_tests
from reciprocal.runner.collected_ids import PREFIX, CollectedIds

from tests.integration.runner.test_integrity import REPORT_PATCH, assert_altered, starter

pytestmark = pytest.mark.docker

ASSIGNMENTS = Path(__file__).resolve().parents[3] / "assignments"
LIMITS = Limits(timeout_seconds=90)


def test_collected_ids_are_learned_once_then_used(runner_images: dict[str, str], redis_conn,
                                                  tmp_path: Path) -> None:
    known = CollectedIds(redis_conn)
    hidden = ASSIGNMENTS / "customer-directory" / "tests"
    solution = ASSIGNMENTS / "customer-directory" / "solution"

    first = run_tests("python", solution, hidden, LIMITS, known_ids=known)
    assert (first.status, first.integrity) == ("passed", "clean"), first.integrity_evidence
    keys = redis_conn.keys(PREFIX + "*")
    assert len(keys) == 1
    stored = json.loads(redis_conn.get(keys[0]))
    assert len(stored) == first.passed  # every hidden test, and no sentinel
    assert all("::" in i for i in stored)

    second = run_tests("python", solution, hidden, LIMITS, known_ids=known)
    assert (second.status, second.integrity) == ("passed", "clean"), second.integrity_evidence
    assert second.passed == first.passed
    assert redis_conn.keys(PREFIX + "*") == keys

    # The cached ids still expose a forged report.
    forged = run_tests("python", starter(tmp_path, "customer-directory", {},
                                         {"directory/__init__.py": REPORT_PATCH}),
                       hidden, LIMITS, known_ids=known)
    assert_altered(forged)

    # Changed hidden tests are another entry: collected again, never the old ids.
    changed = tmp_path / "hidden"
    shutil.copytree(hidden, changed)
    extra = changed / "test_extra.py"
    extra.write_text("def test_one_more():\n    assert True\n")
    third = run_tests("python", solution, changed, LIMITS, known_ids=known)
    assert third.status == "passed" and third.passed == first.passed + 1
    assert third.integrity == "clean", third.integrity_evidence
    assert len(redis_conn.keys(PREFIX + "*")) == 2


def test_a_broken_cache_entry_is_not_trusted_blindly(runner_images: dict[str, str],
                                                     redis_conn) -> None:
    """Ids that do not match the tests (a stale or damaged entry) make the comparison fail
    loudly rather than pass silently."""
    known = CollectedIds(redis_conn)
    hidden = ASSIGNMENTS / "customer-directory" / "tests"
    solution = ASSIGNMENTS / "customer-directory" / "solution"
    first = run_tests("python", solution, hidden, LIMITS, known_ids=known)
    key = redis_conn.keys(PREFIX + "*")[0]
    redis_conn.set(key, json.dumps(["tests/test_gone.py::test_never_written"]))
    damaged = run_tests("python", solution, hidden, LIMITS, known_ids=known)
    assert damaged.integrity == "altered" and first.integrity == "clean"
