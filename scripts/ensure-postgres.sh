#!/usr/bin/env bash
# Install and start a PostgreSQL server for the database tests; prints the test database URL.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

apt_install postgresql >&2
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
  say "starting PostgreSQL $version" >&2
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do
  runuser -u postgres -- psql -qAt -c 'select 1' >/dev/null 2>&1 && break
  sleep 1
done
runuser -u postgres -- psql -qAt -c "SELECT 1 FROM pg_roles WHERE rolname='reciprocal'" | grep -q 1 \
  || runuser -u postgres -- psql -q -c "CREATE ROLE reciprocal LOGIN PASSWORD 'reciprocal'" >&2
runuser -u postgres -- psql -qAt -c "SELECT 1 FROM pg_database WHERE datname='reciprocal_test'" | grep -q 1 \
  || runuser -u postgres -- createdb -O reciprocal reciprocal_test >&2
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
echo "postgresql+psycopg://reciprocal:reciprocal@127.0.0.1:${port}/reciprocal_test"
