#!/usr/bin/env bash
# The compose stack (compose.yaml), proven end to end (run by `make test`):
#
# 1. installs docker-compose (Debian's 1.29.2) and builds the runner images if they are missing;
# 2. brings the whole stack up under a unique project name, with freshly generated secrets and
#    the web service published on a free loopback port, building every image from this tree;
# 3. waits until /readyz answers 200 (database, Redis and both grading workers ready);
# 4. runs tests/system/test_compose.py against it: the services' users, images and Docker socket
#    (workers only), health, metrics, request ids and JSON logs, and a whole candidate journey
#    (staff user and token from the CLI, role and invitation over the API, accept terms, start,
#    git clone, commit the reference solution, git push, submit, graded by a worker: passed);
# 5. always takes the project down with its volumes (and any runner container its workers left).
#
# The images are tagged reciprocal-{platform,postgres,redis}:latest, the tags compose.yaml gives
# them for anyone running the stack from this tree: they are not specific to the test project,
# so they are kept and later runs reuse their layers. Only loopback is published.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bin=${VENV:-.venv}/bin
started=$(date +%s)

die() { echo "compose test: $*" >&2; exit 1; }

apt_install docker-compose
command -v docker-compose >/dev/null || die "docker-compose is not installed"
bash scripts/ensure-docker.sh
[ -x "$bin/python" ] || die "no virtualenv at ${VENV:-.venv} (run \`make setup\`)"
[ -S /var/run/docker.sock ] || die "the workers need the Docker socket at /var/run/docker.sock"
# The base image every image here starts from, and the runner images the workers start.
"$bin/reciprocal" runners build

project="reciprocal-compose-test-$$-$(date +%s)"
tmp=$(mktemp -d /tmp/reciprocal-compose-test.XXXXXX)
dc() { docker-compose -p "$project" -f compose.yaml "$@"; }
secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
port=$("$bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"

export POSTGRES_PASSWORD RECIPROCAL_SECRET_KEY RECIPROCAL_WORKER_TOKEN RECIPROCAL_METRICS_TOKEN
POSTGRES_PASSWORD=$(secret)
RECIPROCAL_SECRET_KEY=$(secret)
RECIPROCAL_WORKER_TOKEN=$(secret)
RECIPROCAL_METRICS_TOKEN=$(secret)
export RECIPROCAL_BASE_URL="$url" WEB_PUBLISH="127.0.0.1:$port"
DOCKER_GID=$(stat -c %g /var/run/docker.sock)
export DOCKER_GID
unset IMAGE_TAG BASE_IMAGE RECIPROCAL_PROXY_FIX RECIPROCAL_SMTP_HOST
# The workers label their runner containers with this installation id (from the token).
installation=$("$bin/python" -c 'import hashlib, os; print(hashlib.sha256(b"reciprocal-installation:" + os.environ["RECIPROCAL_WORKER_TOKEN"].encode()).hexdigest()[:16])')

cleanup() {
  local rc=$?
  trap - EXIT
  if [ "$rc" != 0 ]; then
    echo "compose test failed; the stack's last log lines:" >&2
    dc logs --no-color --tail=40 >&2 2>&1 || true
  fi
  dc down --volumes --remove-orphans --timeout 30 >"$tmp/down.log" 2>&1 \
    || { echo "compose test: docker-compose down failed:" >&2; cat "$tmp/down.log" >&2; }
  docker ps -aq --filter "label=reciprocal.installation=$installation" \
    | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Behind a TLS-intercepting egress proxy pip needs its CA: build/docker/ is git-ignored.
mkdir -p build/docker
if [ -f /etc/ssl/certs/ca-certificates.crt ] \
   && ! cmp -s /etc/ssl/certs/ca-certificates.crt build/docker/ca.crt; then
  cp /etc/ssl/certs/ca-certificates.crt "build/docker/ca.crt.$$"
  mv -f "build/docker/ca.crt.$$" build/docker/ca.crt
fi

say "compose stack up: project $project on $url"
up_started=$(date +%s)
dc up -d --build >"$tmp/up.log" 2>&1 || { cat "$tmp/up.log" >&2; die "docker-compose up failed"; }
echo "built and started in $(( $(date +%s) - up_started )) s"

ready=""
for _ in $(seq 1 90); do
  if body=$(curl -fsS "$url/readyz" 2>/dev/null); then ready=1; break; fi
  if [ -n "$(dc ps -q web)" ] \
     && [ "$(docker inspect -f '{{.State.Running}}' "$(dc ps -q web)")" != true ]; then
    die "the web container exited"
  fi
  sleep 1
done
[ -n "$ready" ] || die "/readyz did not answer 200 within 90 s: $(curl -sS "$url/readyz" || true)"
echo "ready after $(( $(date +%s) - up_started )) s: $body"

say "compose stack: tests/system/test_compose.py"
RECIPROCAL_COMPOSE_URL="$url" RECIPROCAL_COMPOSE_PROJECT="$project" \
  "$bin/python" -m pytest -q -p no:cacheprovider -rs --junitxml="$tmp/junit.xml" \
  tests/system/test_compose.py
# A skip here would mean the stack went untested: fail instead.
"$bin/python" - "$tmp/junit.xml" <<'EOF'
import sys
import xml.etree.ElementTree as ET

suite = ET.parse(sys.argv[1]).getroot()
suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
tests, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
if tests == 0 or skipped:
    sys.exit(f"compose test: {tests} tests ran, {skipped} skipped: every one must run")
EOF

say "compose test passed in $(( $(date +%s) - started )) s"
