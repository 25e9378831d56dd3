#!/usr/bin/env bash
# Build the platform image (Dockerfile) and smoke-test it: as a non-root user it migrates a real
# PostgreSQL database (`reciprocal db upgrade`), serves /healthz, /readyz (database, Redis and
# the runner engine all ready), /metrics and the login page under gunicorn, and runs
# `reciprocal worker --burst` and `reciprocal maintenance --once`. Containers, the Redis and
# the database it made are always removed.
#
# The containers use the host's network so that they reach the loopback-only PostgreSQL and
# Redis. /readyz checks the runner engine, so the web container (and only it) gets the host's
# Docker socket, with the socket's group added for the non-root user.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

image=${RECIPROCAL_IMAGE:-reciprocal-platform:latest}
base=${BASE_IMAGE:-reciprocal-base:bookworm}
started=$(date +%s)
suffix="$$-$(date +%s)"
web="reciprocal-smoke-web-$suffix"
worker="reciprocal-smoke-worker-$suffix"
smoke_db="reciprocal_smoke_$$"
redis_pid=""
redis_dir=$(mktemp -d /tmp/reciprocal-smoke-redis.XXXXXX)

cleanup() {
  local rc=$?
  docker rm -f -v "$web" "$worker" >/dev/null 2>&1 || true
  if [ -n "$redis_pid" ]; then kill "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$redis_dir"
  runuser -u postgres -- dropdb --if-exists "$smoke_db" >/dev/null 2>&1 || true
  exit "$rc"
}
trap cleanup EXIT

bash scripts/ensure-docker.sh
pg_url=$(bash scripts/ensure-postgres.sh)
if ! docker image inspect "$base" >/dev/null 2>&1; then
  say "building the base image $base (debootstrap)"
  bash runners/base/build-base.sh "$base"
fi

say "building the platform image $image"
# Behind a TLS-intercepting egress proxy pip needs its CA: build/docker/ is git-ignored.
mkdir -p build/docker
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  cp /etc/ssl/certs/ca-certificates.crt build/docker/ca.crt
fi
build_started=$(date +%s)
docker build -q --build-arg "BASE_IMAGE=$base" -t "$image" . >/dev/null
echo "image built in $(( $(date +%s) - build_started )) s"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

say "platform image smoke test: PostgreSQL database $smoke_db, a private Redis"
runuser -u postgres -- createdb -O reciprocal "$smoke_db"
database_url="${pg_url%/*}/$smoke_db"
redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
  --dir "$redis_dir" >"$redis_dir/log" 2>&1 &
redis_pid=$!
web_port=$(free_port)
env_args=(
  -e "RECIPROCAL_DATABASE_URL=$database_url"
  -e "RECIPROCAL_REDIS_URL=redis://127.0.0.1:$redis_port/0"
  -e "RECIPROCAL_SECRET_KEY=smoke-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  -e "RECIPROCAL_BASE_URL=http://127.0.0.1:$web_port"
  -e "RECIPROCAL_WORKER_TOKEN=smoke-worker-token-$suffix"
  -e "RECIPROCAL_LOG_FORMAT=json"
)

docker run --rm --network host "${env_args[@]}" "$image" reciprocal db upgrade

socket_gid=$(stat -c %g /var/run/docker.sock)
docker run -d --name "$web" --network host "${env_args[@]}" \
  -e "WEB_BIND=127.0.0.1:$web_port" \
  -v /var/run/docker.sock:/var/run/docker.sock --group-add "$socket_gid" \
  "$image" >/dev/null

url="http://127.0.0.1:$web_port"
fail() {
  echo "smoke test failed: $*" >&2
  docker logs --tail 50 "$web" >&2 || true
  exit 1
}
for _ in $(seq 1 60); do
  if curl -fsS -o /dev/null "$url/healthz" 2>/dev/null; then break; fi
  [ "$(docker inspect -f '{{.State.Running}}' "$web")" = true ] || fail "the web container exited"
  sleep 0.5
done
curl -fsS "$url/healthz" | grep -q '"ok"' || fail "/healthz"
ready=$(curl -sS -w '\n%{http_code}' "$url/readyz")
[ "${ready##*$'\n'}" = 200 ] || fail "/readyz: $ready"
echo "readyz: ${ready%$'\n'*}"
curl -fsS "$url/login" | grep -qi '<form' || fail "the login page has no form"
headers=$(curl -fsS -D - -o /dev/null -H 'X-Request-ID: smoke-1' "$url/login")
grep -qi '^x-request-id: smoke-1' <<<"$headers" || fail "X-Request-ID is not echoed"
curl -fsS "$url/metrics" | grep -q '^reciprocal_queue_depth{queue="grading"} 0.0' \
  || fail "/metrics has no queue depth"
[ "$(docker exec "$web" id -u)" = 10001 ] || fail "the web process does not run as uid 10001"
logged=""
for _ in $(seq 1 20); do  # log lines reach `docker logs` asynchronously
  if docker logs "$web" 2>&1 | grep -q '"request_id": "smoke-1"'; then logged=1; break; fi
  sleep 0.5
done
[ -n "$logged" ] || fail "no JSON log line with the id"
echo "web: healthz, readyz, login page, metrics, request id and JSON logs ok (uid 10001)"

# The alternative command: an RQ worker (no database, no data directory) that stops when the
# queues are empty.
docker run --name "$worker" --network host \
  -e "RECIPROCAL_REDIS_URL=redis://127.0.0.1:$redis_port/0" \
  -e "RECIPROCAL_BASE_URL=$url" -e "RECIPROCAL_WORKER_TOKEN=smoke-worker-token-$suffix" \
  "$image" reciprocal worker --burst >"$redis_dir/worker.log" 2>&1 \
  || { cat "$redis_dir/worker.log" >&2; fail "reciprocal worker --burst"; }
echo "worker: reciprocal worker --burst ran and exited cleanly"

docker run --rm --network host "${env_args[@]}" "$image" reciprocal maintenance --once \
  || fail "reciprocal maintenance --once"
echo "maintenance: one reconcile round ran"

say "platform image smoke test passed in $(( $(date +%s) - started )) s"
