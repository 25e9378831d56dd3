"""Build the warehouse in DATABASE_URL's database from scratch, or re-apply the SQL.

    python -m warehouse.build          # drop everything, create the tables, load the seed
                                       # dataset, apply sql/*.sql
    python -m warehouse.build --sql    # re-apply sql/*.sql only (the data stays)

sql/*.sql run in file-name order, each file as one script, as our checks run them with
`psql -v ON_ERROR_STOP=1 -f FILE`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "schema.sql"
SQL_DIR = ROOT / "sql"
DEFAULT_DATABASE_URL = "postgresql://kontor:kontor@localhost:5432/warehouse"


def database_url() -> str:
    return os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)


def sql_files() -> list[Path]:
    return sorted(SQL_DIR.glob("*.sql"))


def reset(conn: psycopg.Connection) -> None:
    """An empty public schema with the raw tables, whatever was there before."""
    conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
    conn.execute("CREATE SCHEMA public")
    conn.execute(SCHEMA.read_text())


def apply_sql(conn: psycopg.Connection) -> None:
    for path in sql_files():
        try:
            conn.execute(path.read_text())
        except psycopg.Error as exc:
            raise SystemExit(f"{path.relative_to(ROOT)}: {exc}") from exc
        print(f"applied {path.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sql", action="store_true", help="re-apply sql/*.sql only")
    args = parser.parse_args(argv)
    with psycopg.connect(database_url(), autocommit=True) as conn:
        if not args.sql:
            from warehouse.seed import generate, load

            began = time.monotonic()
            reset(conn)
            data = generate()
            with conn.transaction():
                load(conn, data)
            print(f"loaded the seed dataset in {time.monotonic() - began:.1f}s")
        apply_sql(conn)


if __name__ == "__main__":
    main(sys.argv[1:])
