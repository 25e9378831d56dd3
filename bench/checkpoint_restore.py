"""Would restoring a checkpointed warm gVisor sandbox per job beat the warm pool? (not part of
the test suite: it needs root, Docker for the image, and `runsc` on the PATH)

With `runsc` directly, on an OCI bundle made from the Python runner image (`--network=none`),
the hidden tests of customer-directory against its solution, measured side by side:

- **cold**: `runsc run` of the whole job (the sandbox, Python, pytest's import, the tests), as a
  bare `docker run` would pay it;
- **warm (the pool)**: a sandbox started ahead whose Python has imported pytest and waits; from
  the job's signal to the tests' end;
- **restore**: that warm sandbox checkpointed once (`runsc checkpoint`); per job, `runsc
  restore` of the image, then the signal; from the restore command to the tests' end, and the
  restore alone.

Each restored sandbox reseeds Python's `random` after the restore and reports a value of it
and of `os.urandom`, so the run shows whether two jobs restored from one image would share
randomness. The signal is a file in a bind-mounted folder (`--file-access-mounts=shared`).

    .venv/bin/python bench/checkpoint_restore.py [--runs 8]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
SLUG = "customer-directory"
PYTEST_ARGS = ["-q", "-p", "no:cacheprovider", "-c",
               "/opt/reciprocal/reciprocal_harness/pytest.ini", "--rootdir", "/work/hidden",
               "-o", "pythonpath=/work/submission", "/work/hidden"]
# The job: reseed (a restored sandbox would otherwise repeat the checkpoint's random state),
# run the tests, report. WAIT decides whether it waits for the signal first (warm) or not (cold).
JOB = r"""
import json, os, random, sys, time
WAIT = sys.argv[1] == "wait"
import pytest
from _pytest.config import default_plugins
import importlib
for name in default_plugins:
    try:
        importlib.import_module("_pytest." + name)
    except ImportError:
        pass
open("/signal/ready", "w").close()
while WAIT and not os.path.exists("/signal/go"):
    time.sleep(0.002)
before = random.random()
random.seed()
started = time.perf_counter()
code = pytest.main(sys.argv[2:])
record = {"tests": time.perf_counter() - started, "exit": int(code), "before_reseed": before,
          "random": random.random(), "urandom": os.urandom(8).hex()}
with open("/signal/done.tmp", "w") as out:
    json.dump(record, out)
os.rename("/signal/done.tmp", "/signal/done")
"""


def runsc(state: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """``runsc`` with the bench's state folder; a detached sandbox would hold captured pipes
    open, so its output goes to a file instead."""
    log = (state / "runsc.log").open("ab")
    try:
        return subprocess.run(["runsc", "--root", str(state), "--network=none",
                               "--ignore-cgroups", "--file-access-mounts=shared", *args],
                              stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.PIPE
                              if "--detach" not in args else log, check=check)
    finally:
        log.close()


def bundle(work: Path, image: str, wait: bool) -> Path:
    """An OCI bundle of ``image`` with the solution, the hidden tests and the job script."""
    folder = work / ("bundle-warm" if wait else "bundle-cold")
    rootfs = folder / "rootfs"
    rootfs.mkdir(parents=True)
    created = subprocess.run(["docker", "create", image, "true"], capture_output=True,
                             text=True, check=True).stdout.strip()
    try:
        exported = subprocess.Popen(["docker", "export", created], stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", str(rootfs)], stdin=exported.stdout, check=True)
        exported.wait()
    finally:
        subprocess.run(["docker", "rm", created], capture_output=True, check=False)
    assignment = ROOT / "assignments" / SLUG
    shutil.copytree(assignment / "solution", rootfs / "work" / "submission")
    shutil.copytree(assignment / "tests", rootfs / "work" / "hidden")
    (rootfs / "job.py").write_text(JOB)
    (rootfs / "signal").mkdir()
    subprocess.run(["runsc", "spec", "--bundle", str(folder), "--", "python3", "-I", "-B",
                    "/job.py", "wait" if wait else "go", *PYTEST_ARGS], check=True)
    config = json.loads((folder / "config.json").read_text())
    config["process"]["terminal"] = False
    config["process"]["cwd"] = "/work/submission"
    config["root"]["readonly"] = False
    config["mounts"].append({"destination": "/signal", "type": "bind",
                             "source": str(work / "signal"), "options": ["rbind", "rw"]})
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def wait_for(path: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear")
        time.sleep(0.002)


def clear(signal: Path) -> None:
    for name in ("go", "done", "ready", "done.tmp"):
        (signal / name).unlink(missing_ok=True)


def done(signal: Path) -> dict[str, object]:
    wait_for(signal / "done")
    record = json.loads((signal / "done").read_text())
    assert record["exit"] == 0, record
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    from reciprocal.runner import image_for

    image = image_for("python")
    work = Path(tempfile.mkdtemp(prefix="reciprocal-checkpoint-"))
    state, signal, checkpoint = work / "state", work / "signal", work / "checkpoint"
    for folder in (state, signal, checkpoint):
        folder.mkdir()
    cold_bundle, warm_bundle = bundle(work, image, wait=False), bundle(work, image, wait=True)
    figures: dict[str, list[float]] = {"cold: runsc run, whole job": [],
                                       "warm (pool): signal to tests' end": [],
                                       "restore: restore to tests' end": [],
                                       "restore: the restore command alone": [],
                                       "tests alone (inside, any)": []}
    randoms: list[tuple[object, object, object]] = []
    try:
        for n in range(args.runs):
            clear(signal)
            started = time.perf_counter()
            runsc(state, "run", "--bundle", str(cold_bundle), f"cold-{n}")
            record = done(signal)
            figures["cold: runsc run, whole job"].append(time.perf_counter() - started)
            figures["tests alone (inside, any)"].append(float(record["tests"]))  # type: ignore[arg-type]
            runsc(state, "delete", "--force", f"cold-{n}", check=False)

            clear(signal)
            runsc(state, "run", "--detach", "--bundle", str(warm_bundle), f"warm-{n}")
            wait_for(signal / "ready")
            time.sleep(0.2)  # idle, as a pooled sandbox is when its job arrives
            started = time.perf_counter()
            (signal / "go").touch()
            done(signal)
            figures["warm (pool): signal to tests' end"].append(time.perf_counter() - started)
            runsc(state, "delete", "--force", f"warm-{n}", check=False)

        clear(signal)
        runsc(state, "run", "--detach", "--bundle", str(warm_bundle), "to-checkpoint")
        wait_for(signal / "ready")
        time.sleep(0.2)
        started = time.perf_counter()
        taken = runsc(state, "checkpoint", "--image-path", str(checkpoint), "to-checkpoint",
                      check=False)
        took = time.perf_counter() - started
        runsc(state, "delete", "--force", "to-checkpoint", check=False)
        size = sum(p.stat().st_size for p in checkpoint.rglob("*") if p.is_file())
        print(f"checkpoint: exit {taken.returncode} in {took:.2f} s, {size / 1e6:.1f} MB"
              + (f": {(taken.stderr or b'').decode(errors='replace')[-400:]}"
                 if taken.returncode else ""))
        if taken.returncode == 0:
            for n in range(args.runs):
                clear(signal)
                started = time.perf_counter()
                restored = runsc(state, "restore", "--detach", "--image-path", str(checkpoint),
                                 "--bundle", str(warm_bundle), f"restored-{n}", check=False)
                restore_took = time.perf_counter() - started
                if restored.returncode:
                    print("restore failed:",
                          (state / "runsc.log").read_text(errors="replace")[-600:])
                    break
                (signal / "go").touch()
                record = done(signal)
                figures["restore: restore to tests' end"].append(time.perf_counter() - started)
                figures["restore: the restore command alone"].append(restore_took)
                randoms.append((record["before_reseed"], record["random"], record["urandom"]))
                runsc(state, "delete", "--force", f"restored-{n}", check=False)
    finally:
        listed = subprocess.run(["runsc", "--root", str(state), "list", "-quiet"],
                                capture_output=True, text=True, check=False).stdout
        for sandbox in listed.split():
            runsc(state, "delete", "--force", sandbox, check=False)
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{SLUG}, {args.runs} runs each, p50 (min to max):")
    for name, values in figures.items():
        if values:
            print(f"  {name:40} {statistics.median(values):6.2f} s "
                  f"({min(values):.2f} to {max(values):.2f})")
        else:
            print(f"  {name:40} not measured")
    if randoms:
        print(f"  random before the reseed, distinct across restores: "
              f"{len({r[0] for r in randoms})} of {len(randoms)}")
        print(f"  random after the reseed, distinct: {len({r[1] for r in randoms})} of "
              f"{len(randoms)}; os.urandom distinct: {len({r[2] for r in randoms})} of "
              f"{len(randoms)}")


if __name__ == "__main__":
    main()
