"""Row locks for actions a user can send twice (a double click, a retried request).

`lock_row` takes the row's write lock for the rest of the transaction, then expires the object so
that every attribute read afterwards comes from the database as the previous holder committed it.
Two racing requests therefore run one after the other, and the second sees the first's result
(and answers 409) instead of both inserting the same row. The lock is a no-op UPDATE: a row lock
on PostgreSQL, the database write lock on SQLite (where writers wait for it, see create_app).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from ..extensions import db


def lock_row(instance: Any) -> None:
    model = type(instance)
    db.session.execute(
        update(model)
        .where(model.id == instance.id)
        .values(id=model.id)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(instance)
