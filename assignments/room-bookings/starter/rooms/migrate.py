"""Apply the SQL migrations in rooms/migrations/, in order, each once.

    python -m rooms.migrate                 # everything not applied yet
    python -m rooms.migrate --target 002    # up to and including 002

Applied versions are recorded in the table schema_migrations. Never edit a migration that has
been applied in production: add a new one.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import psycopg

from .config import load_settings

MIGRATIONS = Path(__file__).with_name("migrations")
LOCK_ID = 7_402_113  # one migrator at a time (several app instances may start together)


def available() -> list[tuple[str, Path]]:
    """(version, file) for every migration, in version order: 001_name.sql is version 001."""
    return sorted((path.name.split("_", 1)[0], path) for path in MIGRATIONS.glob("*.sql"))


def migrate(database_url: str, target: str | None = None) -> list[str]:
    """Apply what is missing (up to ``target``); the versions applied now."""
    done: list[str] = []
    with psycopg.connect(database_url) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version text PRIMARY KEY,"
                     " applied_at timestamptz NOT NULL DEFAULT now())")
        applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        for version, path in available():
            if target is not None and version > target:
                break
            if version in applied:
                continue
            conn.execute(path.read_text())
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
            done.append(version)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", help="apply migrations up to and including this version")
    args = parser.parse_args(argv)
    done = migrate(load_settings().database_url, args.target)
    print(f"applied: {', '.join(done)}" if done else "nothing to apply")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
