#!/usr/bin/env bash
# `make test`: services, lint and types, the models against the migrations, runner images (stale
# ones removed), the suite on SQLite, the database tests again on PostgreSQL, every shipped
# assignment validated in the runner containers, and the compose stack.
# Prints how long each step took at the end (also when a step fails). RECIPROCAL_TEST_POSTGRES_URL
# names another PostgreSQL database for the second pass (the default is ensure-postgres.sh's).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bin=${VENV:-.venv}/bin
started=$(date +%s)
steps=()

report() {
  local rc=$?
  echo
  say "time per step"
  local row
  for row in "${steps[@]}"; do printf '  %s\n' "$row"; done
  printf '  %-52s %5d s\n' "make test (the whole run)" $(( $(date +%s) - started ))
  [ "$rc" = 0 ] || echo "make test failed (exit $rc)" >&2
}
trap report EXIT

# step NAME COMMAND...: say it, run it, record how long it took (a failure stops the run).
step() {
  local name=$1 begun
  shift
  say "$name"
  begun=$(date +%s)
  local rc=0
  "$@" || rc=$?
  steps+=("$(printf '%-52s %5d s%s' "$name" $(( $(date +%s) - begun )) \
    "$([ "$rc" = 0 ] || echo "  (failed, exit $rc)")")")
  return "$rc"
}

services() {
  apt_install chromium fonts-liberation || return
  bash scripts/ensure-docker.sh || return
  pg_url=$(bash scripts/ensure-postgres.sh) || return
  pg_url=${RECIPROCAL_TEST_POSTGRES_URL:-$pg_url}
}
step "services (Chromium, Docker, PostgreSQL)" services
step "lint (ruff)" "$bin/ruff" check platform tests bench runners scripts
step "types (mypy over core/ and models/)" \
  "$bin/mypy" platform/reciprocal/core platform/reciprocal/models
step "the models against the migrations (reciprocal db check)" "$bin/reciprocal" db check
# Images of earlier code (every change to the harness or an environment builds new tags) are
# removed first: on a machine that builds often they would fill the disk.
runner_images() {
  "$bin/reciprocal" runners prune || return
  "$bin/reciprocal" runners build
}
step "runner images (the stale ones pruned, the current ones built)" runner_images

export RECIPROCAL_DATA_DIR=$(mktemp -d /tmp/reciprocal-test-data.XXXXXX)
unset RECIPROCAL_TEST_DATABASE_URL  # the first pass is on SQLite
step "test suite on SQLite" \
  "$bin/python" -m pytest -q -p no:cacheprovider --durations=40
step "database tests again on PostgreSQL (-m postgres)" \
  env RECIPROCAL_TEST_DATABASE_URL="$pg_url" \
  "$bin/python" -m pytest -q -p no:cacheprovider --durations=20 -m postgres
step "every shipped assignment, proven in the runner containers" \
  "$bin/reciprocal" assignments validate --jobs 2
step "the compose stack" bash scripts/compose-test.sh
