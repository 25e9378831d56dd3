"""A second Docker engine on this host, for a grading worker that lacks what the main one has.

`start_second_engine` runs another `dockerd` with everything of its own: data root, exec root,
pid file, socket and containerd namespaces under one temporary folder, the gVisor runtime
registered as /etc/docker/daemon.json registers it, and no iptables rules. Its default bridge is
one this module creates (`ip link add ... type bridge`) and deletes: `--bridge=none` would delete
the host's docker0 and break the main engine. Nothing is routed or masqueraded for that bridge,
so a build that needs the network uses the host's (RECIPROCAL_BUILD_NETWORK=host), as on an
engine started without a bridge.

`stop` ends the daemon (SIGTERM, then a generous wait), whatever it left (processes started
from its folder, mounts under it), the folder and the bridge, and checks that docker0 is still
there, restoring it if not.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import docker

from tests.support.services import require

HOST_DAEMON_JSON = Path("/etc/docker/daemon.json")
# The private range this module picks its bridge's /24 from (never routed anywhere).
SUBNETS = [f"172.31.{third}" for third in range(250, 255)]
DOCKER0 = ("172.17.0.1/16", "docker0")


def _run(*argv: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    if check and done.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr}")
    return done


def runtimes() -> dict[str, object]:
    """The OCI runtimes the host's engine registers (runsc with its arguments), else runsc at
    its usual path."""
    try:
        declared = json.loads(HOST_DAEMON_JSON.read_text()).get("runtimes") or {}
    except (OSError, ValueError):
        declared = {}
    if "runsc" not in declared and shutil.which("runsc"):
        declared["runsc"] = {"path": shutil.which("runsc")}
    return dict(declared)


def link_exists(name: str) -> bool:
    return _run("ip", "link", "show", "dev", name, check=False).returncode == 0


def restore_docker0() -> bool:
    """Put the main engine's docker0 back when something took it away; True when it had to."""
    if link_exists("docker0"):
        return False
    address, name = DOCKER0
    _run("ip", "link", "add", "name", name, "type", "bridge")
    _run("ip", "addr", "add", address, "dev", name)
    _run("ip", "link", "set", name, "up")
    return True


def _free_subnet() -> str:
    used = _run("ip", "-4", "-o", "addr", "show").stdout
    for prefix in SUBNETS:
        if f" {prefix}." not in used:
            return prefix
    raise AssertionError(f"no free /24 among {SUBNETS} for the second engine's bridge")


def require_prerequisites() -> None:
    """dockerd, runsc, ip and root: a skip locally, a failure under CI=true."""
    require(os.geteuid() == 0, "root (to start a second dockerd)")
    for binary in ("dockerd", "docker", "ip"):
        require(shutil.which(binary) is not None, binary)
    spec = runtimes().get("runsc")
    path = spec.get("path") if isinstance(spec, dict) else None
    require(bool(path) and Path(str(path)).exists(), "runsc (gVisor)")


@dataclass
class SecondEngine:
    folder: Path
    bridge: str
    proc: subprocess.Popen[bytes] | None = None

    @property
    def socket(self) -> Path:
        return self.folder / "docker.sock"

    @property
    def host(self) -> str:
        """The engine's DOCKER_HOST."""
        return f"unix://{self.socket}"

    @property
    def log_path(self) -> Path:
        return self.folder / "dockerd.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def client(self) -> docker.DockerClient:
        return docker.DockerClient(base_url=self.host, timeout=120)

    def env(self) -> dict[str, str]:
        return {**os.environ, "DOCKER_HOST": self.host}

    # starting -----------------------------------------------------------------------------

    def start(self, timeout: float = 120) -> SecondEngine:
        prefix = _free_subnet()
        _run("ip", "link", "add", self.bridge, "type", "bridge")
        _run("ip", "addr", "add", f"{prefix}.1/24", "dev", self.bridge)
        _run("ip", "link", "set", self.bridge, "up")
        for name in ("data", "exec"):
            (self.folder / name).mkdir()
        config = self.folder / "daemon.json"
        config.write_text(json.dumps({"runtimes": runtimes()}))
        namespace = f"reciprocal-{self.bridge}"
        argv = [
            "dockerd", "--config-file", str(config),
            "--data-root", str(self.folder / "data"), "--exec-root", str(self.folder / "exec"),
            "--pidfile", str(self.folder / "dockerd.pid"), "--host", self.host,
            "--containerd-namespace", namespace,
            "--containerd-plugins-namespace", f"{namespace}-plugins",
            "--bridge", self.bridge, "--iptables=false", "--ip-forward=false",
            "--ip-masq=false",
        ]
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the second dockerd exited {self.proc.returncode}:\n"
                                     f"{self.log()[-3000:]}")
            if self.socket.exists():
                with contextlib.suppress(docker.errors.DockerException, OSError):
                    if self.client().ping():
                        return self
            time.sleep(0.2)
        raise AssertionError(f"the second dockerd did not answer within {timeout} s:\n"
                             f"{self.log()[-3000:]}")

    def load(self, images: Iterable[str], timeout: float = 600) -> None:
        """`docker save IMAGE... | DOCKER_HOST=<this engine> docker load`: the images as the
        main engine has them (their ids too)."""
        names = list(images)
        with contextlib.closing(docker.from_env()) as main:
            needed = sum(main.images.get(name).attrs["Size"] for name in names)
        free = shutil.disk_usage(self.folder).free
        if free < 2 * needed:  # the images unpacked, and room for what the engine builds
            raise AssertionError(
                f"the second engine needs about {2 * needed / 1e9:.1f} GB free at {self.folder} "
                f"and has {free / 1e9:.1f} GB; `reciprocal runners prune` removes the images "
                "of earlier code")
        save = subprocess.Popen(["docker", "save", *names], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)  # from the main engine
        assert save.stdout is not None
        loaded = subprocess.run(["docker", "load"], stdin=save.stdout, capture_output=True,
                                text=True, env=self.env(), timeout=timeout)
        save.stdout.close()
        saved = save.wait(timeout)
        assert save.stderr is not None
        errors = save.stderr.read().decode(errors="replace")
        save.stderr.close()
        if saved != 0 or loaded.returncode != 0:
            raise AssertionError(f"docker save | docker load failed ({saved}, "
                                 f"{loaded.returncode}): {errors}{loaded.stderr}")

    # stopping -----------------------------------------------------------------------------

    def stop(self, timeout: float = 180) -> list[str]:
        """Stop the daemon and remove everything it had; returns what needed more than a
        SIGTERM (empty when the daemon cleaned up after itself)."""
        problems: list[str] = []
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                problems.append(f"dockerd ignored SIGTERM for {timeout} s")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(30)
        for pid in self._leftover_processes():
            problems.append(f"process {pid} outlived dockerd")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for mount in self._mounts():
            if _run("umount", mount, check=False).returncode != 0:
                _run("umount", "-l", mount, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.folder.exists():
            problems.append(f"{self.folder} could not be removed")
        if link_exists(self.bridge):
            _run("ip", "link", "del", self.bridge, check=False)
        if restore_docker0():
            problems.append("docker0 had gone and was restored")
        return problems

    def _leftover_processes(self) -> list[int]:
        """Processes started from this engine's folder (its containerd, shims) still alive."""
        found = []
        marker = str(self.folder).encode()
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            with contextlib.suppress(OSError):
                if marker in cmdline.read_bytes():
                    found.append(int(cmdline.parent.name))
        return [pid for pid in found if pid != os.getpid()]

    def _mounts(self) -> list[str]:
        """Mount points under this engine's folder, deepest first."""
        points = []
        for line in Path("/proc/self/mountinfo").read_text().splitlines():
            point = line.split()[4].replace("\\040", " ")
            if point == str(self.folder) or point.startswith(f"{self.folder}/"):
                points.append(point)
        return sorted(points, key=len, reverse=True)


def start_second_engine() -> SecondEngine:
    """A running second engine in a folder of its own under /tmp (short: its socket paths must
    stay under the kernel's 108 bytes)."""
    require_prerequisites()
    folder = Path(tempfile.mkdtemp(prefix="rcp-engine2-"))
    # The bridge's name also names the engine's containerd namespace, which takes letters and
    # digits joined by single separators: mkdtemp's suffix may hold "_", so it is not used.
    bridge = f"rcpd2-{secrets.token_hex(4)}"
    engine = SecondEngine(folder, bridge)
    try:
        return engine.start()
    except BaseException:
        engine.stop()
        raise
