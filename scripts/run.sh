#!/usr/bin/env bash
# `make run`: Docker, runner images, database, demo data, then serve.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
bin=${VENV:-.venv}/bin
export RECIPROCAL_DATA_DIR=${RECIPROCAL_DATA_DIR:-$PWD/instance}
port=${PORT:-8000}
export RECIPROCAL_BASE_URL=${RECIPROCAL_BASE_URL:-http://127.0.0.1:$port}

bash scripts/ensure-docker.sh
say "building the runner images (first time: a Debian base via debootstrap, then the images; a few minutes)"
# Assignments' own environments (React, FastAPI...) are built by the worker the first time one
# is graded (shown on the admin's assignments page), or ahead of time by `reciprocal runners build`.
"$bin/reciprocal" runners build --no-environments
say "removing runner and environment images of earlier code"
"$bin/reciprocal" runners prune
say "migrating the database"
"$bin/reciprocal" db upgrade
say "loading the assignment library and demo data"
"$bin/reciprocal" demo
say "serving on $RECIPROCAL_BASE_URL (Ctrl-C stops everything)"
echo "  staff sign-in: $RECIPROCAL_BASE_URL/login"
exec "$bin/reciprocal" serve --port "$port"
