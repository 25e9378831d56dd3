#!/usr/bin/env bash
# `make test`: services, lint and types, the models against the migrations, runner images, the
# suite on SQLite, the database tests again on PostgreSQL, and every shipped assignment validated
# in the runner containers.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bin=${VENV:-.venv}/bin
started=$(date +%s)

apt_install chromium fonts-liberation
bash scripts/ensure-docker.sh
pg_url=$(bash scripts/ensure-postgres.sh)

say "lint (ruff) and types (mypy over core/ and models/)"
"$bin/ruff" check platform tests bench runners scripts
"$bin/mypy" platform/reciprocal/core platform/reciprocal/models

say "the models against the migrations (reciprocal db check)"
"$bin/reciprocal" db check

say "runner images"
"$bin/reciprocal" runners build

export RECIPROCAL_DATA_DIR=$(mktemp -d /tmp/reciprocal-test-data.XXXXXX)
say "test suite on SQLite"
"$bin/python" -m pytest -q -p no:cacheprovider --durations=40

say "database-backed tests on PostgreSQL"
RECIPROCAL_TEST_DATABASE_URL="$pg_url" "$bin/python" -m pytest -q -p no:cacheprovider --durations=20 -m postgres

say "every shipped assignment, proven in the runner containers"
"$bin/reciprocal" assignments validate

bash scripts/compose-test.sh

echo "make test took $(( $(date +%s) - started )) s"
