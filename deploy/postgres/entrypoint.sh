#!/bin/sh
# First start (an empty $PGDATA): initdb, then the role POSTGRES_USER with POSTGRES_PASSWORD
# and the database POSTGRES_DB owned by it (not a superuser), through a server that listens
# on the Unix socket only. Every start: the server in the foreground, on all the container's
# interfaces, with scram-sha-256 passwords over TCP and peer authentication on the socket.
set -eu

if [ "$(id -u)" = 0 ]; then
  echo "postgres-entrypoint: run as the postgres user (the image's USER), not root" >&2
  exit 1
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?is not set: the password of POSTGRES_USER}"
  user=${POSTGRES_USER:-postgres}
  database=${POSTGRES_DB:-$user}
  if [ ! -w "$PGDATA" ] || [ -n "$(ls -A "$PGDATA")" ]; then
    echo "postgres-entrypoint: $PGDATA must be an empty folder writable by uid $(id -u)" >&2
    exit 1
  fi
  echo "postgres-entrypoint: creating the cluster in $PGDATA (role $user, database $database)"
  initdb --pgdata="$PGDATA" --username=postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  printf '%s\n' 'local all all peer' 'host all all all scram-sha-256' >"$PGDATA/pg_hba.conf"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"

  pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses=''" --wait --silent start
  psql --quiet --no-psqlrc --set=ON_ERROR_STOP=1 --dbname=postgres \
    --set=user="$user" --set=password="$POSTGRES_PASSWORD" --set=database="$database" <<'SQL'
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') AS new_role \gset
\if :new_role
CREATE ROLE :"user" LOGIN;
\endif
ALTER ROLE :"user" PASSWORD :'password';
SELECT NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database') AS new_database \gset
\if :new_database
CREATE DATABASE :"database" OWNER :"user";
\endif
SQL
  pg_ctl --pgdata="$PGDATA" --mode=fast --wait --silent stop
  echo "postgres-entrypoint: cluster ready"
fi

if [ "${1:-}" = postgres ]; then
  shift
  exec postgres -D "$PGDATA" "$@"
fi
exec "$@"
