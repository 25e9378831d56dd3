"""Hostile submissions from security-notes.md's checklist: each ends in a clear RunResult, the
host stays healthy and no container is left behind (checked by the autouse fixture).

The hostile code is the submission's (``hostile_checks.py``, run in the submission's own process
as uid 10001); each of its functions is called by a hidden test of the same name from the judge,
so an AssertionError it raises there fails that test."""

from __future__ import annotations

import re
import textwrap
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from reciprocal.runner import Limits, engine, run_tests
from reciprocal.runner.runtime import configured_runtime

pytestmark = pytest.mark.docker

WriteTree = Callable[[str, dict[str, str]], Path]
LIMITS = Limits(timeout_seconds=20)
# The suite runs under the configured runtime (runsc unless RECIPROCAL_RUNNER_RUNTIME=runc);
# where gVisor's kernel answers differently from Linux, the test says which answer it expects.
RUNTIME = configured_runtime()
GVISOR = RUNTIME == "runsc"


def suite(tree: WriteTree, checks: str, files: dict[str, str] | None = None):
    """The submission holds ``checks`` (functions named test_*); a hidden test of each name
    calls it across the boundary."""
    body = textwrap.dedent(checks).lstrip()
    names = re.findall(r"^def (test_\w+)\(", body, re.M)
    sub = tree("sub", {"solution.py": "VALUE = 1\n", **(files or {}), "hostile_checks.py": body})
    hidden = "import hostile_checks\n\n" + "".join(
        f"\ndef {name}():\n    hostile_checks.{name}()\n" for name in names)
    tests = tree("hidden", {"test_hostile.py": hidden})
    return sub, tests


def test_fork_bomb_hits_the_pids_limit(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub, tests = suite(
        tree,
        """
        import os, time

        def test_bomb():
            children = 0
            try:
                for _ in range(10_000):
                    pid = os.fork()
                    if pid == 0:
                        time.sleep(60)
                        os._exit(0)
                    children += 1
            except OSError:
                pass
            assert children < 128
        """,
    )
    result = run_tests("python", sub, tests, LIMITS)
    assert result.runtime == RUNTIME
    if GVISOR:
        # The host's pids cap counts gVisor's own tasks too (runtime.host_pids_limit): the bomb
        # reaches it and the sandbox ends, an error verdict, never a pass.
        assert result.status == "error", (result.reason, result.output)
        assert not result.tests
    else:
        assert result.status == "passed", result.output
    assert result.duration_seconds < 15


def test_memory_hog_is_oom_killed(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub, tests = suite(
        tree,
        """
        def test_hog():
            blob = b"x" * (2 * 1024**3)
            assert blob
        """,
    )
    result = run_tests("python", sub, tests, Limits(memory_mb=128, timeout_seconds=20))
    # The submission's process is killed; the judge reports the test that was using it.
    assert result.status in ("failed", "error"), (result.reason, result.output)
    assert result.oom_killed
    assert "out of memory (128 MB limit)" in result.reason.replace("Out of", "out of")


def test_disk_filler_gets_enospc_at_the_tmpfs_cap(
    runner_images: dict[str, str], tree: WriteTree
) -> None:
    sub, tests = suite(
        tree,
        """
        import errno

        import os

        def fill(path):
            written = 0
            chunk = b"x" * (1024 * 1024)
            try:
                with open(path, "wb") as out:
                    while written < 1024**3:
                        out.write(chunk)
                        out.flush()
                        written += len(chunk)
            except OSError as exc:
                return exc.errno, written
            finally:
                if not os.environ.get("KEEP_FILLER") and os.path.exists(path):
                    os.unlink(path)
            return None, written

        def test_work_is_capped():
            code, written = fill("/work/filler")
            assert code == errno.ENOSPC
            assert written <= 32 * 1024 * 1024

        def test_tmp_is_capped():
            code, written = fill("/tmp/filler")
            assert code == errno.ENOSPC
            assert written <= 64 * 1024 * 1024

        def test_root_is_read_only():
            for path in ("/filler", "/etc/filler", "/opt/reciprocal/run_harness.py"):
                try:
                    open(path, "wb").close()
                except OSError as exc:
                    assert exc.errno in (errno.EROFS, errno.EACCES)
                else:
                    raise AssertionError(f"could write {path}")
        """,
    )
    result = run_tests("python", sub, tests, Limits(tmpfs_mb=32, timeout_seconds=20))
    assert result.status == "passed", result.output


def test_disk_left_full_cannot_stop_the_report(
    runner_images: dict[str, str], tree: WriteTree
) -> None:
    """A suite that leaves /tmp full: the report travels over a pipe the harness holds, not a
    file on the full tmpfs, so the honest verdict still arrives (pytest's own capture files
    may fail on the full disk: then that test fails, with the reason)."""
    sub, tests = suite(
        tree,
        """
        def test_fill_and_leave():
            try:
                with open("/tmp/filler", "wb") as out:
                    while True:
                        out.write(b"x" * 1024 * 1024)
            except OSError:
                pass
        """,
    )
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status in ("passed", "failed"), (result.reason, result.output)
    assert [t.name for t in result.tests] == ["test_fill_and_leave"]
    if result.status == "failed":
        assert "No space left on device" in result.tests[0].message
    assert result.integrity == "clean", result.integrity_evidence


def test_infinite_loop_is_timed_out(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub, tests = suite(tree, "def test_spin():\n    while True:\n        pass\n")
    result = run_tests("python", sub, tests, Limits(timeout_seconds=5))
    assert result.status == "timed_out"
    assert result.reason == "Killed after 5 s wall-clock limit"
    assert result.duration_seconds < 15


def test_worker_clock_kills_a_frozen_harness(
    runner_images: dict[str, str], tree: WriteTree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The candidate tries to stop the harness (SIGSTOP): the harness runs as another uid, so
    the signal is refused and the spin is cut by the harness's own clock."""
    monkeypatch.setattr(engine, "GRACE_SECONDS", 2)
    sub, tests = suite(
        tree,
        """
        import os, signal

        def test_freeze_then_spin():
            try:
                os.kill(os.getppid(), signal.SIGSTOP)
            except PermissionError:
                print("the harness is out of reach")
            while True:
                pass
        """,
    )
    result = run_tests("python", sub, tests, Limits(timeout_seconds=5))
    assert result.status == "timed_out"


def test_huge_output_is_truncated_with_bounded_worker_memory(
    runner_images: dict[str, str], tree: WriteTree
) -> None:
    sub, tests = suite(
        tree,
        """
        import sys

        def test_shout():
            line = "y" * 1023 + "\\n"
            for _ in range(50 * 1024):
                sys.stdout.write(line)
            assert False, "after 50 MB"
        """,
    )
    tracemalloc.start()
    try:
        result = run_tests("python", sub, tests, Limits(timeout_seconds=30, output_bytes=200_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == "failed"
    assert result.output_truncated
    assert "[... output truncated by Reciprocal after 200000 bytes;" in result.output
    assert len(result.output.encode()) < 210_000
    assert "after 50 MB" in result.tests[0].message
    assert peak < 30 * 1024 * 1024


def test_network_is_unreachable(runner_images: dict[str, str], tree: WriteTree) -> None:
    sub, tests = suite(
        tree,
        """
        import socket
        import pytest

        def test_connect_fails():
            for address in [("1.1.1.1", 80), ("169.254.169.254", 80), ("172.17.0.1", 2375),
                            ("127.0.0.1", 6379)]:
                with pytest.raises(OSError):
                    socket.create_connection(address, timeout=3)

        def test_dns_fails():
            with pytest.raises(OSError):
                socket.getaddrinfo("deb.debian.org", 80)

        def test_only_loopback():
            import os
            assert sorted(os.listdir("/sys/class/net")) == ["lo"]
        """,
    )
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status == "passed", result.output
    assert result.passed == 3


def test_container_is_locked_down(
    runner_images: dict[str, str], tree: WriteTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Non-root, no capabilities, no-new-privileges, no host files, no secrets, no solution,
    no docker socket, and host symlinks are not followed when packing."""
    monkeypatch.setenv("RECIPROCAL_SECRET_KEY", "host-secret-value")
    secret = tmp_path / "host-secret.txt"
    secret.write_text("host-only content\n")
    sub, tests = suite(
        tree,
        """
        import os, subprocess
        from pathlib import Path

        GVISOR = {GVISOR}

        def status():
            return dict(line.split(":\\t", 1) for line in
                        Path("/proc/self/status").read_text().splitlines() if ":\\t" in line)

        def test_identity():
            import ctypes
            s = status()
            assert s["Uid"].split()[0] == "10001"
            assert s["CapEff"].strip() == "0000000000000000"
            assert ctypes.CDLL(None).prctl(39, 0, 0, 0, 0) == 1  # PR_GET_NO_NEW_PRIVS

        def test_runtime():
            if GVISOR:  # gVisor's own kernel says so in its log
                log = subprocess.run(["dmesg"], capture_output=True, text=True).stdout
                assert "Starting gVisor" in log

        def test_no_shadow():
            try:
                open("/etc/shadow").read()
            except PermissionError:
                return
            raise AssertionError("read /etc/shadow")

        def test_no_docker_socket():
            assert not os.path.exists("/var/run/docker.sock")
            assert not os.path.exists("/run/docker.sock")

        def test_no_secrets_in_environment():
            joined = "\\n".join(f"{k}={v}" for k, v in os.environ.items())
            assert "host-secret-value" not in joined
            assert "RECIPROCAL" not in joined
            assert "DOCKER" not in joined
            try:
                one = Path("/proc/1/environ").read_bytes()
            except PermissionError:  # runc: init is root's and not readable
                one = b""
            assert b"host-secret-value" not in one and b"RECIPROCAL_SECRET" not in one

        def test_only_submission_and_hidden_tests_arrive():
            # .screenshots: where the judge's browser puts the pages it photographs
            assert sorted(os.listdir("/work")) == [".judge", ".screenshots", ".sentinel",
                                                   "exchange", "hidden", "submission"]
            names = [p.name for p in Path("/work").rglob("*")]
            assert "solution" not in " ".join(names).replace("solution.py", "")
            assert not os.path.lexists("/work/submission/leak")
            assert not os.path.lexists("/work/submission/abs-leak")
            assert os.readlink("/work/submission/alias.py") == "solution.py"

        def test_mount_and_unshare_are_refused():
            # gVisor implements user namespaces inside its own kernel: unshare -U there reaches
            # nothing of the host's, so only runc (whose seccomp profile refuses it) is asked.
            cmds = [["mount", "-t", "tmpfs", "none", "/work"]]
            cmds += [] if GVISOR else [["unshare", "-U", "true"]]
            for cmd in cmds:
                assert subprocess.run(cmd, capture_output=True).returncode != 0

        def test_harness_is_not_dumpable():
            # The harness's memory holds the nonce; the process that started the submission's
            # is a fork of it. gVisor's /proc refuses mem but shows the environ (empty of
            # secrets, see above) and the fd list of a same-uid process.
            harness = os.getppid()
            if GVISOR:
                try:
                    open(f"/proc/{harness}/mem", "rb").read(1)
                except PermissionError:
                    return
                raise AssertionError("could read the harness's memory")
            for path in (f"/proc/{harness}/environ", f"/proc/{harness}/mem"):
                try:
                    open(path, "rb").read(1)
                except PermissionError:
                    continue
                raise AssertionError(f"could read {path}")
            try:
                os.listdir(f"/proc/{harness}/fd")
            except PermissionError:
                return
            raise AssertionError("could list the harness's fds")
        """,
    )
    checks = sub / "hostile_checks.py"
    checks.write_text(checks.read_text().replace("{GVISOR}", str(GVISOR)))
    (sub / "alias.py").symlink_to("solution.py")
    (sub / "leak").symlink_to(secret)
    (sub / "abs-leak").symlink_to("../../" + secret.name)
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status == "passed", result.output
    assert result.passed == 8


@pytest.mark.parametrize(
    ("attack", "status"),
    [
        # The harness and docker-init run as root, the judge as uid 10002, the submission as
        # uid 10001: none of them can be signalled (EPERM), so the attack is an ordinary
        # failing test; killing its own process group ends only the submission's process.
        ("os.kill(os.getppid(), signal.SIGKILL)", "failed"),
        ("os.kill(1, signal.SIGTERM)", "failed"),
        ("os.kill(1, signal.SIGKILL)", "failed"),
        ("os.killpg(0, signal.SIGKILL)", "failed"),
    ],
)
def test_killing_the_runner_is_an_error_not_a_crash(
    runner_images: dict[str, str], tree: WriteTree, attack: str, status: str
) -> None:
    sub, tests = suite(
        tree,
        f"""
        import os, signal, time

        def test_attack():
            {attack}
            time.sleep(1)
        """,
    )
    result = run_tests("python", sub, tests, LIMITS)
    assert result.status == status, (result.reason, result.output)
    message = result.tests[0].message
    assert "PermissionError" in message or "the submission's process ended" in message
