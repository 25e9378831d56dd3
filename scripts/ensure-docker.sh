#!/usr/bin/env bash
# Make sure a Docker engine answers: on Debian as root, install docker.io and start dockerd.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

if docker info >/dev/null 2>&1; then exit 0; fi
if [ -n "${DOCKER_HOST:-}" ]; then
  echo "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST." >&2
  exit 1
fi
if ! is_debian_root; then
  echo "No Docker engine answers. Install Docker (https://docs.docker.com/engine/install/) and start it." >&2
  exit 1
fi
apt_install docker.io debootstrap iptables
say "starting dockerd in the background (log: /var/log/reciprocal-dockerd.log)"
nohup dockerd >/var/log/reciprocal-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo "dockerd did not start; see /var/log/reciprocal-dockerd.log" >&2
exit 1
