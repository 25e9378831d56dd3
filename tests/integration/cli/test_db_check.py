"""`reciprocal db check`: the models and the migrations agree today, on SQLite and (through
the migrated test database, `make test`'s second run) on PostgreSQL; a disagreement either way
fails with a line naming it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from reciprocal.cli import main
from reciprocal.extensions import db
from reciprocal.schema import differences
from sqlalchemy import Column, Integer, Table, text


@pytest.fixture
def probe_table() -> Iterator[Table]:
    """A table the models have and no migration makes; taken out of the metadata afterwards."""
    table = Table("db_check_probe", db.metadata, Column("id", Integer, primary_key=True))
    yield table
    db.metadata.remove(table)


def test_the_models_and_the_migrations_agree(app: Flask) -> None:
    with app.app_context():
        assert differences() == []


def test_the_command_passes_today() -> None:
    result = CliRunner().invoke(main, ["db", "check"])
    assert result.exit_code == 0, result.output
    assert "The models and the migrations agree." in result.output


def test_a_model_without_its_migration_fails_the_command(probe_table: Table) -> None:
    result = CliRunner().invoke(main, ["db", "check"])
    assert result.exit_code == 1
    assert "table db_check_probe: only in the models" in result.output


def test_what_only_the_database_has_is_named(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["db", "check", "--database-url",
                                       f"sqlite:///{tmp_path / 'used.db'}"])
    assert result.exit_code == 0, result.output
    from reciprocal import create_app  # here: an app on the database the check just made

    app = create_app({"DATA_DIR": str(tmp_path), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'used.db'}"})
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE users ADD COLUMN nickname VARCHAR(20)"))
        assert differences() == ["column users.nickname: only in the migrations"]
        db.engine.dispose()
    refused = CliRunner().invoke(main, ["db", "check", "--database-url",
                                        f"sqlite:///{tmp_path / 'used.db'}"])
    assert refused.exit_code == 1 and "the database is not empty" in refused.output
