"""`reciprocal db check`: do the SQLAlchemy models and the Alembic migrations describe the same
schema?

A fresh database is upgraded to the newest revision and compared with the models by Alembic's
autogenerate comparison (`compare_metadata`, column types included, as `flask db migrate` would
compare them). Each difference is one line naming the table and what differs; none means a new
migration is not needed and an installation upgraded by the migrations has the tables the code
uses.
"""

from __future__ import annotations

import logging
import tempfile
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from . import create_app
from .extensions import db


class SchemaCheckError(Exception):
    """The check could not be made (the database given is not empty)."""


def differences_from_migrations(database_url: str | None = None) -> list[str]:
    """The differences between the models and a database made by the migrations: an empty one
    at `database_url` (which must hold no table), else a fresh SQLite file."""
    with tempfile.TemporaryDirectory(prefix="reciprocal-db-check-") as folder:
        app = create_app({"DATA_DIR": folder, "SECRET_KEY": "db-check",
                          "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{folder}/check.db"})
        with app.app_context():
            existing = inspect(db.engine).get_table_names()
            if existing:
                raise SchemaCheckError(f"the database is not empty ({len(existing)} tables): "
                                       "give an empty one, the check upgrades it")
            upgrade(revision="heads")
            logging.getLogger("alembic").setLevel(logging.WARNING)  # not the comparison's steps
            try:
                return differences()
            finally:
                db.engine.dispose()


def differences() -> list[str]:
    """The differences between the models and the app's database as it is."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return [describe(item) for item in compare_metadata(context, db.metadata)]


def describe(item: Any) -> str:
    """One of compare_metadata's entries as a line: what the models have that the migrations
    do not make, or the other way round."""
    if isinstance(item, list):  # the changes to one column come together
        return "; ".join(describe(part) for part in item)
    kind, *rest = item
    if kind in ("add_table", "remove_table"):
        where = "only in the models" if kind == "add_table" else "only in the migrations"
        return f"table {rest[0].name}: {where}"
    if kind in ("add_column", "remove_column"):
        _schema, table, column = rest
        where = "only in the models" if kind == "add_column" else "only in the migrations"
        return f"column {table}.{column.name}: {where}"
    if kind.startswith("modify_"):
        _schema, table, column, _info, migrated, modelled = rest
        what = kind.removeprefix("modify_")
        return (f"column {table}.{column}: {what} is {migrated!r} by the migrations, "
                f"{modelled!r} in the models")
    thing = rest[0]
    table = getattr(getattr(thing, "table", None), "name", None) or getattr(thing, "name", "")
    where = "only in the models" if kind.startswith("add_") else "only in the migrations"
    name = getattr(thing, "name", None) or thing
    return f"{kind.split('_', 1)[1]} {name} on {table}: {where}"
