#!/usr/bin/env bash
# Set-up shared by `make run` and `make test`: system packages, the virtualenv, the package.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
VENV=${VENV:-.venv}

apt_install git redis-server python3-venv ca-certificates debootstrap
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the virtualenv in $VENV"
  python3 -m venv "$VENV"
fi
stamp="$VENV/.reciprocal-installed"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "installing Reciprocal and its dependencies (pip install -e .[dev])"
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
  "$VENV/bin/pip" install -q -e '.[dev]' 2>&1 | grep -v '^WARNING: Location' || true
  "$VENV/bin/python" -c 'import reciprocal, flask, rq, docker, git, playwright' >/dev/null
  touch "$stamp"
fi
