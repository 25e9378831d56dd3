#!/usr/bin/env bash
# Make sure a Docker engine answers and offers the grading runtime: on Debian as root, install
# docker.io and gVisor (runsc), register runsc in /etc/docker/daemon.json and start dockerd, or
# reload a running one (SIGHUP reloads runtimes without stopping containers). Fast when done.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

runtime=${RECIPROCAL_RUNNER_RUNTIME:-runsc}
daemon_json=/etc/docker/daemon.json

runsc_registered() {
  # runsc with --network=none: grading containers have no network, and gVisor's own network
  # set-up fails inside some sandboxes ("cannot run with network enabled in root network ns").
  docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc":{[^}]*--network=none'
}

register_runsc() {
  # Add the runsc runtime to daemon.json, keeping every other key.
  mkdir -p "$(dirname "$daemon_json")"
  python3 - "$daemon_json" <<'PY'
import json, sys
from pathlib import Path
path = Path(sys.argv[1])
config = json.loads(path.read_text() or "{}") if path.exists() else {}
config.setdefault("runtimes", {})["runsc"] = {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}
path.write_text(json.dumps(config, indent=2) + "\n")
PY
}

ensure_runsc_package() {
  if command -v runsc >/dev/null 2>&1 && [ -x /usr/bin/runsc ]; then return 0; fi
  if ! is_debian_root; then
    echo "gVisor (runsc) is missing. Install it (Debian: apt-get install runsc), register it in $daemon_json as {\"runtimes\": {\"runsc\": {\"path\": \"/usr/bin/runsc\", \"runtimeArgs\": [\"--network=none\"]}}} and reload dockerd, or set RECIPROCAL_RUNNER_RUNTIME=runc." >&2
    return 1
  fi
  apt_install runsc
}

wait_for() {
  # wait_for SECONDS COMMAND...: poll until COMMAND succeeds.
  local seconds=$1; shift
  for _ in $(seq 1 "$seconds"); do
    if "$@"; then return 0; fi
    sleep 1
  done
  return 1
}

engine_up() { docker info >/dev/null 2>&1; }

if engine_up; then
  if [ "$runtime" != runsc ] || runsc_registered; then exit 0; fi
  if [ -n "${DOCKER_HOST:-}" ] || ! is_debian_root; then
    echo "The Docker engine has no runsc runtime. Install gVisor (apt-get install runsc), register it in $daemon_json (runtimeArgs [\"--network=none\"]) and reload dockerd, or set RECIPROCAL_RUNNER_RUNTIME=runc." >&2
    exit 1
  fi
  ensure_runsc_package
  register_runsc
  say "registered gVisor (runsc) in $daemon_json; reloading dockerd"
  kill -HUP "$(pidof dockerd)"
  if wait_for 30 runsc_registered; then exit 0; fi
  echo "dockerd did not pick up runsc from $daemon_json; restart dockerd" >&2
  exit 1
fi
if [ -n "${DOCKER_HOST:-}" ]; then
  echo "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST." >&2
  exit 1
fi
if ! is_debian_root; then
  echo "No Docker engine answers. Install Docker (https://docs.docker.com/engine/install/) and start it." >&2
  exit 1
fi
apt_install docker.io debootstrap iptables
if [ "$runtime" = runsc ]; then
  ensure_runsc_package
  register_runsc
fi
say "starting dockerd in the background (log: /var/log/reciprocal-dockerd.log)"
nohup dockerd >/var/log/reciprocal-dockerd.log 2>&1 &
if wait_for 60 engine_up; then exit 0; fi
echo "dockerd did not start; see /var/log/reciprocal-dockerd.log" >&2
exit 1
